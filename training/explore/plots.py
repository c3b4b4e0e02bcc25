"""The notebooks' charts, drawn on matplotlib axes.

Each function draws on the axes it is given (or on a new figure) and returns them, so a
notebook can lay several charts out side by side. None switches the backend: a notebook
keeps its inline one. ``font`` is the family :func:`gongkai.fonts.use_chinese_font`
returned; without one, labels are drawn as ids rather than as empty boxes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from gongkai.training.explore.names import display_names, label_order

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or the axes of a new figure of ``size`` inches (pyplot loads slowly: only
    here)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size)[1]


def plot_confusion(confusion: dict[str, Any], font: str | None = None, title: str = "",
                   ax: Axes | None = None) -> Axes:
    """Draw a confusion matrix (rows true, columns predicted) with its counts."""
    from gongkai.training.confusion import draw_confusion

    names = display_names(confusion["labels"], font)
    size = 3 + 0.38 * len(names)
    ax = _axes(ax, (size, size))
    draw_confusion(ax, confusion, names, font)
    ax.set_title(title)
    return ax


def plot_bars(values: pd.Series, font: str | None = None, title: str = "",
              ax: Axes | None = None) -> Axes:
    """Horizontal bars of a series indexed by label, first label on top."""
    ax = _axes(ax, (6, 2 + 0.25 * len(values)))
    ax.barh(display_names(list(values.index), font), values.to_numpy())
    ax.invert_yaxis()
    ax.set_title(title)
    return ax


def plot_lengths(frame: pd.DataFrame, font: str | None = None, title: str = "",
                 ax: Axes | None = None) -> Axes:
    """Box plot of text lengths in characters per label (from :func:`corpus_frame`); a
    text counts under each of its labels."""
    exploded = frame.explode("labels")
    labels = label_order(exploded["labels"].unique())
    ax = _axes(ax, (7, 2 + 0.25 * len(labels)))
    groups = [exploded.loc[exploded["labels"] == label, "chars"].to_numpy() for label in labels]
    ax.boxplot(groups, showfliers=False, **_horizontal())
    ax.set_yticks(range(1, len(labels) + 1), display_names(labels, font))
    ax.invert_yaxis()
    ax.set(xlabel="characters", title=title)
    return ax


def _horizontal() -> dict[str, Any]:
    """The box-plot option for horizontal boxes (``vert`` gave way to ``orientation`` in
    matplotlib 3.10)."""
    import matplotlib

    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def plot_calibration(curves: dict[str, pd.DataFrame], ax: Axes | None = None,
                     title: str = "") -> Axes:
    """Reliability diagram: accuracy against mean confidence per bin, one line per curve
    (from :func:`calibration_curve`), and the diagonal of perfect calibration."""
    ax = _axes(ax, (5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
    for name, curve in curves.items():
        ax.plot(curve["confidence"], curve["accuracy"], marker="o", label=name)
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="confidence", ylabel="accuracy", title=title)
    ax.legend(loc="upper left", fontsize=8)
    return ax
