"""Which words of a text the decision rests on: drop each jieba word, see what is lost.

Occlusion needs nothing from the model but its probabilities, so the torch and the ONNX
models explain themselves the same way. All variants of one text go through the encoder
as one batch; only readable words (two characters or more, not a figure) are tried, at
most ``CANDIDATES`` of them, which keeps an explanation to one batched call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from gongkai.models.predictions import Term
from gongkai.models.segment import segment

CANDIDATES = 32


def candidate_words(text: str, limit: int = CANDIDATES) -> list[str]:
    """Distinct readable words of ``text`` in order of appearance, the longest first when
    there are more than ``limit``."""
    words = [w for w in dict.fromkeys(segment(text))
             if len(w) >= 2 and not re.fullmatch(r"[\d.]+", w) and w in text]
    if len(words) > limit:
        kept = set(sorted(words, key=lambda w: (-len(w), words.index(w)))[:limit])
        words = [w for w in words if w in kept]
    return words


def word_drops(predict_proba: Callable[[Sequence[str]], np.ndarray], text: str,
               ) -> tuple[list[str], np.ndarray]:
    """The candidate words and, per word and label, how much the probability falls when
    the word is removed from the text."""
    words = candidate_words(text)
    if not words:
        return [], np.zeros((0, 0))
    proba = predict_proba([text, *(text.replace(word, "") for word in words)])
    return words, proba[0] - proba[1:]


def top_words(words: list[str], drops: np.ndarray, column: int, limit: int) -> list[Term]:
    """The ``limit`` words whose removal costs ``column`` the most probability."""
    if not words:
        return []
    ranked = sorted(((w, round(float(d), 4)) for w, d in zip(words, drops[:, column],
                                                               strict=True)),
                    key=lambda item: -item[1])
    return [Term(word, drop) for word, drop in ranked[:limit] if drop > 0]
