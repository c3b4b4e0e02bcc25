"""The figures of the data card (``data/README.md``): leakage between the corpus and the
evaluation set, label balance per writer, and the surface cues each label carries.

A cue that one label carries far more often than another (placeholders, masked names,
line breaks, case-file note markers, sign-offs) is something a model can learn instead of
the label, so the cue shares per label are kept close (``tests/training/test_datacard.py``).

    python -m gongkai.training.datacard        # prints the tables for data/README.md
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from gongkai.jsonl import read_jsonl
from gongkai.resources import data_path
from gongkai.taxonomy import load_taxonomy
from gongkai.training.corpus import corpus_path, near_duplicates

CUES: dict[str, re.Pattern[str]] = {
    "placeholder": re.compile(r"XX|xx|××|ＸＸ|\*{2,}|＊{2,}"),
    "masked_name": re.compile(r"[\u4e00-\u9fff]某{1,2}(?=[，,。\s（(：:]|$)"),
    "newline": re.compile(r"\n"),
    "note_marker": re.compile(r"【办理情况】|（备注：|办理记录：|——经办人注："),
    "sign_off": re.compile(r"此致|敬礼|(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"),
}


def cue_shares(rows: Sequence[dict]) -> dict[str, dict[str, float]]:
    """Label → cue → share of the label's request texts that carry the cue."""
    totals: Counter[str] = Counter()
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        totals[row["label"]] += 1
        for cue, pattern in CUES.items():
            if pattern.search(row["text"]):
                found[row["label"]][cue] += 1
    return {label: {cue: round(found[label][cue] / count, 3) for cue in CUES}
            for label, count in totals.items()}


def cue_spread(shares: dict[str, dict[str, float]]) -> dict[str, float]:
    """Per cue, the largest minus the smallest share over the labels."""
    return {cue: round(max(s[cue] for s in shares.values())
                       - min(s[cue] for s in shares.values()), 3) for cue in CUES}


def writer_balance(rows: Sequence[dict]) -> dict[str, Counter[str]]:
    """Writer → label → number of texts."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        table[row.get("writer") or "?"][row["label"]] += 1
    return dict(table)


def _markdown(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def report() -> str:
    """The data card's leakage and style section, as Markdown."""
    taxonomy = load_taxonomy()
    corpus = read_jsonl(corpus_path("request"))
    evaluation = read_jsonl(data_path("eval", "requests.jsonl"))
    paragraphs = read_jsonl(corpus_path("paragraph"))
    eval_paragraphs = read_jsonl(data_path("eval", "paragraphs.jsonl"))
    leak = near_duplicates([r["text"] for r in corpus], [r["text"] for r in evaluation])
    leak_paragraphs = near_duplicates([r["text"] for r in paragraphs],
                                      [r["text"] for r in eval_paragraphs])
    parts = ["Near-duplicates (character 5-gram Jaccard > 0.8 with some corpus text): "
             f"requests {leak['near_duplicates']} of {leak['texts']} eval texts "
             f"({leak['rate']:.1%}), paragraphs {leak_paragraphs['near_duplicates']} of "
             f"{leak_paragraphs['texts']} ({leak_paragraphs['rate']:.1%})."]
    for title, rows in (("corpus", corpus), ("eval", evaluation)):
        balance = writer_balance(rows)
        parts.append(f"Requests per writer and label ({title}): every writer wrote every "
                     "label unless a cell says otherwise.\n\n" + _markdown(
                         ["writer", "texts", "labels", "fewest per label", "most per label",
                          "with record"],
                         [[writer, sum(counts.values()), len(counts), min(counts.values()),
                           max(counts.values()),
                           sum(1 for r in rows if (r.get("writer") or "?") == writer
                               and r.get("record"))]
                          for writer, counts in sorted(balance.items())]))
    shares = cue_shares(corpus)
    spread = cue_spread(shares)
    parts.append("Share of request texts carrying each surface cue, per label (corpus):\n\n"
                 + _markdown(["label", *CUES],
                             [[label, *shares[label].values()]
                              for label in taxonomy.leaf_ids if label in shares])
                 + "\n\nLargest difference between two labels: "
                 + ", ".join(f"{cue} {value:.2f}" for cue, value in spread.items()) + ".")
    return "\n\n".join(parts)


if __name__ == "__main__":
    print(report())
