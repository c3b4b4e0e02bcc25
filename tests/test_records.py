"""Splitting a case record off the end of a request's text."""

from __future__ import annotations

import pytest

from gongkai.records import split_record

REQUEST = "申请公开本村2023年征地补偿安置方案。获取方式：邮寄。"


@pytest.mark.parametrize("note", [
    "【办理情况】已书面告知补正，申请人逾期未答复。",
    "〔办理记录〕3月5日发补正告知书，至期满未见回复",
    "（备注：经检索，本局未制作该方案。）",
    "\n处理结果：申请人于4月2日书面撤回申请",
    "——经办人注：补正告知书已送达，申请人未再联系。",
    "\n补正情况：申请人补充了地块名称，仍无法确定所指文件",
    "[答复要点] 与2023年8月已答复的申请内容相同，不予重复处理",
    "\n后续：已发出收费通知，申请人逾期未缴纳信息处理费。",
    "（已发出收费通知，申请人逾期未缴费，视为放弃申请）",
    "案卷记录：该申请人本年度已提交同类申请86件，经约谈未能说明合理用途",
])
def test_case_notes_in_many_formats_are_split_off(note: str) -> None:
    text, record = split_record(REQUEST + note)
    assert text == REQUEST.rstrip()
    assert record and record[:2] in note and "【" not in record and record[0] != "："


@pytest.mark.parametrize("text", [
    REQUEST,
    "申请公开该局的处理情况和处理结果（含不合格产品的处理情况）。",
    "申请人：刘建华\n经办人：李倩（人力资源部），本表由法务部代为填写\n所需信息：社保缴费通知",
    "请书面答复。\n备注：沈佩兰代填",
    "申请公开补偿方案。（附身份证复印件一张）",
    "办理情况：",
])
def test_what_an_applicant_writes_stays_in_the_text(text: str) -> None:
    assert split_record(text) == (text, None)


def test_a_text_that_is_only_a_note_is_not_emptied() -> None:
    assert split_record("【办理情况】申请人撤回")[0] == "【办理情况】申请人撤回"
