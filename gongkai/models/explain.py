"""Which terms pushed a linear decision: coefficient × TF-IDF value, per feature.

Words and character n-grams come from two vectorizers; the same string can be both, so
their contributions are added up under one term. Only terms that are a word (or a cue
word) of the text, two characters or longer and not a figure, are shown: n-grams across a
word boundary (的身份, 及商) and single characters carry weight but tell a reader nothing.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse

from gongkai.models.predictions import Term


def top_terms(row: sparse.spmatrix, weights: np.ndarray | None,
              names: tuple[np.ndarray, np.ndarray], limit: int) -> list[Term]:
    """The ``limit`` words of one text with the largest positive contribution."""
    if weights is None:
        return []
    terms, is_word = names
    row = sparse.csr_matrix(row)
    totals: dict[str, float] = {}
    words: set[str] = set()
    for index, value in zip(row.indices, row.data, strict=True):
        term = str(terms[index])
        totals[term] = totals.get(term, 0.0) + float(value * weights[index])
        if is_word[index]:
            words.add(term)
    ranked = sorted((item for item in totals.items()
                     if item[1] > 0 and item[0] in words and _readable(item[0])),
                    key=lambda item: -item[1])
    return [Term(term, round(weight, 4)) for term, weight in ranked[:limit]]


def _readable(term: str) -> bool:
    return len(term) >= 2 and not re.fullmatch(r"[\d.]+", term)
