"""The confusion matrix as a PNG (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from gongkai.fonts import chinese_font
from gongkai.taxonomy import load_taxonomy


def tick_labels(labels: list[str], font: str | None) -> list[str]:
    """Chinese names when a CJK font can draw them, otherwise the ids."""
    if font is None:
        return labels
    taxonomy = load_taxonomy()
    known = set(taxonomy.leaf_ids) | set(taxonomy.group_ids)
    return [taxonomy.name(label)[:12] if label in known else label for label in labels]


def draw_confusion(axes, confusion: dict, names: list[str], font: str | None = None) -> None:
    """Counts as a heat map on ``axes``, rows true and columns predicted."""
    matrix = np.asarray(confusion["matrix"])
    axes.imshow(matrix, cmap="Blues")
    for (i, j), value in np.ndenumerate(matrix):
        if value:
            axes.text(j, i, str(value), ha="center", va="center", fontsize=7,
                      color="white" if value > matrix.max() / 2 else "black")
    options = {"fontsize": 8, **({"fontfamily": font} if font else {})}
    axes.set_xticks(range(len(names)), names, rotation=90, **options)
    axes.set_yticks(range(len(names)), names, **options)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")


def plot_confusion(confusion: dict, path: Path, title: str) -> Path:
    font = chinese_font()
    names = tick_labels(confusion["labels"], font)
    size = 4 + 0.42 * len(names)
    figure, axes = plt.subplots(figsize=(size, size))
    draw_confusion(axes, confusion, names, font)
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
