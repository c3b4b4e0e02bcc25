"""A tagged archive for notebook 03: tables of the datasets ``gongkai tag --out`` writes,
and a small generated archive with trends to find in them.

This is the training layer, a sibling of ``gongkai.archive``: it never imports it. The
helpers take the datasets' rows (read with ``gongkai.archive.formats.read_dataset``, or
with pandas / pyarrow straight from the Parquet files) and know their columns only.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from gongkai import synth

# The paragraphs dataset stores its two mappings as lists of structs: the key and value
# names of each entry.
ENTRIES = {"scores": ("label", "score"), "counts": ("row", "value")}

DEMO_YEARS = tuple(range(2019, 2025))
# Disposition weights of the demo reports in the first and in the last year; the years
# between move in a straight line (more 予以公开, fewer 本机关不掌握 and 信访 requests).
DEMO_WEIGHTS = (
    {"disclose": 0.30, "partial": 0.08, "withhold/third_party": 0.05,
     "withhold/process_info": 0.05, "withhold/admin_query": 0.04, "unable/not_held": 0.28,
     "unable/needs_creation": 0.05, "reject/complaint": 0.09, "reject/duplicate": 0.03,
     "other": 0.03, "other/no_correction": 0.02, "other/other": 0.01},
    {"disclose": 0.52, "partial": 0.09, "withhold/third_party": 0.04,
     "withhold/process_info": 0.03, "withhold/admin_query": 0.03, "unable/not_held": 0.14,
     "unable/needs_creation": 0.04, "reject/complaint": 0.03, "reject/duplicate": 0.02,
     "other": 0.06, "other/no_correction": 0.04, "other/other": 0.02},
)


# --- the datasets of a tagged archive ------------------------------------------------------


def failed_checks(reports: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per failed check of the ``reports`` dataset: agency, year, source, check id
    and its message (a check that could not run, ``ok`` None, is no failure)."""
    rows = [{"agency": report["agency"], "year": report["year"], "source": report["source"],
             "check": check["id"], "message": check["message"]}
            for report in reports for check in report["checks"] or [] if check["ok"] is False]
    return pd.DataFrame(rows, columns=["agency", "year", "source", "check", "message"])


def as_mapping(entries: Iterable[dict[str, Any]] | None, key: str,
               value: str) -> dict[str, Any]:
    """A list of ``{key, value}`` structs as the mapping it stands for."""
    return {} if entries is None else {entry[key]: entry[value] for entry in entries}


def paragraph_table(paragraphs: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The ``paragraphs`` dataset as a frame whose ``scores`` (label → probability) and
    ``counts`` (row id → stated figure) are mappings again, as the model gave them; the
    dataset stores them as lists of structs, which every Parquet reader takes."""
    frame = pd.DataFrame(list(paragraphs))
    for column, (key, value) in ENTRIES.items():
        if column in frame:
            frame[column] = [as_mapping(entries, key, value) for entries in frame[column]]
    return frame


def agency_keys(agencies: Iterable[str], font: str | None) -> dict[str, str]:
    """Plot labels for agency names: the names with a Chinese font, else ``A1``, ``A2`` …
    in sorted order (print the mapping to read the chart)."""
    names = sorted(set(agencies))
    return {name: name if font else f"A{number}" for number, name in enumerate(names, 1)}


# --- a generated archive -------------------------------------------------------------------


def demo_requests(rng: random.Random, year: int, received: int,
                  years: Sequence[int] = DEMO_YEARS) -> synth.RequestTable:
    """A consistent table 三 for ``year``: ``received`` requests from natural persons,
    disposed with the weights of :data:`DEMO_WEIGHTS` for that point of ``years``."""
    template = "2019" if year <= 2020 else "2021"
    step = (year - years[0]) / max(years[-1] - years[0], 1)
    first, last = DEMO_WEIGHTS
    rows = synth.outcome_rows(template)
    weights = [first.get(row, 0.0) + step * (last.get(row, 0.0) - first.get(row, 0.0))
               for row in rows]
    counts = Counter(rng.choices(rows, weights, k=received)) if received else Counter()
    table = {"new_received": {"natural_person": received}, "carried_over": {},
             "carried_forward": {}, **{row: {"natural_person": counts[row]} for row in rows}}
    return synth.complete_table(table, template)


def write_demo_archive(folder: str | Path, agencies: int = 4,
                       years: Sequence[int] = DEMO_YEARS, seed: int = 0) -> list[Path]:
    """Write generated annual reports (``gongkai.synth``) into ``folder``: each of
    ``agencies`` fictional agencies once a year, the 2019 template up to 2020 and the 2021
    one after, in varied text and HTML layouts. Requests grow year on year and their
    dispositions drift (:data:`DEMO_WEIGHTS`); the first agency's requests jump tenfold
    in the last year but one (an outlier), the second agency's last report has a table
    that does not add up (本年新收 总计 three too high), and ``unreadable.txt`` is no
    report at all. Returns the files written."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(agencies):
        agency = synth.random_agency(rng, ("city", "county", "district"))[0]
        received = rng.randint(15, 60)
        for year in years:
            received = max(1, round(received * rng.uniform(1.0, 1.3)))
            jump = 10 if number == 0 and year == years[-2] else 1
            requests = demo_requests(rng, year, received * jump, years)
            if number == 1 and year == years[-1]:
                requests["new_received"]["total"] += 3
            written.append(_write_report(rng, folder, agency, year, requests, number))
    (folder / "unreadable.txt").write_bytes(b"")
    return [*written, folder / "unreadable.txt"]


def _write_report(rng: random.Random, folder: Path, agency: str, year: int,
                  requests: synth.RequestTable, number: int) -> Path:
    """One report of agency ``number`` in a random layout, as ``agency-N/YEAR.txt|html``."""
    template = "2019" if year <= 2020 else "2021"
    spec = synth.random_spec(rng, template, requests=requests, year=year,
                             flags=synth.ReportFlags(fullwidth=rng.random() < 0.5))
    spec = replace(spec, agency=agency, title=f"{agency}{year}年政府信息公开工作年度报告")
    layout = rng.choice(("tab", "pipe_rows", "cell_per_line", "html"))
    path = folder / f"agency-{number + 1}" / f"{year}.{'html' if layout == 'html' else 'txt'}"
    path.parent.mkdir(exist_ok=True)
    path.write_text(synth.render(spec, layout), encoding="utf-8")
    return path
