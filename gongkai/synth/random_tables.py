"""Random statistics tables: section 二, a consistent section 三 and section 四.

Sizes follow real reports: most agencies receive few requests, a few receive
thousands; outcome shares are drawn around national averages.
"""

from __future__ import annotations

import random

from gongkai.synth.spec import (
    APPLICANT_COLUMNS,
    ActiveTable,
    RequestTable,
    Template,
    Value,
    complete_table,
    outcome_rows,
)


def counts(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    """Split ``n`` items over ``len(weights)`` bins."""
    out = [0] * len(weights)
    if n <= 0 or sum(weights) <= 0:
        return out
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        out[i] += 1
    return out


_LEAF_WEIGHTS: dict[str, float] = {
    "disclose": 0.36, "partial": 0.07,
    "withhold/state_secret": 0.004, "withhold/law_forbidden": 0.008, "withhold/three_safety": 0.008,
    "withhold/third_party": 0.03, "withhold/internal_affairs": 0.02, "withhold/process_info": 0.03,
    "withhold/enforcement_file": 0.015, "withhold/admin_query": 0.035,
    "unable/not_held": 0.2, "unable/needs_creation": 0.03, "unable/unclear": 0.02,
    "reject/complaint": 0.04, "reject/duplicate": 0.03, "reject/publication": 0.008,
    "reject/excessive": 0.01, "reject/confirm": 0.01,
    "other": 0.05, "other/no_correction": 0.02, "other/no_fee": 0.005, "other/other": 0.03,
}  # fmt: skip


def random_requests(
    rng: random.Random, template: Template, new_total: int | None = None
) -> RequestTable:
    """A consistent section 三 table (leaves, total row and total column)."""
    if new_total is None:
        scale = rng.choices((0, 1, 2, 3, 4), (2, 4, 5, 3, 1))[0]
        new_total = (
            0,
            rng.randint(1, 5),
            rng.randint(6, 40),
            rng.randint(41, 300),
            rng.randint(301, 2500),
        )[scale]
    col_w = [
        rng.uniform(3.0, 12.0),
        rng.uniform(0.2, 2.5),
        rng.uniform(0, 0.2),
        rng.uniform(0, 0.2),
        rng.uniform(0, 1.2),
        rng.uniform(0, 0.8),
    ]
    new = counts(rng, new_total, col_w)
    carried = counts(rng, rng.randint(0, max(0, new_total // 12)), col_w)
    leaves = outcome_rows(template)
    weights = [_LEAF_WEIGHTS[r] * rng.uniform(0.3, 2.0) for r in leaves]
    weights = [0.0 if w < 0.02 and rng.random() < 0.5 else w for w in weights]
    table: RequestTable = {
        "new_received": dict(zip(APPLICANT_COLUMNS, new, strict=True)),
        "carried_over": dict(zip(APPLICANT_COLUMNS, carried, strict=True)),
        "carried_forward": {},
    }
    for r in leaves:
        table[r] = {}
    for i, col in enumerate(APPLICANT_COLUMNS):
        avail = new[i] + carried[i]
        forward = min(avail, rng.randint(0, avail // 10)) if rng.random() < 0.4 else 0
        table["carried_forward"][col] = forward
        for r, n in zip(leaves, counts(rng, avail - forward, weights), strict=True):
            table[r][col] = n
    return complete_table(table, template)


def random_review(rng: random.Random, requests_total: int) -> list[Value]:
    """Section 四: 15 consistent numbers, mostly zero for small agencies."""
    out: list[Value] = []
    for share in (25, 60, 80):
        n = (
            rng.randint(0, requests_total // share)
            if requests_total >= 10 and rng.random() < 0.5
            else 0
        )
        parts = counts(rng, n, [0.55, 0.1, 0.15, 0.2])
        out.extend([*parts, n])
    return out


def random_active(rng: random.Random, template: Template, small: bool) -> ActiveTable:
    """Section 二 numbers for ``template``."""

    def few(hi: int) -> int:
        return 0 if small and rng.random() < 0.6 else rng.randint(0, hi)

    norm_new = few(12)
    if template == "2019":
        return {
            "regulations": [0, 0, 0],
            "normative": [norm_new, norm_new, norm_new + few(60)],
            "licensing": [few(40), rng.choice((0, 0, 1, -1, 2)), few(900)],
            "other_services": [few(30), rng.choice((0, 0, 1, -2)), few(200)],
            "penalty": [few(80), rng.choice((0, 0, 3, -1)), few(300)],
            "coercion": [few(10), 0, few(20)],
            "fees": [few(5), 0],
            "procurement": [few(12), round(rng.uniform(0, 3000), 4) if not small else 0],
        }
    return {
        "regulations": [0, 0, 0],
        "normative": [norm_new, few(4), norm_new + few(50)],
        "licensing": [few(1200)],
        "penalty": [few(400)],
        "coercion": [few(30)],
        "fees": [round(rng.uniform(0, 80), 2) if rng.random() < 0.3 else 0],
    }
