"""The one text normalisation every model path and the figure reader share."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """NFKC (fullwidth digits, letters and punctuation become ASCII) and lower case, so that
    the punctuation and width variants of one wording look the same."""
    return unicodedata.normalize("NFKC", text).lower()
