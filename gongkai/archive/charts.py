"""PNG charts of a summary, drawn without a display (Agg). Category names are printed in
Chinese when a Chinese font is installed, else as taxonomy ids (never as empty boxes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

from gongkai.fonts import chinese_font
from gongkai.taxonomy import Taxonomy


def _label(category: str, taxonomy: Taxonomy) -> str:
    return taxonomy.name(category) if chinese_font() else category


def _groups_by_year(wide: pd.DataFrame, taxonomy: Taxonomy, path: Path) -> None:
    """Stacked shares of the disposition groups per year, pooled over the agencies whose
    table gives every group and the total (a partial table would skew the shares)."""
    groups = taxonomy.group_ids
    complete = wide.dropna(subset=[*groups, "disposed"])
    per_year = complete.groupby("year")[[*groups, "disposed"]].sum()
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    years = [str(year) for year in per_year.index]
    bottom = pd.Series(0.0, index=per_year.index)
    for group in groups:
        share = (per_year[group].fillna(0) / per_year["disposed"]).fillna(0)
        axes.bar(years, share, bottom=bottom, label=_label(group, taxonomy))
        bottom += share
    axes.set_ylabel("share of requests disposed")
    axes.set_title("dispositions by year (all agencies)")
    axes.legend(loc="upper left", bbox_to_anchor=(1, 1), fontsize="small")
    figure.savefig(path, dpi=100)


def _checks_by_year(wide: pd.DataFrame, path: Path) -> None:
    """Reports per year, and how many fail arithmetic or contradict their narrative."""
    per_year = wide.assign(
        arithmetic=wide["arithmetic_failures"] != "",
        narrative=wide["narrative_contradiction"] != "",
    ).groupby("year")[["report_id", "arithmetic", "narrative"]].agg(
        {"report_id": "count", "arithmetic": "sum", "narrative": "sum"})
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    axes = figure.subplots()
    positions = range(len(per_year))
    for offset, (column, label) in enumerate([("report_id", "reports"),
                                              ("arithmetic", "arithmetic fails"),
                                              ("narrative", "narrative contradicts table")]):
        axes.bar([p + (offset - 1) * 0.27 for p in positions], per_year[column], width=0.27,
                 label=label)
    axes.set_xticks(list(positions), [str(year) for year in per_year.index])
    axes.set_ylabel("agency-years")
    axes.set_title("check verdicts by year")
    axes.legend(fontsize="small")
    figure.savefig(path, dpi=100)


def write_charts(wide: pd.DataFrame, taxonomy: Taxonomy, out: Path) -> list[Path]:
    paths = [out / "groups_by_year.png", out / "checks_by_year.png"]
    font = chinese_font()
    with rc_context({"font.family": [font, "sans-serif"]} if font else {}):
        _groups_by_year(wide, taxonomy, paths[0])
        _checks_by_year(wide, paths[1])
    return paths
