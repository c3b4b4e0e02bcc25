"""Rebuild the estimator of an encoder model folder from its files.

Nothing is unpickled: weights are safetensors (loaded by ``from_pretrained``) or ONNX, the
tokenizer is JSON, a linear head is JSON and arrays. The files were checked against
``metadata.json`` before (``gongkai.models.base``).
"""

from __future__ import annotations

from pathlib import Path

from gongkai.models.encoder.estimator import (
    TOKENIZER_FILE,
    EmbeddingEstimator,
    EncoderEstimator,
    FineTunedEstimator,
)
from gongkai.models.errors import ModelError
from gongkai.models.linear import LinearModel
from gongkai.models.metadata import ModelMetadata


def load_estimator_files(directory: Path, metadata: ModelMetadata) -> EncoderEstimator:
    """The estimator of a checked encoder folder; :class:`ModelError` when it cannot be
    rebuilt (a missing extra, foreign settings)."""
    try:
        return _build(directory, metadata)
    except ImportError as exc:
        raise ModelError(f"model {metadata.name!r} needs {exc.name or 'a library'}: "
                         "pip install 'gongkai[base-model]'") from None
    except (KeyError, TypeError, ValueError, RuntimeError, OSError) as exc:
        raise ModelError(f"{directory} cannot be loaded: {type(exc).__name__}: {exc}") from None


def _build(directory: Path, metadata: ModelMetadata) -> EncoderEstimator:
    from tokenizers import Tokenizer

    from gongkai.models.encoder.backends import OnnxBackend, TorchBackend
    from gongkai.models.encoder.windows import Windower, WindowSpec

    settings = metadata.encoder
    windower = Windower(Tokenizer.from_file(str(directory / TOKENIZER_FILE)),
                        WindowSpec(**settings["windows"]))
    task, labels, kind = metadata.task, metadata.labels, metadata.kind
    if kind == "e5-int8":
        return FineTunedEstimator(windower, OnnxBackend.load(directory), task, labels,
                                  **settings["head"])
    from gongkai.models.encoder.network import EncoderClassifier, PooledEncoder

    if kind == "e5-lr":
        return EmbeddingEstimator(windower, TorchBackend(PooledEncoder.load(directory)), task,
                                  labels, LinearModel.load(directory))
    network = EncoderClassifier.load(directory)
    return FineTunedEstimator(windower, TorchBackend(network), task, labels, **settings["head"])
