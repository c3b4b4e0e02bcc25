"""The narrative: paragraphs of sections 一, 五 and 六 and the preamble.

Paragraphs are composed from the phrase pools of ``phrases``, filled from a
context of names and figures drawn per report; the section 三 paragraph quotes
the printed table (``requests_text``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from gongkai.synth import phrases
from gongkai.synth.requests_text import requests_paragraph
from gongkai.synth.spec import SECTION_IDS, ActiveTable, ReportSpec, Template


def _fill(template_text: str, ctx: dict[str, object]) -> str:
    return template_text.format(**ctx)


def _pick(rng: random.Random, pool: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(pool, min(k, len(pool)))


def _scaled(rng: random.Random, scale: float) -> Callable[[int, int], int]:
    """A draw of ``lo``..``hi`` scaled down by ``scale``, never below 1."""

    def draw(lo: int, hi: int) -> int:
        return max(1, int(rng.randint(lo, hi) * scale))

    return draw


def _staff_words(rng: random.Random, town: bool) -> dict[str, object]:
    """Who does the work and where it is published."""
    return {
        "leader": rng.choice(("主要负责同志", "分管负责同志", "分管领导", "主要领导")),
        "unit": rng.choice(("科室", "股室", "处室")) if not town else "站所",
        "units": rng.choice(phrases.TOWN_UNITS if town else phrases.UNITS),
        "site": rng.choice(phrases.SITES),
        "wx": rng.choice(phrases.NEW_MEDIA),
    }


def _figures(
    rng: random.Random, n: Callable[[int, int], int], news: int, active: ActiveTable
) -> dict[str, object]:
    """Figures quoted in the narrative; those of section 二 come from its table."""
    normative = active.get("normative", [0])
    licensing = active.get("licensing", [0])
    penalty = active.get("penalty", [0])
    return {
        "n_news": news,
        "n_legal": max(1, news // rng.randint(3, 8)),
        "n_interp": n(3, 60),
        "n_visual": n(1, 12),
        "n_guides": n(5, 160),
        "n_wechat": n(40, 1500),
        "n_norm": normative[0] or 0,
        "n_clean": n(10, 400),
        "n_lic": licensing[-1] or 0,
        "n_pen": penalty[-1] or 0,
        "n_press": n(1, 12),
        "n_talk": n(1, 8),
        "n_hot": n(1, 9),
        "n_consult": n(1, 15),
        "n_msg": n(3, 120),
        "n_dir": n(20, 900),
        "n_review": n(50, 2000),
        "n_talk2": n(2, 40),
        "n_tasks": n(8, 45),
        "n_staff": rng.randint(1, 3),
        "n_liaison": n(4, 30),
        "n_docs": n(30, 1200),
        "n_priv": n(2, 80),
        "n_add": n(1, 20),
        "n_adj": n(1, 15),
        "n_cols": rng.randint(6, 14),
        "n_wechat2": n(40, 1500),
        "n_fans": n(800, 90000),
        "n_msg2": n(5, 600),
        "n_train": rng.randint(1, 6),
        "n_people": n(15, 400),
        "n_sugg": n(3, 40),
        "n_fix": n(2, 25),
        "n_jy": n(1, 40),
        "n_ta": n(1, 50),
    }


def context(
    rng: random.Random,
    agency: str,
    selves: tuple[str, ...],
    areas: tuple[str, ...],
    superior: str,
    year: int,
    active: ActiveTable,
    template: Template,
) -> dict[str, object]:
    """Names and figures the phrase templates are filled with (smaller for towns)."""
    a1, a2, a3 = rng.sample(areas, 3)
    town = agency.endswith(("人民政府", "街道办事处"))
    office = (
        rng.choice(("党政办", "党政综合办公室"))
        if town
        else rng.choice(("办公室", "综合科", "政策法规科", "办公室（政务公开办）"))
    )
    n = _scaled(rng, 0.3 if town else 1.0)
    news = n(120, 3200)
    return {
        "year": year,
        "next_year": year + 1,
        "agency": agency,
        "self": selves[0],
        "superior": superior,
        "area1": a1,
        "area2": a2,
        "area3": a3,
        "office": office,
        **_staff_words(rng, town),
        "norm_label": "行政规范性文件" if template == "2021" else "规范性文件",
        **_figures(rng, n, news, active),
    }


def _paragraphs(
    rng: random.Random, pool: tuple[str, ...], ctx: dict[str, object], paras: int, lo: int, hi: int
) -> list[str]:
    """``paras`` paragraphs of ``lo``..``hi`` sentences each, no sentence twice."""
    sizes = [rng.randint(lo, hi) for _ in range(paras)]
    chosen = _pick(rng, pool, sum(sizes))
    out: list[str] = []
    for size in sizes:
        part, chosen = chosen[:size], chosen[size:]
        if part:
            out.append(_join_sentences(rng, part, ctx))
    return out


def _join_sentences(rng: random.Random, chosen: list[str], ctx: dict[str, object]) -> str:
    if rng.random() < 0.3 and len(chosen) >= 2:
        order = "一二三四五六"
        body = "；".join(f"{order[i]}是{_fill(s, ctx).rstrip('。')}" for i, s in enumerate(chosen))
        return body + "。"
    return "".join(_fill(s, ctx) for s in chosen)


def _subsection_bodies(
    rng: random.Random, spec: ReportSpec, ctx: dict[str, object]
) -> list[list[str]]:
    """Paragraphs under each of the five sub-headings of section 一."""
    received = spec.requests.get("new_received", {}).get("total") or 0
    handling = (
        _paragraphs(rng, phrases.APPLY, ctx, 1, 1, 3) if received and rng.random() < 0.7 else []
    )
    return [
        _paragraphs(rng, phrases.ACTIVE, ctx, rng.randint(1, 3), 2, 4),
        [requests_paragraph(spec, rng), *handling],
        _paragraphs(rng, phrases.MANAGE, ctx, 1, 2, 4),
        _paragraphs(rng, phrases.PLATFORM, ctx, 1, 2, 4),
        _paragraphs(rng, phrases.SUPERVISE, ctx, 1, 1, 3),
    ]


def _overview(rng: random.Random, spec: ReportSpec, ctx: dict[str, object]) -> list[str]:
    """Section 一: opening sentences, then five sub-sections in one of three styles."""
    intro = [_fill(s, ctx) for s in _pick(rng, phrases.INTRO, rng.randint(1, 3))]
    out = ["".join(intro)] if rng.random() < 0.5 else intro
    style = (
        rng.choice(("separate", "separate", "inline", "plain"))
        if spec.template == "2019"
        else rng.choice(("separate", "inline"))
    )
    bodies = _subsection_bodies(rng, spec, ctx)
    name_style = rng.randint(0, 2)
    for i, (names, body) in enumerate(zip(phrases.SUBSECTIONS, bodies, strict=True)):
        marker = f"（{phrases.NUMERALS[i]}）{names[name_style]}"
        if style == "separate":
            out.append(marker)
            out.extend(body)
        elif style == "inline":
            out.append(f"{marker}。{body[0]}")
            out.extend(body[1:])
        else:
            out.extend(body)
    return out


def _problems(rng: random.Random, ctx: dict[str, object]) -> list[str]:
    """Section 五: problems and measures, in one of three forms."""
    problems = [_fill(p, ctx) for p in _pick(rng, phrases.PROBLEMS, rng.randint(2, 3))]
    measures = [_fill(m, ctx) for m in _pick(rng, phrases.MEASURES, rng.randint(2, 4))]
    order = "一二三四五"
    form = rng.randint(0, 2)
    year, self_ref = ctx["year"], ctx["self"]
    if form == 0:
        return [
            f"{year}年，{self_ref}政府信息公开工作取得了一定成效，但仍存在一些不足："
            + "；".join(f"{order[i]}是{p}" for i, p in enumerate(problems))
            + "。",
            f"{ctx['next_year']}年，{self_ref}将重点做好以下工作："
            + "；".join(f"{order[i]}是{m}" for i, m in enumerate(measures))
            + "。",
        ]
    if form == 1:
        return [
            "对照条例要求和群众期待，工作中还存在一些差距，主要是" + "，".join(problems) + "。",
            f"针对上述问题，{self_ref}将从以下几个方面加以改进：",
            *(f"{order[i]}是{m}。" for i, m in enumerate(measures)),
        ]
    return [
        "存在的主要问题：" + "；".join(problems) + "。",
        "改进措施：" + "；".join(measures) + "。",
    ]


def _other_matters(rng: random.Random, spec: ReportSpec, ctx: dict[str, object]) -> list[str]:
    """Section 六: one to three short statements ("无。" only when alone)."""
    pool = phrases.SIX + (phrases.SIX_2021 if spec.template == "2021" else ())
    six = [_fill(s, ctx) for s in _pick(rng, pool, rng.randint(1, 3))]
    if "无。" in six and len(six) > 1:
        six.remove("无。")
    return six


def random_narrative(
    rng: random.Random, spec: ReportSpec, ctx: dict[str, object]
) -> dict[str, list[str]]:
    """Narrative for sections 一..六 composed from the phrase pools."""
    out: dict[str, list[str]] = {s: [] for s in SECTION_IDS}
    out["一"] = _overview(rng, spec, ctx)
    out["五"] = _problems(rng, ctx)
    out["六"] = _other_matters(rng, spec, ctx)
    return out


def random_preamble(rng: random.Random, spec: ReportSpec, ctx: dict[str, object]) -> list[str]:
    """The opening paragraphs before section 一 (may be empty)."""
    if rng.random() < 0.3:
        return []
    cited = phrases.CIRCULAR[spec.template]
    first = rng.choice(
        (
            f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{cited}文件要求编制，内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。",
            f"根据《中华人民共和国政府信息公开条例》第五十条规定和{cited}确定的格式，{ctx['self']}编制了本年度报告。",
            f"按照《中华人民共和国政府信息公开条例》和上级主管部门的统一要求，参照{cited}规定的格式，现将{spec.year}年度政府信息公开工作情况报告如下。",
        )
    )
    out = [first]
    if rng.random() < 0.7:
        out.append(f"报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。")
    if rng.random() < 0.5:
        tel = rng.randint(2000000, 8999999)
        phone = f"0{rng.randint(310, 939)}-{tel}"
        contact = f"{spec.agency}{ctx['office']}"
        out.append(
            f"本报告电子版可在{ctx['site']}查阅或下载。如对本报告有疑问，请与{contact}联系（电话：{phone}）。"
        )
    return out
