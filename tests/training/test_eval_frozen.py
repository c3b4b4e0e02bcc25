"""data/eval/ is frozen: the figures it gives mean something only if nobody tuned on it."""

from __future__ import annotations

import hashlib

from gongkai.resources import data_path
from gongkai.training.corpus import read_labelled


def test_the_evaluation_files_are_unchanged() -> None:
    folder = data_path("eval")
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_the_evaluation_files_read_as_labelled_data() -> None:
    requests = read_labelled(data_path("eval", "requests.jsonl"), "request")
    paragraphs = read_labelled(data_path("eval", "paragraphs.jsonl"), "paragraph")
    assert len(requests) >= 600 and len(paragraphs) >= 300
    assert sum(1 for row in requests if row["record"]) >= 200
    assert not {row["writer"] for row in requests} & {"c01", "r1"}
