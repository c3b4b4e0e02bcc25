"""The three encoder kinds as models: ``e5`` (fine-tuned), ``e5-int8`` (its int8 ONNX
export) and ``e5-lr`` (frozen embeddings + logistic regression).

They share the pretrained-encoder machinery (token windows, a backend, occlusion as the
explanation); how each fits is in ``recipes``. Heavy libraries (torch, transformers,
onnxruntime) are imported when a model is fitted or loaded, not with this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np

from gongkai.models.base import LIBRARIES, Batch, DispositionModel
from gongkai.models.encoder.estimator import label_order
from gongkai.models.encoder.occlusion import top_words, word_drops
from gongkai.models.errors import ModelError
from gongkai.models.metadata import ModelMetadata
from gongkai.models.predictions import Term
from gongkai.resources import base_model_dir
from gongkai.taxonomy import Taxonomy

EXPLAIN_TERMS = 8


class EncoderModel(DispositionModel):
    """Shared by the encoder kinds: an encoder estimator, fitted from a base encoder
    folder (default: ``gongkai base-model prepare``'s multilingual-e5-small)."""

    libraries = (*LIBRARIES, "torch", "transformers", "tokenizers", "safetensors")

    def __init__(self, task: str, *, base_model: str | Path | None = None,
                 epochs: int | None = None, threads: int | None = None, seed: int = 0,
                 name: str | None = None, taxonomy: Taxonomy | None = None) -> None:
        super().__init__(task, seed=seed, name=name, taxonomy=taxonomy)
        self.base_model = Path(base_model) if base_model else None
        self.epochs = epochs
        self.threads = threads
        self.estimator: Any = None

    def _config(self) -> Any:
        from dataclasses import replace

        from gongkai.models.encoder import recipes

        overrides = {key: value for key, value in (("epochs", self.epochs),
                                                   ("threads", self.threads)) if value}
        return replace(recipes.DEFAULT_FIT, seed=self.metadata.seed, **overrides)

    def _splits(self, batch: Batch, y: np.ndarray,
                validation: tuple[Batch, np.ndarray] | None) -> Any:
        from gongkai.models.encoder.recipes import Splits

        return Splits.of(self.task, self.labels, batch, y, validation)

    def _predict_proba(self, batch: Batch) -> np.ndarray:
        return label_order(self.estimator.predict_proba(batch.texts, batch.records),
                           self.estimator.classes_, self.labels)

    def thresholds(self) -> np.ndarray:
        return (np.asarray(self.estimator.thresholds_, dtype=float)
                if self.task == "paragraph" else super().thresholds())

    def _explain(self, batch: Batch, features: Any,
                 columns: list[list[int]]) -> list[list[list[Term]]]:
        """Occlusion: the words of the request text whose removal lowers each chosen label
        most, its record held fixed (one batch per text, shared by its labels)."""
        explained = []
        for text, record, chosen in zip(batch.texts, batch.records, columns, strict=True):
            def proba(variants: Sequence[str], record: str | None = record) -> np.ndarray:
                return self._predict_proba(Batch(list(variants), [record] * len(variants)))

            words, drops = word_drops(proba, text)
            explained.append([top_words(words, drops, j, EXPLAIN_TERMS) for j in chosen])
        return explained

    def _save_files(self, directory: Path) -> tuple[list[str], str]:
        return self.estimator.save(directory), self.estimator.backend.weights_file

    @classmethod
    def _load_files(cls, directory: Path, metadata: ModelMetadata,
                    taxonomy: Taxonomy) -> Self:
        from gongkai.models.encoder.persist import load_estimator_files

        model = cls(metadata.task, seed=metadata.seed, name=metadata.name, taxonomy=taxonomy)
        model.metadata = metadata
        model.estimator = load_estimator_files(directory, metadata)
        return model

    def _base(self) -> Path:
        return self.base_model or base_model_dir()

    def _fit(self, batch: Batch, y: np.ndarray,
             validation: tuple[Batch, np.ndarray] | None) -> None:
        from gongkai.models.encoder.fit import torch_threads

        splits, config = self._splits(batch, y, validation), self._config()
        with torch_threads(config.threads):
            self.estimator, self.metadata.encoder = self._fit_encoder(splits, config)

    def _fit_encoder(self, splits: Any, config: Any) -> tuple[Any, dict[str, Any]]:
        """The fitted estimator and the ``encoder`` record of its metadata."""
        raise NotImplementedError


class FineTunedModel(EncoderModel):
    """The encoder and a classification head fine-tuned together (torch, float32)."""

    kind = "e5"

    def _fit_encoder(self, splits: Any, config: Any) -> tuple[Any, dict[str, Any]]:
        from gongkai.models.encoder import recipes

        return recipes.fine_tuned(splits, self._base(), config, recipes.progress)


class Int8Model(EncoderModel):
    """The fine-tuned encoder exported to ONNX with dynamic int8 weights (onnxruntime;
    neither torch nor transformers at prediction time). ``base_model`` may name a
    trained ``e5`` model folder, which is then exported instead of fine-tuned again."""

    kind = "e5-int8"
    libraries = (*LIBRARIES, "torch", "transformers", "tokenizers", "onnx", "onnxruntime")

    def _fit_encoder(self, splits: Any, config: Any) -> tuple[Any, dict[str, Any]]:
        from gongkai.models.encoder import recipes

        base = self._base()
        if (base / "metadata.json").is_file():
            source = FineTunedModel.load(base, self.taxonomy)
            if source.task != self.task:
                raise ModelError(f"{base} is a {source.task} model; export needs an e5 "
                                 f"{self.task} model")
            info = dict(source.metadata.encoder)
            info["source_model"] = {"name": source.name, "train_seconds":
                                    source.metadata.metrics.get("train_seconds")}
            self._source = source.estimator
        else:
            self._source, info = recipes.fine_tuned(splits, base, config, recipes.progress)
        estimator, info["onnx"] = recipes.exported(self._source, splits, recipes.progress)
        return estimator, info

    def held_out_figures(self, texts, records=None) -> dict[str, Any]:
        """Agreement with the float model it was exported from, on held-out texts."""
        from gongkai.models.encoder.export import parity

        source = getattr(self, "_source", None)
        if source is None:
            return {}
        return {"parity": {"split": "test", **parity(source, self.estimator,
                                                        self.batch(texts, records))}}


class EmbeddingModel(EncoderModel):
    """Mean-pooled embeddings of the frozen encoder into a logistic regression."""

    kind = "e5-lr"

    def _fit_encoder(self, splits: Any, config: Any) -> tuple[Any, dict[str, Any]]:
        from gongkai.models.encoder import recipes

        return recipes.embedding_lr(splits, self._base(), config.seed, recipes.progress)
