"""The corrections store: labels a person gave to texts a model labelled, kept for training.

Training, the server and the command line all read and write it, so it sits on the floor
and needs only the standard library. It is an SQLite file behind one URL setting,
``GONGKAI_CORRECTIONS_URL`` (default ``sqlite:///`` + ``$GONGKAI_HOME/corrections.sqlite3``;
``sqlite:///relative.db`` and ``sqlite:////absolute/path.db`` as in SQLAlchemy).

Each correction records who, when, the old and the new labels, the model version and the
hash of the text. Adding is idempotent: a correction is keyed by where it came from (a
Label Studio annotation id, a file line's content, an API call), so importing the same
export twice stores nothing new. Per text, each annotator's latest correction counts; when
annotators disagree the text is a :class:`Conflict`, reported and left out of training,
never settled by a rule nobody chose.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from gongkai.resources import home
from gongkai.taxonomy import Taxonomy, load_taxonomy
from gongkai.text import normalize

URL_ENV = "GONGKAI_CORRECTIONS_URL"
SCHEME = "sqlite://"
TASKS = ("request", "paragraph")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    key TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    item_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    record TEXT,
    labels TEXT NOT NULL,
    old_labels TEXT NOT NULL,
    annotator TEXT NOT NULL,
    created TEXT NOT NULL,
    model_version TEXT NOT NULL,
    source TEXT NOT NULL,
    ref TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_text ON corrections (task, text_hash);
CREATE INDEX IF NOT EXISTS corrections_item ON corrections (task, item_id);
"""
_COLUMNS = ("key", "task", "item_id", "text_hash", "text", "record", "labels", "old_labels",
            "annotator", "created", "model_version", "source", "ref", "note")


class CorrectionError(ValueError):
    """A correction or a store URL that cannot be used; the message says which and why."""


def text_hash(text: str, record: str | None = None) -> str:
    """sha256 of the normalised text and case record: the same request written with other
    spacing or width is the same text, and the same text with another record is not."""
    joined = normalize(text) + "\x1f" + normalize(record or "")
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def timestamp(value: str | None = None) -> str:
    """An ISO 8601 time (``Z`` or an offset; none: now) as UTC with microseconds, so that
    the times of every source sort as text."""
    try:
        moment = datetime.fromisoformat(value) if value else datetime.now(UTC)
    except ValueError:
        raise CorrectionError(f"时间 {value!r} 不是 ISO 8601 格式") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_labels(task: str, labels: Sequence[str], taxonomy: Taxonomy | None = None) -> None:
    """A request takes exactly one leaf; a paragraph any leaf or group ids (none: it reports
    no disposition)."""
    taxonomy = taxonomy or load_taxonomy()
    if task not in TASKS:
        raise CorrectionError(f"未知任务 {task!r}，应为 request 或 paragraph")
    known = set(taxonomy.leaf_ids) | (set(taxonomy.group_ids) if task == "paragraph" else set())
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise CorrectionError(f"未知标签 {', '.join(map(str, unknown))}")
    if task == "request" and len(labels) != 1:
        raise CorrectionError(f"申请只能有一个标签，收到 {len(labels)} 个")


@dataclass(frozen=True)
class Correction:
    """One person's label for one text. ``source`` says where it came from (label-studio,
    jsonl, csv, api) and ``ref`` what identifies it there (an annotation id); ``created`` is
    when the person gave the label (ISO 8601)."""

    task: str
    item_id: str
    text: str
    labels: tuple[str, ...]
    annotator: str
    created: str
    record: str | None = None
    old_labels: tuple[str, ...] = ()
    model_version: str = ""
    source: str = "api"
    ref: str = ""
    note: str = ""

    @property
    def text_hash(self) -> str:
        return text_hash(self.text, self.record)

    @property
    def key(self) -> str:
        """What makes two imports of one correction the same row: its source and ``ref``
        where the source names it, else everything it says, its time included."""
        parts = [self.source, self.ref] if self.ref else [
            self.source, self.task, self.text_hash, self.annotator, sorted(self.labels),
            self.created]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def checked(self, taxonomy: Taxonomy | None = None) -> Correction:
        """The correction with its time in the store's form, once it is known to be usable."""
        if not self.text.strip():
            raise CorrectionError(f"{self.item_id}：文本为空")
        if not self.annotator.strip():
            raise CorrectionError(f"{self.item_id}：缺少标注人")
        check_labels(self.task, self.labels, taxonomy)
        return replace(self, created=timestamp(self.created))


@dataclass(frozen=True)
class Conflict:
    """A text whose annotators' latest labels differ: ``labels`` maps annotator → labels."""

    task: str
    text_hash: str
    item_ids: tuple[str, ...]
    labels: dict[str, tuple[str, ...]]

    def as_dict(self) -> dict:
        return {"task": self.task, "text_hash": self.text_hash, "ids": list(self.item_ids),
                "labels": {who: list(chosen) for who, chosen in self.labels.items()}}


@dataclass
class Resolution:
    """The corrections training may use (one per text) and the conflicts it may not."""

    corrections: list[Correction] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass(frozen=True)
class Added:
    """What :meth:`CorrectionStore.add` did: new rows and rows it already had."""

    added: int
    unchanged: int


def default_url() -> str:
    return os.environ.get(URL_ENV) or f"{SCHEME}/{home() / 'corrections.sqlite3'}"


def existing_store(url: str | None = None) -> CorrectionStore | None:
    """The store at ``url`` (default: the setting) if it has been written; None otherwise,
    so that training without corrections leaves no empty database behind."""
    path = database(url or default_url())
    if path != ":memory:" and not Path(path).is_file():
        return None
    return CorrectionStore(url)


def database(url: str) -> str:
    """The SQLite database a store URL names (``:memory:`` for ``sqlite://``)."""
    if not url.startswith(SCHEME):
        raise CorrectionError(f"不支持的存储地址 {url!r}；只支持 sqlite:///文件路径")
    rest = url[len(SCHEME):]
    if rest in ("", "/", "/:memory:"):
        return ":memory:"
    if not rest.startswith("/"):
        raise CorrectionError(f"存储地址 {url!r} 应写成 sqlite:///文件路径")
    return rest[1:]


def _row(correction: Correction) -> tuple:
    c = correction
    return (c.key, c.task, c.item_id, c.text_hash, c.text, c.record,
            json.dumps(list(c.labels), ensure_ascii=False),
            json.dumps(list(c.old_labels), ensure_ascii=False), c.annotator, c.created,
            c.model_version, c.source, c.ref, c.note)


def _correction(row: sqlite3.Row) -> Correction:
    return Correction(task=row["task"], item_id=row["item_id"], text=row["text"],
                      record=row["record"], labels=tuple(json.loads(row["labels"])),
                      old_labels=tuple(json.loads(row["old_labels"])),
                      annotator=row["annotator"], created=row["created"],
                      model_version=row["model_version"], source=row["source"], ref=row["ref"],
                      note=row["note"])


class CorrectionStore:
    """The store at one URL. Every write is one transaction: all of it or nothing."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self._path = database(self.url)
        self._memory: sqlite3.Connection | None = None
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction, committed on a clean exit and rolled back on an
        error; an in-memory store keeps its one connection."""
        if self._path == ":memory:":
            if self._memory is None:
                self._memory = sqlite3.connect(":memory:", check_same_thread=False)
                self._memory.row_factory = sqlite3.Row
            connection = self._memory
            with connection:
                yield connection
            return
        with closing(sqlite3.connect(self._path, timeout=30)) as connection, connection:
            connection.row_factory = sqlite3.Row
            yield connection

    def add(self, corrections: Iterable[Correction],
            taxonomy: Taxonomy | None = None) -> Added:
        """Store the corrections after checking every one; a bad one stores nothing."""
        rows = [_row(c.checked(taxonomy)) for c in corrections]
        with self._connect() as connection:
            before = connection.total_changes
            connection.executemany(
                f"INSERT OR IGNORE INTO corrections ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
            added = connection.total_changes - before
        return Added(added=added, unchanged=len(rows) - added)

    def all(self, task: str | None = None) -> list[Correction]:
        """Every stored correction (of ``task``), oldest first."""
        query = "SELECT * FROM corrections"
        args: tuple = ()
        if task is not None:
            query, args = query + " WHERE task = ?", (task,)
        with self._connect() as connection:
            rows = connection.execute(query + " ORDER BY created, key", args).fetchall()
        return [_correction(row) for row in rows]

    def count(self, task: str | None = None) -> int:
        query = "SELECT COUNT(*) FROM corrections" + (" WHERE task = ?" if task else "")
        with self._connect() as connection:
            return connection.execute(query, (task,) if task else ()).fetchone()[0]

    def find(self, task: str, item_id: str) -> Correction | None:
        """The latest correction of the item ``item_id``: the text a later correction of
        the same item refers to by id alone."""
        with self._connect() as connection:
            row = connection.execute(
                "SELECT * FROM corrections WHERE task = ? AND item_id = ? "
                "ORDER BY created DESC, key DESC LIMIT 1", (task, item_id)).fetchone()
        return None if row is None else _correction(row)

    def resolve(self, task: str) -> Resolution:
        """Per text, each annotator's latest correction; one correction where they agree,
        a :class:`Conflict` where they do not."""
        by_text: dict[str, dict[str, Correction]] = {}
        for correction in self.all(task):  # oldest first: a later one replaces it
            by_text.setdefault(correction.text_hash, {})[correction.annotator] = correction
        resolution = Resolution()
        for digest, latest in by_text.items():
            chosen = {who: tuple(sorted(c.labels)) for who, c in latest.items()}
            if len(set(chosen.values())) == 1:
                resolution.corrections.append(max(latest.values(), key=lambda c: c.created))
                continue
            ids = tuple(sorted({c.item_id for c in latest.values()}))
            resolution.conflicts.append(Conflict(task, digest, ids, dict(sorted(
                chosen.items()))))
        return resolution
