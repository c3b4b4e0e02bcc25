"""Start-up: the models load once, warm, and what start-up made is frozen out of the
garbage collector, so that no full collection walks it under load."""

from __future__ import annotations

import gc
from pathlib import Path

from gongkai.models import segment
from gongkai.serving.runtime import ready_models
from gongkai.serving.schemas import Task
from gongkai.serving.settings import Settings


def test_start_up_warms_the_models_and_freezes_what_it_made(models_root: Path) -> None:
    settings = Settings(request_model=str(models_root / "tfidf-request"),
                        paragraph_model=str(models_root / "tfidf-paragraph"))
    frozen = gc.get_freeze_count()
    try:
        models = ready_models(settings)
        assert set(models) == {Task.request, Task.paragraph}
        assert segment._tokenizer is not None  # built now, not by the first request
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
