"""Assemble the corpora and the labelling guide from their parts.

    python data/prepare.py

- ``corpus/parts/requests-*.jsonl``   -> ``corpus/requests.jsonl``
- ``corpus/parts/paragraphs-*.jsonl`` -> ``corpus/paragraphs.jsonl``
- ``labeling/*.md``                   -> ``LABELING.md`` (``rules.md`` first)

Every line is checked against ``taxonomy.yaml`` (a bad label or a request ``record``
that is neither null nor text stops the run with file and line), exact duplicate texts
are dropped (first one kept), and ids (``req-00001``, ``par-00001``) are assigned in
(source, text) order, so they do not change when parts are reordered.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from gongkai.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parent

CORPUS = ROOT / "corpus"
LABELING = ROOT / "labeling"


class PartError(ValueError):
    """A line of a part file that does not follow the corpus format."""


def check_request(item: dict, taxonomy: Taxonomy) -> dict:
    if item.get("label") not in taxonomy.leaf_ids:
        raise PartError(f"unknown label {item.get('label')!r} (must be a leaf id)")
    record = item.get("record")
    if record is not None and (not isinstance(record, str) or not record.strip()):
        raise PartError("record must be null or a non-empty string")
    return {**item, "record": record}


def check_paragraph(item: dict, taxonomy: Taxonomy) -> dict:
    labels = item.get("labels")
    known = set(taxonomy.leaf_ids) | set(taxonomy.group_ids)
    if not isinstance(labels, list) or any(label not in known for label in labels):
        raise PartError(f"labels must be a list of leaf or group ids, got {labels!r}")
    counts = item.get("counts", {})
    rows = set(taxonomy.request_row_ids())
    if not isinstance(counts, dict) or any(
        key not in rows or not isinstance(value, int) or value < 0 for key, value in counts.items()
    ):
        raise PartError(f"counts must map table row ids to non-negative ints, got {counts!r}")
    # A group id stands alone only when none of its leaves is named.
    named = {taxonomy.group_of(label) for label in labels if label in taxonomy.leaf_ids}
    order = [*taxonomy.leaf_ids, *taxonomy.group_ids]
    kept = {label for label in labels if label in taxonomy.leaf_ids or label not in named}
    return {**item, "labels": sorted(kept, key=order.index), "counts": counts}


def read_parts(kind: str, taxonomy: Taxonomy) -> list[dict]:
    check = check_request if kind == "requests" else check_paragraph
    items = []
    for path in sorted((CORPUS / "parts").glob(f"{kind}-*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text, source = item.get("text"), item.get("source")
                if not isinstance(text, str) or not text.strip():
                    raise PartError("text must be a non-empty string")
                if not isinstance(source, str) or not source:
                    raise PartError("source must be a non-empty string")
                items.append(check(item, taxonomy))
            except (json.JSONDecodeError, PartError) as exc:
                raise SystemExit(f"{path.relative_to(ROOT)}:{number}: {exc}") from None
    return items


def assemble(kind: str, prefix: str, taxonomy: Taxonomy) -> None:
    items = read_parts(kind, taxonomy)
    seen: set[str] = set()
    unique = []
    for item in items:
        if item["text"] not in seen:
            seen.add(item["text"])
            unique.append(item)
    unique.sort(key=lambda item: (item["source"], item["text"]))
    with open(CORPUS / f"{kind}.jsonl", "w", encoding="utf-8") as out:
        for number, item in enumerate(unique, 1):
            out.write(json.dumps({"id": f"{prefix}-{number:05d}", **item}, ensure_ascii=False))
            out.write("\n")
    print(f"{kind}: {len(unique)} written, {len(items) - len(unique)} duplicate texts dropped")


INTRO = """# Labelling guide

How the texts of `corpus/requests.jsonl` and `corpus/paragraphs.jsonl` are labelled.
The label ids, names, definitions and legal bases come from `taxonomy.yaml`; the rules
below say how to decide between two labels, each with the article of the
《政府信息公开条例》 or the row of the national statistics table that decides it. Where a
label section or a part's note below disagrees with the rules, the rules win. The guide
is assembled by `python data/prepare.py` from `labeling/*.md`; edit those.
"""


def section_order(taxonomy: Taxonomy) -> list[str]:
    """Leaf order, each bare group id placed before the first leaf of its group."""
    order: list[str] = []
    for leaf in taxonomy.leaves:
        if leaf.group not in order:
            order.append(leaf.group)
        if leaf.id not in order:
            order.append(leaf.id)
    return order


def demote(markdown: str, levels: int = 2) -> str:
    """Push every heading down so a part's own outline sits under "Notes from the parts"."""
    return re.sub(r"(?m)^(#{1,4}) ", lambda m: "#" * (len(m.group(1)) + levels) + " ", markdown)


def merge_labeling(taxonomy: Taxonomy) -> None:
    order = section_order(taxonomy)
    sections: dict[str, list[str]] = {label: [] for label in order}
    notes: list[str] = []
    rules = LABELING / "rules.md"
    for path in sorted(LABELING.glob("*.md")):
        if path == rules:
            continue
        rest = []
        for chunk in re.split(r"(?m)^(?=### )", path.read_text(encoding="utf-8")):
            found = re.match(r"### .*?`([^`]+)`", chunk)
            if found and found.group(1) in sections:
                sections[found.group(1)].append(chunk.strip())
            elif chunk.strip():
                rest.append(chunk.strip())
        if rest:
            notes.append(demote("\n\n".join(rest)))
    parts = [INTRO.rstrip()]
    if rules.is_file():
        parts.append(rules.read_text(encoding="utf-8").strip())
    parts.append("## Labels")
    parts += ["\n\n".join(chunks) for chunks in sections.values() if chunks]
    if notes:
        parts += ["## Notes from the parts", *notes]
    (ROOT / "LABELING.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    print(f"LABELING.md: {sum(map(len, sections.values()))} label sections, "
          f"{len(notes)} parts with general notes")


def main() -> None:
    taxonomy = load_taxonomy()
    assemble("requests", "req", taxonomy)
    assemble("paragraphs", "par", taxonomy)
    merge_labeling(taxonomy)


if __name__ == "__main__":
    main()
