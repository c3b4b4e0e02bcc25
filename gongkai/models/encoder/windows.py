"""Texts as fixed-size token windows, the encoder's input.

Training reads each text's first window (the corpus's 99th-percentile length fits whole);
prediction reads every window of a longer text and pools them, so a disposition named
at the end of a long paragraph still counts. Every window carries the encoder's own
special tokens and the e5 prefix. A request's case record is the pair's first segment:
it opens every window of its text (at most half a window), closed by the end token, so
that each window reads the record and a part of the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from tokenizers import Tokenizer

PREFIX = "query: "  # e5's prefix for symmetric tasks such as classification
LENGTH_STEP = 16


@dataclass(frozen=True)
class WindowSpec:
    """How texts become windows; stored in ``metadata.json`` under ``encoder.windows``."""

    max_length: int  # tokens per window, special and prefix tokens included
    stride: int  # tokens that neighbouring windows share
    pad_id: int
    prefix: str = PREFIX

    def as_dict(self) -> dict:
        return asdict(self)


def choose_max_length(lengths: Sequence[int], ceiling: int, percentile: float = 99.0) -> int:
    """The ``percentile`` of token lengths rounded up to a multiple of 16, at most
    ``ceiling`` (the encoder's position limit)."""
    measured = float(np.percentile(np.asarray(lengths), percentile)) if len(lengths) else 1.0
    return int(min(ceiling, max(LENGTH_STEP, -(-measured // LENGTH_STEP) * LENGTH_STEP)))


def length_summary(lengths: Sequence[int]) -> dict[str, int]:
    """Percentiles of a token-length distribution, for the model card."""
    values = np.asarray(lengths)
    points = {"p50": 50, "p90": 90, "p95": 95, "p99": 99, "max": 100}
    return {name: int(np.ceil(np.percentile(values, q))) for name, q in points.items()}


class Windower:
    """Token ids of texts, cut into windows of at most ``spec.max_length``."""

    def __init__(self, tokenizer: Tokenizer, spec: WindowSpec) -> None:
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self.tokenizer = tokenizer
        self.spec = spec
        bare = tokenizer.encode("a", add_special_tokens=False).ids
        full = tokenizer.encode("a").ids
        start = next(i for i in range(len(full)) if full[i:i + len(bare)] == bare)
        self.head, self.tail = full[:start], full[start + len(bare):]
        self.prefix = tokenizer.encode(spec.prefix, add_special_tokens=False).ids
        self.room = spec.max_length - len(self.head) - len(self.tail) - len(self.prefix)
        if self.room < 2 or not 0 <= spec.stride < self.room:
            raise ValueError(f"windows of {spec.max_length} tokens leave no room for text")

    def body(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, without special or prefix tokens."""
        return [e.ids for e in self.tokenizer.encode_batch(list(texts),
                                                           add_special_tokens=False)]

    def lengths(self, texts: Sequence[str]) -> list[int]:
        """Whole-text lengths as one window would need them (specials and prefix included)."""
        extra = len(self.head) + len(self.tail) + len(self.prefix)
        return [len(ids) + extra for ids in self.body(texts)]

    def _records(self, records: Sequence[str | None] | None, count: int) -> list[list[int]]:
        """Each record's segment (its ids and the end token), empty without a record."""
        if records is None or not any(records):
            return [[] for _ in range(count)]
        encoded = self.body([record or "" for record in records])
        half = self.room // 2
        return [[*ids[:half - len(self.tail)], *self.tail] if record else []
                for ids, record in zip(encoded, records, strict=True)]

    def _wrap(self, record: list[int], chunk: list[int]) -> list[int]:
        return [*self.head, *self.prefix, *record, *chunk, *self.tail]

    def first(self, texts: Sequence[str],
              records: Sequence[str | None] | None = None) -> list[list[int]]:
        """One window per text: its record and its beginning (for training)."""
        segments = self._records(records, len(texts))
        return [self._wrap(record, ids[:self.room - len(record)])
                for ids, record in zip(self.body(texts), segments, strict=True)]

    def windows(self, texts: Sequence[str], records: Sequence[str | None] | None = None,
                ) -> tuple[list[list[int]], np.ndarray]:
        """Every window of every text, and the index of the text each window belongs to."""
        windows: list[list[int]] = []
        owners: list[int] = []
        segments = self._records(records, len(texts))
        for index, (ids, record) in enumerate(zip(self.body(texts), segments, strict=True)):
            room = self.room - len(record)
            stride = min(self.spec.stride, room - 1)
            starts = range(0, max(len(ids) - stride, 1), room - stride)
            windows += [self._wrap(record, ids[start:start + room]) for start in starts]
            owners += [index] * len(starts)
        return windows, np.asarray(owners, dtype=np.int64)


def batches(windows: Sequence[Sequence[int]], size: int, pad_id: int,
            ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(positions, ids, mask)`` batches of similar length (less padding), int64."""
    order = np.argsort([len(w) for w in windows], kind="stable")
    for start in range(0, len(order), size):
        positions = order[start:start + size]
        yield (positions, *pad([windows[i] for i in positions], pad_id))


def pad(windows: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-padded ids and the attention mask."""
    width = max(len(w) for w in windows)
    ids = np.full((len(windows), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(windows), width), dtype=np.int64)
    for row, window in enumerate(windows):
        ids[row, :len(window)] = window
        mask[row, :len(window)] = 1
    return ids, mask
