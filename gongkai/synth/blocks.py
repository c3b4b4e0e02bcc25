"""The report as a flat sequence of blocks (title, headings, paragraphs, tables).

Every writer walks :func:`blocks`, so all formats print the same report.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass

from gongkai.synth.grids import Grid, active_grid, requests_grid, review_grid
from gongkai.synth.labels import SECTION_HEADINGS
from gongkai.synth.printed import is_subheading
from gongkai.synth.requests_text import requests_paragraph
from gongkai.synth.spec import ReportSpec

_MARKER = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
_NOTES = (
    "编写说明：",
    "1.本报告各部分标题及表格栏目依照全国统一格式设置，填报时不得增减或改动。",
    "2.表格数据的统计期限为报告年度1月1日至12月31日，没有发生的事项填写“0”。",
    "3.第三部分表格须满足表头注明的勾稽关系，自然人与法人或其他组织各列相加应等于总计列。",
    "4.正文中引用的数字须与表格保持一致，报告定稿后请删除本说明。",
)


@dataclass
class Block:
    """One element of a rendered report."""

    kind: str  # nav | title | note | heading | subheading | para | table
    text: str = ""
    grid: Grid | None = None


def _spec_rng(spec: ReportSpec) -> random.Random:
    """A generator seeded by the report itself, so printing it twice gives equal text."""
    return random.Random(zlib.crc32(f"{spec.title}|{spec.year}".encode()))


def navigation_lines(spec: ReportSpec) -> list[str]:
    """Site navigation text that precedes the title on a web page."""
    rng = _spec_rng(spec)
    trail = rng.choice(
        (
            ["首页", "政务公开", "政府信息公开年报"],
            ["首页", "信息公开", "法定主动公开内容", "政府信息公开工作年度报告"],
            ["网站首页", "政务公开", "政府信息公开", "年度报告"],
        )
    )
    sep = rng.choice((" > ", ">", " >> ", " / "))
    prefix = rng.choice(("", "当前位置：", "您的位置："))
    day = rng.randint(10, 31)
    views = rng.randint(37, 2600)
    return [
        prefix + sep.join(trail),
        f"发布日期：{spec.year + 1}-01-{day:02d}　　来源：{spec.agency}　　浏览次数：{views}",
        "【字体：大 中 小】　打印本页　关闭窗口",
    ]


def _heading(spec: ReportSpec, sec: str) -> str:
    text = spec.headings.get(sec, SECTION_HEADINGS[sec])
    if spec.flags.agency_prefix_headings and sec in ("二", "三", "四") and sec not in spec.headings:
        head, rest = text.split("、", 1)
        text = f"{head}、行政机关{rest}"
    return text


def _para_text(spec: ReportSpec, text: str, sub: bool) -> str:
    m = _MARKER.match(text)
    if m:
        marker = f"（{m.group(1)}）" if spec.flags.fullwidth else f"({m.group(1)})"
        text = marker + text[m.end() :]
    if sub:
        return text
    if spec.flags.nbsp:
        return "\u00a0" * 4 + text
    if spec.flags.indent:
        return "\u3000\u3000" + text
    return text


def requests_summary(spec: ReportSpec) -> str:
    """The paragraph printed by ``flags.requests_intro`` (figures of the 总计 column)."""
    return requests_paragraph(spec, _spec_rng(spec), intro=True)


def _head_blocks(spec: ReportSpec) -> list[Block]:
    """Navigation, title, writing notes and preamble."""
    flags = spec.flags
    out: list[Block] = []
    if flags.navigation:
        out.extend(Block("nav", line) for line in navigation_lines(spec))
    title = spec.title
    if flags.split_title and spec.title.startswith(spec.agency):
        title = spec.agency + "\n" + spec.title[len(spec.agency) :]
    out.append(Block("title", title))
    if flags.writing_notes:
        out.extend(Block("note", line) for line in _NOTES)
    out.extend(Block("para", _para_text(spec, p, False)) for p in spec.preamble)
    return out


def _section_blocks(spec: ReportSpec, sec: str) -> list[Block]:
    """Heading, paragraphs and (for 二/三/四) the table of one section."""
    out = [Block("heading", _heading(spec, sec))]
    for p in spec.narrative.get(sec, []):
        sub = is_subheading(p)
        out.append(Block("subheading" if sub else "para", _para_text(spec, p, sub)))
    if sec == "二" and not spec.flags.no_active_table:
        out.append(Block("table", grid=active_grid(spec)))
    elif sec == "三":
        if spec.flags.requests_intro:
            out.append(Block("para", _para_text(spec, requests_summary(spec), False)))
        out.append(Block("table", grid=requests_grid(spec)))
    elif sec == "四":
        out.append(Block("table", grid=review_grid(spec)))
    return out


def blocks(spec: ReportSpec) -> list[Block]:
    """The report as a sequence of blocks, in printed order."""
    out = _head_blocks(spec)
    for sec in spec.sections:
        out.extend(_section_blocks(spec, sec))
    return out
