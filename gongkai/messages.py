"""Every sentence gongkai shows a person, in Chinese (the default) and English, by stable id.

A message is an id and named values; it becomes text only when it is shown, in the
reader's language: ``say("tag.skipped", "en", count=2, names=["README.md"])``. Code keeps
ids and values (:class:`Note`), JSON carries them beside the rendered message, and the
catalogue is the one place where wording changes.

Placeholders are ``str.format`` fields; a format spec names what a value is, so that a
template says ``{row:row} × {column:column}`` and the catalogue finds the names:

- ``row``, ``column``, ``label``: taxonomy ids → their Chinese names (``(三)不予公开·属于国家秘密``,
  ``自然人``); in English the id itself, since the taxonomy names things only in Chinese;
- ``check``, ``block``, ``task``, ``review_column``, ``proactive_row``, ``proactive_column``:
  ids → names kept in this catalogue;
- ``rows``: a list of row ids, named and joined; ``cell``: a table cell ``{"table", "row",
  "column"}`` named (``(一)予以公开 × 自然人``, ``行政复议·总计``); ``cells``: a list of cells,
  each with its ``figure`` and ``reason``;
- ``figure``: a number as printed, a very long one shortened (``1234567890…（共 400 位）``);
- ``note``: a message within the message, ``{"id", "values"}``, in the same language;
- ``quote``: 「…」 or "…"; ``list``: joined with 、 or ", ".

An English text may have a singular form (``en_one``), used when the value ``count`` is 1.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from gongkai.taxonomy import load_taxonomy

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str
    en_one: str | None = None


def _t(zh: str, en: str, en_one: str | None = None) -> Text:
    return Text(zh, en, en_one)


CATALOGUE: dict[str, Text] = {
    # --- names --------------------------------------------------------------------------
    "task.request": _t("申请分类", "request"),
    "task.paragraph": _t("段落标注", "paragraph"),
    "check.identity": _t("新收 + 上年结转 = 总计 + 结转下年度",
                         "received + carried over = total + carried forward"),
    "check.outcome_sum": _t("(七)总计 = 各处理结果之和", "total = sum of the outcome rows"),
    "check.group_sum": _t("小计 = 分项之和", "group row = sum of its sub-rows"),
    "check.column_sum": _t("总计列 = 六类申请人之和", "total column = sum of the six applicants"),
    "check.review_litigation_sum": _t("复议、诉讼总计 = 四项结果之和",
                                      "review/litigation total = its four results"),
    "check.narrative": _t("正文数字与统计表一致", "narrative figures agree with the table"),
    "block.review": _t("行政复议", "review"),
    "block.litigation_direct": _t("未经复议直接起诉", "litigation_direct"),
    "block.litigation_after_review": _t("复议后起诉", "litigation_after_review"),
    "review_column.upheld": _t("结果维持", "upheld"),
    "review_column.corrected": _t("结果纠正", "corrected"),
    "review_column.other": _t("其他结果", "other"),
    "review_column.pending": _t("尚未审结", "pending"),
    "review_column.total": _t("总计", "total"),
    "proactive_row.regulations": _t("规章", "regulations"),
    "proactive_row.normative_documents": _t("规范性文件", "normative_documents"),
    "proactive_row.administrative_licensing": _t("行政许可", "administrative_licensing"),
    "proactive_row.other_services": _t("其他对外管理服务事项", "other_services"),
    "proactive_row.administrative_penalty": _t("行政处罚", "administrative_penalty"),
    "proactive_row.administrative_coercion": _t("行政强制", "administrative_coercion"),
    "proactive_row.administrative_fees": _t("行政事业性收费", "administrative_fees"),
    "proactive_row.centralized_procurement": _t("政府集中采购", "centralized_procurement"),
    "proactive_column.new_made": _t("本年新制作数量", "new_made"),
    "proactive_column.new_published": _t("本年新公开数量", "new_published"),
    "proactive_column.total_published": _t("对外公开总数量", "total_published"),
    "proactive_column.previous_count": _t("上一年项目数量", "previous_count"),
    "proactive_column.change": _t("本年增/减", "change"),
    "proactive_column.decisions": _t("处理决定数量", "decisions"),
    "proactive_column.projects": _t("采购项目数量", "projects"),
    "proactive_column.amount": _t("金额", "amount"),
    "proactive_column.issued": _t("本年制发件数", "issued"),
    "proactive_column.repealed": _t("本年废止件数", "repealed"),
    "proactive_column.in_force": _t("现行有效件数", "in_force"),
    "reason.negative": _t("负数", "negative"),
    "reason.too_large": _t("超出上限", "over the limit"),
    # --- the reader's check verdicts (Check.message; failures are failure.*) ---------------
    "check.held": _t("{check:check}：{checked} 处全部相符", "{check:check}: all {checked} hold"),
    "check.failed": _t("{check:check}：{checked} 处中 {count} 处不符，第一处：{first:note}",
                       "{check:check}: {count} of {checked} fail; the first: {first:note}"),
    "check.failed_partly": _t(
        "{check:check}：{checked} 处中 {count} 处不符，第一处：{first:note}；另有 {skipped} 处"
        "用到无法使用的单元格（{cells:cells}），未核对",
        "{check:check}: {count} of {checked} fail; the first: {first:note}; {skipped} more "
        "involve cells that cannot be used ({cells:cells}) and were not checked"),
    "check.partly": _t(
        "{check:check}：{skipped} 处用到无法使用的单元格（{cells:cells}），未核对；"
        "其余 {checked} 处相符",
        "{check:check}: {skipped} involve cells that cannot be used ({cells:cells}) and were "
        "not checked; the other {checked} hold"),
    "check.unusable": _t(
        "{check:check}：要用的单元格无法使用（{cells:cells}），{skipped} 处都未核对",
        "{check:check}: the cells it needs cannot be used ({cells:cells}); none of its "
        "{skipped} comparisons was checked"),
    "check.unchecked": _t("{check:check}：没有可核对的数字（所涉单元格都是空白）",
                          "{check:check}: nothing to check (the cells it needs are blank)"),
    "check.no_table": _t(
        "{check:check}：找不到第三部分（收到和处理政府信息公开申请情况）的统计表",
        "{check:check}: no section 三 statistics table (收到和处理政府信息公开申请情况) found"),
    "check.no_review_table": _t(
        "{check:check}：找不到第四部分（行政复议、行政诉讼）的统计表",
        "{check:check}: no section 四 table (行政复议、行政诉讼) found"),
    "check.no_figures": _t("{check:check}：正文没有说出可与统计表比较的件数",
                           "{check:check}: the text states no figure to compare with the table"),
    "check.cells_skipped": _t(
        "用到无法使用的单元格（{cells:cells}）的 {skipped} 处未核对",
        "{skipped} comparisons involving cells that cannot be used ({cells:cells}) were not "
        "checked"),
    "verdict.ok": _t("✓ 通过", "✓ holds"),
    "verdict.fail": _t("✗ 不符", "✗ fails"),
    "verdict.none": _t("– 无法核对", "– not checkable"),
    # --- what a failing check names: the keys of the reader's values["failures"] ------------
    "failure.identity": _t(
        "{column:column}列：本年新收 + 上年结转 = {received_plus_carried_over}，"
        "总计 + 结转下年度 = {total_plus_carried_forward}",
        "column {column:column}: received + carried over = {received_plus_carried_over}, "
        "total + carried forward = {total_plus_carried_forward}"),
    "failure.outcome_sum": _t(
        "{column:column}列：(七)总计为 {total}，各处理结果之和为 {sum_of_outcomes}",
        "column {column:column}: the total is {total}, the outcome rows sum to "
        "{sum_of_outcomes}"),
    "failure.group_sum": _t(
        "{row:row} × {column:column}：小计为 {group}，分项之和为 {sum_of_leaves}",
        "{row:row} × {column:column}: the group row says {group}, its sub-rows sum to "
        "{sum_of_leaves}"),
    "failure.column_sum": _t(
        "{row:row}：总计列为 {total}，六类申请人之和为 {sum_of_applicants}",
        "{row:row}: the total column says {total}, the six applicant columns sum to "
        "{sum_of_applicants}"),
    "failure.review_litigation_sum": _t(
        "{block:block}：总计为 {total}，四项结果之和为 {sum_of_results}",
        "{block:block}: the total is {total}, its four results sum to {sum_of_results}"),
    "failure.narrative": _t(
        "正文{text:quote}说{row:row} {narrative} 件，统计表总计为 {table} 件",
        "the text {text:quote} says {row:row} {narrative}, the table's total says {table}"),
    "failure.narrative_column": _t(
        "正文{text:quote}说{row:row} {narrative} 件，统计表总计为 {table} 件"
        "（{narrative} 是{matches_column:column}列的数字）",
        "the text {text:quote} says {row:row} {narrative}, the table's total says {table} "
        "({narrative} is the {matches_column:column} column)"),
    # --- reading a report: ReaderError kinds at the CLI and API boundary --------------------
    "reader.empty": _t("{source}：文件是空的", "{source}: the file is empty"),
    "reader.too_large": _t("{source}：文件超过一份报告 {limit_mb} MB 的上限",
                           "{source}: the file is over the {limit_mb} MB limit for one report"),
    "reader.binary": _t("{source}：这是二进制数据，不是文本", "{source}: binary data, not text"),
    "reader.encoding": _t("{source}：无法解码文字（不是 UTF-8、GB18030/GBK 或 UTF-16）",
                          "{source}: cannot decode the text (not UTF-8, GB18030/GBK or UTF-16)"),
    "reader.unsupported": _t("{source}：不支持的文件类型；请用 txt、html、docx 或 pdf",
                             "{source}: not a supported file; use txt, html, docx or pdf"),
    "reader.no_text_layer": _t("{source}：PDF 没有文字层（扫描件），请先做文字识别（OCR）",
                               "{source}: the PDF has no text layer (a scan); run OCR first"),
    "reader.corrupt": _t("{source}：文件已损坏，无法读取",
                         "{source}: the file is damaged and cannot be read"),
    "reader.not_a_report": _t(
        "{source}：不是政府信息公开工作年度报告（找不到标题、章节或统计表）",
        "{source}: not a disclosure annual report (no title, sections or statistics table)"),
    "reader.not_found": _t("{source}：没有这个文件", "{source}: no such file"),
    "reader.unreadable": _t("{source}：无法读取（没有权限或读取出错）",
                            "{source}: cannot be read (permission or I/O error)"),
    "reader.other": _t("{source}：无法读取（{kind}）", "{source}: cannot be read ({kind})"),
    "reader.is_directory": _t("{source}：这是一个文件夹，不是报告文件",
                              "{source}: a folder, not a report file"),
    "reader.encoding_at": _t("{source}：第 {byte} 字节处不是有效的 {encoding} 文字",
                             "{source}: invalid {encoding} text at byte {byte}"),
    "reader.too_large_file": _t("{source}：文件有 {size_mb} MB，超过一份报告 {limit_mb} MB 的上限",
                                "{source}: the file is {size_mb} MB, over the {limit_mb} MB "
                                "limit for one report"),
    "reader.too_large_unzipped": _t("{source}：解压后至少 {size_mb} MB，超过 {limit_mb} MB 上限",
                                    "{source}: at least {size_mb} MB once inflated, over the "
                                    "{limit_mb} MB limit"),
    "reader.too_large_pdf_streams": _t(
        "{source}：PDF 的压缩数据解压后至少 {size_mb} MB，超过 {limit_mb} MB 上限",
        "{source}: the PDF's compressed streams inflate to at least {size_mb} MB, over the "
        "{limit_mb} MB limit"),
    "reader.too_many_members": _t("{source}：zip 里有 {count} 个文件，超过 {limit} 个的上限",
                                  "{source}: {count} files in the zip, over the limit of "
                                  "{limit}"),
    "reader.too_many_elements": _t("{source}：HTML 有 {count} 个元素，超过 {limit} 个的上限",
                                   "{source}: {count} HTML elements, over the limit of {limit}"),
    "reader.too_deep": _t("{source}：HTML 元素嵌套 {depth} 层，超过 {limit} 层的上限",
                          "{source}: HTML elements nested {depth} deep, over the limit of "
                          "{limit}"),
    "reader.span_area": _t(
        "{source}：表格按合并单元格展开（行数 × 列数）后有 {area} 格，超过 {limit} 格的上限",
        "{source}: the tables span {area} cells once merged cells are expanded (rowspan × "
        "colspan), over the limit of {limit}"),
    "reader.too_many_pages": _t("{source}：PDF 至少有 {pages} 页，超过 {limit} 页的上限",
                                "{source}: the PDF has at least {pages} pages, over the limit "
                                "of {limit}"),
    "reader.too_many_chars": _t("{source}：文字至少有 {chars} 字，超过 {limit} 字的上限",
                                "{source}: at least {chars} characters of text, over the "
                                "limit of {limit}"),
    "reader.zip_corrupt": _t("{source}：docx 的 zip 数据已损坏，无法解压（{member}）",
                             "{source}: the docx's zip data is damaged ({member})"),
    "reader.zip_unsupported": _t(
        "{source}：zip 里的 {member} 无法解压（要求解压程序版本 {version}，压缩方式 {method}）",
        "{source}: zip member {member} cannot be inflated (it needs version {version} to "
        "extract, compression method {method})"),
    "reader.not_docx": _t("{source}：这个 zip 压缩包不是 Word（.docx）文档（没有 {member}）",
                          "{source}: a zip archive that is not a Word (.docx) document "
                          "(no {member})"),
    "reader.docx_xml": _t("{source}：docx 里的 {member} 不是有效的 XML（第 {line} 行）",
                          "{source}: {member} in the docx is not valid XML (line {line})"),
    "reader.docx_body": _t("{source}：docx 里的 {member} 不是 Word 正文（根元素是 {root}）",
                           "{source}: {member} in the docx is no Word body (its root is "
                           "{root})"),
    "reader.zip_directory": _t("{source}：docx 的 zip 目录已损坏，无法打开",
                               "{source}: the docx's zip directory is damaged; it cannot be "
                               "opened"),
    "reader.too_complex": _t("{source}：文件结构太复杂（{error}），无法读取",
                             "{source}: the file is too complex to read ({error})"),
    "reader.internal": _t("{source}：读取时出了意外的错误（{error}），请把这个文件报告给开发者",
                          "{source}: an unexpected error while reading ({error}); please "
                          "report this file to the developers"),
    "reader.bad_limit": _t("环境变量 {name} 的值{value:quote}无效：应为正整数",
                           "environment variable {name}={value:quote} is invalid: it must be "
                           "a positive whole number"),
    # --- the reader's warnings (Report.notes) ------------------------------------------------
    "reader.warn.no_title": _t("没有找到报告标题（含“政府信息公开工作年度报告”的一行）",
                               "no report title found (a line naming 政府信息公开工作年度报告)"),
    "reader.warn.instructions_left": _t("报告里留着模板的编写说明（{lines} 行），已跳过",
                                        "the template's 编写说明 were left in ({lines} lines); "
                                        "skipped"),
    "reader.warn.no_section_three": _t(
        "找不到第三部分（收到和处理政府信息公开申请情况）；章节只有：{sections:list}",
        "no section 三 (收到和处理政府信息公开申请情况) found; the sections are: "
        "{sections:list}"),
    "reader.warn.no_requests_table": _t("第三部分“{title}”里没有可识别的统计表",
                                        "section 三 ({title}) has no recognisable statistics "
                                        "table"),
    "reader.warn.template_disagree": _t(
        "第二部分的表是 {template} 年模板，第三部分的表却是 {other} 年模板；按 {template} 年模板读",
        "section 二 reads as the {template} template but section 三 as {other}; "
        "{template} kept"),
    "reader.warn.rows_missing": _t("第三部分统计表缺少的行：{rows:rows}",
                                   "rows missing from the 三 table: {rows:rows}"),
    "reader.warn.carried_forward_missing": _t(
        "第三部分统计表没有“四、结转下年度继续办理”这一行：核对时按 0 计",
        "row carried_forward (四、结转下年度继续办理) missing: counted as 0 in checks"),
    "reader.warn.row_twice": _t("{row:row} 这一行出现了两次，用第一次的数字",
                                "row {row:row} appears twice; the first one is kept"),
    "reader.warn.row_unknown_label": _t(
        "不认识的行{label:quote}，它的数字（{values:list}）未采用",
        "unknown row label {label:quote}: its values ({values:list}) are ignored"),
    "reader.warn.row_no_label": _t("没有行名的数字（{values:list}）未采用",
                                   "values without a row label ({values:list}) are ignored"),
    "reader.warn.row_unplaced": _t(
        "{row:row}：数字（{values:list}）各在哪一列无法确定（空白单元格没有显示出来），这一行留空",
        "row {row:row}: the columns of its numbers ({values:list}) cannot be recovered "
        "(blank cells not represented); values left null"),
    "reader.warn.cell_not_a_number": _t("{cell:cell}：{raw:quote} 不是数字，留空",
                                        "{cell:cell}: {raw:quote} is not a number; left null"),
    "reader.warn.cell_negative": _t(
        "{cell:cell}：{figure:figure} 是负数，件数不应为负；核对不用这个单元格",
        "{cell:cell}: {figure:figure} is negative, which no count is; the checks leave it out"),
    "reader.warn.cell_too_large": _t(
        "{cell:cell}：{figure:figure} 超过 {limit} 的上限，不像是件数；留空，核对不用",
        "{cell:cell}: {figure:figure} is over the limit of {limit} for a count; left null and "
        "out of the checks"),
    "reader.warn.proactive_columns": _t(
        "第二部分{row:proactive_row}：{numbers} 个数字（{values:list}）对不上 {columns} 列，留空",
        "proactive row {row:proactive_row}: {numbers} numbers ({values:list}) for {columns} "
        "columns; left null"),
    "reader.warn.review_columns": _t(
        "第四部分（行政复议、行政诉讼）的表有 {numbers} 个数字（{values:list}），应为 15 个；"
        "各列无法确定，留空",
        "review/litigation table: {numbers} numbers ({values:list}) for 15 columns; the "
        "columns cannot be recovered"),
    # --- the command line -----------------------------------------------------------------
    "cli.error": _t("错误：{message}", "error: {message}"),
    "cli.note": _t("注意：{message}", "note: {message}"),
    "cli.hint": _t("用法见：{command} --help", "usage: {command} --help"),
    "cli.no_such_command": _t("没有命令 {name}；可用的命令：{commands:list}",
                              "no command {name}; the commands are {commands:list}"),
    "cli.no_such_option": _t("没有选项 {name}", "no option {name}"),
    "cli.no_such_option_maybe": _t("没有选项 {name}；是不是 {maybe:list}？",
                                   "no option {name}; did you mean {maybe:list}?"),
    "cli.missing": _t("缺少 {name}", "missing {name}"),
    "cli.needs_value": _t("{name} 后面要有一个值", "{name} needs a value"),
    "cli.bad_choice": _t("{name} 应为 {choices:list} 之一", "{name} must be one of {choices:list}"),
    "cli.bad_int": _t("{name} 应为整数", "{name} must be a whole number"),
    "cli.bad_min": _t("{name} 应为不小于 {min} 的整数",
                      "{name} must be a whole number of at least {min}"),
    "cli.bad_value": _t("{name} 的值无效", "{name}: invalid value"),
    "cli.usage": _t("命令行用法不对", "the command line is not valid"),
    "cli.stdin": _t("标准输入", "stdin"),
    "cli.stdout": _t("标准输出", "stdout"),
    "cli.stdin_empty": _t("标准输入（-）是空的", "stdin (-) is empty"),
    "cli.write_failed": _t("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "cli.read_failed": _t("无法读取 {path}：{reason}", "cannot read {path}: {reason}"),
    "cli.no_such_file": _t("没有这个文件：{path}", "no such file: {path}"),
    "cli.missing_extra": _t("缺少 {module}：请安装 pip install -e '.[{extra}]'",
                            "{module} is missing: pip install -e '.[{extra}]'"),
    "os.denied": _t("没有权限", "permission denied"),
    "os.not_found": _t("文件或所在文件夹不存在", "the file or its folder does not exist"),
    "os.is_dir": _t("这是一个文件夹", "it is a folder"),
    "os.no_space": _t("磁盘已满", "the disk is full"),
    "os.other": _t("读写出错（errno {code}）", "I/O error (errno {code})"),
    "os.read_only": _t("文件系统是只读的", "the file system is read-only"),
    "os.quota": _t("超出了磁盘配额", "the disk quota is exceeded"),
    # --- writing output: the one line for a full, read-only or forbidden disk ----------------
    "output.failed": _t("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "output.resume": _t("无法写入 {path}：{reason}；已完成的报告都已保存，腾出空间（或换个 --out）"
                        "后再运行同一条命令即可接着做",
                        "cannot write {path}: {reason}; the reports done so far are kept: "
                        "free some space (or choose another --out) and run the same command "
                        "again to resume"),
    "input.not_utf8": _t("{path}：不是 UTF-8 文本", "{path}: not UTF-8 text"),
    "input.bad_json": _t("{path} 第 {line} 行：不是有效的 JSON",
                         "{path}:{line}: not valid JSON"),
    "input.not_object": _t("{path} 第 {line} 行：应为 JSON 对象",
                           "{path}:{line}: expected a JSON object"),
    "input.no_id": _t("{path} 第 {line} 行：缺少 id", "{path}:{line}: missing 'id'"),
    "input.no_text": _t("{path} 第 {line} 行：text 必须是非空字符串",
                        "{path}:{line}: 'text' must be a non-empty string"),
    "input.other": _t("输入有误：{detail}", "bad input: {detail}"),
    "model.missing_default": _t("还没有{task:task}模型（{path}）；"
                                "先训练：gongkai train --task {task}",
                                "no {task:task} model at {path}; make it with: "
                                "gongkai train --task {task}"),
    "model.missing": _t("没有模型目录 {path}", "no model directory at {path}"),
    "model.unusable": _t("模型无法使用：{detail}", "cannot use the model: {detail}"),
    "model.training_default": _t(
        "还没有{task:task}模型（{path}），先训练默认模型（gongkai train --task {task}）",
        "no {task:task} model at {path}; training the default one first "
        "(gongkai train --task {task})"),
    "model.corpus_changed": _t("训练这个模型之后语料有变动，测试集可能与新的划分重叠",
                               "the corpus changed since this model was trained; its test "
                               "split may overlap the new one"),
    "model.e5_options_ignored": _t("{options:list} 只用于 e5 类模型；{kind} 不用，已忽略",
                                   "{options:list} concern the e5 kinds; ignored for {kind}"),
    "model.no_rows": _t("{path}：没有带标签的行", "{path}: no labelled rows"),
    "base_model.failed": _t("无法准备基础模型：{detail}",
                            "cannot prepare the base model: {detail}"),
    "serve.bad_setting": _t("环境变量 {name} 的值无效：{problem}",
                            "environment variable {name} is invalid: {problem}"),
    # report (terminal)
    "report.no_title": _t("(无标题)", "(no title)"),
    "report.meta": _t("机关：{agency}   年度：{year}   模板：{template}   段落：{paragraphs}   "
                      "章节：{sections}",
                      "agency: {agency}   year: {year}   template: {template}   "
                      "paragraphs: {paragraphs}   sections: {sections}"),
    "report.unknown": _t("?", "?"),
    "report.undetermined": _t("未能判定", "undetermined"),
    "report.none": _t("无", "none"),
    "report.table": _t("三、收到和处理政府信息公开申请情况",
                       "III. Requests received and handled (三)"),
    "report.row": _t("行", "row"),
    "report.checks": _t("勾稽关系核对", "Arithmetic checks (勾稽关系)"),
    "report.warning": _t("提示：{warning}", "note: {warning}"),
    "column.short.natural_person": _t("自然人", "person"),
    "column.short.commercial": _t("商业", "business"),
    "column.short.research": _t("科研", "research"),
    "column.short.nonprofit": _t("公益", "nonprofit"),
    "column.short.legal_services": _t("法律", "legal"),
    "column.short.other_org": _t("其他", "other"),
    "column.short.total": _t("总计", "total"),
    # classify (terminal)
    "classify.text_or_input": _t("请给出一段文本 TEXT 或 --input FILE，二选一",
                                 "give either one TEXT or --input FILE"),
    "classify.record_needs_text": _t("--record 只和一段 TEXT 一起用；"
                                     "--input 的每行可带 record 字段",
                                     "--record goes with one TEXT; in --input give each line "
                                     "a record field"),
    "classify.output_needs_input": _t("--output 只和 --input 一起用；单段文本请用 --json",
                                      "--output goes with --input; for one TEXT use --json"),
    "report.output_needs_json": _t("-o/--output 写的是 JSON Lines，要和 --json 一起用",
                                   "-o/--output writes JSON Lines: use it with --json"),
    "classify.empty": _t("文本是空的", "the text is empty"),
    "classify.no_chinese": _t("文本里没有汉字，下面的结果只是猜测",
                              "the text has no Chinese characters; the answer below is a guess"),
    "classify.cut": _t("文本超过 {limit} 字，只按前 {limit} 字分类",
                       "the text is cut to its first {limit} characters"),
    "classify.record_cut": _t("办理记录超过 {limit} 字，只用前 {limit} 字",
                              "the record is cut to its first {limit} characters"),
    "classify.cut_rows": _t("{count} 条超过 {limit} 字，只按前 {limit} 字分类（id：{ids:list}）",
                            "{count} texts or records were cut to their first {limit} "
                            "characters (ids: {ids:list})",
                            "1 text or record was cut to its first {limit} characters "
                            "(id: {ids:list})"),
    "classify.done": _t("已分类 {count} 条 → {output}", "{count} texts classified → {output}",
                        "1 text classified → {output}"),
    "show.group": _t("所属类别", "group"),
    "show.score": _t("置信度", "score"),
    "show.legal_basis": _t("法律依据", "legal basis"),
    "show.article": _t("条文要点", "article says"),
    "show.top": _t("其他可能", "top"),
    "show.terms": _t("判断依据", "terms"),
    "show.needs_record": _t("需要办理记录", "needs record"),
    "show.text_alone": _t("仅凭申请文本", "text alone"),
    "show.no_disposition": _t("没有提到处理结果", "no disposition named"),
    "show.counts": _t("数字", "counts"),
    # demo
    "demo.no_samples": _t("在 {path} 找不到示例报告", "no sample reports in {path}"),
    "demo.tagged": _t("{name}：段落标注", "{name}: tagged paragraphs"),
    "demo.requests": _t("示例申请", "sample requests"),
    # tag and summarize
    "tag.needs_out": _t("{flags:list} 要和 --out DIR 一起用", "{flags:list} need --out DIR"),
    "tag.output_or_out": _t("--output 是不带 --out 时的 JSON Lines 文件；两者只能给一个",
                            "--output is the JSON Lines file without --out; give one of them"),
    "tag.ray_parquet": _t("ray 引擎只写 Parquet", "the ray engine writes Parquet only"),
    "tag.address_needs_ray": _t("--address 只用于 --engine ray", "--address is for --engine ray"),
    "tag.stdin_needs_stream": _t("标准输入（-）只能用于不带 --out 的标注；"
                                 "要生成数据集，请先存成文件",
                                 "stdin (-) works without --out only; save the report to a "
                                 "file to make datasets"),
    "tag.nothing": _t("没有可读的报告文件", "nothing to read: the inputs hold no report files"),
    "tag.skipped": _t("跳过 {count} 个不是报告的文件：{names:list}",
                      "skipped {count} files that are not reports: {names:list}",
                      "skipped 1 file that is not a report: {names:list}"),
    "tag.cut": _t("{count} 个段落超过 {limit} 字，只按前 {limit} 字标注",
                  "{count} paragraphs were tagged on their first {limit} characters",
                  "1 paragraph was tagged on its first {limit} characters"),
    "tag.done": _t("{reports} 份报告，{errors} 个无法读取 → {paths:list}",
                   "{reports} reports, {errors} errors → {paths:list}"),
    "tag.done_before": _t("{reports} 份报告（{count} 份此前已完成），{errors} 个无法读取 → "
                          "{paths:list}",
                          "{reports} reports ({count} done before), {errors} errors → "
                          "{paths:list}"),
    "tag.resume": _t("已中断；再运行同一条命令即可接着做", "interrupted; run the same command "
                     "again to resume"),
    "archive.failed": _t("任务无法进行：{detail}", "the job cannot run: {detail}"),
    "tag.timeout": _t("{source}：读取超过 {limit} 秒的上限，已停止",
                      "{source}: reading took longer than the {limit} s limit and was stopped"),
    "summary.nothing": _t("{path}：没有一份报告写明机关和年度，无法汇总",
                          "{path}: no report names its agency and year; nothing to summarize"),
    "header.agency": _t("机关", "agency"),
    "header.year": _t("年度", "year"),
    "header.report_id": _t("报告编号", "report id"),
    "header.template": _t("模板", "template"),
    "header.arithmetic_failures": _t("未通过的核对", "failed checks"),
    "header.narrative_contradiction": _t("正文与统计表不符", "narrative contradicts table"),
    "header.reports": _t("报告份数", "reports"),
    "header.received": _t("本年新收", "received"),
    "header.carried_over": _t("上年结转", "carried over"),
    "header.disposed": _t("办理总计", "disposed"),
    "header.carried_forward": _t("结转下年度", "carried forward"),
    "header.level": _t("层级", "level"),
    "header.category": _t("类别编号", "category"),
    "header.name": _t("名称", "name"),
    "header.count": _t("件数", "count"),
    "header.share": _t("占比", "share"),
    "header.share_of": _t("{label:label}占比", "share {label:label}"),
    "header.group": _t("{label:label}", "{label:label}"),
    "header.measure": _t("指标", "measure"),
    "header.year_before": _t("上一年度", "year before"),
    "header.before": _t("上一年度数值", "before"),
    "header.after": _t("本年度数值", "after"),
    "header.change": _t("变化倍数", "change"),
    "chart.groups": _t("各年度处理结果构成（全部机关）", "Dispositions by year (all agencies)"),
    "chart.groups_axis": _t("占办理总数的比例", "share of requests disposed"),
    "chart.checks": _t("各年度核对结果", "Check verdicts by year"),
    "chart.checks_axis": _t("机关·年度数", "agency-years"),
    "chart.reports": _t("报告", "reports"),
    "chart.arithmetic": _t("统计表算术不符", "arithmetic fails"),
    "chart.narrative": _t("正文与统计表不符", "narrative contradicts table"),
    "html.title": _t("政府信息公开工作年度报告汇总", "Disclosure annual reports: summary"),
    "html.scope": _t("{reports} 份报告 · {agencies} 个机关 · {first}–{last} 年度",
                     "{reports} reports · {agencies} agencies · {first}–{last}"),
    "html.by_agency": _t("各机关各年度", "By agency and year"),
    "html.outliers": _t("同一机关相邻年度变化超过 {ratio} 倍", "Changes over {ratio}× from one "
                        "year to the next"),
    "html.charts": _t("图表", "Charts"),
    "html.none": _t("无", "none"),
    # --- the HTTP API ---------------------------------------------------------------------
    "api.not_found": _t("没有这个地址：{path}", "no such resource: {path}"),
    "api.method_not_allowed": _t("{path} 不接受 {method} 请求", "{path} does not take {method}"),
    "api.too_large": _t("请求体超过 {limit} 字节的上限", "the request body is over {limit} bytes"),
    "api.too_many_requests": _t("已有 {limit} 个请求在处理，请稍后重试",
                                "{limit} requests are already being handled; retry shortly"),
    "api.not_ready": _t("模型还在加载，请稍后重试", "the models are not loaded yet"),
    "api.internal": _t("服务器内部出错，详情见服务器日志",
                       "an unexpected error; see the server log"),
    "api.invalid_json": _t("请求体不是有效的 JSON", "the body is not valid JSON"),
    "api.too_many_texts": _t("收到 {count} 条文本，每次最多 {limit} 条",
                             "{count} texts; at most {limit} per request"),
    "api.text_too_long": _t("第 {number} 条文本超过模型上限 {limit} 字",
                            "text {index} is over the model's limit of {limit} characters"),
    "api.text_cut": _t("第 {number} 条文本超过 {limit} 字，只按前 {limit} 字分类",
                       "text {index} was cut to its first {limit} characters"),
    "api.upload_type": _t("{name}：请上传 .txt、.html、.docx 或 .pdf 格式的报告",
                          "{name}: send a .txt, .html, .docx or .pdf report"),
    "api.report_media": _t('请以 multipart/form-data（字段 file）或 JSON {{"text": …}} 发送报告',
                           'send the report as multipart/form-data (part "file") or as JSON '
                           '{{"text": …}}'),
    "api.no_file_part": _t("multipart 请求体里没有名为 file 的部分",
                           "the multipart body has no part named file"),
    "api.bad_multipart": _t("无法解析 multipart 请求体", "unreadable multipart body"),
    "api.report_timeout": _t("{name}：读取超过 {limit} 秒的上限，已停止",
                             "{name}: reading took longer than the {limit} s limit and was "
                             "stopped"),
    "api.body_timeout": _t("请求体没有在 {limit} 秒内传完",
                           "the request body did not arrive within {limit} s"),
    "api.http_status": _t("请求无法处理（HTTP {status}）", "the request failed (HTTP {status})"),
    "api.invalid": _t("{field}：{problem}", "{field}: {problem}"),
    "api.body": _t("请求体", "body"),
    "valid.missing": _t("缺少此项", "required"),
    "valid.extra": _t("不允许的字段", "not allowed"),
    "valid.empty": _t("不能为空", "must not be empty"),
    "valid.too_short": _t("至少要有 {min} 项", "needs at least {min} items"),
    "valid.min": _t("应不小于 {min}", "must be at least {min}"),
    "valid.max": _t("应不大于 {max}", "must be at most {max}"),
    "valid.choice": _t("应为 {choices:list} 之一", "must be one of {choices:list}"),
    "valid.type": _t("类型不对，应为{kind}", "must be {kind}"),
    "valid.texts_or_items": _t("texts 和 items 要给一个，且只能给一个",
                               "give either texts or items"),
    "valid.other": _t("取值无效", "invalid value"),
    "kind.string": _t("字符串", "a string"),
    "kind.integer": _t("整数", "a whole number"),
    "kind.number": _t("数字", "a number"),
    "kind.boolean": _t("布尔值（true 或 false）", "true or false"),
    "kind.list": _t("列表", "a list"),
    "kind.object": _t("JSON 对象", "a JSON object"),
}

_LIST_SEPARATOR = {"zh": "、", "en": ", "}
_QUOTES = {"zh": ("「", "」"), "en": ("“", "”")}


def _row_name(row_id: str) -> str:
    """A row of the 三 table as the report prints it; a leaf under its group."""
    taxonomy = load_taxonomy()
    for row in taxonomy.rows:
        if row.id == row_id:
            return row.name
    try:
        group = taxonomy.group(taxonomy.group_of(row_id))
    except KeyError:
        return row_id
    heading = f"{group.marker}{group.name}"
    return heading if row_id == group.id else f"{heading}·{taxonomy.leaf(row_id).name}"


def _column_name(column_id: str) -> str:
    for column in load_taxonomy().columns:
        if column.id == column_id:
            # 其他 alone reads like the (六)其他处理 rows: name the organisations.
            return f"{column.parent}·{column.name}" if column.name == "其他" else column.name
    return column_id


def _label_name(label: str) -> str:
    try:
        return load_taxonomy().name(label)
    except KeyError:
        return label


_NAMED = ("check", "block", "task", "review_column", "proactive_row", "proactive_column",
          "reason")
_FIGURE_DIGITS = 20  # a figure longer than this is shortened in a message
_CELL_TABLES = {"requests": ("row", "column", " × "),
                "review_litigation": ("block", "review_column", "·"),
                "proactive": ("proactive_row", "proactive_column", "·")}


class _Formatter(string.Formatter):
    """``str.format`` whose format specs name what a value is (see the module docstring)."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in ("row", "column", "label"):
            if self.lang == "en":
                return str(value)
            return {"row": _row_name, "column": _column_name, "label": _label_name}[
                format_spec](str(value))
        if format_spec in _NAMED:
            key = f"{format_spec}.{value}"
            return say(key, self.lang) if key in CATALOGUE else str(value)
        if format_spec == "quote":
            opening, closing = _QUOTES[self.lang]
            return f"{opening}{value}{closing}"
        if format_spec in ("list", "rows", "cells"):
            item_spec = {"list": "", "rows": "row", "cells": "cell_figure"}[format_spec]
            return _LIST_SEPARATOR[self.lang].join(
                self.format_field(item, item_spec) for item in value)
        if format_spec in ("cell", "cell_figure"):
            return self._cell(value, with_figure=format_spec == "cell_figure")
        if format_spec == "figure":
            return self._figure(value)
        if format_spec == "note":
            return say(value["id"], self.lang, **value.get("values", {}))
        return super().format_field(value, format_spec)

    def _cell(self, cell: Mapping[str, Any], with_figure: bool) -> str:
        """``(一)予以公开 × 自然人``; with its figure and reason: ``…（-3，负数）``."""
        row_spec, column_spec, joint = _CELL_TABLES.get(cell.get("table", "requests"),
                                                        _CELL_TABLES["requests"])
        name = (self.format_field(cell.get("row", "?"), row_spec) + joint
                + self.format_field(cell.get("column", "?"), column_spec))
        if not with_figure or "figure" not in cell:
            return name
        parts = [self._figure(cell["figure"])]
        if cell.get("reason"):
            parts.append(self.format_field(cell["reason"], "reason"))
        opening, separator, closing = ("（", "，", "）") if self.lang == "zh" else (" (", ", ", ")")
        return name + opening + separator.join(parts) + closing

    def _figure(self, value: Any) -> str:
        text = str(value)
        digits = sum(char.isdigit() for char in text)
        if digits <= _FIGURE_DIGITS:
            return text
        short = f"{text[:12]}…"
        return f"{short}（共 {digits} 位）" if self.lang == "zh" else f"{short} ({digits} digits)"


def say(message_id: str, lang: str = DEFAULT_LANG, /, **values: Any) -> str:
    """The message ``message_id`` in ``lang`` with its placeholders filled from ``values``.

    An unknown id or a missing value raises ``KeyError``: both are programming errors that
    the catalogue tests find.
    """
    entry = CATALOGUE[message_id]
    language: Lang = "en" if lang == "en" else "zh"
    template = entry.zh if language == "zh" else entry.en
    if language == "en" and entry.en_one is not None and values.get("count") == 1:
        template = entry.en_one
    return _Formatter(language).vformat(template, (), values)


def placeholders(template: str) -> set[str]:
    """The names a template fills, for the tests that keep languages in step."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class Note:
    """A message kept as data (id and values) and rendered where it is shown."""

    id: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return say(self.id, lang, **self.values)

    def as_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """The JSON form: the stable id beside the rendered message and its values."""
        return {"id": self.id, "message": self.text(lang), "values": dict(self.values)}


# --- the reader's checks and errors, shown at the boundary ----------------------------------


def failure_note(check_id: str, failure: Mapping[str, Any]) -> Note:
    """One entry of a check's ``values["failures"]`` as a message: the row × column and both
    figures, or the sentence, figure and cell of a narrative contradiction."""
    message_id = f"failure.{check_id}"
    if check_id == "narrative" and failure.get("matches_column"):
        message_id = "failure.narrative_column"
    return Note(message_id, dict(failure))


def check_details(check: Mapping[str, Any], lang: str = DEFAULT_LANG) -> list[str]:
    """A check's failures, one sentence each (empty for a check that holds)."""
    values = check.get("values") or {}
    return [failure_note(check["id"], failure).text(lang)
            for failure in values.get("failures", [])]


def reader_note(kind: str, source: str, limit_bytes: int, message_id: str | None = None,
                values: Mapping[str, Any] | None = None) -> Note:
    """A ReaderError as gongkai's own message, never the reader's text (which may carry a
    library's English: ``No /Root object! - Is this really a PDF?``): the error's own
    ``message_id`` and ``values`` where it has a specific one (``reader.too_many_pages``),
    else its kind."""
    if message_id and message_id != f"reader.{kind}" and message_id in CATALOGUE:
        return Note(message_id, {**(values or {}), "source": source})
    if f"reader.{kind}" not in CATALOGUE:
        return Note("reader.other", {"source": source, "kind": kind})
    return Note(f"reader.{kind}", {"source": source, "limit_mb": f"{limit_bytes / 2**20:.3g}"})


# --- choosing the language -----------------------------------------------------------------

_TAG = re.compile(r"^\s*([A-Za-z]{1,8})(?:[-_][A-Za-z0-9]{1,8})*")


def lang_of(value: str | None) -> Lang | None:
    """``en``, ``en-US``, ``zh-Hans-CN``, ``zh_CN.UTF-8`` → the language; None otherwise."""
    found = _TAG.match(value or "")
    primary = found.group(1).lower() if found else ""
    return primary if primary in LANGS else None  # type: ignore[return-value]


@lru_cache(maxsize=256)
def accept_language(header: str | None) -> Lang:
    """The best language an ``Accept-Language`` header asks for (q-values honoured, the
    earlier of equal ones first); Chinese when it names neither. Cached: a server parses
    the same few headers on every request."""
    choices: list[tuple[float, int, Lang]] = []
    for order, part in enumerate((header or "").split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        found = re.search(r"q\s*=\s*([^;\s]*)", params)
        if found:
            try:
                quality = float(found.group(1))
            except ValueError:
                continue
        lang = lang_of(tag)
        if lang is not None and quality > 0:
            choices.append((-quality, order, lang))
    return min(choices)[2] if choices else DEFAULT_LANG
