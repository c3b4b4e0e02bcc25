"""What a tagged report becomes in the results: plain rows, without Arrow, so that the
worker processes, which only build them, never import pyarrow.

A tagged paragraph's two mappings become lists of structs (``ENTRIES``), the form every
dataset stores them in (``gongkai.archive.datasets``).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from gongkai.models.tagging import TaggedParagraph

Row = dict[str, Any]

# Mapping fields → the names of the key and value of their list entries.
ENTRIES = {"scores": ("label", "score"), "counts": ("row", "value")}
PARAGRAPH_FIELDS = tuple(f.name for f in fields(TaggedParagraph))


def entries(paragraph: Row) -> Row:
    """A tagged paragraph's row with its mappings as lists of ``ENTRIES`` structs."""
    return {**paragraph, **{name: [{key: k, value: v} for k, v in paragraph[name].items()]
                            for name, (key, value) in ENTRIES.items()}}


def paragraph_row(paragraph: TaggedParagraph) -> Row:
    """The paragraph's fields as a row (a shallow copy: the rows are serialised at once)."""
    return entries({name: getattr(paragraph, name) for name in PARAGRAPH_FIELDS})
