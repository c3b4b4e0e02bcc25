"""Safe persistence of estimators with skops: nothing outside an allow-list is ever built.

A model directory may come from elsewhere. Before loading, every type the file would
instantiate is checked against scikit-learn, NumPy, SciPy and this package's own
estimator parts; a file that names anything else, is not a skops archive (for example a
pickle under a ``.skops`` name) or does not match the checksum in ``metadata.json`` is
refused with :class:`ModelError`.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import skops.io as sio

TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.")
OWN_TYPES = frozenset({
    "training.segment.jieba_words",
    "training.tfidf.row_wording",
    "training.text.normalize",
    "training.rules.KeywordRules",
    "training.thresholds.ThresholdedOneVsRest",
})
# Names under trusted packages that could still reach the file system or run code.
_DENIED_WORDS = ("load", "save", "exec", "eval", "system", "open", "pickle")


class ModelError(Exception):
    """A model directory that is missing, foreign, corrupted or made for other labels."""


def is_trusted(type_name: str) -> bool:
    if type_name in OWN_TYPES:
        return True
    leaf = type_name.rsplit(".", 1)[-1].lower()
    return type_name.startswith(TRUSTED_PREFIXES) and not any(w in leaf for w in _DENIED_WORDS)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump_estimator(estimator: object, path: Path) -> str:
    """Write ``estimator`` as a compressed skops archive; returns the file's sha256."""
    # The vocabularies make a verbose JSON schema that deflates about twentyfold.
    sio.dump(estimator, path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    return sha256(path)


def load_estimator(path: Path, expected_sha256: str | None) -> object:
    """Load a skops archive after checking its checksum and every type it names."""
    if not path.is_file():
        raise ModelError(f"{path} is missing")
    if expected_sha256 is not None and sha256(path) != expected_sha256:
        raise ModelError(f"{path} is corrupted or was replaced: its checksum does not match "
                         "metadata.json")
    try:
        named = sio.get_untrusted_types(file=path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ModelError(f"{path} is not a skops model file ({exc})") from None
    refused = sorted(name for name in named if not is_trusted(name))
    if refused:
        raise ModelError(f"{path} asks for types outside the allow-list, refused: "
                         + ", ".join(refused))
    try:
        return sio.load(path, trusted=named)
    except Exception as exc:  # a damaged archive can fail anywhere inside skops
        raise ModelError(f"{path} cannot be loaded: {type(exc).__name__}: {exc}") from None
