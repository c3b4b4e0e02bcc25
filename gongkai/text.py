"""The one text normalisation every model path and the figure reader share."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[^\S\n]+")
_LINES = re.compile(r"\s*\n\s*")


def normalize(text: str) -> str:
    """NFKC (fullwidth digits, letters and punctuation become ASCII), lower case, and runs of
    spaces (ideographic, non-breaking, tabs) as one space and of line breaks as one, so that
    the punctuation, width and layout variants of one wording look the same."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()
