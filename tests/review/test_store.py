"""The store's URL, its text hash and its times."""

from __future__ import annotations

import pytest

from gongkai.corrections import (
    URL_ENV,
    Correction,
    CorrectionError,
    CorrectionStore,
    database,
    default_url,
    existing_store,
    text_hash,
    timestamp,
)


def test_store_urls_follow_sqlalchemy(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert database("sqlite:///relative.db") == "relative.db"
    assert database("sqlite:////abs/c.db") == "/abs/c.db"
    assert database("sqlite://") == ":memory:"
    with pytest.raises(CorrectionError):
        database("postgresql://host/db")
    monkeypatch.setenv("GONGKAI_HOME", str(tmp_path))
    monkeypatch.delenv(URL_ENV, raising=False)
    assert default_url() == f"sqlite:///{tmp_path / 'corrections.sqlite3'}"
    assert existing_store() is None and not (tmp_path / "corrections.sqlite3").exists()
    monkeypatch.setenv(URL_ENV, f"sqlite:///{tmp_path / 'other.db'}")
    CorrectionStore()
    assert existing_store() is not None and (tmp_path / "other.db").is_file()


def test_the_same_text_in_another_form_has_the_same_hash() -> None:
    assert text_hash("请公开  ２０２３年预算") == text_hash("请公开 2023年预算")
    assert text_hash("请公开预算", "已答复") != text_hash("请公开预算")


def test_times_of_every_source_sort_as_text() -> None:
    assert timestamp("2026-03-01T08:00:00+08:00") == "2026-03-01T00:00:00.000000Z"
    assert timestamp("2026-03-01T00:00:00.5Z") > timestamp("2026-03-01T00:00:00Z")
    with pytest.raises(CorrectionError):
        timestamp("yesterday")


def test_an_item_is_found_by_id() -> None:
    store = CorrectionStore("sqlite://")
    store.add([Correction("request", "a", "请公开X", ("disclose",), "甲", "2026-01-01"),
               Correction("request", "a", "请公开X", ("partial",), "甲", "2026-01-02")])
    assert store.find("request", "a").labels == ("partial",)
    assert store.find("request", "b") is None and store.find("paragraph", "a") is None
