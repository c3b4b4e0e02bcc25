"""PNG charts of a summary, drawn without a display (Agg).

Titles, axes and categories are in the summary's language: Chinese with the Chinese font
that :func:`gongkai.fonts.chinese_font` finds; without one, English and taxonomy ids, never
empty boxes. Legends sit below the plot, so they never cover a bar.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from gongkai.fonts import chinese_font
from gongkai.messages import Lang, say
from gongkai.taxonomy import Taxonomy

SIZE = (8, 5)
DPI = 110


def chart_lang(lang: Lang) -> Lang:
    """Chinese only where a font draws it."""
    return "zh" if lang == "zh" and chinese_font() else "en"


def _figure(title: str, axis: str, years: list[str]) -> tuple[Figure, Axes]:
    figure = Figure(figsize=SIZE, layout="constrained")
    axes = figure.subplots()
    axes.set_title(title)
    axes.set_ylabel(axis)
    axes.set_xticks(range(len(years)), years)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def groups_by_year(wide: pd.DataFrame, taxonomy: Taxonomy, lang: Lang) -> Figure:
    """Stacked shares of the disposition groups per year, pooled over the agencies whose
    table gives every group and the total (a partial table would skew the shares)."""
    groups = taxonomy.group_ids
    complete = wide.dropna(subset=[*groups, "disposed"])
    per_year = complete.groupby("year")[[*groups, "disposed"]].sum()
    years = [str(year) for year in per_year.index]
    figure, axes = _figure(say("chart.groups", lang), say("chart.groups_axis", lang), years)
    bottom = pd.Series(0.0, index=per_year.index)
    for group in groups:
        share = (per_year[group].fillna(0) / per_year["disposed"]).fillna(0)
        name = taxonomy.name(group) if lang == "zh" else group
        axes.bar(range(len(years)), share, bottom=bottom, label=name)
        bottom += share
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    figure.legend(loc="outside lower center", ncols=len(groups) if lang == "zh" else 3,
                  frameon=False)
    return figure


def checks_by_year(wide: pd.DataFrame, lang: Lang) -> Figure:
    """Reports per year, and how many fail arithmetic or contradict their narrative."""
    per_year = wide.assign(
        arithmetic=wide["arithmetic_failures"] != "",
        narrative=wide["narrative_contradiction"] != "",
    ).groupby("year")[["report_id", "arithmetic", "narrative"]].agg(
        {"report_id": "count", "arithmetic": "sum", "narrative": "sum"})
    years = [str(year) for year in per_year.index]
    figure, axes = _figure(say("chart.checks", lang), say("chart.checks_axis", lang), years)
    for offset, (column, key) in enumerate([("report_id", "chart.reports"),
                                            ("arithmetic", "chart.arithmetic"),
                                            ("narrative", "chart.narrative")]):
        axes.bar([p + (offset - 1) * 0.27 for p in range(len(years))], per_year[column],
                 width=0.27, label=say(key, lang))
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.legend(loc="outside lower center", ncols=3, frameon=False)
    return figure


@contextmanager
def chinese_style() -> Iterator[None]:
    """Draw with the Chinese font, where there is one (figures made and drawn inside)."""
    font = chinese_font()
    with rc_context({"font.family": [font, "sans-serif"]} if font else {}):
        yield


def write_charts(wide: pd.DataFrame, taxonomy: Taxonomy, out: Path, lang: Lang) -> list[Path]:
    paths = [out / "groups_by_year.png", out / "checks_by_year.png"]
    lang = chart_lang(lang)
    with chinese_style():
        groups_by_year(wide, taxonomy, lang).savefig(paths[0], dpi=DPI)
        checks_by_year(wide, lang).savefig(paths[1], dpi=DPI)
    return paths
