"""How the encoder kinds fit: ``e5`` (fine-tuned), ``e5-int8`` (the fine-tuned model
exported and quantised) and ``e5-lr`` (frozen embeddings + LR).

Validation picks everything that is picked (best epoch, temperature, thresholds, the
regularisation of the LR head, whether the trimmed vocabulary is kept, the int8 plan).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from tokenizers import Tokenizer

from gongkai.models.base import Batch
from gongkai.models.encoder.backends import TorchBackend
from gongkai.models.encoder.estimator import (
    EmbeddingEstimator,
    EncoderEstimator,
    FineTunedEstimator,
    label_order,
)
from gongkai.models.encoder.export import lightest_int8
from gongkai.models.encoder.fit import FitConfig, fine_tune, loss_function
from gongkai.models.encoder.network import EncoderClassifier, EncoderModule, PooledEncoder
from gongkai.models.encoder.selection import (
    fit_temperature,
    paragraph_score,
    request_score,
    tune_thresholds,
)
from gongkai.models.encoder.vocabulary import (
    kept_ids,
    restore_embeddings,
    trim_embeddings,
    trim_tokenizer,
)
from gongkai.models.encoder.windows import (
    PREFIX,
    Windower,
    WindowSpec,
    choose_max_length,
    length_summary,
)
from gongkai.models.errors import ModelError
from gongkai.models.linear import LinearModel
from gongkai.models.thresholds import ThresholdedOneVsRest

LR_REGULARIZATION = (0.1, 1.0, 10.0)
DEFAULT_FIT = FitConfig()
Log = Callable[[str], None]


def progress(message: str) -> None:
    """Training takes minutes on a CPU: say where it is, on stderr."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


@dataclass(frozen=True)
class Splits:
    """The training and validation data as the encoder recipes need them: the batches
    (texts and case records) and the targets."""

    task: str
    labels: list[str]
    train: Batch
    targets: np.ndarray  # label indices, or the expanded indicator matrix (float32)
    validation: Batch
    truth: np.ndarray  # leaf labels, or the expanded indicator matrix

    @classmethod
    def of(cls, task: str, labels: list[str], batch: Batch, y: np.ndarray,
           validation: tuple[Batch, np.ndarray] | None) -> Splits:
        if validation is None:
            raise ValueError("the encoder kinds need validation data (early stopping)")
        held_out, y_held_out = validation
        if task == "request":
            return cls(task, labels, batch, y, held_out, np.asarray(labels)[y_held_out])
        return cls(task, labels, batch, y.astype(np.float32), held_out, y_held_out)

    def proba(self, estimator: EncoderEstimator, batch: Batch) -> np.ndarray:
        """Probabilities with columns in ``labels`` order (a scikit-learn head orders the
        request classes by name)."""
        proba = estimator.predict_proba(batch.texts, batch.records)
        return label_order(proba, estimator.classes_, self.labels) if (
            self.task == "request") else proba

    def score(self, proba: np.ndarray, thresholds: np.ndarray | None = None) -> float:
        """Validation macro-F1 of these probabilities."""
        if self.task == "request":
            return request_score(proba, self.truth, self.labels)
        return paragraph_score(proba, self.truth, self.labels, thresholds)


def base_tokenizer(folder: Path) -> Tokenizer:
    """The folder's fast tokenizer (``tokenizer.json``, else converted by transformers)."""
    if (folder / "tokenizer.json").is_file():
        return Tokenizer.from_file(str(folder / "tokenizer.json"))
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder)).backend_tokenizer


def measured_windower(tokenizer: Tokenizer, splits: Splits, ceiling: int,
                      pad_id: int) -> tuple[Windower, dict[str, Any]]:
    """Windows as long as the training texts' 99th-percentile token length."""
    probe = Windower(tokenizer, WindowSpec(max_length=ceiling, stride=0, pad_id=pad_id))
    lengths = probe.lengths(splits.train.joined())
    longest = choose_max_length(lengths, ceiling)
    spec = WindowSpec(max_length=longest, stride=longest // 4, pad_id=pad_id)
    everything = probe.lengths([*splits.train.joined(), *splits.validation.joined()])
    info = {
        "train": length_summary(lengths),
        "train_and_validation": length_summary(everything),
        "truncated_share_train": round(float(np.mean(np.asarray(lengths) > longest)), 4),
        "strategy": (f"windows of {longest} tokens (the training texts' 99th percentile, "
                     f"rounded up to 16) overlapping by {spec.stride}; training reads the "
                     "first window, prediction pools every window"),
    }
    return Windower(tokenizer, spec), info


def _windows(base: Path, config: Any, splits: Splits) -> tuple[Windower, dict[str, Any]]:
    """The base folder's tokenizer cut to the measured window length, and the record."""
    windower, lengths = measured_windower(base_tokenizer(base), splits,
                                          config.max_position_embeddings,
                                          config.pad_token_id or 0)
    return windower, {"base_model": {"path": str(base), "name": base.name,
                                     "model_type": config.model_type},
                      "token_lengths": lengths}


def fine_tuned(splits: Splits, base: Path, config: FitConfig,
               log: Log) -> tuple[FineTunedEstimator, dict[str, Any]]:
    if not base.is_dir():
        raise ModelError(f"no encoder folder at {base}; for multilingual-e5-small run "
                         "`gongkai base-model prepare`")
    torch.manual_seed(config.seed)  # the new head's initial weights
    network = EncoderClassifier.from_base(base, splits.labels, splits.task == "paragraph")
    windower, info = _windows(base, network.model.config, splits)
    log(f"fine-tuning {base.name} on {len(splits.train)} {splits.task} texts, windows of "
        f"{windower.spec.max_length} tokens")
    estimator = FineTunedEstimator(windower, TorchBackend(network), splits.task, splits.labels)
    report = fine_tune(
        network, windower.first(splits.train.texts, splits.train.records), splits.targets,
        loss_function(splits.task, splits.targets, len(splits.labels)),
        lambda: splits.score(splits.proba(estimator, splits.validation)), config,
        windower.spec.pad_id, log)
    if splits.task == "request":
        truth = np.array([splits.labels.index(label) for label in splits.truth])
        estimator.temperature = fit_temperature(
            estimator.logits(splits.validation.texts, splits.validation.records), truth)
    else:
        estimator.thresholds = tune_thresholds(splits.proba(estimator, splits.validation),
                                               splits.truth)
    info["vocabulary"] = trimmed(estimator, network, splits, log)
    info["fit"] = {"config": config.as_dict(), "best_epoch": report.best_epoch,
                   "history": report.history, "seconds": report.seconds}
    info["head"] = estimator.settings()
    info["windows"] = estimator.windower.spec.as_dict()
    return estimator, info


def trimmed(estimator: EncoderEstimator, module: EncoderModule, splits: Splits,
            log: Log) -> dict[str, Any]:
    """Trim the vocabulary in place when validation does not get worse; the figures."""
    tokenizer = estimator.windower.tokenizer
    if type(tokenizer.model).__name__ != "Unigram":
        return {"trimmed": False, "reason": "only Unigram vocabularies are trimmed"}
    thresholds = estimator.thresholds_ if splits.task == "paragraph" else None
    before = splits.proba(estimator, splits.validation)
    keep = kept_ids(tokenizer, [PREFIX, *splits.train.joined()])
    full = module.word_embeddings
    windower = estimator.windower
    trim_embeddings(module, keep)
    spec = replace(windower.spec, pad_id=keep.index(windower.spec.pad_id))
    estimator.windower = Windower(trim_tokenizer(tokenizer, keep), spec)
    after = splits.proba(estimator, splits.validation)
    scores = [splits.score(before, thresholds), splits.score(after, thresholds)]
    kept = scores[1] >= scores[0]
    if not kept:
        restore_embeddings(module, full)
        estimator.windower = windower
    info = {
        "trimmed": kept,
        "pieces_before": full.num_embeddings,
        "pieces_after": len(keep),
        "embedding_parameters_before": full.weight.numel(),
        "embedding_parameters_after": len(keep) * full.embedding_dim,
        "validation_macro_f1_full": round(scores[0], 4),
        "validation_macro_f1_trimmed": round(scores[1], 4),
        "validation_top1_agreement": round(float(np.mean(
            before.argmax(1) == after.argmax(1))), 4),
        "validation_max_abs_probability_difference": round(float(np.abs(
            before - after).max()), 5),
    }
    log(f"vocabulary {full.num_embeddings} → {len(keep)} pieces: validation macro-F1 "
        f"{scores[0]:.4f} → {scores[1]:.4f}, {'kept' if kept else 'undone'}")
    return info


def exported(source: FineTunedEstimator, splits: Splits,
             log: Log) -> tuple[FineTunedEstimator, dict[str, Any]]:
    """The int8 export of a fine-tuned estimator, its plan chosen on validation."""
    log("exporting to ONNX and quantising to int8")
    return lightest_int8(source, splits.validation, log)


def embedding_lr(splits: Splits, base: Path, seed: int,
                 log: Log) -> tuple[EmbeddingEstimator, dict[str, Any]]:
    if not base.is_dir():
        raise ModelError(f"no encoder folder at {base}; for multilingual-e5-small run "
                         "`gongkai base-model prepare`")
    torch.manual_seed(seed)  # a pooler the base lacks is created, unused, but saved
    module = PooledEncoder.from_base(base).eval()
    windower, info = _windows(base, module.model.config, splits)
    embedder = EncoderEstimator(windower, TorchBackend(module), splits.task, splits.labels)
    log(f"embedding {len(splits.train) + len(splits.validation)} texts with {base.name}")
    train = embedder.outputs(splits.train.texts, splits.train.records)
    validation = embedder.outputs(splits.validation.texts, splits.validation.records)
    # scikit-learn classifies by label name; the torch loss takes label indices
    targets = (np.asarray(splits.labels)[splits.targets] if splits.task == "request"
               else splits.targets.astype(int))
    candidates = []
    for strength in LR_REGULARIZATION:
        head = lr_head(splits.task, strength, seed).fit(train, targets)
        if splits.task == "paragraph":
            head[-1].tune_thresholds(head[:-1].transform(validation), splits.truth)
        proba = head.predict_proba(validation)
        if splits.task == "request":
            proba = label_order(proba, head.classes_, splits.labels)
        candidates.append((splits.score(proba, getattr(head[-1], "thresholds_", None)),
                           strength, head))
    score, strength, head = max(candidates, key=lambda c: c[0])
    log(f"logistic regression C={strength}: validation macro-F1 {score:.4f}")
    estimator = EmbeddingEstimator(windower, TorchBackend(module), splits.task, splits.labels,
                                   LinearModel.from_head(head[-1], [], head[0]))
    info["vocabulary"] = trimmed(estimator, module, splits, log)
    info["head"] = {"regularization": strength,
                    "validation_macro_f1": {str(c): round(s, 4) for s, c, _ in candidates}}
    info["windows"] = estimator.windower.spec.as_dict()
    return estimator, info


def lr_head(task: str, strength: float, seed: int) -> Pipeline:
    """Standardised embeddings into a balanced logistic regression: temperature-calibrated
    for requests, one per label with tuned thresholds for paragraphs."""
    if task == "request":
        linear = LogisticRegression(C=strength, class_weight="balanced", max_iter=3000,
                                    random_state=seed)
        classifier: Any = CalibratedClassifierCV(linear, method="temperature", cv=3,
                                                 ensemble=False)
    else:
        classifier = ThresholdedOneVsRest(LogisticRegression(
            C=strength, class_weight="balanced", solver="liblinear", random_state=seed))
    return Pipeline([("scale", StandardScaler()), ("classifier", classifier)])
