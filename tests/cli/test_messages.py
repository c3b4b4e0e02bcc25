"""The message catalogue: both languages fill the same placeholders, every id the code
names exists, and messages name the specifics (row × column and both figures)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.messages import (
    CATALOGUE,
    Note,
    accept_language,
    check_details,
    lang_of,
    placeholders,
    reader_note,
    say,
)

ROOT = Path(__file__).resolve().parents[2]
# fail("id", …), notice("id", …), text("id", …), say("id", …), Note("id", …), ApiError(…, "id")
USES = re.compile(r"""(?:fail|notice|complain|text|say|Note)\(\s*["']([a-z_]+\.[a-z_.]+)["']"""
                  r"""|ApiError\([^)]*?["']((?:api|reader)\.[a-z_]+)["']""")


# Where the languages name a value differently: Chinese counts texts from 1, English keeps
# the index of the JSON array.
DIFFERENT = {"api.text_cut": ({"number"}, {"index"}), "api.text_too_long": ({"number"}, {"index"})}


@pytest.mark.parametrize("message_id", sorted(CATALOGUE))
def test_both_languages_fill_the_same_placeholders(message_id: str) -> None:
    entry = CATALOGUE[message_id]
    zh_only, en_only = DIFFERENT.get(message_id, (set(), set()))
    assert placeholders(entry.zh) - zh_only == placeholders(entry.en) - en_only
    if entry.en_one is not None:  # the singular says "1 text", without the count
        assert placeholders(entry.en_one) == placeholders(entry.en) - {"count"}


def test_every_id_the_code_names_is_in_the_catalogue() -> None:
    sources = [*ROOT.glob("gongkai/cli/*.py"), *ROOT.glob("serving/**/*.py"),
               *ROOT.glob("gongkai/archive/*.py")]
    used = {match.group(1) or match.group(2) for path in sources
            for match in USES.finditer(path.read_text(encoding="utf-8"))}
    assert used and used - set(CATALOGUE) == set()


# Families looked up by a computed id: check.{id}, reader.{kind}, header.{column} …
COMPUTED = ("check.", "failure.", "reader.", "column.short.", "header.", "kind.", "block.",
            "task.", "review_column.", "proactive_row.", "proactive_column.", "reason.")


def test_every_catalogue_entry_is_used() -> None:
    code = "".join(path.read_text(encoding="utf-8") for path in [
        *ROOT.glob("gongkai/**/*.py"), *ROOT.glob("serving/**/*.py")]
        if path.name != "messages.py")
    unused = [message_id for message_id in CATALOGUE
              if not message_id.startswith(COMPUTED)
              and f'"{message_id}"' not in code and f"'{message_id}'" not in code]
    assert unused == []


def test_a_failure_names_the_row_the_column_and_both_figures() -> None:
    check = {"id": "group_sum", "values": {"failures": [
        {"row": "withhold", "column": "other_org", "group": 3, "sum_of_leaves": 2}]}}
    assert check_details(check) == ["(三)不予公开 × 法人或其他组织·其他：小计为 3，分项之和为 2"]
    assert check_details(check, "en") == [
        "withhold × other_org: the group row says 3, its sub-rows sum to 2"]


def test_a_narrative_contradiction_quotes_the_sentence_and_names_the_cell() -> None:
    check = {"id": "narrative", "values": {"failures": [
        {"row": "disclose", "narrative": 11, "table": 16, "text": "其中予以公开11件",
         "matches_column": "natural_person"}]}}
    assert check_details(check) == [
        "正文「其中予以公开11件」说(一)予以公开 11 件，统计表总计为 16 件（11 是自然人列的数字）"]


def test_a_leaf_is_named_under_its_group() -> None:
    assert say("failure.column_sum", row="withhold/state_secret", total=1,
               sum_of_applicants=2).startswith("(三)不予公开·属于国家秘密：")


def test_english_has_a_singular() -> None:
    assert say("classify.done", "en", count=1, output="out") == "1 text classified → out"
    assert say("classify.done", "en", count=2, output="out") == "2 texts classified → out"
    assert say("classify.done", count=1, output="out") == "已分类 1 条 → out"


def test_a_note_keeps_its_id_beside_the_message() -> None:
    note = Note("api.too_many_texts", {"count": 3, "limit": 2})
    assert note.as_dict("en") == {"id": "api.too_many_texts", "values": {"count": 3, "limit": 2},
                                  "message": "3 texts; at most 2 per request"}


def test_reader_errors_are_told_by_kind_never_by_the_librarys_text() -> None:
    assert reader_note("corrupt", "a.pdf", 25 * 2**20).text() == "a.pdf：文件已损坏，无法读取"
    assert reader_note("too_large", "a.pdf", 25 * 2**20).text("en") == (
        "a.pdf: the file is over the 25 MB limit for one report")
    assert reader_note("something_new", "a.pdf", 1).text() == "a.pdf：无法读取（something_new）"


@pytest.mark.parametrize(("value", "expected"), [
    ("en", "en"), ("en_US.UTF-8", "en"), ("zh-Hans-CN", "zh"), ("fr", None), ("", None),
    (None, None)])
def test_language_tags(value: str | None, expected: str | None) -> None:
    assert lang_of(value) == expected


@pytest.mark.parametrize(("header", "expected"), [
    ("en-US,en;q=0.9,zh;q=0.8", "en"), ("zh-CN;q=0.5, en;q=0.6", "en"), ("*", "zh"),
    ("en;q=bad, zh", "zh"), (None, "zh")])
def test_accept_language(header: str | None, expected: str) -> None:
    assert accept_language(header) == expected
