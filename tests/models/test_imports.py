"""What a loaded TF-IDF model costs a process that starts for one text: loading and
predicting import none of the heavy libraries, nor the training code (issue 17)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = {"torch", "transformers", "datasets", "pandas", "pyarrow", "sklearn", "scipy",
         "matplotlib", "skops", "gongkai.training"}
CHILD = """
import json, sys
from gongkai.models.store import load_model
for task in ("request", "paragraph"):
    load_model(None, task).classify(["申请公开本机关2023年部门预算"], explain=True)
print(json.dumps(sorted(sys.modules)))
"""


def test_loading_and_predicting_import_nothing_heavy(models_root: Path) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD],
                          env={**os.environ, "GONGKAI_MODELS": str(models_root)},
                          capture_output=True, text=True, check=True)
    imported = json.loads(done.stdout)
    assert [name for name in imported if name in HEAVY or name.startswith(
        tuple(f"{heavy}." for heavy in HEAVY))] == []
