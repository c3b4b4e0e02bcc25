"""Which terms pushed a linear decision: coefficient × TF-IDF value, per feature.

Words and character n-grams come from two vectorizers; the same string can be both, so
their contributions are added up under one term. Only terms that are a word (or a cue
word) of the text, two characters or longer and not a figure, are shown: n-grams across a
word boundary (的身份, 及商) and single characters carry weight but tell a reader nothing.
"""

from __future__ import annotations

import re

import numpy as np

from gongkai.models.predictions import Term

_FIGURE = re.compile(r"[\d.]+")


def top_terms(columns: np.ndarray, values: np.ndarray, weights: np.ndarray | None,
              names: tuple[list[str], np.ndarray], limit: int) -> list[Term]:
    """The ``limit`` words of one text (its features' ``columns`` and ``values``) with the
    largest positive contribution; ``names`` are every feature's term and whether it is a
    word (``LinearModel.feature_names``). Ties keep the order of the text's features."""
    if weights is None:
        return []
    terms, is_word = names
    totals: dict[str, float] = {}
    words: set[str] = set()
    for column, contribution, word in zip(columns.tolist(),
                                          (values * weights[columns]).tolist(),
                                          is_word[columns].tolist(), strict=True):
        term = terms[column]
        totals[term] = totals.get(term, 0.0) + contribution
        if word:
            words.add(term)
    ranked = sorted((item for item in totals.items()
                     if item[1] > 0 and item[0] in words and _readable(item[0])),
                    key=lambda item: -item[1])
    return [Term(term, round(weight, 4)) for term, weight in ranked[:limit]]


def _readable(term: str) -> bool:
    return len(term) >= 2 and not _FIGURE.fullmatch(term)
