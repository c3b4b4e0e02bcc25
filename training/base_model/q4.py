"""Q4_0 dequantisation: blocks of 32 four-bit weights sharing one fp16 scale.

Byte ``j`` of a block holds weight ``j`` in its low nibble and weight ``j + 16`` in its
high nibble; a weight is ``(nibble - 8) * scale``.  Done in numpy, a chunk of rows at a
time, so the 96M word-embedding weights dequantise in about a second without a large
temporary.
"""

from __future__ import annotations

import numpy as np

BLOCK = 32
BLOCK_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (BLOCK // 2,))])
CHUNK_ROWS = 1 << 14


def nbytes(count: int) -> int:
    """Bytes that ``count`` weights take as Q4_0 blocks."""
    return count // BLOCK * BLOCK_DTYPE.itemsize


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Float32 weights of Q4_0 ``blocks`` (any leading shape; the last axis grows by 32)."""
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - np.int8(8)
    weights = nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return weights.reshape(*blocks.shape[:-1], blocks.shape[-1] * BLOCK)


def dequantize_rows(blocks: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Float32 matrix of a ``(n_rows, n_blocks)`` block array, optionally only ``rows``."""
    picked = blocks if rows is None else blocks[np.asarray(rows, dtype=np.int64)]
    out = np.empty((picked.shape[0], picked.shape[1] * BLOCK), dtype=np.float32)
    for start in range(0, picked.shape[0], CHUNK_ROWS):
        out[start : start + CHUNK_ROWS] = dequantize(picked[start : start + CHUNK_ROWS])
    return out
