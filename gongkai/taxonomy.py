"""The disposition taxonomy, loaded from ``data/taxonomy.yaml`` (the single source of truth),
shipped as package data of ``gongkai.data``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from gongkai.resources import data_path

TAXONOMY_PATH = data_path("taxonomy.yaml")


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    marker: str
    legal_basis: str


@dataclass(frozen=True)
class Leaf:
    id: str
    group: str
    name: str
    legal_basis: str
    article: str | None
    definition: str
    rows_2019: tuple[str, ...]
    rows_2021: tuple[str, ...]
    variants: tuple[str, ...]
    keywords: tuple[str, ...]
    decided_by: str = "text"  # "record": a fact of the case file; "either": text or record
    record_question: str | None = None  # the fact to settle when the record is missing


@dataclass(frozen=True)
class Row:
    """A table row that is not a disposition leaf (received, carried over, totals)."""

    id: str
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    id: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Taxonomy:
    version: int
    groups: tuple[Group, ...]
    leaves: tuple[Leaf, ...]
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    sha256: str
    articles: dict[str, str] = field(default_factory=dict)  # article → what it provides
    _leaf_index: dict[str, Leaf] = field(default_factory=dict, repr=False, compare=False)
    _group_index: dict[str, Group] = field(default_factory=dict, repr=False, compare=False)

    @property
    def leaf_ids(self) -> list[str]:
        return [leaf.id for leaf in self.leaves]

    @property
    def group_ids(self) -> list[str]:
        return [group.id for group in self.groups]

    @property
    def column_ids(self) -> list[str]:
        return [column.id for column in self.columns]

    @property
    def record_decided(self) -> list[str]:
        """Leaf ids decided by the case record (补正, fees, earlier answers), not the text."""
        return [leaf.id for leaf in self.leaves if leaf.decided_by == "record"]

    @property
    def applicant_column_ids(self) -> list[str]:
        return [column.id for column in self.columns if column.id != "total"]

    def leaf(self, leaf_id: str) -> Leaf:
        try:
            return self._leaf_index[leaf_id]
        except KeyError:
            raise KeyError(f"unknown leaf label {leaf_id!r}") from None

    def group(self, group_id: str) -> Group:
        try:
            return self._group_index[group_id]
        except KeyError:
            raise KeyError(f"unknown group {group_id!r}") from None

    def group_of(self, label: str) -> str:
        """Group id of a leaf id or of a group id (a group is its own group)."""
        if label in self._leaf_index:
            return self._leaf_index[label].group
        if label in self._group_index:
            return label
        raise KeyError(f"unknown label {label!r}")

    def leaves_of(self, group_id: str) -> list[Leaf]:
        return [leaf for leaf in self.leaves if leaf.group == group_id]

    def legal_basis(self, label: str) -> str:
        if label in self._leaf_index:
            return self._leaf_index[label].legal_basis
        return self.group(label).legal_basis

    def article_text(self, label: str) -> str | None:
        """What the main article behind ``label`` provides (in the taxonomy's own words)."""
        if label in self._leaf_index:
            article = self._leaf_index[label].article
            return self.articles.get(article) if article else None
        return None

    def name(self, label: str) -> str:
        if label in self._leaf_index:
            return self._leaf_index[label].name
        return self.group(label).name

    def request_row_ids(self, template: str | None = None) -> list[str]:
        """Row ids of the 三 table in print order; ``template`` picks the (六) layout."""
        ids = ["new_received", "carried_over"]
        for group in self.groups:
            ids.append(group.id)
            if group.id == "other" and template == "2019":
                continue
            ids += [leaf.id for leaf in self.leaves_of(group.id) if leaf.id != group.id]
        ids += ["total", "carried_forward"]
        return ids

    def as_dict(self) -> dict:
        """Plain-data view for JSON output (the API's /v1/labels)."""
        return {
            "version": self.version,
            "sha256": self.sha256,
            "groups": [vars(g) for g in self.groups],
            "leaves": [
                {
                    "id": leaf.id,
                    "group": leaf.group,
                    "name": leaf.name,
                    "legal_basis": leaf.legal_basis,
                    "article": leaf.article,
                    "definition": leaf.definition,
                    "rows_2019": list(leaf.rows_2019),
                    "rows_2021": list(leaf.rows_2021),
                    "variants": list(leaf.variants),
                    "decided_by": leaf.decided_by,
                    "record_question": leaf.record_question,
                    "article_text": self.article_text(leaf.id),
                }
                for leaf in self.leaves
            ],
            "rows": [{"id": r.id, "name": r.name} for r in self.rows],
            "columns": [vars(c) for c in self.columns],
            "articles": dict(self.articles),
        }


# libyaml's safe loader where PyYAML was built with it: the same documents, read in a
# fraction of the pure-Python loader's time (a cold start reads the taxonomy first).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(raw: bytes) -> Taxonomy:
    doc = yaml.load(raw, Loader=_LOADER)
    groups = tuple(
        Group(id=g["id"], name=g["name"], marker=g["marker"], legal_basis=g["legal_basis"])
        for g in doc["groups"]
    )
    leaves = tuple(
        Leaf(
            id=item["id"],
            group=item["group"],
            name=item["name"],
            legal_basis=item["legal_basis"]["text"],
            article=item["legal_basis"].get("article"),
            definition=item["definition"],
            rows_2019=tuple(item.get("rows_2019", [])),
            rows_2021=tuple(item.get("rows_2021", [])),
            variants=tuple(item.get("variants", [])),
            keywords=tuple(item.get("keywords", [])),
            decided_by=item.get("decided_by", "text"),
            record_question=item.get("record_question"),
        )
        for item in doc["leaves"]
    )
    rows = tuple(
        Row(id=r["id"], name=r["name"], keywords=tuple(r.get("keywords", []))) for r in doc["rows"]
    )
    columns = tuple(
        Column(id=c["id"], name=c["name"], parent=c.get("parent")) for c in doc["columns"]
    )
    group_ids = {g.id for g in groups}
    for leaf in leaves:
        if leaf.group not in group_ids:
            raise ValueError(f"taxonomy: leaf {leaf.id} names unknown group {leaf.group}")
    return Taxonomy(
        version=int(doc["version"]),
        groups=groups,
        leaves=leaves,
        rows=rows,
        columns=columns,
        sha256=hashlib.sha256(raw).hexdigest(),
        articles={str(k): str(v) for k, v in (doc.get("articles") or {}).items()},
        _leaf_index={leaf.id: leaf for leaf in leaves},
        _group_index={g.id: g for g in groups},
    )


@cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """Load and validate the taxonomy once per process."""
    return _parse(Path(path).read_bytes())
