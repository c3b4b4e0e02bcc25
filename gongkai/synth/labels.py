"""Printed labels of the national template: headings, row and column labels.

Labels use ASCII punctuation as in the seed report; ``printed.punct`` turns
them fullwidth when ``flags.fullwidth`` asks for it.
"""

from __future__ import annotations

COLUMN_NAMES: dict[str, str] = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
# Group id -> (marker + name).
GROUP_LABELS: dict[str, str] = {
    "disclose": "(一)予以公开",
    "partial": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "withhold": "(三)不予公开",
    "unable": "(四)无法提供",
    "reject": "(五)不予处理",
    "other": "(六)其他处理",
}
LEAF_LABELS: dict[str, str] = {
    "withhold/state_secret": "1.属于国家秘密",
    "withhold/law_forbidden": "2.其他法律行政法规禁止公开",
    "withhold/three_safety": "3.危及“三安全一稳定”",
    "withhold/third_party": "4.保护第三方合法权益",
    "withhold/internal_affairs": "5.属于三类内部事务信息",
    "withhold/process_info": "6.属于四类过程性信息",
    "withhold/enforcement_file": "7.属于行政执法案卷",
    "withhold/admin_query": "8.属于行政查询事项",
    "unable/not_held": "1.本机关不掌握相关政府信息",
    "unable/needs_creation": "2.没有现成信息需要另行制作",
    "unable/unclear": "3.补正后申请内容仍不明确",
    "reject/complaint": "1.信访举报投诉类申请",
    "reject/duplicate": "2.重复申请",
    "reject/publication": "3.要求提供公开出版物",
    "reject/excessive": "4.无正当理由大量反复申请",
    "reject/confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other/no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other/no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other/other": "3.其他",
}
ROW_LABELS: dict[str, str] = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "total": "(七)总计",
    "carried_forward": "四、结转下年度继续办理",
}
RESULT_LABEL = "三、本年度办理结果"
IDENTITY_NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
SECTION_HEADINGS: dict[str, str] = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
REVIEW_RESULTS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# Section 二: row key -> (label, article marker); per template.
ACTIVE_ROWS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "2019": (
        ("regulations", "规章", "(一)"),
        ("normative", "规范性文件", "(一)"),
        ("licensing", "行政许可", "(五)"),
        ("other_services", "其他对外管理服务事项", "(五)"),
        ("penalty", "行政处罚", "(六)"),
        ("coercion", "行政强制", "(六)"),
        ("fees", "行政事业性收费", "(八)"),
        ("procurement", "政府集中采购", "(九)"),
    ),
    "2021": (
        ("regulations", "规章", "(一)"),
        ("normative", "行政规范性文件", "(一)"),
        ("licensing", "行政许可", "(五)"),
        ("penalty", "行政处罚", "(六)"),
        ("coercion", "行政强制", "(六)"),
        ("fees", "行政事业性收费", "(八)"),
    ),
}
ACTIVE_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {
        "(一)": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "(五)": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "(六)": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "(八)": ("上一年项目数量", "本年增/减"),
        "(九)": ("采购项目数量", "采购总金额(单位:万元)"),
    },
    "2021": {
        "(一)": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "(五)": ("本年处理决定数量",),
        "(六)": ("本年处理决定数量",),
        "(八)": ("本年收费金额(单位:万元)",),
    },
}
