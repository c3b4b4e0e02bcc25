"""``DispositionModel``: a request classifier or paragraph tagger, in the taxonomy's terms.

Every kind (``gongkai.models.kinds``) is a subclass with the scikit-learn contract —
``fit``, ``predict``, ``predict_proba`` — plus ``classify`` (the typed predictions, with
legal basis and explanation) and ``save`` / ``load`` (a model folder: ``metadata.json``,
``MODEL_CARD.md`` and the kind's own files, each checksummed). Probability columns are
always in ``labels`` order: the leaves for requests, the leaves then the bare groups for
paragraphs. A subclass supplies how it fits, scores, explains and stores itself.

A request comes with an optional case record (what the case file says happened: 补正 and
the answer, fee notices, an earlier answer). Every kind sees both as a :class:`Batch`, after
the one normalisation (``gongkai.text.normalize``) and, where no record is given, after the
record embedded at the end of the text is split off (``gongkai.records``). A request model
learns from every training request twice when it has a record, once without it, so that it
stays good on text alone (except for a leaf the text *or* the record decides); and where the
leading labels are facts of the case file and no record came, its prediction says so
(``needs_record``) and names the fact to settle.
"""

from __future__ import annotations

import hashlib
import json
import platform
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from gongkai.figures import extract_counts
from gongkai.models.card import model_card
from gongkai.models.errors import ModelError
from gongkai.models.kinds import model_class
from gongkai.models.labelsets import collapse, groups, label_space, target_matrix
from gongkai.models.metadata import FORMAT, MAX_CHARS, ModelMetadata
from gongkai.models.predictions import ParagraphPrediction, RequestPrediction, Scored, Term
from gongkai.records import split_record
from gongkai.taxonomy import Taxonomy, load_taxonomy
from gongkai.text import normalize

METADATA_FILE = "metadata.json"
CARD_FILE = "MODEL_CARD.md"
EXPLAIN_TERMS = 8
LIBRARIES = ("scikit-learn", "numpy", "scipy", "jieba")
RECORD_RECALL = 0.95  # share of record-decided requests without a record that must abstain
Texts = Sequence[str]
Records = Sequence[str | None] | None


@dataclass(frozen=True)
class Batch:
    """Model inputs: normalised texts and, for requests, their case records (or None)."""

    texts: list[str]
    records: list[str | None]

    def __len__(self) -> int:
        return len(self.texts)

    def without_records(self) -> Batch:
        return Batch(self.texts, [None] * len(self.texts))

    def joined(self) -> list[str]:
        """Each text with its record after it, for a kind that reads one string."""
        return [text if record is None else f"{text}\n{record}"
                for text, record in zip(self.texts, self.records, strict=True)]

    def select(self, rows: Sequence[int]) -> Batch:
        return Batch([self.texts[i] for i in rows], [self.records[i] for i in rows])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class DispositionModel(ABC):
    """Base of every model kind (see the module docstring)."""

    kind: ClassVar[str]
    libraries: ClassVar[tuple[str, ...]] = LIBRARIES

    def __init__(self, task: str, *, seed: int = 0, name: str | None = None,
                 taxonomy: Taxonomy | None = None) -> None:
        if task not in ("request", "paragraph"):
            raise ValueError(f"unknown task {task!r}; choose request or paragraph")
        self.taxonomy = taxonomy or load_taxonomy()
        self.metadata = ModelMetadata(
            name=name or f"{self.kind}-{task}", task=task, kind=self.kind,
            labels=label_space(task, self.taxonomy), taxonomy_sha256=self.taxonomy.sha256,
            format=FORMAT, seed=seed)

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def task(self) -> str:
        return self.metadata.task

    @property
    def labels(self) -> list[str]:
        return self.metadata.labels

    # --- fitting ----------------------------------------------------------------------------

    def batch(self, texts: Texts, records: Records = None) -> Batch:
        """The model's inputs: normalised, cut to ``MAX_CHARS``, a request's record split
        off its text when none is given (paragraphs have none)."""
        texts = [normalize(text[:MAX_CHARS]) for text in texts]
        if self.task == "paragraph":
            return Batch(texts, [None] * len(texts))
        given = list(records) if records is not None else [None] * len(texts)
        pairs = [(text, normalize(record[:MAX_CHARS]) or None) if record else split_record(text)
                 for text, record in zip(texts, given, strict=True)]
        return Batch([text for text, _ in pairs], [record for _, record in pairs])

    def fit(self, texts: Texts, targets: Sequence[Any],
            validation: tuple[Any, ...] | None = None, records: Records = None) -> Self:
        """Fit on ``texts`` (and their case ``records``): leaf ids (requests) or label lists
        (paragraphs). ``validation`` — ``(texts, targets)`` or ``(texts, targets, records)``
        — is held-out data for what is tuned (thresholds, early stopping)."""
        batch = self.batch(texts, records)
        y = target_matrix(targets, self.task, self.labels, self.taxonomy)
        if self.task == "request":
            batch, y = _with_records_dropped(batch, y, self._either_columns())
        held_out = None
        if validation is not None:
            held_out = (self.batch(validation[0], validation[2] if len(validation) > 2
                                   else None),
                        target_matrix(validation[1], self.task, self.labels, self.taxonomy))
        self._fit(batch, y, held_out)
        if self.task == "request" and held_out is not None:
            self.metadata.record_threshold = self._record_threshold(*held_out)
        self.metadata.created = datetime.now(UTC).isoformat(timespec="seconds")
        self.metadata.versions = {"python": platform.python_version(),
                                  **{library: version(library) for library in self.libraries}}
        return self

    @abstractmethod
    def _fit(self, batch: Batch, y: np.ndarray,
             validation: tuple[Batch, np.ndarray] | None) -> None:
        """``y``: label indices (requests) or the expanded indicator matrix (paragraphs)."""

    def _record_threshold(self, batch: Batch, y: np.ndarray) -> float:
        """The probability mass of the record-decided labels above which a request without a
        record is answered ``needs_record``: the highest that still catches
        ``RECORD_RECALL`` of the held-out record-decided requests, their records removed."""
        columns = self._record_columns()
        positive = np.isin(y, columns)
        if not positive.any():
            return self.metadata.record_threshold
        mass = self._predict_proba(batch.without_records())[:, columns].sum(axis=1)
        return round(float(np.clip(np.quantile(mass[positive], 1 - RECORD_RECALL),
                                   0.05, 0.5)), 4)

    def _record_columns(self) -> list[int]:
        return [self.labels.index(label) for label in self.taxonomy.record_decided]

    def _either_columns(self) -> list[int]:
        return [self.labels.index(leaf.id) for leaf in self.taxonomy.leaves
                if leaf.decided_by == "either"]

    def held_out_figures(self, texts: Texts, records: Records = None) -> dict[str, Any]:
        """Figures only the fitting process can measure on held-out texts (none by default;
        the int8 export compares itself with its float source)."""
        return {}

    # --- prediction -------------------------------------------------------------------------

    def predict_proba(self, texts: Texts, records: Records = None) -> np.ndarray:
        """Probabilities, one column per label in ``labels`` order."""
        return self._predict_proba(self.batch(texts, records))

    @abstractmethod
    def _predict_proba(self, batch: Batch) -> np.ndarray:
        """Probabilities of a prepared batch."""

    def thresholds(self) -> np.ndarray:
        """The probability at which a paragraph label is switched on, per label."""
        return np.full(len(self.labels), 0.5)

    def predict(self, texts: Texts, records: Records = None) -> list[str] | list[list[str]]:
        """The leaf id of each request, or the labels of each paragraph."""
        return [p.label if isinstance(p, RequestPrediction) else p.labels
                for p in self.classify(texts, records)]

    def classify(self, texts: Texts, records: Records = None, top_k: int = 3,
                 explain: bool = False) -> list[RequestPrediction] | list[ParagraphPrediction]:
        """The typed prediction of each text (and its case record, for a request)."""
        if not texts:
            return []
        batch = self.batch(texts, records)
        proba, features = self._scores(batch)
        if self.task == "request":
            chosen = [[int(np.argmax(row))] for row in proba]
        else:
            chosen = [self._paragraph_columns(row) for row in proba >= self.thresholds()]
        reasons = self._explain(batch, features, chosen) if explain else [None] * len(batch)
        if self.task == "request":
            record_columns = self._record_columns()  # once per call, not per text
            text_columns = [j for j in range(len(self.labels)) if j not in record_columns]
            return [self._request(proba[i], chosen[i][0], reasons[i], top_k,
                                  batch.records[i] is not None, record_columns, text_columns)
                    for i in range(len(batch))]
        return [self._paragraph(batch.texts[i], proba[i], chosen[i], reasons[i], top_k)
                for i in range(len(batch))]

    def _scores(self, batch: Batch) -> tuple[np.ndarray, Any]:
        """Probabilities and whatever ``_explain`` reuses (features, nothing by default)."""
        return self._predict_proba(batch), None

    @abstractmethod
    def _explain(self, batch: Batch, features: Any,
                 columns: list[list[int]]) -> list[list[list[Term]]]:
        """Per text, per chosen column, the terms that pushed that label."""

    def _paragraph_columns(self, decided: np.ndarray) -> list[int]:
        """The labels switched on, a bare group dropped when one of its leaves is on."""
        named = collapse([self.labels[j] for j in np.flatnonzero(decided)], self.taxonomy)
        return [self.labels.index(label) for label in named]

    def _request(self, proba: np.ndarray, column: int, reasons: list[list[Term]] | None,
                 top_k: int, has_record: bool, record_columns: list[int],
                 text_columns: list[int]) -> RequestPrediction:
        label = self.labels[column]
        ranked = np.argsort(-proba, kind="stable")[:max(top_k, 1)].tolist()
        values = proba.tolist()  # Python floats: the same numbers, compared faster
        best_text = max(text_columns, key=values.__getitem__)
        needs = (not has_record and record_columns != [] and
                 float(proba[record_columns].sum()) >= self.metadata.record_threshold)
        asked = max(record_columns, key=values.__getitem__) if needs else None
        return RequestPrediction(
            label=label, group=self.taxonomy.group_of(label),
            score=round(values[column], 4),
            top=[Scored(self.labels[j], round(values[j], 4)) for j in ranked],
            legal_basis=self.taxonomy.legal_basis(label),
            explanation=reasons[0] if reasons else [],
            needs_record=needs,
            question=None if asked is None else self.taxonomy.leaf(
                self.labels[asked]).record_question,
            text_label=Scored(self.labels[best_text], round(values[best_text], 4)))

    def _paragraph(self, text: str, proba: np.ndarray, columns: list[int],
                   reasons: list[list[Term]] | None, top_k: int) -> ParagraphPrediction:
        labels = [self.labels[j] for j in columns]
        ranked = [self.labels[j] for j in np.argsort(-proba, kind="stable")[:top_k]]
        shown = labels + [label for label in ranked if label not in labels]
        return ParagraphPrediction(
            labels=labels, groups=groups(labels, self.taxonomy),
            scores={label: round(float(proba[self.labels.index(label)]), 4)
                    for label in shown},
            counts=extract_counts(text, labels, self.taxonomy),
            legal_basis={label: self.taxonomy.legal_basis(label) for label in labels},
            explanation={} if reasons is None else dict(zip(labels, reasons, strict=True)))

    # --- persistence ------------------------------------------------------------------------

    @abstractmethod
    def _save_files(self, directory: Path) -> tuple[list[str], str]:
        """Write the kind's files; their names and which one holds the weights."""

    @classmethod
    @abstractmethod
    def _load_files(cls, directory: Path, metadata: ModelMetadata,
                    taxonomy: Taxonomy) -> Self:
        """Rebuild the model from files already checked against their checksums."""

    def save(self, directory: str | Path) -> Path:
        """Write the model folder (the kind's files, metadata, model card); returns it."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        names, weights = self._save_files(directory)
        self.metadata.files = {name: sha256(directory / name) for name in names}
        self.metadata.estimator_sha256 = self.metadata.files[weights]
        (directory / METADATA_FILE).write_text(
            json.dumps(self.metadata.to_json(), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8")
        (directory / CARD_FILE).write_text(model_card(self.metadata), encoding="utf-8")
        return directory

    @classmethod
    def load(cls, directory: str | Path, taxonomy: Taxonomy | None = None) -> DispositionModel:
        """The model of a folder, of whatever kind it is; :class:`ModelError` when it is
        missing, foreign, corrupted or was trained with another taxonomy."""
        directory = Path(directory)
        taxonomy = taxonomy or load_taxonomy()
        metadata = check_folder(directory, taxonomy)
        kind = model_class(metadata.kind)
        if cls is not DispositionModel and not issubclass(kind, cls):
            raise ModelError(f"{directory} is a {metadata.kind} model, not {cls.kind}")
        return kind._load_files(directory, metadata, taxonomy)


def check_folder(directory: Path, taxonomy: Taxonomy) -> ModelMetadata:
    """The folder's metadata, after checking it was made with ``taxonomy`` and that every
    file it lists is there, unchanged."""
    metadata = read_metadata(directory)
    if metadata.taxonomy_sha256 != taxonomy.sha256:
        raise ModelError(
            f"model {metadata.name!r} was trained with another taxonomy "
            f"(sha256 {metadata.taxonomy_sha256[:12]}…, current {taxonomy.sha256[:12]}…); "
            f"retrain it: gongkai train --task {metadata.task}")
    check_files(directory, metadata.files)
    return metadata


def read_metadata(directory: Path) -> ModelMetadata:
    if not directory.is_dir():
        raise ModelError(f"no model directory at {directory}")
    path = directory / METADATA_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{directory} has no {METADATA_FILE}; not a gongkai model") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path} is unreadable: {exc}") from None
    return ModelMetadata.from_json(data, str(path))


def check_files(directory: Path, files: dict[str, str]) -> None:
    """Every listed file exists and has its recorded sha256."""
    if not isinstance(files, dict) or not files:
        raise ModelError(f"{directory / METADATA_FILE} lists no model files")
    for name, digest in files.items():
        path = directory / name
        if "/" in name or "\\" in name or name.startswith("."):
            raise ModelError(f"{directory / METADATA_FILE} names a file outside the folder")
        if not path.is_file():
            raise ModelError(f"{path} is missing")
        if sha256(path) != digest:
            raise ModelError(f"{path} is corrupted or was replaced: its checksum does not "
                             "match metadata.json")


def _with_records_dropped(batch: Batch, y: np.ndarray,
                          kept: Sequence[int] = ()) -> tuple[Batch, np.ndarray]:
    """Every request that has a record once more without it, so that the model learns what
    the text alone says — except where the label is decided by text *or* record
    (``kept``: a withdrawn request reads like any other, and without its record it is
    not a withdrawal)."""
    with_record = [i for i, record in enumerate(batch.records)
                   if record is not None and y[i] not in kept]
    extra = batch.select(with_record).without_records()
    return (Batch(batch.texts + extra.texts, batch.records + extra.records),
            np.concatenate([y, y[with_record]]))
