"""HTML as text lines, in one walk over the parse tree, in time linear in the page's size.

Block elements end a line; each table row becomes one tab-joined line with rowspan/colspan
positions left empty; a one-column table is a frame around its content (read in place); a
table nested in a cell of a real table is not part of that cell's text. The tree is never
changed: a page nested 20,000 deep costs what 20,000 siblings cost.

Bounds (:class:`~gongkai.reader.limits.ReaderLimits`): the number of elements is counted in
the raw text before anything is built, the nesting depth while walking, and the cells the
tables' spans expand to before any grid is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gongkai.reader.errors import ReaderError
from gongkai.reader.limits import ReaderLimits

_SKIPPED = frozenset({"script", "style", "noscript", "head", "template"})
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section",
                     "article", "td"})
_CELLS = ("td", "th")
_START_TAG = re.compile(r"<[A-Za-z]")
MAX_SPAN = 100  # a rowspan or colspan beyond this is read as this


def html_lines(text: str, limits: ReaderLimits | None = None) -> list[str]:
    """Block elements become lines; each table row becomes one tab-joined line."""
    from bs4 import BeautifulSoup

    limits = limits or ReaderLimits()
    elements = len(_START_TAG.findall(text))
    if elements > limits.max_html_elements:
        raise ReaderError("too_large", "too many HTML elements", message_id=(
            "reader.too_many_elements"), values={"count": elements,
                                                  "limit": limits.max_html_elements})
    soup = BeautifulSoup(text, "lxml")
    return "".join(_Walk(limits).text(soup)).splitlines()


def _is_tag(node: Any) -> bool:
    return getattr(node, "name", None) is not None


def _is_text(node: Any) -> bool:
    """Text that ``get_text`` reads: strings and CDATA, not comments or declarations."""
    from bs4 import CData, NavigableString

    return type(node) in (NavigableString, CData)


class _Walk:
    """One pass over the tree; ``area`` adds up the cells the tables' spans expand to."""

    def __init__(self, limits: ReaderLimits) -> None:
        self.limits = limits
        self.area = 0

    def text(self, root: Any) -> Iterator[str]:
        """The page's text: strings in order, ``\\n`` for ``<br>`` and after each block,
        tables as their lines. Iterative: no recursion, however deep the page."""
        stack: list[tuple[Any, int, bool]] = [(root, 0, False)]  # node, depth, closing
        while stack:
            node, depth, closing = stack.pop()
            if closing:
                yield "\n"
                continue
            if not _is_tag(node):
                if type(node) is str or _is_text(node):  # a str: a table's lines
                    yield str(node)
                continue
            if depth > self.limits.max_html_depth:
                raise ReaderError("too_large", "HTML nested too deep",
                                  message_id="reader.too_deep",
                                  values={"depth": _depth(node, depth),
                                          "limit": self.limits.max_html_depth})
            name = node.name
            if name in _SKIPPED:
                continue
            if name == "br":
                yield "\n"
                continue
            if name == "table":
                stack += reversed(list(self._table(node, depth)))
                continue
            if name in _BLOCKS:
                stack.append((node, depth, True))
            stack += [(child, depth + 1, False) for child in reversed(node.contents)]

    def _table(self, table: Any, depth: int) -> Iterator[tuple[Any, int, bool]]:
        """What a table stands for on the stack: a frame's cells' content, each after a line
        break (read like the rest of the page), or its grid as one string."""
        rows = _own_rows(table)
        if all(len(_direct_cells(tr)) <= 1 for tr in rows):
            for tr in rows:
                for cell in _own_cells(tr):
                    yield "\n", depth, False
                    yield from ((child, depth + 1, False) for child in cell.contents)
            return
        grid = self._grid(rows)
        yield "\n" + "\n".join("\t".join(row) for row in grid) + "\n", depth, False

    def _grid(self, rows: list[Any]) -> list[list[str]]:
        """Expand rowspan/colspan into a rectangular grid; spanned positions stay empty.
        The cells it would take are counted first."""
        spans = [[(cell, span(cell.get("rowspan")), span(cell.get("colspan")))
                  for cell in _direct_cells(tr)] for tr in rows]
        self.area += sum(height * width for row in spans for _, height, width in row)
        if self.area > self.limits.max_span_area:
            raise ReaderError("too_large", "table spans too large", message_id="reader.span_area",
                              values={"area": self.area, "limit": self.limits.max_span_area})
        grid: list[list[str]] = []
        pending: set[tuple[int, int]] = set()
        for r, cells in enumerate(spans):
            row: list[str] = []
            for cell, height, width in cells:
                while (r, len(row)) in pending:
                    pending.discard((r, len(row)))
                    row.append("")
                c = len(row)
                row.append(_cell_text(cell))
                row += [""] * (width - 1)
                pending.update((r + dr, c + dc) for dr in range(1, height) for dc in range(width))
            while (r, len(row)) in pending:
                pending.discard((r, len(row)))
                row.append("")
            grid.append(row)
        return grid


def _depth(node: Any, depth: int) -> int:
    """How deep the nesting under ``node`` goes, from ``depth`` (for the message)."""
    deepest = depth
    stack = [(node, depth)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack += [(child, level + 1) for child in current.contents if _is_tag(child)]
    return deepest


def _descendants(node: Any, stop: frozenset[str]) -> Iterator[Any]:
    """Tags under ``node`` in document order, not looking inside the ones named ``stop``."""
    stack = [child for child in reversed(node.contents) if _is_tag(child)]
    while stack:
        current = stack.pop()
        yield current
        if current.name not in stop:
            stack += [child for child in reversed(current.contents) if _is_tag(child)]


def _own_rows(table: Any) -> list[Any]:
    """The rows of this table, not of the tables nested in it."""
    return [tag for tag in _descendants(table, frozenset({"table", "tr"})) if tag.name == "tr"]


def _direct_cells(tr: Any) -> list[Any]:
    return [child for child in tr.contents if _is_tag(child) and child.name in _CELLS]


def _own_cells(tr: Any) -> list[Any]:
    """The row's cells, also those wrapped in another element (never a nested table's)."""
    return [tag for tag in _descendants(tr, frozenset({*_CELLS, "table", "tr"}))
            if tag.name in _CELLS]


def _cell_text(cell: Any) -> str:
    """A grid cell's text on one line; a table nested in it is not part of it."""
    parts: list[str] = []
    stack = [cell]
    while stack:
        node = stack.pop()
        if not _is_tag(node):
            if _is_text(node):
                parts.append(str(node))
        elif node is cell or node.name not in (*_SKIPPED, "table"):
            stack += reversed(node.contents)
    return re.sub(r"\s+", " ", "".join(parts).replace("\xa0", " ")).strip()


def span(value: Any) -> int:
    """A rowspan/colspan/gridSpan: 1 unless a whole number, at most :data:`MAX_SPAN`."""
    try:
        return max(1, min(int(str(value).strip()[:6]), MAX_SPAN))
    except (TypeError, ValueError):
        return 1
