"""A Word (.docx) report as text lines, read from ``word/document.xml`` alone.

A docx is a zip, and a zip can lie: its directory may declare small sizes for members that
inflate to gigabytes, name a compression nobody implements, or hold thousands of members.
So the archive is checked before anything is inflated (member count, declared sizes), the
one member read is inflated in bounded chunks and counted as it comes, and its XML is
parsed without entities, network or huge-tree mode. Every failure is a :class:`ReaderError`
that names the member. Paragraphs and tables come out in document order; merged cells are
read from the XML directly.
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

from gongkai.reader.errors import ReaderError, check_chars, mb
from gongkai.reader.limits import ReaderLimits
from gongkai.reader.markup import span

BODY = "word/document.xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHUNK = 1 << 16
_CENTRAL_ENTRY = b"PK\x01\x02"


def _w(tag: str) -> str:
    return _W + tag


def docx_lines(data: bytes, limits: ReaderLimits | None = None) -> list[str]:
    """Paragraphs and tables of the body in document order, a table row per line."""
    limits = limits or ReaderLimits()
    body = _Body(limits)
    lines = body.blocks(_parse(_inflate(data, limits)))
    check_chars(sum(len(line) for line in lines), limits)
    return lines


def _inflate(data: bytes, limits: ReaderLimits) -> bytes:
    """The bytes of ``word/document.xml``, after the archive's directory passed its bounds."""
    archive = _open(data)
    members = archive.infolist()
    if len(members) > limits.max_zip_members:
        raise ReaderError("too_large", f"{len(members)} zip members",
                          message_id="reader.too_many_members",
                          values={"count": len(members), "limit": limits.max_zip_members})
    declared = sum(info.file_size for info in members)
    if declared > limits.max_unzipped_bytes:
        raise _too_large_unzipped(declared, limits)
    info = next((m for m in members if m.filename == BODY), None)
    if info is None:
        raise ReaderError("unsupported", f"no {BODY}", message_id="reader.not_docx",
                          values={"member": BODY})
    try:
        return _read_bounded(archive, info, limits)
    except ReaderError:
        raise
    except (NotImplementedError, RuntimeError) as exc:  # a method or encryption zipfile lacks
        raise _unsupported(info.filename, info.extract_version, info.compress_type,
                           exc) from None
    except Exception as exc:  # zlib.error, BadZipFile (CRC, header), EOFError, lzma errors …
        raise ReaderError("corrupt", f"{info.filename}: {exc}", message_id="reader.zip_corrupt",
                          values={"member": info.filename}) from None


def _open(data: bytes) -> zipfile.ZipFile:
    """The archive; a directory zipfile cannot read is damaged, or asks for a zip version
    beyond the one it implements (the member that does is named)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except NotImplementedError as exc:
        member, version, method = _first_unsupported(data)
        raise _unsupported(member, version, method, exc) from None
    except Exception as exc:  # BadZipFile, struct.error, UnicodeDecodeError of a name …
        raise ReaderError("corrupt", f"zip directory: {exc}",
                          message_id="reader.zip_directory") from None


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ReaderLimits) -> bytes:
    """The member inflated chunk by chunk, refused as soon as it passes the limit: the size
    its directory entry declares is not believed."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as handle:
        while chunk := handle.read(_CHUNK):
            size += len(chunk)
            if size > limits.max_unzipped_bytes:
                raise _too_large_unzipped(size, limits)
            chunks.append(chunk)
    return b"".join(chunks)


def _too_large_unzipped(size: int, limits: ReaderLimits) -> ReaderError:
    return ReaderError("too_large", f"{size} bytes inflated",
                       message_id="reader.too_large_unzipped",
                       values={"size_mb": mb(size), "limit_mb": mb(limits.max_unzipped_bytes)})


def _unsupported(member: str, version: int, method: int, exc: BaseException) -> ReaderError:
    return ReaderError("unsupported", f"{member}: {exc}", message_id="reader.zip_unsupported",
                       values={"member": member, "version": f"{version / 10:.1f}",
                               "method": method})


def _first_unsupported(data: bytes) -> tuple[str, int, int]:
    """The first central-directory entry that needs a zip version beyond zipfile's, read
    from the raw bytes (zipfile stops before it says which): name, version, method."""
    at = data.find(_CENTRAL_ENTRY)
    while at != -1 and at + 46 <= len(data):
        version, method = struct.unpack_from("<HxxH", data, at + 6)
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if version > zipfile.MAX_EXTRACT_VERSION:
            name = data[at + 46:at + 46 + name_length].decode("utf-8", "replace")
            return name, version, method
        at = data.find(_CENTRAL_ENTRY, at + 4)
    return "?", 0, 0


def _parse(xml: bytes) -> Any:
    """The ``w:body`` element; XML that is not well formed, or not a Word document, is a
    :class:`ReaderError` that says where."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 0
        raise ReaderError("corrupt", f"{BODY}: {exc}", message_id="reader.docx_xml",
                          values={"member": BODY, "line": line}) from None
    body = root.find(_w("body")) if root.tag == _w("document") else None
    if body is None:
        name = etree.QName(root).localname
        shown = f"w:{name}" if root.tag == _w(name) else name
        raise ReaderError("corrupt", f"{BODY}: root {root.tag}", message_id="reader.docx_body",
                          values={"member": BODY, "root": shown})
    return body


class _Body:
    """Walks the body; ``area`` adds up the grid cells the tables' spans expand to, so a
    table of huge spans is refused before its grid is built."""

    def __init__(self, limits: ReaderLimits) -> None:
        self.limits = limits
        self.area = 0

    def blocks(self, parent: Any) -> list[str]:
        """Lines of the paragraphs and tables directly in ``parent`` (the body, a content
        control, a cell of a layout table)."""
        lines: list[str] = []
        for child in parent.iterchildren():
            if child.tag == _w("p"):
                lines.append(_text(child))
            elif child.tag == _w("tbl"):
                lines.extend(self._table_lines(child))
            elif child.tag == _w("sdt"):
                for content in child.iterchildren(_w("sdtContent")):
                    lines.extend(self.blocks(content))
        return lines

    def _table_lines(self, tbl: Any) -> list[str]:
        """A table's rows as tab-joined lines. A one-column table is a frame around its
        content (tables nested in it come out in place); a table nested in a cell of a real
        table is not part of that cell's text."""
        rows = list(tbl.iterchildren(_w("tr")))
        if all(len(list(tr.iterchildren(_w("tc")))) <= 1 for tr in rows):
            return [line for tr in rows for tc in tr.iterchildren(_w("tc"))
                    for line in self.blocks(tc)]
        return ["\t".join(row) for row in self._grid(rows)]

    def _grid(self, rows: list[Any]) -> list[list[str]]:
        """Cells by grid column: spans and vertical-merge continuations left empty, the
        columns a row skips (``w:gridBefore``/``w:gridAfter``) empty too."""
        grid: list[list[str]] = []
        for tr in rows:
            before, after = _grid_skips(tr)
            cells = [_cell(tc) for tc in tr.iterchildren(_w("tc"))]
            self.area += before + after + sum(width for _, width in cells)
            if self.area > self.limits.max_span_area:
                raise ReaderError("too_large", "table spans too large",
                                  message_id="reader.span_area",
                                  values={"area": self.area, "limit": self.limits.max_span_area})
            row: list[str] = [""] * before
            for text, width in cells:
                row += [text] + [""] * (width - 1)
            grid.append(row + [""] * after)
        return grid


def _text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_w("t")))


def _cell(tc: Any) -> tuple[str, int]:
    """A cell's text (empty for a vertical-merge continuation) and its grid width."""
    props = tc.find(_w("tcPr"))
    width = 1
    continued = False
    if props is not None:
        grid_span = props.find(_w("gridSpan"))
        if grid_span is not None:
            width = span(grid_span.get(_w("val")))
        v_merge = props.find(_w("vMerge"))
        continued = v_merge is not None and v_merge.get(_w("val")) in (None, "continue")
    text = "".join(_text(p) for p in tc.iterchildren(_w("p")))
    return ("" if continued else text.replace("\xa0", " ").strip()), width


def _grid_skips(tr: Any) -> tuple[int, int]:
    """Grid columns a row leaves out before its first cell and after its last."""
    props = tr.find(_w("trPr"))
    skips = [0, 0]
    for i, name in enumerate(("gridBefore", "gridAfter")):
        element = props.find(_w(name)) if props is not None else None
        if element is not None:
            skips[i] = span(element.get(_w("val")))
    return skips[0], skips[1]
