"""The figures a report's narrative states, keyed by the row ids of the statistics table.

One reader for two users: the paragraph tagger reports them as ``counts`` and the reader's
``narrative`` check compares them with the table.

``予以公开6件`` → ``{"disclose": 6}``. Phrases are tried from the most specific (leaves)
to the most generic (the 予以公开 group); each match is blanked out so that 部分公开3件
is never read again as 公开3件. Then come the figures written before their phrase
("3件予以公开"), stated zeros ("未出现无法提供的情况"), and three inferences the reports
rely on: a group figure whose reason is named just before it belongs to that leaf, a group
figure "全部属于" one named leaf is also that leaf's, and "全部办结" makes the total.
Arabic (1203, 1,203), fullwidth and Chinese numerals (二十三, 一万二千) are read.

The text is read one sentence at a time. Sentences that count other things are skipped:
documents (发文, 公开属性, 主动公开), letters, calls and messages through other channels
(信箱, 来信, 热线, 12345, 网上留言) and deputies' motions; so are clauses that break
requests down by topic (涉及…的9件, 其中…方面的3件). Both users get the same figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from gongkai.taxonomy import Taxonomy, load_taxonomy
from gongkai.text import normalize

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_D = "[一二两三四五六七八九]"
_CN_BELOW = rf"(?:{_D}千)?(?:零?{_D}百)?(?:零?{_D}?十)?(?:零?{_D})?"
_CN_NUMBER = (rf"(?=[零〇一二两三四五六七八九十])(?:[零〇](?!万)|(?:{_CN_BELOW}万)?零?{_CN_BELOW})")
# At most 20 digits: a longer run is no count (and int() refuses 4,300 digits and more).
_ARABIC = r"\d{1,3}(?:,\d{3}){1,6}(?!\d)|\d{1,20}(?!\d)"
NUMBER = rf"(?<![第\d])(?<!\d,)({_ARABIC}|{_CN_NUMBER})\s*(?:件|宗)"
_GAP = r"[^,.;:，。；、：()（）\d件]{0,8}?"
_CLAUSE_GAP = r"[^,.;:，。；：()（）\d]{0,24}?"
_AFTER_NUMBER_GAP = r"[^,.;:，。；、：()（）\d件]{0,12}?"

# (row id, phrase, gap between phrase and number); most specific first.
PHRASES: list[tuple[str, str, str]] = [
    ("new_received", r"(?:新收|(?:收到|受理|接收|接到|登记)(?=[^,.;，。；\d]{0,24}?申请))"
     r"(?![^,.;，。；]*?(?:复议|诉讼))(?:[^,.;，。；\d]{0,24}?申请)?", _CLAUSE_GAP),
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
    """``"127"`` → 127, ``"1,203"`` → 1203, ``"一百零五"`` → 105, ``"一万二千"`` → 12000."""
    token = token.replace(",", "")
    if token.isdigit():
        return int(token)
    if "万" in token:
        high, low = token.split("万", 1)
        return _read_below(high) * 10000 + _read_below(low)
    return _read_below(token)


def _read_below(token: str) -> int:
    """A Chinese numeral under 万 (二十, 一百零五); an empty one is 0."""
    value = current = 0
    for char in token:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        else:
            value += (current or 1) * _CN_UNITS[char]
            current = 0
    return value + current




@dataclass(frozen=True)
class _Patterns:
    after_phrase: list[tuple[str, re.Pattern[str]]]
    before_forward: re.Pattern[str]
    before_phrase: list[tuple[str, re.Pattern[str]]]
    zero_phrases: list[tuple[str, re.Pattern[str]]]
    reasons: list[re.Pattern[str]]
    phrase: dict[str, re.Pattern[str]]


@cache
def _patterns() -> _Patterns:
    """The patterns of PHRASES, compiled once, on first use (compiling them costs a cold
    start that never reads a figure, ``gongkai classify`` of a request, more than its
    prediction): figure after its phrase, before it, stated zero."""
    return _Patterns(
        after_phrase=[(row, re.compile(rf"(?:{phrase}){gap}{NUMBER}"))
                      for row, phrase, gap in PHRASES],
        before_forward=re.compile(NUMBER + r"[^。；;]{0,20}?结转(?:至)?(?:下|\d{4}年)"),
        before_phrase=[(row, re.compile(rf"{NUMBER}{_AFTER_NUMBER_GAP}(?:{phrase})"))
                       for row, phrase, _ in PHRASES if row not in _BEFORE_PHRASE_ROWS],
        zero_phrases=[(row, re.compile(_ZERO_BEFORE + phrase + _ZERO_AFTER))
                      for row, phrase, _ in PHRASES],
        reasons=[re.compile(phrase) for row, phrase, _ in PHRASES if "/" in row],
        phrase={row: re.compile(phrase) for row, phrase, _ in PHRASES},
    )


# Every figure NUMBER reads ends with a digit or a Chinese numeral, then its unit: a sentence
# without one states no figure, and the phrase patterns need not be tried on it.
_UNIT_AFTER_NUMBER = re.compile(r"[\d零〇一二两三四五六七八九十百千万]\s*[件宗]")
_ZERO_HINT = re.compile(r"未|没有|无|不存在")

# Sentences that count something else than requests by outcome: documents (by disclosure
# attribute, or proactively published), letters, calls and messages sent through other
# channels, deputies' motions.
_OTHER_COUNTS = re.compile(
    r"公文|发文|公开属性|规范性文件|主动公开|信箱|来信|来访|热线|12345|留言|代表建议|委员提案|提案"
)
# "涉及宗地权属的9件", "其中城乡建设方面的3件": requests counted by topic, not by outcome.
_TOPIC = re.compile(
    rf"(?:涉及|关于|反映)[^,.;:，。；、：]{{1,30}}?(?:的|方面的?|类的?)(?:申请)?\s*{NUMBER}"
    rf"|[^,.;:，。；、：]{{1,20}}?方面的?(?:申请)?\s*{NUMBER}"
)
_SENTENCE = re.compile(r"[^。;；]*(?:[。;；]|$)")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + "□" * (end - start) + text[end:]


@dataclass(frozen=True)
class Figure:
    """A row's figure and where the statement is (offsets into the normalised text, which
    ``sentence`` is part of)."""

    row: str
    value: int
    start: int
    end: int
    sentence: str = ""


def extract_counts(text: str, labels: Iterable[str] = (),
                   taxonomy: Taxonomy | None = None) -> dict[str, int]:
    """Row id → figure for every figure the paragraph states (the first, where it states
    a row twice).

    ``labels`` (the paragraph's predicted labels) settle one case the phrases cannot: a
    paragraph about one disposition that states a single figure ("有2件申请…均不予公开").
    """
    counts: dict[str, int] = {}
    for figure in stated_figures(text, labels, taxonomy):
        counts.setdefault(figure.row, figure.value)
    return counts


def counted_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of the normalised text's sentences that may state request figures,
    topic clauses blanked out; sentences that count something else are left out."""
    return _counted(normalize(text))


def _counted(plain: str) -> list[tuple[int, str]]:
    """:func:`counted_sentences` of text already normalised."""
    out: list[tuple[int, str]] = []
    for match in _SENTENCE.finditer(plain):
        sentence = match.group()
        if not sentence.strip() or _OTHER_COUNTS.search(sentence):
            continue
        for topic in reversed(list(_TOPIC.finditer(sentence))):
            if not _names_outcome(topic.group()):
                sentence = _blank(sentence, *topic.span())
        out.append((match.start(), sentence))
    return out


def _names_outcome(clause: str) -> bool:
    """A clause that names a reason (涉及国家秘密的3件) is an outcome, not a topic."""
    return any(pattern.search(clause) for pattern in _patterns().reasons)


def stated_figures(text: str, labels: Iterable[str] = (),
                   taxonomy: Taxonomy | None = None) -> list[Figure]:
    """Every figure the text states, in the table's row order (then text order), with its
    place and sentence."""
    taxonomy = taxonomy or load_taxonomy()
    plain = normalize(text)
    found = _read_figures(plain, taxonomy)
    if found:
        return list(found)
    return _in_row_order(_single_label(plain, list(labels)), taxonomy)


# The figures of the texts read last, by normalised text and taxonomy: the narrative check
# reads a report's paragraphs, and the paragraph tagger reads them again for their counts.
_READ: dict[tuple[str, str], tuple[Figure, ...]] = {}
_READ_SIZE = 4096
_ROW_ORDER: dict[str, dict[str, int]] = {}


def _read_figures(plain: str, taxonomy: Taxonomy) -> tuple[Figure, ...]:
    """Every figure the normalised text states, in the table's row order (then text order),
    before the single-label inference (which depends on the labels)."""
    key = (plain, taxonomy.sha256)
    known = _READ.get(key)
    if known is not None:
        return known
    found: list[Figure] = []
    for offset, sentence in _counted(plain):
        original = plain[offset : offset + len(sentence)]
        for row, value, (start, end) in _sentence_figures(sentence, taxonomy):
            found.append(Figure(row, value, offset + start, offset + end, original.strip()))
    found += _all_done(plain, found)
    read = tuple(_in_row_order(found, taxonomy))
    if len(_READ) >= _READ_SIZE:
        del _READ[next(iter(_READ))]
    _READ[key] = read
    return read


def _in_row_order(found: list[Figure], taxonomy: Taxonomy) -> list[Figure]:
    order = _ROW_ORDER.get(taxonomy.sha256)
    if order is None:
        order = _ROW_ORDER.setdefault(
            taxonomy.sha256, {row: i for i, row in enumerate(taxonomy.request_row_ids())})
    return sorted(found, key=lambda f: (order.get(f.row, len(order)), f.start))


def _sentence_figures(
    sentence: str, taxonomy: Taxonomy
) -> list[tuple[str, int, tuple[int, int]]]:
    """(row, figure, span) for one sentence: phrases, figures before them, stated zeros,
    then the reasons named around group figures."""
    plain = sentence
    spans: dict[str, tuple[int, int]] = {}
    counts: dict[str, int] = {}

    def take(pattern: re.Pattern[str], row: str, text: str) -> str:
        for match in pattern.finditer(text):
            if row not in counts:
                counts[row], spans[row] = read_number(match.group(1)), match.span()
            text = _blank(text, *match.span())
        return text

    def zero(row: str, match: re.Match[str] | None) -> None:
        if row not in counts and match:
            counts[row], spans[row] = 0, match.span()

    patterns = _patterns()
    if _UNIT_AFTER_NUMBER.search(plain):  # no unit, no figure: only stated zeros to look for
        for row, pattern in patterns.after_phrase:
            plain = take(pattern, row, plain)
        plain = take(patterns.before_forward, "carried_forward", plain)
        for row, pattern in patterns.before_phrase:
            plain = take(pattern, row, plain)
    if _ZERO_HINT.search(plain):
        for row, pattern in patterns.zero_phrases:
            zero(row, pattern.search(plain))
        for row, pattern in _ZEROS:
            zero(row, pattern.search(plain))
    _credit_named_reason(sentence, counts, spans, taxonomy)
    _credit_single_leaf(sentence, counts, spans, taxonomy)
    return [(row, counts[row], spans[row]) for row in counts]


def _all_done(plain: str, found: list[Figure]) -> list[Figure]:
    """"新收36件…全部办结": the total is what was received and carried over."""
    rows = {f.row: f for f in reversed(found)}
    if "total" in rows or "new_received" not in rows:
        return []
    received = rows["new_received"]
    carried = rows["carried_over"].value if "carried_over" in rows else 0
    for offset, sentence in counted_sentences(plain):
        done = _ALL_DONE.search(sentence)
        if done and offset + done.start() >= received.start:
            start, end = offset + done.start(), offset + done.end()
            original = plain[offset : offset + len(sentence)].strip()
            return [Figure("total", received.value + carried, start, end, original)]
    return []


def _single_label(plain: str, labels: list[str]) -> list[Figure]:
    """A paragraph about one disposition that states one figure: it is that label's."""
    if len(labels) != 1:
        return []
    found = [
        (offset, match)
        for offset, sentence in counted_sentences(plain)
        for match in re.finditer(NUMBER, sentence)
    ]
    if not found or len({read_number(m.group(1)) for _, m in found}) != 1:
        return []
    offset, match = found[0]
    start, end = offset + match.start(), offset + match.end()
    return [Figure(labels[0], read_number(match.group(1)), start, end, plain[start:end])]


def _leaves_named(text: str, group: str, taxonomy: Taxonomy) -> list[str]:
    phrases = _patterns().phrase
    return [leaf.id for leaf in taxonomy.leaves_of(group)
            if leaf.id != group and phrases[leaf.id].search(text)]


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
