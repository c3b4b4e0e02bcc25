"""Which request model is the default: each candidate against TF-IDF on ``data/eval``.

    python bench/bench_default.py                                  # the trained candidates
    python bench/bench_default.py --models tfidf-request e5-int8-request ensemble-request

The first model is the baseline. For every other one the script prints the difference in
leaf macro-F1 and group accuracy on the frozen evaluation set (records as given), with a
95% paired-bootstrap interval: the same resampled requests scored by both models, so the
interval says how much of the difference is the luck of which 672 requests were written.
A candidate replaces the baseline only where both intervals lie above zero; then the
per-label F1 of every model follows, for the side-by-side table.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from gongkai.models.base import DispositionModel
from gongkai.models.metrics import macro_f1, per_label
from gongkai.models.store import model_dir
from gongkai.resources import data_path
from gongkai.taxonomy import load_taxonomy
from gongkai.training.corpus import read_labelled

DEFAULT_MODELS = ["tfidf-request", "e5-request", "e5-int8-request", "ensemble-request"]
RESAMPLES = 2000


def interval(values: np.ndarray) -> str:
    low, high = np.percentile(values, [2.5, 97.5])
    return f"{values.mean():+.3f} [{low:+.3f}, {high:+.3f}]"


def leaf_f1(truth: np.ndarray, predicted: np.ndarray, leaves: Sequence[str]) -> float:
    """Leaf macro-F1 as ``gongkai evaluate`` computes it."""
    labels, counts = np.unique(predicted, return_counts=True)
    return macro_f1(per_label(truth, predicted, leaves), dict(zip(labels, counts, strict=True)))


def compare(names: Sequence[str], seed: int) -> None:
    taxonomy = load_taxonomy()
    leaves = list(taxonomy.leaf_ids)
    rows = read_labelled(data_path("eval", "requests.jsonl"), "request")
    truth = np.array([row["label"] for row in rows])
    truth_group = np.array([taxonomy.group_of(row["label"]) for row in rows])
    texts = [row["text"] for row in rows]
    records = [row.get("record") for row in rows]
    leaf, group = {}, {}
    for name in names:
        predictions = DispositionModel.load(model_dir(name)).classify(texts, records)
        leaf[name] = np.array([p.label for p in predictions])
        group[name] = np.array([p.group for p in predictions])
    draws = np.random.default_rng(seed).integers(0, len(rows), (RESAMPLES, len(rows)))
    baseline = names[0]
    print(f"| model | leaf macro-F1 | group acc. | Δ macro-F1 vs {baseline} [95%] "
          f"| Δ group acc. [95%] | replaces {baseline} |\n|---|---|---|---|---|---|")
    for name in names:
        f1 = leaf_f1(truth, leaf[name], leaves)
        accuracy = float(np.mean(group[name] == truth_group))
        if name == baseline:
            print(f"| {name} | {f1:.3f} | {accuracy:.3f} | | | |")
            continue
        d_f1 = np.array([leaf_f1(truth[d], leaf[name][d], leaves)
                         - leaf_f1(truth[d], leaf[baseline][d], leaves) for d in draws])
        right = (group[name] == truth_group).astype(float) - (
            group[baseline] == truth_group).astype(float)
        d_group = right[draws].mean(axis=1)
        wins = np.percentile(d_f1, 2.5) > 0 and np.percentile(d_group, 2.5) > 0
        print(f"| {name} | {f1:.3f} | {accuracy:.3f} | {interval(d_f1)} | "
              f"{interval(d_group)} | {'yes' if wins else 'no'} |")
    reports = {name: per_label(truth, leaf[name], leaves) for name in names}
    print("\n| label | support | " + " | ".join(names) + " |\n|---|---|"
          + "---|" * len(names))
    for label in leaves:
        support = reports[baseline][label]["support"]
        cells = [f"{reports[name][label]['f1']:.2f}" for name in names]
        print(f"| {label} | {support} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS,
                        help="model names or folders; the first is the baseline")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap draws")
    args = parser.parse_args()
    compare(args.models, args.seed)


if __name__ == "__main__":
    main()
