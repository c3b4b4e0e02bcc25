"""Model folders hold data, never code: for every kind, a crafted folder (with checksums
that agree, as a careful forger would make them) is refused or read as data, and nothing in
it runs. A canary proves it: a module that creates a marker file when imported, and a
pickle that creates one when unpickled."""

from __future__ import annotations

import copy
import json
import pickle
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gongkai.models.base import METADATA_FILE, DispositionModel, sha256
from gongkai.models.errors import ModelError
from gongkai.models.linear import ARRAYS_FILE, SPEC_FILE
from gongkai.models.rules import RULES_FILE
from gongkai.training.train import train
from tests.models.test_encoder import tiny_base, tiny_fit  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
CANARY = "gongkai_canary_module"
# Names a loader that imports or calls what a file names would run.
DANGEROUS = ["os.system", "numpy.testing._private.utils.runstring", "builtins.exec",
             "sklearn.utils._testing.assert_run_python_script_without_output",
             "numpy.memmap", "subprocess.Popen", f"{CANARY}.run"]
MAX_BRANCH = 20  # leaves under a longer list or mapping are data (vocabularies), not settings


@pytest.fixture
def canary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An importable module that leaves a marker when imported or run, and the marker."""
    marker = tmp_path / "executed"
    code = tmp_path / "code"
    code.mkdir()
    (code / f"{CANARY}.py").write_text(
        f"open({str(marker)!r}, 'w').close()\ndef run(*args, **kwargs):\n    pass\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(code))
    yield marker
    assert not marker.exists(), "a model file ran code"
    assert CANARY not in sys.modules


class _Canary:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return open, (str(self.marker), "w")


def _forge(directory: Path, name: str, content: bytes | None, weights: str | None = None,
           ) -> None:
    """Write (or, with None, delete) a file and make metadata.json agree with it."""
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    if content is None:
        (directory / name).unlink()
        metadata["files"].pop(name, None)
    else:
        (directory / name).write_bytes(content)
        metadata["files"][name] = sha256(directory / name)
    if weights is not None:
        metadata["estimator_sha256"] = metadata["files"][weights]
    (directory / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")


def _string_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Where a JSON document holds strings (not under a long list or mapping)."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict) and len(value) <= MAX_BRANCH:
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list) and len(value) <= MAX_BRANCH:
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))


def _replaced(document: Any, path: tuple, name: str) -> Any:
    changed = copy.deepcopy(document)
    target = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = name
    return changed


def _load_as_data(directory: Path) -> None:
    """Refused, or read as data and still answering: never anything else."""
    try:
        model = DispositionModel.load(directory)
    except ModelError:
        return
    model.classify(["申请公开本单位的部门预算"])


@pytest.fixture(scope="module")
def rules_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rules") / "rules-request"
    train("request", kind="rules", out=folder)
    return folder


def _copy(model_folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(model_folder, tmp_path / "forged"))


@pytest.mark.parametrize("kind", ["tfidf", "rules"])
@pytest.mark.parametrize("name", DANGEROUS)
def test_a_callable_named_in_any_field_runs_nothing(
        kind: str, name: str, request_model: DispositionModel, rules_folder: Path,
        tmp_path: Path, canary: Path) -> None:
    source = (copy.deepcopy(request_model).save(tmp_path / "tfidf") if kind == "tfidf"
              else rules_folder)
    file = SPEC_FILE if kind == "tfidf" else RULES_FILE
    document = json.loads((source / file).read_text(encoding="utf-8"))
    paths = list(_string_paths(document))
    assert paths
    for number, path in enumerate(paths):
        folder = _copy(source, tmp_path / str(number))
        forged = json.dumps(_replaced(document, path, name)).encode()
        _forge(folder, file, forged, weights=file if kind == "rules" else None)
        _load_as_data(folder)


def test_arrays_holding_objects_are_refused_whichever_array(
        request_model: DispositionModel, tmp_path: Path, canary: Path) -> None:
    source = copy.deepcopy(request_model).save(tmp_path / "tfidf")
    with np.load(source / ARRAYS_FILE) as arrays:
        content = {name: arrays[name] for name in arrays.files}
    for name in content:
        folder = _copy(source, tmp_path / name)
        forged = tmp_path / f"{name}.npz"
        np.savez(forged, **{**content, name: np.array([_Canary(canary)], dtype=object)})
        _forge(folder, ARRAYS_FILE, forged.read_bytes(), weights=ARRAYS_FILE)
        with pytest.raises(ModelError):
            DispositionModel.load(folder)


@pytest.mark.parametrize("kind", ["tfidf", "rules"])
@pytest.mark.parametrize("schema", [b"{}", b"[]", b"null", b'{"__reduce__": "os.system"}'])
def test_a_spec_that_is_not_one_is_refused(kind: str, request_model: DispositionModel,
                                           rules_folder: Path, tmp_path: Path, schema: bytes,
                                           canary: Path) -> None:
    if kind == "tfidf":
        folder, file = copy.deepcopy(request_model).save(tmp_path / "tfidf"), SPEC_FILE
    else:
        folder, file = _copy(rules_folder, tmp_path), RULES_FILE
    _forge(folder, file, schema, weights=file if kind == "rules" else None)
    with pytest.raises(ModelError):
        DispositionModel.load(folder)


def test_a_wrong_checksum_is_refused_before_anything_is_read(
        request_model: DispositionModel, tmp_path: Path, canary: Path) -> None:
    folder = copy.deepcopy(request_model).save(tmp_path / "tfidf")
    (folder / ARRAYS_FILE).write_bytes(pickle.dumps(_Canary(canary)))  # metadata not updated
    with pytest.raises(ModelError, match="corrupted"):
        DispositionModel.load(folder)


@pytest.fixture(scope="module")
def encoder_folder(request_corpus, tiny_base: Path,  # noqa: F811
                   tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = tiny_fit(request_corpus, "request", "e5", tiny_base)
    return model.save(tmp_path_factory.mktemp("e5") / "e5-request")


def test_an_encoder_without_safetensors_never_unpickles(encoder_folder: Path, tmp_path: Path,
                                                        canary: Path) -> None:
    folder = _copy(encoder_folder, tmp_path)
    weights = [name for name in json.loads((folder / METADATA_FILE).read_text())["files"]
               if name.endswith(".safetensors")]
    assert weights
    for name in weights:
        _forge(folder, name, None)
    _forge(folder, "pytorch_model.bin", pickle.dumps(_Canary(canary)),
           weights="pytorch_model.bin")
    with pytest.raises(ModelError):
        DispositionModel.load(folder)


def test_an_encoder_config_asking_for_remote_code_runs_none(encoder_folder: Path,
                                                            tmp_path: Path,
                                                            canary: Path) -> None:
    folder = _copy(encoder_folder, tmp_path)
    (folder / "modeling_canary.py").write_text(f"import {CANARY}\n", encoding="utf-8")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["auto_map"] = {key: "modeling_canary.Canary" for key in (
        "AutoConfig", "AutoModel", "AutoModelForSequenceClassification")}
    config["trust_remote_code"] = True
    _forge(folder, "config.json", json.dumps(config).encode())
    _forge(folder, "modeling_canary.py", (folder / "modeling_canary.py").read_bytes())
    _load_as_data(folder)


FORBIDDEN = re.compile(r"^\s*(?:import pickle|from pickle|import joblib|import dill)|"
                       r"pickle\.loads?\(|torch\.load\(|\bskops\b|trust_remote_code|"
                       r"allow_pickle\s*=\s*True|weights_only\s*=\s*False|cloudpickle",
                       re.MULTILINE)


def test_no_loading_path_can_unpickle() -> None:
    """The package and the server name no unpickling loader, and numpy reads arrays with
    allow_pickle=False everywhere."""
    sources = [*ROOT.glob("gongkai/**/*.py"), *ROOT.glob("serving/**/*.py")]
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in sources
             for match in FORBIDDEN.finditer(path.read_text(encoding="utf-8"))]
    assert found == []
    loads = [(path, line) for path in sources
             for line in path.read_text(encoding="utf-8").splitlines() if "np.load(" in line]
    assert loads and all("allow_pickle=False" in line for _, line in loads)
