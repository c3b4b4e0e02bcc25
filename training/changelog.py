"""A model's revisions: retraining into a folder that holds a model bumps its revision and
adds a changelog entry with what changed and the figures on the frozen evaluation set
(``data/eval/``) before and after, so that whoever deploys the new model sees whether the
corrections made it better where nobody trained or tuned."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gongkai.models.base import DispositionModel
from gongkai.models.errors import ModelError
from gongkai.training.corrections import eval_rows
from gongkai.training.evaluate import evaluate

HEADLINE = {"request": ("macro_f1", "accuracy", "group_accuracy"),
            "paragraph": ("micro_f1", "group_micro_f1", "macro_f1")}


def previous_model(directory: Path, task: str) -> DispositionModel | None:
    """The model the new one will replace, if the folder holds a usable one of ``task``."""
    try:
        model = DispositionModel.load(directory)
    except ModelError:
        return None
    return model if model.task == task else None


def eval_figures(model: DispositionModel, rows: list[dict] | None) -> dict[str, float] | None:
    """The headline figures of ``model`` on the frozen evaluation set (None without it)."""
    if not rows:
        return None
    metrics = evaluate(model, rows)
    return {key: metrics[key] for key in HEADLINE[model.task]}


def _change(learned: dict[str, Any] | None) -> str:
    if not learned:
        return "retrained on the corpus"
    return (f"retrained with {learned['count']} corrections ({learned['relabelled']} "
            f"relabelled, {learned['added']} new; {learned['conflicts']} conflicts and "
            f"{learned['eval_left_out']} eval texts left out)")


def _closed(previous: DispositionModel | None) -> list[dict[str, Any]]:
    """The previous model's changelog, its last entry given that model's version (the
    latest entry's version is the model's own, known only once its weights are saved)."""
    if previous is None or not previous.metadata.changelog:
        return []
    *earlier, last = previous.metadata.changelog
    return [*earlier, {**last, "version": previous.metadata.version}]


def record_revision(model: DispositionModel, previous: DispositionModel | None,
                    learned: dict[str, Any] | None) -> None:
    """Set the new model's revision and changelog from the one it replaces; nothing for a
    first model trained on the corpus alone."""
    metadata = model.metadata
    if learned is not None:
        metadata.corrections = learned
    if previous is None and learned is None:
        return
    rows = eval_rows(model.task)
    before = None if previous is None else eval_figures(previous, rows)
    metadata.revision = 1 if previous is None else previous.metadata.revision + 1
    metadata.changelog = [*_closed(previous), {
        "revision": metadata.revision,
        "previous_version": None if previous is None else previous.metadata.version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "change": _change(learned),
        "corrections": (learned or {}).get("count", 0),
        "eval_before": before,
        "eval_after": eval_figures(model, rows),
    }]
