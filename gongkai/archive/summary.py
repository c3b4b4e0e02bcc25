"""``gongkai summarize``: per agency and year, what a tagging output says about requests.

From ``reports`` and the 总计 column of the ``cells`` of table 三: received, carried over
and disposed counts by group and leaf with their shares, failed arithmetic checks,
narrative/table contradictions, and year-on-year outliers. Writes CSV files (headers as ids,
or as names for people), charts and one HTML file with both, for e-mail.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from gongkai.archive.charts import write_charts
from gongkai.archive.errors import ArchiveError
from gongkai.archive.formats import read_dataset
from gongkai.archive.report_html import write_html
from gongkai.messages import CATALOGUE, Lang, say
from gongkai.taxonomy import Taxonomy, load_taxonomy

OUTLIER_RATIO = 5.0
VOLUME_FLOOR = 1.0
SHARE_FLOOR = 0.01
VOLUMES = ("new_received", "carried_over", "total", "carried_forward")


class NothingToSummarize(ArchiveError):
    """No report of the output names its agency and year."""


def _verdicts(reports: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per report that names its agency and year, with its check verdicts."""
    rows = []
    for report in reports:
        if report["agency"] is None or report["year"] is None:
            continue
        failed = {check["id"]: check["message"] for check in report["checks"] or []
                  if check["ok"] is False}
        rows.append({
            "agency": report["agency"], "year": int(report["year"]),
            "report_id": report["report_id"], "template": report["template"],
            "arithmetic_failures": ";".join(sorted(set(failed) - {"narrative"})),
            "narrative_contradiction": failed.get("narrative", ""),
        })
    return pd.DataFrame(rows, columns=["agency", "year", "report_id", "template",
                                       "arithmetic_failures", "narrative_contradiction"])


def _one_per_agency_year(verdicts: pd.DataFrame) -> pd.DataFrame:
    """A report saved twice (HTML and PDF) must not count twice: the one whose checks hold
    is kept, then the first by id; ``reports`` says how many there were."""
    ranked = verdicts.assign(
        failing=(verdicts["arithmetic_failures"] != "") | (verdicts["narrative_contradiction"]
                                                            != ""))
    ranked = ranked.sort_values(["agency", "year", "failing", "report_id"])
    counts = ranked.groupby(["agency", "year"]).size().rename("reports")
    chosen = ranked.drop_duplicates(["agency", "year"]).drop(columns="failing")
    return chosen.join(counts, on=["agency", "year"]).reset_index(drop=True)


def _totals(cells: list[dict[str, Any]], report_ids: set[str]) -> dict[str, dict[str, int]]:
    """The 总计 column of table 三 per report: row id → count (blank cells left out)."""
    totals: dict[str, dict[str, int]] = {}
    for cell in cells:
        if (cell["table"] == "requests" and cell["column"] == "total"
                and cell["value"] is not None and cell["report_id"] in report_ids):
            totals.setdefault(cell["report_id"], {})[cell["row"]] = int(cell["value"])
    return totals


def _count(values: dict[str, int], row: str, parts: list[str]) -> int | None:
    """A group's count: its own row, else the sum of the sub-rows given."""
    if row in values:
        return values[row]
    present = [values[part] for part in parts if part in values]
    return sum(present) if present else None


def _dispositions(chosen: pd.DataFrame, totals: dict[str, dict[str, int]],
                  taxonomy: Taxonomy) -> pd.DataFrame:
    rows = []
    for record in chosen.itertuples():
        values = totals.get(record.report_id, {})
        disposed = values.get("total")
        for group in taxonomy.group_ids:
            leaves = [leaf.id for leaf in taxonomy.leaves_of(group) if leaf.id != group]
            categories = [("group", group, _count(values, group, leaves))]
            categories += [("leaf", leaf, values.get(leaf)) for leaf in leaves]
            for level, category, count in categories:
                rows.append({
                    "agency": record.agency, "year": record.year,
                    "report_id": record.report_id, "level": level, "category": category,
                    "name": taxonomy.name(category), "count": count,
                    "share": round(count / disposed, 4) if count is not None and disposed
                    else None,
                })
    table = pd.DataFrame(rows, columns=["agency", "year", "report_id", "level", "category",
                                        "name", "count", "share"])
    return table.astype({"count": "Int64", "share": "Float64"})


def _wide(chosen: pd.DataFrame, totals: dict[str, dict[str, int]],
          dispositions: pd.DataFrame) -> pd.DataFrame:
    volumes = pd.DataFrame([{row: totals.get(report_id, {}).get(row) for row in VOLUMES}
                            for report_id in chosen["report_id"]], columns=list(VOLUMES),
                           dtype="Int64")
    volumes = volumes.rename(columns={"new_received": "received", "total": "disposed"})
    groups = dispositions[dispositions["level"] == "group"]
    counts = groups.pivot(index="report_id", columns="category", values="count")
    shares = groups.pivot(index="report_id", columns="category", values="share")
    order = list(dict.fromkeys(groups["category"]))
    by_group = pd.concat([counts[order], shares[order].add_prefix("share_")], axis=1)
    wide = pd.concat([chosen.reset_index(drop=True), volumes], axis=1)
    return wide.join(by_group, on="report_id")


def _outliers(wide: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Volumes and shares that change more than OUTLIER_RATIO times from one year to the
    next for the same agency (the smaller side floored, so 0 → 1 is no outlier)."""
    measures = [("received", VOLUME_FLOOR)] + [(f"share_{g}", SHARE_FLOOR) for g in groups]
    rows = []
    for agency, history in wide.sort_values("year").groupby("agency"):
        records = history.to_dict("records")
        for before, after in pairwise(records):
            if after["year"] != before["year"] + 1:
                continue
            for measure, floor in measures:
                old, new = before[measure], after[measure]
                if pd.isna(old) or pd.isna(new):
                    continue
                change = max(old, new) / max(min(old, new), floor)
                if change > OUTLIER_RATIO:
                    rows.append({"agency": agency, "measure": measure,
                                 "year_before": before["year"], "year": after["year"],
                                 "before": old, "after": new, "change": round(change, 2)})
    return pd.DataFrame(rows, columns=["agency", "measure", "year_before", "year", "before",
                                       "after", "change"], dtype=object)


def header_names(columns: list[str], taxonomy: Taxonomy, lang: Lang) -> dict[str, str]:
    """Column id → the name people read (group ids by their taxonomy names)."""
    names = {}
    for column in columns:
        group = column.removeprefix("share_")
        if f"header.{column}" in CATALOGUE:
            names[column] = say(f"header.{column}", lang)
        elif group in taxonomy.group_ids:
            names[column] = say("header.share_of" if column != group else "header.group", lang,
                                label=group)
    return names


@dataclass(frozen=True)
class Summary:
    wide: pd.DataFrame
    """One row per agency and year (summary.csv)."""
    dispositions: pd.DataFrame
    """Per group and leaf, long form (dispositions.csv)."""
    outliers: pd.DataFrame
    """Year-on-year changes over OUTLIER_RATIO (outliers.csv)."""


def summarize(directory: Path) -> Summary:
    """The summary tables of a tagging output."""
    taxonomy = load_taxonomy()
    verdicts = _verdicts(read_dataset(directory, "reports"))
    if verdicts.empty:
        raise NothingToSummarize(f"{directory}: no report names its agency and year; nothing "
                                 "to summarize")
    chosen = _one_per_agency_year(verdicts)
    totals = _totals(read_dataset(directory, "cells"), set(chosen["report_id"]))
    dispositions = _dispositions(chosen, totals, taxonomy)
    wide = _wide(chosen, totals, dispositions)
    return Summary(wide, dispositions, _outliers(wide, taxonomy.group_ids))


def write_summary(directory: Path, out: Path, lang: Lang = "zh",
                  named_headers: bool = False) -> list[Path]:
    """Write summary.csv, dispositions.csv, outliers.csv, the charts and summary.html into
    ``out``; returns the files written. ``named_headers`` heads the CSV columns with names
    in ``lang``, not ids."""
    taxonomy = load_taxonomy()
    summary = summarize(directory)
    out.mkdir(parents=True, exist_ok=True)
    # Written into a hidden folder and moved into place once all are written: a full or
    # read-only disk leaves the previous summary, not half of a new one.
    staging = Path(tempfile.mkdtemp(prefix=".summary-", dir=out))
    try:
        tables = {"summary.csv": summary.wide, "dispositions.csv": summary.dispositions,
                  "outliers.csv": summary.outliers}
        for name, table in tables.items():
            if named_headers:
                table = table.rename(columns=header_names(list(table.columns), taxonomy, lang))
            table.to_csv(staging / name, index=False, encoding="utf-8-sig")
        charts = write_charts(summary.wide, taxonomy, staging, lang)
        page = write_html(staging / "summary.html", summary.wide, summary.outliers, charts,
                          taxonomy, lang, OUTLIER_RATIO)
        written = [staging / name for name in tables] + charts + [page]
        for path in written:
            os.replace(path, out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / path.name for path in written]
