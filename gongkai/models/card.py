"""``MODEL_CARD.md``: what a saved model is for, what it was trained on and how well it does.

The card is a Hugging Face model card: YAML metadata (language, license, task, library,
tags, metrics) that the hub tools read, then the text, rendered from the model's
``metadata.json``.
"""

from __future__ import annotations

from typing import Any

from gongkai.models.encoder.card import encoder_section
from gongkai.models.kinds import KINDS
from gongkai.models.metadata import ModelMetadata

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


def members_section(metadata: ModelMetadata) -> str:
    """An ensemble's members and the encoder's share of the average; empty otherwise."""
    members = metadata.members
    if not members:
        return ""
    names = ", ".join(f"{key} `{value['name']}` ({value['kind']}, version {value['version']})"
                      for key, value in members.items() if isinstance(value, dict))
    return (f"## Members\n\n{names}; the encoder's share of the averaged probabilities is "
            f"{members.get('encoder_weight')} (chosen on validation).\n\n")


def _change(entry: dict[str, Any], version: str) -> str:
    """One changelog entry as a line: revision, version (the latest entry's is the model's
    own), what changed, the figures on data/eval before → after."""
    before = entry.get("eval_before") or {}
    figures = ", ".join(f"{key} {before[key]} → {value}" if key in before else f"{key} {value}"
                        for key, value in (entry.get("eval_after") or {}).items())
    return (f"- revision {entry['revision']} (`{entry.get('version', version)}`, "
            f"{entry['created']}): {entry['change']}"
            + (f"; on data/eval: {figures}" if figures else ""))


def corrections_section(metadata: ModelMetadata) -> str:
    """What people's corrections taught the model, and each revision; empty for a model
    trained once on the corpus alone."""
    if not metadata.corrections and not metadata.changelog:
        return ""
    learned = metadata.corrections
    lines = ["## Corrections and changes", ""]
    if learned:
        lines += [f"Learned from {learned['count']} corrections by people (weight "
                  f"{learned['weight']}; {learned['relabelled']} changed a corpus label, "
                  f"{learned['added']} were new texts); {learned['conflicts']} texts whose "
                  "annotators disagree were left out.", ""]
    lines += [_change(entry, metadata.version) for entry in metadata.changelog]
    return "\n".join(lines) + "\n\n"


def card_data(metadata: ModelMetadata) -> str:
    """The card's YAML metadata block."""
    from huggingface_hub import ModelCardData

    test = metadata.metrics.get("test", {})
    headline = {key: test[key] for key, _ in _HEADLINE[metadata.task] if key in test}
    data = ModelCardData(
        language="zh", license="mit", library_name="gongkai",
        pipeline_tag="text-classification", model_name=metadata.name,
        tags=["gongkai", metadata.kind, metadata.task, "government-information-disclosure"],
        gongkai={"kind": metadata.kind, "task": metadata.task, "version": metadata.version,
                 "revision": metadata.revision,
                 "corrections": metadata.corrections.get("count", 0),
                 "labels": len(metadata.labels), "taxonomy_sha256": metadata.taxonomy_sha256,
                 "test_metrics": headline})
    return data.to_yaml()


def model_card(metadata: ModelMetadata) -> str:
    from huggingface_hub import ModelCard

    task, metrics = metadata.task, metadata.metrics
    sizes = metadata.split_sizes
    corpus = (metadata.corpus_sha256 or "unknown")[:16]
    versions = ", ".join(f"{name} {version}" for name, version in metadata.versions.items())
    kind = KINDS[metadata.kind].description if metadata.kind in KINDS else metadata.kind
    sections = (encoder_section(metadata) + members_section(metadata)
                + corrections_section(metadata))
    text = f"""---
{card_data(metadata)}
---

# {metadata.name}

{kind}; task `{task}`; created {metadata.created}; seed {metadata.seed}.

## Intended use

The model {_USE[task]} Offline, CPU only. Not for deciding a case without a person.

## Data

`data/corpus/{"requests" if task == "request" else "paragraphs"}.jsonl` (sha256
`{corpus}…`), texts written for gongkai, split by source
(train {sizes.get("train", "?")}, validation {sizes.get("validation", "?")},
test {sizes.get("test", "?")}). Labels: {len(metadata.labels)}, from `data/taxonomy.yaml`
(sha256 `{metadata.taxonomy_sha256[:16]}…`).

## Metrics

{_metrics_table(task, metrics) if metrics else "Not evaluated."}

Training took {metrics.get("train_seconds", "?")} s.

{sections}## Limitations

- The corpus was written for gongkai; texts written by other people, other regions' wording
  and real case files will score lower than the test split suggests.
- Dispositions that depend on the case file (补正 not answered, fees not paid, a repeat of an
  answered request) can only be recognised from a follow-up note in the text.
- Texts longer than {metadata.max_chars} characters are cut to that length.
- Scores are calibrated on this corpus; read them as a ranking on other data.

Libraries: {versions}.
"""
    return str(ModelCard(text))
