"""The whole loop against a real Label Studio server: export 200 predictions as tasks,
label them as annotators would through its API, export, import into the corrections store,
retrain, and check that the corrected items now come out corrected.

``.ci/run`` installs Label Studio in a virtual environment of its own and starts it on
loopback with SQLite, then sets ``LABEL_STUDIO_URL`` and ``LABEL_STUDIO_API_KEY``. Without a
server the test is skipped, and says why.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict
from pathlib import Path

import httpx
import pytest
from datasets import DatasetDict

from gongkai.corrections import CorrectionStore
from gongkai.review.imports import from_label_studio
from gongkai.review.items import review_items
from gongkai.review.select import select
from gongkai.review.studio import CHOICES, TEXT, label_config, tasks
from gongkai.training.corpus import load_corpus
from gongkai.training.train import train

ITEMS = 200
DISAGREEING = 2  # items a second annotator labels otherwise
STARTUP_SECONDS = 240  # .ci/run starts the server just before the tests


def _log_tail() -> str:
    log = Path(os.environ.get("LABEL_STUDIO_LOG", ""))
    lines = log.read_text(errors="replace").splitlines() if log.is_file() else []
    return lines[-1][:200] if lines else "no log"


@pytest.fixture(scope="module")
def studio() -> httpx.Client:
    url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
    if not url or not key:
        pytest.skip("Label Studio is not running: LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY "
                    "are unset (.ci/run installs and starts it)")
    client = httpx.Client(base_url=url, headers={"Authorization": f"Token {key}"},
                          timeout=120)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if client.get("/health").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.skip(f"Label Studio at {url} did not answer within {STARTUP_SECONDS} s "
                        f"(last log line: {_log_tail()})")
        time.sleep(2)
    return client


def _ok(reply: httpx.Response) -> dict | list:
    assert reply.status_code < 300, reply.text[:500]
    return reply.json()


def _annotate(studio: httpx.Client, task_id: int, label: str, user: int | None = None) -> None:
    """What the labelling page sends when an annotator picks a choice and submits."""
    body = {"result": [{"from_name": CHOICES, "to_name": TEXT, "type": "choices",
                        "value": {"choices": [label]}}], "lead_time": 4.2}
    if user is not None:
        body["completed_by"] = user
    _ok(studio.post(f"/api/tasks/{task_id}/annotations", json=body))


def test_the_review_loop_on_a_real_server(studio: httpx.Client, request_corpus: DatasetDict,
                                          tmp_path: Path) -> None:
    started = time.perf_counter()
    corpus_file = tmp_path / "requests.jsonl"
    corpus_file.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n"
                                   for split in request_corpus.values() for row in split),
                           encoding="utf-8")
    model = train("request", out=tmp_path / "tfidf-request", corpus_file=corpus_file)
    known = {row["id"] for split in request_corpus.values() for row in split}
    unseen = [row for row in load_corpus("request")["train"] if row["id"] not in known][:ITEMS]
    truth = {row["id"]: row["label"] for row in unseen}
    predicted = [{"id": row["id"], **asdict(p)} for row, p in zip(
        unseen, model.classify([r["text"] for r in unseen], [r["record"] for r in unseen]),
        strict=True)]
    items = review_items(predicted, "request", {row["id"]: row for row in unseen},
                         model.metadata.version)
    project = _ok(studio.post("/api/projects", json={
        "title": f"gongkai review {uuid.uuid4().hex[:8]}",
        "label_config": label_config("request")}))
    try:
        _ok(studio.post(f"/api/projects/{project['id']}/import",
                        json=tasks(select(items, ITEMS))))
        listed = _ok(studio.get("/api/tasks", params={"project": project["id"],
                                                       "page_size": ITEMS + 10}))["tasks"]
        assert len(listed) == ITEMS
        second = _ok(studio.post("/api/users", json={
            "email": f"{uuid.uuid4().hex[:8]}@gongkai.local", "username": uuid.uuid4().hex[:8],
            "password": uuid.uuid4().hex}))["id"]
        for number, task in enumerate(listed):
            _annotate(studio, task["id"], truth[task["data"]["id"]])
            if number < DISAGREEING:
                _annotate(studio, task["id"], "reject/excessive", user=second)
        export = _ok(studio.get(f"/api/projects/{project['id']}/export",
                                params={"exportType": "JSON"}))
    finally:
        studio.delete(f"/api/projects/{project['id']}")
    store = CorrectionStore(f"sqlite:///{tmp_path / 'corrections.sqlite3'}")
    assert store.add(from_label_studio(export).corrections).added == ITEMS + DISAGREEING
    assert store.add(from_label_studio(export).corrections).added == 0
    resolution = store.resolve("request")
    disputed = {i for conflict in resolution.conflicts for i in conflict.item_ids}
    assert len(disputed) == DISAGREEING
    retrained = train("request", out=tmp_path / "tfidf-request", corpus_file=corpus_file,
                      corrections=store)
    fixed = [row for row in unseen if row["id"] not in disputed]
    before = {p["id"]: p["label"] for p in predicted}
    wrong = [row for row in fixed if before[row["id"]] != row["label"]]
    after = retrained.predict([row["text"] for row in wrong], [row["record"] for row in wrong])
    assert wrong and after == [row["label"] for row in wrong]
    assert retrained.metadata.corrections["count"] == ITEMS - DISAGREEING
    assert retrained.metadata.revision == 2
    print(f"review loop on {ITEMS} items: {time.perf_counter() - started:.1f} s, "
          f"{len(wrong)} wrong before, all right after")
