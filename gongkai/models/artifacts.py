"""Safe persistence of estimators with skops: nothing outside an allow-list is ever built.

A model directory may come from elsewhere. Before loading, every type the file would
instantiate is checked against scikit-learn, NumPy, SciPy and this package's own
estimator parts; a file that names anything else or is not a skops archive (for example
a pickle under a ``.skops`` name) is refused with :class:`ModelError`. Checksums are
checked before, by ``gongkai.models.base``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import skops.io as sio

from gongkai.models.errors import ModelError

TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.")
OWN_TYPES = frozenset({
    "gongkai.models.segment.jieba_words",
    "gongkai.models.tfidf.row_wording",
    "gongkai.models.tfidf.Field",
    "gongkai.text.normalize",
    "gongkai.models.rules.KeywordRules",
    "gongkai.models.thresholds.ThresholdedOneVsRest",
})
# Names under trusted packages that could still reach the file system or run code.
_DENIED_WORDS = ("load", "save", "exec", "eval", "system", "open", "pickle")


def is_trusted(type_name: str) -> bool:
    if type_name in OWN_TYPES:
        return True
    leaf = type_name.rsplit(".", 1)[-1].lower()
    return type_name.startswith(TRUSTED_PREFIXES) and not any(w in leaf for w in _DENIED_WORDS)


def dump_estimator(estimator: object, path: Path) -> None:
    """Write ``estimator`` as a compressed skops archive."""
    # The vocabularies make a verbose JSON schema that deflates about twentyfold.
    sio.dump(estimator, path, compression=zipfile.ZIP_DEFLATED, compresslevel=6)


def load_estimator(path: Path) -> object:
    """Load a skops archive after checking every type it names."""
    if not path.is_file():
        raise ModelError(f"{path} is missing")
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
