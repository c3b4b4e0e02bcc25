"""Find the title, the sections 一–六, the narrative paragraphs and the table regions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.messages import Note
from gongkai.reader.cells import normalize, squash

SECTION_NUMBERS = "一二三四五六"
SECTION_KEYWORDS = {
    "一": ("总体情况", "概述", "基本情况"),
    "二": ("主动公开",),
    "三": ("收到和处理", "依申请公开", "申请情况", "处理政府信息公开申请"),
    "四": ("复议", "诉讼"),
    "五": ("存在的主要问题", "主要问题", "改进情况", "问题及改进"),
    "六": ("其他需要报告", "其他事项", "其他需要说明"),
}
_HEADING = re.compile(
    r"^(?:行政机关)?\s*(?P<num>[一二三四五六])\s*[、.,．]\s*(?:行政机关)?(?P<title>.{2,40})$"
)
_TITLE = re.compile(r"政府信息公开.{0,6}年度?报告|政务公开.{0,6}年度报告|信息公开年报")
_YEAR = re.compile(r"(20\d{2})\s*年")
_NAVIGATION = re.compile(r"[>›»]|首页|当前位置|您的位置|来源[:：]|发布日期|浏览次数")
_INSTRUCTIONS = re.compile(r"^(编写说明|填报说明|填写说明)")
_TABLE_START = (
    "勾稽",
    "本列数据",
    "申请人情况",
    "自然人",
    "本年新收",
    "信息内容",
    "第二十条",
    "行政复议",
    "结果维持",
)


@dataclass
class Section:
    number: str
    title: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Layout:
    title: str | None
    agency: str | None
    year: int | None
    sections: list[Section]
    preamble: list[str]
    notes: list[Note]


def _heading(line: str, current: str | None) -> tuple[str, str] | None:
    if "\t" in line or "|" in line:
        return None
    text = normalize(line)
    match = _HEADING.match(text)
    if not match:
        return None
    number, title = match.group("num"), match.group("title").strip()
    if current is not None and SECTION_NUMBERS.index(number) <= SECTION_NUMBERS.index(current):
        return None
    if any(keyword in squash(title) for keyword in SECTION_KEYWORDS[number]):
        return number, title
    return None


def split_layout(lines: list[str]) -> Layout:
    """Title (navigation text before it is dropped), then sections by their headings."""
    notes: list[Note] = []
    title, agency, year, start = _find_title(lines)
    sections: list[Section] = []
    preamble: list[str] = []
    current: Section | None = None
    in_instructions = False
    instruction_lines = 0
    for line in lines[start:]:
        heading = _heading(line, current.number if current else None)
        if heading:
            current = Section(number=heading[0], title=heading[1])
            sections.append(current)
            in_instructions = False
            continue
        if _INSTRUCTIONS.match(normalize(line)):
            in_instructions = True
        if in_instructions:
            instruction_lines += bool(line.strip())
            continue
        (current.lines if current else preamble).append(line)
    if instruction_lines:
        notes.append(Note("reader.warn.instructions_left", {"lines": instruction_lines}))
    if title is None:
        notes.append(Note("reader.warn.no_title"))
    return Layout(title, agency, year, sections, preamble, notes)


def _find_title(lines: list[str]) -> tuple[str | None, str | None, int | None, int]:
    for i, line in enumerate(lines[:80]):
        text = normalize(line)
        if not text or "\t" in line or len(text) > 80 or not _TITLE.search(text):
            continue
        if _NAVIGATION.search(text):
            continue
        if _heading(line, None):
            break
        title = re.sub(r"\s+", "", text)
        year_first = re.match(r"^(20\d{2})\s*年", title)
        if (not _YEAR.search(title) or year_first) and i > 0:
            previous = _previous_text(lines, i)
            if previous and len(previous) <= 40 and not _NAVIGATION.search(previous):
                title = re.sub(r"\s+", "", previous) + title
        match = _YEAR.search(title)
        year = int(match.group(1)) if match else None
        agency = title[: match.start()] if match else None
        if not agency and match:
            rest = title[match.end() :]
            agency = _TITLE.split(rest)[0].strip("度") or None
        return title, agency or None, year, i + 1
    return None, None, None, 0


def _previous_text(lines: list[str], i: int) -> str | None:
    for j in range(i - 1, -1, -1):
        text = normalize(lines[j])
        if text:
            return text
    return None


def is_narrative(line: str) -> bool:
    """A sentence paragraph, as opposed to a table cell or row."""
    if "\t" in line:
        return False
    text = normalize(line)
    if "|" in text and text.count("|") >= 2:
        return False
    if len(text) >= 45 and ("。" in text or "；" in text or ";" in text or text.endswith(".")):
        return True
    return len(text) >= 25 and text.endswith(("。", "!", "？", "?", "；", ";"))


def split_table_region(section: Section) -> tuple[list[str], list[str], list[str]]:
    """(paragraphs before the table, table lines, paragraphs after) of one section."""
    before: list[str] = []
    table: list[str] = []
    after: list[str] = []
    started = False
    for line in section.lines:
        text = normalize(line)
        if not started:
            if any(marker in squash(text) for marker in _TABLE_START) and not is_narrative(line):
                started = True
                table.append(line)
            elif text:
                before.append(line)
            continue
        if is_narrative(line):
            after.append(line)
        else:
            table.append(line)
    return before, table, after
