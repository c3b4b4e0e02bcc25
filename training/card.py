"""``MODEL_CARD.md``: what a saved model is for, what it was trained on and how well it does."""

from __future__ import annotations

from typing import Any

from training.transformer.card import encoder_section
from training.transformer.kinds import DESCRIPTIONS

_USE = {
    "request": "proposes the disposition (leaf of the statistics table), its group and legal "
               "basis for an incoming 政府信息公开申请, with the words that led there. It "
               "assists the disclosure officer, who decides.",
    "paragraph": "tags the paragraphs of 政府信息公开工作年度报告 with the dispositions they "
                 "talk about (leaf ids, or a group id alone) and reads the figures they state.",
}
_HEADLINE = {
    "request": [("macro_f1", "leaf macro-F1"), ("accuracy", "leaf accuracy"),
                ("group_accuracy", "group accuracy"), ("ece", "ECE (top-1, 15 bins)")],
    "paragraph": [("micro_f1", "leaf micro-F1"), ("group_micro_f1", "group micro-F1"),
                  ("macro_f1", "macro-F1"), ("ece", "ECE (label decisions, 15 bins)"),
                  ("counts_exact", "counts exactly right")],
}


def _metrics_table(task: str, metrics: dict[str, Any]) -> str:
    splits = [split for split in ("validation", "test") if split in metrics]
    lines = ["| metric | " + " | ".join(splits) + " |", "|---|" + "---|" * len(splits)]
    for key, title in _HEADLINE[task]:
        cells = [metrics[split].get(key) for split in splits]
        lines.append(f"| {title} | " + " | ".join(
            "–" if value is None else f"{value:.3f}" for value in cells) + " |")
    return "\n".join(lines)


def model_card(metadata: dict[str, Any]) -> str:
    task, metrics = metadata["task"], metadata.get("metrics", {})
    sizes = metadata.get("split_sizes", {})
    corpus = (metadata.get("corpus_sha256") or "unknown")[:16]
    versions = ", ".join(f"{name} {version}" for name, version in metadata["versions"].items())
    kind = {"tfidf": "TF-IDF on jieba words and character 1–3-grams, logistic regression",
            "rules": "keyword / legal-basis rules",
            **DESCRIPTIONS}.get(metadata["kind"], metadata["kind"])
    return f"""# {metadata["name"]}

{kind}; task `{task}`; created {metadata["created"]}; seed {metadata["seed"]}.

## Intended use

The model {_USE[task]} Offline, CPU only. Not for deciding a case without a person.

## Data

`data/corpus/{"requests" if task == "request" else "paragraphs"}.jsonl` (sha256
`{corpus}…`), texts written for gongkai, split by source
(train {sizes.get("train", "?")}, validation {sizes.get("validation", "?")},
test {sizes.get("test", "?")}). Labels: {len(metadata["labels"])}, from `data/taxonomy.yaml`
(sha256 `{metadata["taxonomy_sha256"][:16]}…`).

## Metrics

{_metrics_table(task, metrics) if metrics else "Not evaluated."}

Training took {metrics.get("train_seconds", "?")} s.

{encoder_section(metadata)}## Limitations

- The corpus was written for gongkai; texts written by other people, other regions' wording
  and real case files will score lower than the test split suggests.
- Dispositions that depend on the case file (补正 not answered, fees not paid, a repeat of an
  answered request) can only be recognised from a follow-up note in the text.
- Texts longer than {metadata.get("max_chars", "?")} characters are cut to that length.
- Scores are calibrated on this corpus; read them as a ranking on other data.

Libraries: {versions}.
"""
