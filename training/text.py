"""Text normalisation shared by the character features and the rules.

The rule itself is the core library's (``gongkai.figures.normalize``, which reads figures
from the same text); this module keeps the name saved TF-IDF models refer to
(``training.text.normalize`` is on the skops allow-list).
"""

from __future__ import annotations

from gongkai import figures


def normalize(text: str) -> str:
    """See :func:`gongkai.figures.normalize`."""
    return figures.normalize(text)
