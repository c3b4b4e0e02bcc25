"""Text normalisation shared by the character features, the rules and the count reader."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """NFKC (fullwidth digits, letters and punctuation become ASCII) and lower case, so that
    the punctuation and width variants of one wording look the same."""
    return unicodedata.normalize("NFKC", text).lower()
