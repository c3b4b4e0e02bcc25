"""Assemble the corpora and the labelling guide from their parts.

    python data/prepare.py

- ``corpus/parts/requests-*.jsonl``   -> ``corpus/requests.jsonl``
- ``corpus/parts/paragraphs-*.jsonl`` -> ``corpus/paragraphs.jsonl``
- ``labeling/*.md``                   -> ``LABELING.md``

Every line is checked against ``taxonomy.yaml`` (a bad label stops the run with
file and line), exact duplicate texts are dropped (first one kept), and ids
(``req-00001``, ``par-00001``) are assigned in (source, text) order, so they
do not change when parts are reordered.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from gongkai.taxonomy import Taxonomy, load_taxonomy  # noqa: E402

CORPUS = ROOT / "corpus"
LABELING = ROOT / "labeling"


class PartError(ValueError):
    """A line of a part file that does not follow the corpus format."""


def check_request(item: dict, taxonomy: Taxonomy) -> dict:
    if item.get("label") not in taxonomy.leaf_ids:
        raise PartError(f"unknown label {item.get('label')!r} (must be a leaf id)")
    return item


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
The label ids, names and legal bases come from `taxonomy.yaml`; this guide says how to
decide. It is assembled by `python data/prepare.py` from `labeling/*.md`; edit those.

## General rules

- **One leaf per request.** A request gets the single disposition an experienced
  disclosure officer would give it. When a letter asks for several things, label the
  main one; a complaint that still asks for a specific existing document is labelled by
  that document, a text that only demands action or redress is `reject/complaint`.
- **Follow-up notes.** Some outcomes cannot be read from the request alone
  (`unable/unclear`, `other/*`, often `reject/duplicate` and `reject/excessive`). Those
  texts end with a short note from the case file that records what happened, most often
  as `【办理情况】…`, sometimes as `（备注：…）`, `办理记录：…` or `——经办人注：…`.
  Labels whose outcome is visible in the request carry no note unless the note decides.
- **Paragraphs are multi-label.** A report paragraph gets every disposition it talks
  about: leaf ids where the reason is named ("涉及商业秘密的3件"), a group id alone
  (`withhold`, `unable`, `reject`, `other`) where only the group is named ("不予公开3件"),
  never a group together with one of its own leaves. A paragraph about 主动公开, platforms,
  policy interpretation, review and litigation or organisation carries no label even when
  it says 公开, 申请 or 答复. `counts` records the numbers the paragraph states, keyed by
  the row ids of the statistics table.

## Labels
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
    for path in sorted(LABELING.glob("*.md")):
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
