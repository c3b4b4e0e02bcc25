"""Sparse feature rows in plain numpy (compressed sparse rows), for prediction.

A TF-IDF model needs only three things of its features: building them, their product with
dense weights, and one row at a time for explanations. scipy.sparse does all three, but
importing it costs a cold start more than a whole prediction, and its product with the
transposed coefficients of a fitted model copies them on every call. The sums here run in
the order scipy's loops run them (entry after entry from zero, in column order), so the
probabilities are those of the fitted pipeline to the last bit.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CHUNK_ENTRIES = 1 << 16  # stored entries per step of a product: bounds its scratch memory


@dataclass(frozen=True)
class SparseRows:
    """``indptr[i]:indptr[i + 1]`` are row ``i``'s entries: ``indices`` (ascending) and
    ``data``; ``width`` is the number of columns."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.width

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Row ``i``'s columns and values."""
        span = slice(self.indptr[i], self.indptr[i + 1])
        return self.indices[span], self.data[span]

    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def row_ids(self) -> np.ndarray:
        """The row of every stored entry."""
        return np.repeat(np.arange(len(self)), self.lengths())

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``rows @ weights`` for ``weights`` of shape (width, outputs); C-ordered weights
        keep the gather fast."""
        out = np.zeros((len(self), weights.shape[1]))
        start = 0
        while start < len(self):
            stop = _chunk_end(self.indptr, start)
            self._dot(weights, start, stop, out)
            start = stop
        return out

    def _dot(self, weights: np.ndarray, start: int, stop: int, out: np.ndarray) -> None:
        """Rows ``start:stop`` of the product: each row's entries added one after the other
        from zero, as scipy's product adds them (numpy's pairwise sums would differ in the
        last bits)."""
        first = self.indptr[start]
        entries = slice(first, self.indptr[stop])
        products = weights[self.indices[entries]] * self.data[entries, None]
        bounds = (self.indptr[start:stop + 1] - first).tolist()
        if weights.shape[1] == 1:  # one output: bincount adds in entry order
            rows = np.repeat(np.arange(stop - start), np.diff(bounds))
            out[start:stop, 0] = np.bincount(rows, weights=products[:, 0],
                                             minlength=stop - start)
            return
        for i, (low, high) in enumerate(itertools.pairwise(bounds), start):
            if high > low:  # reduced along axis 0 of a C-ordered block: row after row
                out[i] = np.add.reduce(products[low:high], axis=0)

    @classmethod
    def side_by_side(cls, blocks: Sequence[SparseRows], rows: int) -> SparseRows:
        """The blocks' columns one after the other (each block's rows are the same texts)."""
        if not blocks:
            return cls(np.zeros(rows + 1, dtype=np.int64), np.zeros(0, dtype=np.int64),
                       np.zeros(0), 0)
        lengths = [block.lengths() for block in blocks]
        indptr = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(np.sum(lengths, axis=0), out=indptr[1:])
        indices = np.empty(indptr[-1], dtype=np.int64)
        data = np.empty(indptr[-1])
        before = np.zeros(rows, dtype=np.int64)  # a row's entries from earlier blocks
        offset = 0
        for block, length in zip(blocks, lengths, strict=True):
            within = np.arange(len(block.indices)) - np.repeat(block.indptr[:-1], length)
            where = np.repeat(indptr[:-1] + before, length) + within
            indices[where] = block.indices + offset
            data[where] = block.data
            before += length
            offset += block.width
        return cls(indptr, indices, data, offset)


def _chunk_end(indptr: np.ndarray, start: int) -> int:
    """The row after ``start``'s chunk: as many rows as fit in ``CHUNK_ENTRIES`` entries,
    at least one."""
    stop = int(np.searchsorted(indptr, indptr[start] + CHUNK_ENTRIES, side="right")) - 1
    return min(max(stop, start + 1), len(indptr) - 1)
