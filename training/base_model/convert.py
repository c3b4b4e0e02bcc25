"""Write a Hugging Face ``BertModel`` folder from the packed e5 file, atomically and cached.

The folder holds ``config.json``, float32 ``model.safetensors``, the tokenizer files and
``checksums.json`` (sha256 of each file and of the source file).  It is built in a
temporary sibling folder and renamed into place, so a reader never sees half a model;
a folder whose checksums still match the same source is reused unless ``force`` is set.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from safetensors.numpy import save_file

from gongkai.resources import base_model_dir
from gongkai.training.base_model.bundled import bundled_bin
from gongkai.training.base_model.e5bin import E5Bin
from gongkai.training.base_model.layout import bert_config, hf_names
from gongkai.training.base_model.tokenizer import build_tokenizer, save_tokenizer

CHECKSUMS = "checksums.json"
WEIGHTS = "model.safetensors"
FORMAT = 1  # raise when the folder's contents change, so cached folders are rebuilt


@dataclass(frozen=True)
class Conversion:
    folder: Path
    source: Path
    source_sha256: str
    files: dict[str, str]
    cached: bool
    seconds: float


def convert(source: Path | None = None, out: Path | None = None,
            force: bool = False) -> Conversion:
    """Build (or reuse) the model folder ``out`` from ``source``, the bundled file by default."""
    out = out or base_model_dir()
    start = time.perf_counter()
    source = Path(source) if source is not None else bundled_bin()
    source_sha = sha256_file(source)
    out = Path(out)
    files = None if force else cached_files(out, source_sha)
    cached = files is not None
    if files is None:
        files = _build(E5Bin.open(source), source, source_sha, out)
    return Conversion(out, source, source_sha, files, cached, time.perf_counter() - start)


def cached_files(out: Path, source_sha: str) -> dict[str, str] | None:
    """The folder's file checksums when it was built by this format from this source and
    every file still hashes as recorded; otherwise ``None``."""
    try:
        record = json.loads((out / CHECKSUMS).read_text(encoding="utf-8"))
        if record["format"] != FORMAT or record["source"]["sha256"] != source_sha:
            return None
        files: dict[str, str] = record["files"]
        if all(sha256_file(out / name) == sha for name, sha in files.items()):
            return files
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, streamed."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_folder(model: E5Bin, folder: Path) -> None:
    """Config, float32 weights and tokenizer of ``model`` into an existing ``folder``."""
    config = bert_config(model.header, pad_id=model.vocab.pad)
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    _save_weights(model, folder / WEIGHTS)
    tokenizer = build_tokenizer(model.vocab, model.normalization)
    save_tokenizer(tokenizer, model.vocab, model.header.max_positions, folder)


def _save_weights(model: E5Bin, path: Path) -> None:
    """All tensors dequantised to float32 under their ``BertModel`` names (~470 MB)."""
    tensors = {hf: model.tensor(name) for name, hf in hf_names(model.header).items()}
    save_file(tensors, path, metadata={"format": "pt"})


def _build(model: E5Bin, source: Path, source_sha: str, out: Path) -> dict[str, str]:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write_folder(model, staging)
        files = {p.name: sha256_file(p) for p in sorted(staging.iterdir())}
        for name in files:
            (staging / name).chmod(0o644)
        staging.chmod(0o755)
        record = {
            "format": FORMAT,
            "source": {"file": source.name, "sha256": source_sha},
            "files": files,
        }
        (staging / CHECKSUMS).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files


def _swap_in(staging: Path, out: Path) -> None:
    """Rename ``staging`` to ``out``, moving an older ``out`` aside first."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    old = retired / out.name
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)
