"""Section 三 and 四 figures in running text.

The figures quoted are those the report's own tables print, so a report with a
deliberately broken table gets a narrative that agrees with the broken table.
"""

from __future__ import annotations

import random

from gongkai.synth.figures_text import count_text, distractor_sentences
from gongkai.synth.printed import printed_requests, printed_review, row_values
from gongkai.synth.random_tables import counts
from gongkai.synth.spec import APPLICANT_COLUMNS, ReportSpec, group_sums, leaf_groups

_OUTCOME_NAMES: dict[str, str] = {
    "disclose": "予以公开",
    "partial": "部分公开",
    "withhold": "不予公开",
    "unable": "无法提供",
    "reject": "不予处理",
    "other": "其他处理",
}


def _printed_figure(spec: ReportSpec, row: str) -> int:
    """A figure as the report's own table shows it (true value where not printed)."""
    printed = printed_requests(spec)
    values = printed.get(row)
    members = leaf_groups(spec.template).get(row, ())
    if values is None and members and all(m in printed for m in members):
        values = group_sums(printed, spec.template)[row]
    if values is None:
        values = row_values(spec, row) if row in spec.requests or members else {}
    total = values.get("total")
    if total is None:
        return sum(values.get(c) or 0 for c in APPLICANT_COLUMNS)
    return total


def _self_ref(spec: ReportSpec) -> str:
    """How the agency refers to itself (我局, 我镇, 本街道 ...)."""
    for suffix, ref in (
        ("街道办事处", "本街道"),
        ("镇人民政府", "我镇"),
        ("乡人民政府", "我乡"),
        ("委员会", "我委"),
        ("厅", "我厅"),
        ("办公室", "我办"),
    ):
        if spec.agency.endswith(suffix):
            return ref
    return "我局"


def _no_requests(spec: ReportSpec, rng: random.Random, self_ref: str) -> str:
    return rng.choice(
        (
            f"{spec.year}年，{self_ref}未收到政府信息公开申请，也没有上年结转的申请。",
            f"本年度{self_ref}没有收到公民、法人或其他组织提出的政府信息公开申请。",
            f"{spec.year}年度{self_ref}政府信息公开申请数为零。",
        )
    )


def _opening(spec: ReportSpec, rng: random.Random, self_ref: str, n: int, c: int) -> str:
    """Requests received this year and carried over from the last."""
    n_, c_ = _count(spec, n), _count(spec, c)
    carry = f"，上年结转{c_}件" if c else ""
    return rng.choice(
        (
            f"{spec.year}年，{self_ref}新收政府信息公开申请{n_}件{carry}",
            f"全年共收到政府信息公开申请{n_}件{'（另有上年结转' + c_ + '件）' if c else ''}",
            f"本年度{self_ref}新收公民、法人和其他组织提出的政府信息公开申请{n_}件{carry}",
        )
    )


def _count(spec: ReportSpec, n: int) -> str:
    return count_text(n, spec.flags.numerals)


def _applicant_parts(spec: ReportSpec, rng: random.Random, n: int, intro: bool) -> list[str]:
    """Optional split by applicant and by channel (the draws happen even for ``intro``)."""
    parts: list[str] = []
    person = printed_requests(spec).get("new_received", {}).get("natural_person")
    if person is not None and n and rng.random() < 0.5 and not intro:
        parts.append(f"，其中自然人申请{person}件、法人或其他组织申请{n - person}件")
    if n >= 3 and rng.random() < 0.4 and not intro:
        a, b, d = counts(rng, n, [6, 2, 1])
        chan = [f"网上申请{a}件", f"信函申请{b}件", f"当面申请{d}件"]
        parts.append(
            "。从提交方式看，" + "，".join(x for x, v in zip(chan, (a, b, d), strict=True) if v)
        )
    return parts


def _outcomes(
    spec: ReportSpec, rng: random.Random, done_total: int, mention: tuple[str, ...] | None
) -> str:
    """Requests handled, by outcome group ('' when no group is quoted)."""
    groups = {g: _printed_figure(spec, g) for g in _OUTCOME_NAMES}
    listed = [
        f"{_OUTCOME_NAMES[g]}{_count(spec, v)}件"
        for g, v in groups.items()
        if v and (mention is None or g in mention)
    ]
    sep = rng.choice(("，", "、"))
    if not listed:
        return ""
    done = rng.choice(
        (
            f"。已办结{_count(spec, done_total)}件，其中",
            f"。截至{spec.year}年12月31日，办结{_count(spec, done_total)}件，其中",
            "。从办理结果看，",
        )
    )
    return done + sep.join(listed)


def requests_paragraph(
    spec: ReportSpec,
    rng: random.Random,
    *,
    intro: bool = False,
    mention: tuple[str, ...] | None = None,
) -> str:
    """Section 三 figures (总计 column as printed) in running text.

    ``intro`` leaves out the applicant split and the 复议/诉讼 sentence;
    ``mention`` limits the outcome groups quoted (default: all non-zero).
    """
    self_ref = _self_ref(spec)
    n, c, t, f = (
        _printed_figure(spec, row)
        for row in ("new_received", "carried_over", "total", "carried_forward")
    )
    if n == 0 and c == 0:
        return _no_requests(spec, rng, self_ref)
    parts = [_opening(spec, rng, self_ref, n, c), *_applicant_parts(spec, rng, n, intro)]
    parts.append(_outcomes(spec, rng, t, mention))
    if f:
        parts.append(
            rng.choice(
                (
                    f"；另有{_count(spec, f)}件尚在答复期内，结转下年度继续办理",
                    f"，结转下年度继续办理{_count(spec, f)}件",
                )
            )
        )
    text = "".join(parts) + "。"
    if not intro:
        text += _review_sentence(spec, rng)
        if spec.flags.distractors:
            text += "".join(distractor_sentences(rng, n, spec.flags.numerals))
    return text


def _review_sentence(spec: ReportSpec, rng: random.Random) -> str:
    """The 复议/诉讼 sentence from section 四 as printed ('' without section 四)."""
    if "四" not in spec.sections:
        return ""
    rv = printed_review(spec)
    review, direct, after = rv[4] or 0, rv[9] or 0, rv[14] or 0
    if review == direct == after == 0:
        return rng.choice(
            (
                "全年未发生涉及政府信息公开的行政复议和行政诉讼案件。",
                "本年度没有因政府信息公开引起的行政复议、行政诉讼。",
                "",
            )
        )
    bits = [f"被申请行政复议{review}件" if review else "未被申请行政复议"]
    if direct:
        bits.append(f"未经复议直接提起行政诉讼{direct}件")
    if after:
        bits.append(f"复议后提起行政诉讼{after}件")
    return "本年度因政府信息公开" + "，".join(bits) + "。"
