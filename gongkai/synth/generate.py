"""Whole random reports: :func:`random_spec` and the print options of :func:`random_flags`."""

from __future__ import annotations

import random

from gongkai.synth.agency import random_agency
from gongkai.synth.narrative import context, random_narrative, random_preamble
from gongkai.synth.random_tables import random_active, random_requests, random_review
from gongkai.synth.spec import ReportFlags, ReportSpec, RequestTable, Template, Value


def random_spec(
    rng: random.Random,
    template: Template,
    *,
    requests: RequestTable | None = None,
    requests_total: int | None = None,
    review: list[Value] | None = None,
    flags: ReportFlags | None = None,
    year: int | None = None,
    levels: tuple[str, ...] | None = None,
) -> ReportSpec:
    """A random report whose narrative figures agree with its printed tables.

    Without ``requests`` the section 三 table is consistent (all checks hold);
    a given ``requests``/``review`` is used as is, so a deliberately broken
    table gets a narrative that quotes the broken figures.
    """
    agency, selves, areas, superior = random_agency(rng, levels)
    years = (2019, 2019, 2020, 2020, 2021, 2022) if template == "2019" else (2021, 2022, 2023, 2024)
    year = year if year is not None else rng.choice(years)
    title = f"{agency}{year}年{'度' if rng.random() < 0.1 else ''}政府信息公开工作年度报告"
    small = agency.endswith(("人民政府", "街道办事处"))
    if requests is None:
        total = (
            requests_total if requests_total is not None else (rng.randint(0, 4) if small else None)
        )
        requests = random_requests(rng, template, total)
    active = random_active(rng, template, small)
    if review is None:
        review = random_review(rng, requests["new_received"].get("total") or 0)
    spec = ReportSpec(title, agency, year, template, {}, requests, active, review)
    spec.flags = flags or ReportFlags()
    ctx = context(rng, agency, selves, areas, superior, year, active, template)
    spec.narrative = random_narrative(rng, spec, ctx)
    spec.preamble = random_preamble(rng, spec, ctx)
    return spec


def random_flags(rng: random.Random) -> ReportFlags:
    """Print options that keep every number recoverable and the arithmetic intact."""
    return ReportFlags(
        fullwidth=rng.random() < 0.5,
        blank_zeros=rng.random() < 0.2,
        omit_carried_forward=False,
        navigation=rng.random() < 0.3,
        writing_notes=rng.random() < 0.1,
        agency_prefix_headings=rng.random() < 0.1,
        indent=rng.random() < 0.3,
        requests_intro=rng.random() < 0.15,
        short_law_label=rng.random() < 0.3,
        tab_page_break_at=rng.choice((None, None, "reject/confirm", "other", "total")),
    )
