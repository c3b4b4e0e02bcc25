"""Chinese word segmentation for disclosure requests and annual reports.

A private :class:`jieba.Tokenizer` (never jieba's global one) is loaded with the
domain dictionary ``data/lexicon.txt`` (package data) so that terms such as 过程性信息,
行政执法案卷 or 市场监督管理局 stay whole.  It is built lazily, once per
process, under a lock; worker processes (fork or spawn) build their own on
first use, and nothing here needs to be pickled except the top-level
functions, which pickle by reference.

Text is NFKC-normalised first (fullwidth letters, digits and punctuation become
their ASCII forms) and every punctuation or symbol character becomes a space
(a decimal point between digits is kept), so punctuation variants segment
identically and no token is pure punctuation.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable

import jieba

from gongkai.resources import data_path

LEXICON_PATH = data_path("lexicon.txt")
CACHE_DIR = os.path.join(tempfile.gettempdir(), "gongkai-jieba")

# Any character that is neither a word character nor whitespace, plus "_",
# except a "." with a digit on both sides.
_SEPARATOR = re.compile(r"(?!(?<=\d)\.(?=\d))[^\w\s]|_")

_tokenizer: jieba.Tokenizer | None = None
_lock = threading.Lock()


def _reset_lock() -> None:
    """Give a forked child a fresh lock in case a parent thread held it at fork time."""
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock)


def _get_tokenizer() -> jieba.Tokenizer:
    """Return this process's tokenizer, building it on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                os.makedirs(CACHE_DIR, exist_ok=True)
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = CACHE_DIR
                tokenizer.load_userdict(str(LEXICON_PATH))
                _tokenizer = tokenizer
    return _tokenizer


def load_dictionary() -> None:
    """Build this process's tokenizer now, before it is needed: a process that forks workers
    or serves requests pays the dictionary once, up front."""
    _get_tokenizer()


def segment(text: str) -> list[str]:
    """Split ``text`` into words; whitespace and punctuation are dropped."""
    text = _SEPARATOR.sub(" ", unicodedata.normalize("NFKC", text))
    return [word for word in _get_tokenizer().cut(text) if word.strip()]


def segment_batch(texts: Iterable[str]) -> list[list[str]]:
    """Segment each text of ``texts``, in order."""
    return [segment(text) for text in texts]


def jieba_words(text: str) -> list[str]:
    """``analyzer`` callable for scikit-learn vectorizers (same words as :func:`segment`)."""
    return segment(text)
