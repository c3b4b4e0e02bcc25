"""Build the encoder kinds from a corpus split: ``e5`` (fine-tuned), ``e5-int8`` (the
fine-tuned model exported and quantised) and ``e5-lr`` (frozen embeddings + LR).

Validation picks everything that is picked (best epoch, temperature, thresholds, the
regularisation of the LR head, whether the trimmed vocabulary is kept); the test split is
only read to measure ONNX parity.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from datasets import DatasetDict
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from tokenizers import Tokenizer

from gongkai.taxonomy import Taxonomy
from training.artifacts import ModelError
from training.base_model.convert import DEFAULT_OUT as DEFAULT_BASE
from training.labelsets import expand
from training.thresholds import ThresholdedOneVsRest
from training.transformer.backends import TorchBackend
from training.transformer.estimator import (
    EmbeddingEstimator,
    EncoderEstimator,
    FineTunedEstimator,
)
from training.transformer.export import lightest_int8, parity
from training.transformer.fit import FitConfig, fine_tune, loss_function, torch_threads
from training.transformer.kinds import EMBEDDING_LR, FINE_TUNED, INT8
from training.transformer.network import EncoderClassifier, PooledEncoder, pretrained_encoder
from training.transformer.selection import (
    fit_temperature,
    paragraph_score,
    request_score,
    tune_thresholds,
)
from training.transformer.vocabulary import (
    kept_ids,
    restore_embeddings,
    trim_embeddings,
    trim_tokenizer,
)
from training.transformer.windows import (
    PREFIX,
    Windower,
    WindowSpec,
    choose_max_length,
    length_summary,
)

LIBRARIES = {FINE_TUNED: ("torch", "transformers", "tokenizers", "safetensors"),
             INT8: ("torch", "transformers", "tokenizers", "onnx", "onnxruntime"),
             EMBEDDING_LR: ("torch", "transformers", "tokenizers", "safetensors")}
LR_REGULARIZATION = (0.1, 1.0, 10.0)
DEFAULT_FIT = FitConfig()
Log = Callable[[str], None]


def progress(message: str) -> None:
    """Training takes minutes on a CPU: say where it is, on stderr."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def label_order(proba: np.ndarray, classes: Any, labels: list[str]) -> np.ndarray:
    """Columns rearranged from ``classes`` order to ``labels`` order (zeros for a label
    the head never saw)."""
    column = {str(label): j for j, label in enumerate(classes)}
    out = np.zeros((len(proba), len(labels)))
    for j, label in enumerate(labels):
        if label in column:
            out[:, j] = proba[:, column[label]]
    return out


@dataclass(frozen=True)
class Splits:
    """The corpus split as the encoder recipes need it."""

    task: str
    labels: list[str]
    train: list[str]
    targets: np.ndarray  # label indices, or the expanded indicator matrix
    validation: list[str]
    truth: np.ndarray  # leaf labels, or the expanded indicator matrix
    test: list[str]

    @classmethod
    def of(cls, corpus: DatasetDict, task: str, labels: list[str],
           taxonomy: Taxonomy) -> Splits:
        def indicator(rows: Any) -> np.ndarray:
            return np.array([[label in expand(chosen, taxonomy) for label in labels]
                             for chosen in rows["labels"]], dtype=int)

        train, validation = corpus["train"], corpus["validation"]
        if task == "request":
            targets = np.array([labels.index(label) for label in train["label"]])
            truth = np.asarray(validation["label"])
        else:
            targets, truth = indicator(train).astype(np.float32), indicator(validation)
        return cls(task, labels, list(train["text"]), targets, list(validation["text"]),
                   truth, list(corpus["test"]["text"]))

    def proba(self, estimator: EncoderEstimator, texts: list[str]) -> np.ndarray:
        """Probabilities with columns in ``labels`` order (a scikit-learn head orders the
        request classes by name)."""
        proba = estimator.predict_proba(texts)
        return label_order(proba, estimator.classes_, self.labels) if (
            self.task == "request") else proba

    def score(self, proba: np.ndarray, thresholds: np.ndarray | None = None) -> float:
        """Validation macro-F1 of these probabilities."""
        if self.task == "request":
            return request_score(proba, self.truth, self.labels)
        return paragraph_score(proba, self.truth, self.labels, thresholds)


def fit_transformer(corpus: DatasetDict, task: str, kind: str, labels: list[str],
                    taxonomy: Taxonomy, seed: int = 0, base_model: str | Path | None = None,
                    epochs: int | None = None, threads: int | None = None,
                    log: Log = progress, config: FitConfig | None = None,
                    ) -> tuple[EncoderEstimator, dict[str, Any]]:
    """The fitted estimator and the ``encoder`` section of its metadata; ``config``
    replaces the default fine-tuning settings (``seed``, ``epochs`` and ``threads`` still
    apply)."""
    splits = Splits.of(corpus, task, labels, taxonomy)
    base = Path(base_model) if base_model else DEFAULT_BASE
    overrides = {key: value for key, value in (("epochs", epochs), ("threads", threads))
                 if value}
    config = replace(config or DEFAULT_FIT, seed=seed, **overrides)
    with torch_threads(config.threads):
        if kind == FINE_TUNED:
            return fine_tuned(splits, base, config, log)
        if kind == INT8:
            return exported(splits, base, config, log)
        if kind == EMBEDDING_LR:
            return embedding_lr(splits, base, seed, log)
    raise ValueError(f"{kind!r} is not an encoder kind")


def base_tokenizer(folder: Path) -> Tokenizer:
    """The folder's fast tokenizer (``tokenizer.json``, else converted by transformers)."""
    if not folder.is_dir():
        raise ModelError(f"no encoder folder at {folder}; for multilingual-e5-small run "
                         "`gongkai base-model prepare`")
    if (folder / "tokenizer.json").is_file():
        return Tokenizer.from_file(str(folder / "tokenizer.json"))
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder)).backend_tokenizer


def measured_windower(tokenizer: Tokenizer, splits: Splits, ceiling: int,
                      pad_id: int) -> tuple[Windower, dict[str, Any]]:
    """Windows as long as the training texts' 99th-percentile token length."""
    probe = Windower(tokenizer, WindowSpec(max_length=ceiling, stride=0, pad_id=pad_id))
    lengths = probe.lengths(splits.train)
    longest = choose_max_length(lengths, ceiling)
    spec = WindowSpec(max_length=longest, stride=longest // 4, pad_id=pad_id)
    everything = probe.lengths([*splits.train, *splits.validation, *splits.test])
    info = {
        "train": length_summary(lengths),
        "all_splits": length_summary(everything),
        "truncated_share_train": round(float(np.mean(np.asarray(lengths) > longest)), 4),
        "strategy": (f"windows of {longest} tokens (the training texts' 99th percentile, "
                     f"rounded up to 16) overlapping by {spec.stride}; training reads the "
                     "first window, prediction pools every window"),
    }
    return Windower(tokenizer, spec), info


def _load_base(base: Path, splits: Splits):
    tokenizer = base_tokenizer(base)
    encoder = pretrained_encoder(base)
    pad_id = encoder.config.pad_token_id or 0
    windower, lengths = measured_windower(tokenizer, splits,
                                          encoder.config.max_position_embeddings, pad_id)
    return encoder, windower, {"base_model": {"path": str(base), "name": base.name,
                                              "model_type": encoder.config.model_type},
                               "token_lengths": lengths}


def fine_tuned(splits: Splits, base: Path, config: FitConfig,
               log: Log) -> tuple[FineTunedEstimator, dict[str, Any]]:
    encoder, windower, info = _load_base(base, splits)
    log(f"fine-tuning {base.name} on {len(splits.train)} {splits.task} texts, windows of "
        f"{windower.spec.max_length} tokens")
    torch.manual_seed(config.seed)
    network = EncoderClassifier(encoder, len(splits.labels))
    estimator = FineTunedEstimator(windower, TorchBackend(network), splits.task, splits.labels)
    report = fine_tune(
        network, windower.first(splits.train), splits.targets,
        loss_function(splits.task, splits.targets, len(splits.labels)),
        lambda: splits.score(estimator.predict_proba(splits.validation)), config,
        windower.spec.pad_id, log)
    if splits.task == "request":
        truth = np.array([splits.labels.index(label) for label in splits.truth])
        estimator.temperature = fit_temperature(estimator.logits(splits.validation), truth)
    else:
        estimator.thresholds = tune_thresholds(estimator.predict_proba(splits.validation),
                                               splits.truth)
    info["vocabulary"] = trimmed(estimator, network, splits, log)
    info["fit"] = {"config": config.as_dict(), "best_epoch": report.best_epoch,
                   "history": report.history, "seconds": report.seconds}
    info["head"] = estimator.settings()
    info["windows"] = estimator.windower.spec.as_dict()
    return estimator, info


def trimmed(estimator: EncoderEstimator, module: PooledEncoder, splits: Splits,
            log: Log) -> dict[str, Any]:
    """Trim the vocabulary in place when validation does not get worse; the figures."""
    tokenizer = estimator.windower.tokenizer
    if type(tokenizer.model).__name__ != "Unigram":
        return {"trimmed": False, "reason": "only Unigram vocabularies are trimmed"}
    thresholds = estimator.thresholds_ if splits.task == "paragraph" else None
    before = splits.proba(estimator, splits.validation)
    keep = kept_ids(tokenizer, [PREFIX, *splits.train])
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


def exported(splits: Splits, base: Path, config: FitConfig,
             log: Log) -> tuple[FineTunedEstimator, dict[str, Any]]:
    """From a saved fine-tuned model when ``base`` is one, else fine-tuned first."""
    if (base / "metadata.json").is_file():
        from training.model import DispositionModel

        model = DispositionModel.load(base)
        if model.metadata["kind"] != FINE_TUNED or model.task != splits.task:
            raise ModelError(f"{base} is a {model.metadata['kind']} {model.task} model; "
                             f"export needs an {FINE_TUNED} {splits.task} model")
        source, info = model.estimator, dict(model.metadata["encoder"])
        info["source_model"] = {"name": model.name, "train_seconds": model.metadata.get(
            "metrics", {}).get("train_seconds")}
    else:
        source, info = fine_tuned(splits, base, config, log)
    log("exporting to ONNX and quantising to int8")
    candidate, info["onnx"] = lightest_int8(source, splits.validation, log)
    info["parity"] = {"split": "test", **parity(source, candidate, splits.test)}
    log(f"int8 parity on the test split: {info['parity']}")
    return candidate, info


def embedding_lr(splits: Splits, base: Path, seed: int,
                 log: Log) -> tuple[EmbeddingEstimator, dict[str, Any]]:
    encoder, windower, info = _load_base(base, splits)
    module = PooledEncoder(encoder).eval()
    embedder = EncoderEstimator(windower, TorchBackend(module), splits.task, splits.labels)
    log(f"embedding {len(splits.train) + len(splits.validation)} texts with {base.name}")
    train, validation = embedder.outputs(splits.train), embedder.outputs(splits.validation)
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
                                   head)
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
