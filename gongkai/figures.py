"""The figures a report's narrative states, keyed by the row ids of the statistics table.

One reader for two users: the paragraph tagger reports them as ``counts`` and the reader's
``narrative`` check compares them with the table.

``予以公开6件`` → ``{"disclose": 6}``. Phrases are tried from the most specific (leaves)
to the most generic (the 予以公开 group); each match is blanked out so that 部分公开3件
is never read again as 公开3件. Then come the figures written before their phrase
("3件予以公开"), stated zeros ("未出现无法提供的情况"), and three inferences the reports
rely on: a group figure whose reason is named just before it belongs to that leaf, a group
figure "全部属于" one named leaf is also that leaf's, and "全部办结" makes the total.
Arabic, fullwidth and Chinese numerals are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.taxonomy import Taxonomy, load_taxonomy
from gongkai.text import normalize

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_D = "[一二两三四五六七八九]"
_CN_NUMBER = (rf"(?=[零〇一二两三四五六七八九十])(?:[零〇]|(?:{_D}千)?(?:零?{_D}百)?"
              rf"(?:零?{_D}?十)?(?:零?{_D})?)")
NUMBER = rf"(?<![第\d])(\d+|{_CN_NUMBER})\s*(?:件|宗)"
_GAP = r"[^,.;:，。；、：()（）\d件]{0,8}?"
_CLAUSE_GAP = r"[^,.;:，。；：()（）\d]{0,24}?"
_AFTER_NUMBER_GAP = r"[^,.;:，。；、：()（）\d件]{0,12}?"

# (row id, phrase, gap between phrase and number); most specific first.
PHRASES: list[tuple[str, str, str]] = [
    ("new_received", r"(?:新收|收到|受理|接收|接到|登记)(?![^,.;，。；]*?(?:复议|诉讼))"
     r"(?:[^,.;，。；\d]{0,24}?申请)?", _CLAUSE_GAP),
    ("carried_over", r"(?:上年度?|\d{4}年度?|年初)(?:共)?结转", _GAP),
    ("carried_forward", r"结转(?:至)?(?:下一?年度?|\d{4}年度?)", _GAP),
    ("total", r"办结|共答复|作出答复|答复完毕|办理完毕|答复(?=\d)", _GAP),
    ("withhold/state_secret", r"国家秘密|涉密", _GAP),
    ("withhold/law_forbidden", r"禁止公开|不得公开|禁止对外提供|不得对外提供", _GAP),
    ("withhold/three_safety", r"三安全一稳定|三安全|社会稳定|公共安全", _GAP),
    ("withhold/third_party", r"第三方|商业秘密|个人隐私|他人个人信息", _GAP),
    ("withhold/internal_affairs", r"内部事务|内部管理|内部工作流程", _GAP),
    ("withhold/process_info", r"过程性|讨论记录|讨论稿|请示报告|研究讨论", _GAP),
    ("withhold/enforcement_file", r"执法案卷|执法卷宗|调查笔录", _GAP),
    ("withhold/admin_query", r"行政查询|查询事项|查询程序|登记资料查询|档案查询", _GAP),
    ("unable/not_held", r"不掌握|没有掌握|未找到|不存在|未制作|未获取|没有相关信息|不属于本机关",
     _GAP),
    ("unable/needs_creation", r"另行制作|现成信息|加工|重新统计|重新汇总", _GAP),
    ("unable/unclear", r"仍不明确|仍无法确定|仍不清晰|仍未能明确", _GAP),
    ("reject/complaint", r"信访|投诉|举报|反映诉求", _GAP),
    ("reject/duplicate", r"重复申请|重复提出|内容相同", _GAP),
    ("reject/publication", r"出版物|年鉴|志书", _GAP),
    ("reject/excessive", r"大量反复|大量申请|反复申请", _GAP),
    ("reject/confirm", r"重新出具|确认|真伪|加盖公章|出具证明", _GAP),
    ("other/no_correction", r"不补正|未补正|未予回复|期限内补正", _GAP),
    ("other/no_fee", r"缴纳费用|缴费|处理费", _GAP),
    ("other/other", r"撤回|其他(?:情形)?(?=\d|[零〇一二两三四五六七八九十])", _GAP),
    ("partial", r"部分公开|部分提供|部分予以公开", _GAP),
    ("withhold", r"不予公开|不公开|未予公开", _GAP),
    ("unable", r"无法提供|未能提供", _GAP),
    ("reject", r"不予处理|未作处理|不作处理", _GAP),
    ("other", r"其他处理", _GAP),
    ("disclose", r"予以公开|全部公开|同意公开|依法公开|予以提供|提供信息|(?<![不未动])公开(?=\d)",
     _GAP),
]
_BEFORE_PHRASE_ROWS = {"new_received", "carried_over", "total"}
_ZERO_BEFORE, _ZERO_AFTER = r"(?:未出现|未发生|没有|无)[^,.;，。；]{0,2}?(?:", r")的?(?:情况|情形)"
_ZEROS = [
    ("new_received", re.compile(r"未(?:收到|接到|受理)[^,.;，。；]{0,30}?申请")),
    ("carried_over", re.compile(r"(?:无|没有)上年度?(?:的)?结转")),
    ("carried_forward", re.compile(r"无结转(?!上年)|不存在结转|没有结转|无结转下")),
]
_ALL_DONE = re.compile(r"(?:全部|均已|已全部|均)(?:按期)?(?:办结|答复)")
# "不公开103件，全部属于内部管理信息": the group figure belongs to the one leaf named next.
_ALL_OF = re.compile(r"^[,，]?[(（]?(?:全部|均|都)(?:系|为|是|属于)+(?P<clause>[^。；;)）]{1,30})")


def read_number(token: str) -> int:
    """``"127"`` → 127, ``"一百零五"`` → 105, ``"二十"`` → 20."""
    if token.isdigit():
        return int(token)
    value = current = 0
    for char in token:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        else:
            value += (current or 1) * _CN_UNITS[char]
            current = 0
    return value + current


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + "□" * (end - start) + text[end:]


@dataclass(frozen=True)
class Figure:
    """A row's figure and where the statement is (offsets into the NFKC-normalised text)."""

    row: str
    value: int
    start: int
    end: int


def extract_counts(text: str, labels: Iterable[str] = (),
                   taxonomy: Taxonomy | None = None) -> dict[str, int]:
    """Row id → figure for every figure the paragraph states.

    ``labels`` (the paragraph's predicted labels) settle one case the phrases cannot: a
    paragraph about one disposition that states a single figure ("有2件申请…均不予公开").
    """
    return {figure.row: figure.value for figure in stated_figures(text, labels, taxonomy)}


def stated_figures(text: str, labels: Iterable[str] = (),
                   taxonomy: Taxonomy | None = None) -> list[Figure]:
    """Every figure the text states, in the table's row order, with its place."""
    taxonomy = taxonomy or load_taxonomy()
    original = plain = normalize(text)
    spans: dict[str, tuple[int, int]] = {}
    counts: dict[str, int] = {}

    def take(pattern: str, row: str, text: str) -> str:
        for match in re.finditer(pattern, text):
            if row not in counts:
                counts[row], spans[row] = read_number(match.group(1)), match.span()
            text = _blank(text, *match.span())
        return text

    def zero(row: str, match: re.Match[str] | None) -> None:
        if row not in counts and match:
            counts[row], spans[row] = 0, match.span()

    for row, phrase, gap in PHRASES:
        plain = take(rf"(?:{phrase}){gap}{NUMBER}", row, plain)
    plain = take(NUMBER + r"[^。；;]{0,20}?结转(?:至)?(?:下|\d{4}年)", "carried_forward", plain)
    for row, phrase, _ in PHRASES:
        if row not in _BEFORE_PHRASE_ROWS:
            plain = take(rf"{NUMBER}{_AFTER_NUMBER_GAP}(?:{phrase})", row, plain)
    for row, phrase, _ in PHRASES:
        zero(row, re.search(_ZERO_BEFORE + phrase + _ZERO_AFTER, plain))
    for row, pattern in _ZEROS:
        zero(row, pattern.search(plain))
    done = _ALL_DONE.search(plain)
    if "total" not in counts and "new_received" in counts and done:
        counts["total"] = counts["new_received"] + counts.get("carried_over", 0)
        spans["total"] = done.span()
    _credit_named_reason(original, counts, spans, taxonomy)
    _credit_single_leaf(original, counts, spans, taxonomy)
    _credit_single_label(original, counts, spans, list(labels))
    return [Figure(row, counts[row], *spans[row])
            for row in taxonomy.request_row_ids() if row in counts]


def _leaves_named(text: str, group: str, taxonomy: Taxonomy) -> list[str]:
    phrases = dict((row, phrase) for row, phrase, _ in PHRASES)
    return [leaf.id for leaf in taxonomy.leaves_of(group)
            if leaf.id != group and re.search(phrases[leaf.id], text)]


def _credit_named_reason(plain: str, counts: dict[str, int], spans: dict[str, tuple[int, int]],
                         taxonomy: Taxonomy) -> None:
    """"因不掌握相关信息而答复无法提供的有17件": the figure is the named leaf's."""
    for group in [g for g in taxonomy.group_ids if g in spans]:
        start = spans[group][0]
        since = max(plain.rfind(mark, 0, start) for mark in "。；;") + 1
        before = [end for _, end in spans.values() if since <= end <= start]
        named = _leaves_named(plain[max([since, *before]):start], group, taxonomy)
        if len(named) == 1 and named[0] not in counts:
            counts[named[0]] = counts.pop(group)
            spans[named[0]] = spans.pop(group)


def _credit_single_leaf(plain: str, counts: dict[str, int], spans: dict[str, tuple[int, int]],
                        taxonomy: Taxonomy) -> None:
    for group in [g for g in taxonomy.group_ids if g in spans and g in counts]:
        following = _ALL_OF.match(plain[spans[group][1]:])
        if not following:
            continue
        named = _leaves_named(following.group("clause"), group, taxonomy)
        if len(named) == 1 and named[0] not in counts:
            counts[named[0]], spans[named[0]] = counts[group], spans[group]


def _credit_single_label(plain: str, counts: dict[str, int],
                         spans: dict[str, tuple[int, int]], labels: list[str]) -> None:
    if counts or len(labels) != 1:
        return
    found = list(re.finditer(NUMBER, plain))
    if len({read_number(match.group(1)) for match in found}) == 1:
        counts[labels[0]], spans[labels[0]] = read_number(found[0].group(1)), found[0].span()
