"""``metadata.json``: what a saved model is, as a typed record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from gongkai.models.errors import ModelError

MAX_CHARS = 10_000  # texts are cut to this length before they reach a model
# The layout of a model folder; 2: request models read (text, record) pairs, typed
# metadata. A folder of an older format is refused with the command that remakes it.
FORMAT = 2
REQUIRED = ("name", "task", "kind", "labels", "taxonomy_sha256", "estimator_sha256")


@dataclass
class ModelMetadata:
    """Identity, training provenance and figures of one model folder.

    ``files`` maps every file of the folder to its sha256 (checked on load);
    ``estimator_sha256`` is the digest of the main weights file, the model's version.
    ``encoder`` holds the encoder kinds' own record (base model, windows, fitting, export).
    ``record_threshold`` is tuned on validation when a request model is fitted.
    ``corrections`` says how many corrections of people training learned from (see
    ``gongkai.training.corrections``); ``changelog`` lists every revision with its figures
    on the frozen evaluation set before and after.
    """

    name: str
    task: str
    kind: str
    labels: list[str]
    taxonomy_sha256: str
    format: int = 1  # folders written before the field existed are format 1
    estimator_sha256: str = ""
    created: str | None = None
    corpus_sha256: str | None = None
    seed: int = 0
    max_chars: int = MAX_CHARS
    record_threshold: float = 0.5  # record-decided mass above which needs_record is said
    split_sizes: dict[str, int] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    encoder: dict[str, Any] = field(default_factory=dict)
    members: dict[str, Any] = field(default_factory=dict)  # an ensemble's members and weight
    # Each retraining into the same folder counts one up: the sha256 version says whether two
    # models differ, the revision which came later.
    revision: int = 1
    corrections: dict[str, Any] = field(default_factory=dict)  # what the store taught it
    changelog: list[dict[str, Any]] = field(default_factory=list)  # one entry a revision

    @property
    def version(self) -> str:
        """The first 12 hex digits of the weights' sha256."""
        return self.estimator_sha256[:12]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for optional in ("encoder", "members", "corrections", "changelog"):
            if not data[optional]:
                del data[optional]
        return data

    @classmethod
    def from_json(cls, data: Any, where: str) -> ModelMetadata:
        """The record in ``data`` (a parsed ``metadata.json``); :class:`ModelError` naming
        ``where`` when it is not one."""
        if not isinstance(data, dict):
            raise ModelError(f"{where} is not a JSON object; not a gongkai model")
        missing = [key for key in REQUIRED if key not in data]
        if missing:
            raise ModelError(f"{where} lacks {', '.join(missing)}; not a gongkai model")
        known = {f.name for f in fields(cls)}
        try:
            metadata = cls(**{key: value for key, value in data.items() if key in known})
        except TypeError as exc:
            raise ModelError(f"{where} is malformed: {exc}") from None
        if metadata.format != FORMAT:
            raise ModelError(f"{where}: model {metadata.name!r} was made by another version "
                             f"of gongkai (format {metadata.format}, this one reads "
                             f"{FORMAT}); retrain it: gongkai train --task {metadata.task}")
        return metadata
