"""The statistics table's own row wordings, as an analyzer: reports name the rows in that
fixed wording, so a paragraph that contains one says which disposition it reports."""

from __future__ import annotations

from functools import cache

from gongkai.taxonomy import load_taxonomy
from gongkai.text import normalize


@cache
def _table_wording() -> tuple[str, ...]:
    taxonomy = load_taxonomy()
    phrases = {group.name for group in taxonomy.groups}
    for leaf in taxonomy.leaves:
        phrases.update((leaf.name, *leaf.variants, *leaf.keywords))
    return tuple(sorted({normalize(phrase) for phrase in phrases if len(phrase) >= 2}))


def row_wording(text: str) -> list[str]:
    """Analyzer: the statistics rows' own wordings found in ``text``."""
    return phrases_in(normalize(text))


def phrases_in(normalized: str) -> list[str]:
    """The row wordings found in a text already normalised (``gongkai.text.normalize``)."""
    return [phrase for phrase in _table_wording() if phrase in normalized]
