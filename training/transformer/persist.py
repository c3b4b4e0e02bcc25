"""Save and load the files of an encoder model folder, checked against ``metadata.json``.

``metadata.json`` lists every file with its sha256 (``files``) and the window, head and
base-model settings (``encoder``). Nothing is unpickled: weights are safetensors or ONNX,
the tokenizer is JSON, a scikit-learn head goes through the skops allow-list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from training.artifacts import ModelError, load_estimator, sha256
from training.transformer.estimator import (
    HEAD_FILE,
    TOKENIZER_FILE,
    EmbeddingEstimator,
    EncoderEstimator,
    FineTunedEstimator,
)
from training.transformer.kinds import EMBEDDING_LR, INT8


def save_files(estimator: EncoderEstimator, directory: Path) -> dict[str, str]:
    """Write the estimator's files; returns file name → sha256."""
    return {name: sha256(directory / name) for name in estimator.save(directory)}


def check_files(directory: Path, files: Any) -> None:
    if not isinstance(files, dict) or not files:
        raise ModelError(f"{directory / 'metadata.json'} lists no model files")
    for name, digest in files.items():
        path = directory / name
        if not path.is_file():
            raise ModelError(f"{path} is missing")
        if sha256(path) != digest:
            raise ModelError(f"{path} is corrupted or was replaced: its checksum does not "
                             "match metadata.json")


def load_transformer(directory: Path, metadata: dict[str, Any]) -> EncoderEstimator:
    """Rebuild the estimator of an encoder model folder."""
    check_files(directory, metadata.get("files"))
    try:
        return _build(directory, metadata)
    except ImportError as exc:
        raise ModelError(f"model {metadata['name']!r} needs {exc.name or 'a library'}: "
                         "pip install -e '.[base-model]'") from None
    except (KeyError, TypeError, ValueError, RuntimeError, OSError) as exc:
        raise ModelError(f"{directory} cannot be loaded: {type(exc).__name__}: {exc}") from None


def _build(directory: Path, metadata: dict[str, Any]) -> EncoderEstimator:
    from tokenizers import Tokenizer

    from training.transformer.backends import OnnxBackend, TorchBackend
    from training.transformer.windows import Windower, WindowSpec

    settings = metadata["encoder"]
    windower = Windower(Tokenizer.from_file(str(directory / TOKENIZER_FILE)),
                        WindowSpec(**settings["windows"]))
    task, labels, kind = metadata["task"], metadata["labels"], metadata["kind"]
    if kind == INT8:
        return FineTunedEstimator(windower, OnnxBackend.load(directory), task, labels,
                                  **settings["head"])
    from training.transformer.network import EncoderClassifier, PooledEncoder

    if kind == EMBEDDING_LR:
        head = load_estimator(directory / HEAD_FILE, metadata["files"][HEAD_FILE])
        return EmbeddingEstimator(windower, TorchBackend(PooledEncoder.load(directory)), task,
                                  labels, head)
    network = EncoderClassifier.load(directory, len(labels))
    return FineTunedEstimator(windower, TorchBackend(network), task, labels, **settings["head"])
