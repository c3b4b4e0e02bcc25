"""A request's case record, when it comes embedded at the end of the request's text.

An officer tallying the year often pastes the request with what the case file says
happened: ``…获取方式：邮寄。【办理情况】已书面告知补正，申请人逾期未答复。`` The record is a
separate input of the models (``gongkai.models``), so it is split off first:

- a note introduced by a case-file heading and a colon or closing bracket, in brackets
  (【】〔〕[]（）()) or after a dash, a line break or the end of a sentence; the note runs to
  the end of the text. Headings only a case file uses (办理情况, 办理记录, 办理结果,
  处理情况, 处理结果, 补正情况, 补正记录, 缴费情况, 答复情况, 答复结果, 答复要点, 案卷记录,
  结案情况, 承办意见, 经办人注 …) always start a record; headings an application form also
  has (备注, 经办人, 后续, 答复) only when the note reads like a case file;
- otherwise a final bracketed note that reads like a case file.

A note "reads like a case file" when it says what the office did or what happened:
补正, 收费通知, 缴费, 撤回, 经检索, 送达, 逾期, 视为放弃, 不再处理, 已答复 and the like.
A heading word inside the request itself ("请书面答复", "备注栏") is not a record: it has
no colon or bracket after it.
"""

from __future__ import annotations

import re

CASE_HEADINGS = (
    "办理情况", "办理记录", "办理结果", "处理情况", "处理结果", "经办人注", "经办人意见",
    "承办人注", "承办人意见", "承办意见", "补正情况", "补正记录", "缴费情况", "后续情况",
    "答复情况", "答复结果", "答复要点", "案卷记录", "结案情况",
)
FORM_HEADINGS = ("备注", "经办人", "后续", "答复")
HEADINGS = (*CASE_HEADINGS, *FORM_HEADINGS)
_OPEN = "【〔[（("
_BEFORE = r"(?:^|(?<=[。；;！!？?\n\s]))"
_NAMES = "|".join(HEADINGS)
# 【办理情况】 in brackets; 备注： after a dash or a boundary; 办理记录： anywhere.
_HEADING = re.compile(
    rf"[{re.escape(_OPEN)}]\s*(?P<bracketed>{_NAMES})\s*(?:[】〕\]）)]\s*[:：]?|[:：])"
    rf"|(?:——\s*|--+\s*|{_BEFORE})(?P<plain>{_NAMES})\s*[:：]"
    rf"|(?P<inline>{'|'.join(CASE_HEADINGS)})\s*[:：]")
_CASE_WORDS = re.compile(r"补正|收费通知|缴费|缴纳|撤回|经检索|经查|送达|逾期|视为放弃|不再处理|"
                         r"不予处理|重复|已答复|已作出答复|答复书|已告知|告知书|结案|已办结|"
                         r"已提供|均已|已获得|已递交|拒绝|未说明|"
                         r"本(?:机关|单位|[局委厅办院所部])(?:未|不|没有)|"
                         r"经告知|经约谈|未能说明|未作合理说明|说明理由|同一申请人|"
                         r"申请人(?:未|已|称|表示|来电|同意|拒绝|本年|近|当天|坚持|一年|不予理会)|"
                         r"该(?:申请人|企业|组织)")
_TRAILING_NOTE = re.compile(r"[（(【〔\[](?P<note>[^（(【〔\[]{6,300})[）)】〕\]]\s*$")
_EDGES = re.compile(r"^[\s—\-:：]+|[\s—\-:：]+$")
_CLOSING = {"【": "】", "〔": "〕", "[": "]", "（": "）", "(": ")"}
MIN_REQUEST = 4  # characters of request text a split must leave
FORM_NOTE_WINDOW = 80  # characters of a form-heading note read for case-file words


def split_record(text: str) -> tuple[str, str | None]:
    """``(request text, record)``; the record is ``None`` when the text carries none."""
    found = _HEADING.search(text)
    while found and (found.start() < MIN_REQUEST or (
            _heading(found) in FORM_HEADINGS and not _CASE_WORDS.search(
                text[found.end():].split("\n", 1)[0][:FORM_NOTE_WINDOW]))):
        found = _HEADING.search(text, found.end())
    if found:
        opening = text[found.start()]
        record = text[found.end():].strip()
        if opening in _CLOSING and record.endswith(_CLOSING[opening]):
            record = record[:-1]
        return _EDGES.sub("", text[:found.start()]), _tidy(record)
    trailing = _TRAILING_NOTE.search(text)
    if trailing and trailing.start() >= MIN_REQUEST and _CASE_WORDS.search(trailing["note"]):
        return text[:trailing.start()].rstrip(), _tidy(trailing["note"])
    return text, None


def _heading(found: re.Match[str]) -> str:
    return found["bracketed"] or found["plain"] or found["inline"]


def _tidy(record: str) -> str | None:
    record = _EDGES.sub("", record)
    return record or None
