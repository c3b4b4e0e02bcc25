"""How running text writes a figure, and sentences whose figures are not dispositions.

Real reports write 1203件, 1,203件 or 一千二百零三件, and next to the 依申请公开 figures
they count letters to a 信箱, hotline calls, online messages, proactively published items
and the topics requests were about. A reader that takes those for table figures raises
false alarms; the distractors here let the tests and the benchmark measure that.
"""

from __future__ import annotations

import random

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
_TOPICS = (
    "征地拆迁补偿",
    "宗地权属和不动产登记资料",
    "行政处罚决定",
    "规划审批",
    "财政预决算",
    "建设项目审批",
    "社会保障待遇",
)


def _below_10000(n: int) -> str:
    """一千二百零三 for 1203; a leading 一十 is written 十 (十五)."""
    out: list[str] = []
    zero = False
    for value, unit in _SMALL_UNITS:
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out.append("零")
            out.append(("" if unit == "十" and not out and digit == 1 else _DIGITS[digit]) + unit)
            zero = False
        elif out:
            zero = True
    if n:
        out.append(("零" if zero else "") + _DIGITS[n])
    return "".join(out) or "零"


def chinese_numeral(n: int) -> str:
    """``12000`` → 一万二千, ``1203`` → 一千二百零三, ``0`` → 零."""
    if n < 10000:
        return _below_10000(n)
    high, low = divmod(n, 10000)
    rest = "" if not low else ("零" if low < 1000 else "") + _below_10000(low)
    return _below_10000(high) + "万" + rest


def count_text(n: int, style: str) -> str:
    """A figure as the report writes it: ``arabic``, ``grouped`` (1,203) or ``chinese``."""
    if style == "grouped":
        return f"{n:,}"
    if style == "chinese":
        return chinese_numeral(n)
    return str(n)


def distractor_sentences(rng: random.Random, received: int, style: str) -> list[str]:
    """One to three sentences with figures that no statistics-table cell holds."""
    topic, other = rng.sample(_TOPICS, 2)
    a = rng.randint(1, max(1, received))

    def fig(lo: int, hi: int) -> str:
        return count_text(rng.randint(lo, hi), style)

    pool = (
        f"“{rng.choice(('县长', '局长', '书记', '主任'))}信箱”全年受理来信{fig(20, 900)}件，"
        "均已按期办结。",
        f"全年承办12345政务服务便民热线转办工单{fig(30, 3000)}件，按时办结率100%。",
        f"通过门户网站“网上留言”栏目收到群众留言{fig(5, 400)}件，已全部答复。",
        f"全年主动公开政府信息{fig(100, 5000)}条，其中政策文件{fig(3, 60)}件。",
        f"从申请内容看，涉及{topic}的{count_text(a, style)}件，"
        f"涉及{other}的{fig(0, received)}件。",
        f"其中涉及{topic}方面的{count_text(a, style)}件。",
        f"全年收到人大代表建议{fig(1, 40)}件、政协委员提案{fig(1, 50)}件，均已按期办结。",
    )
    return rng.sample(pool, rng.randint(1, 3))
