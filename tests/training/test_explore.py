"""The notebook helpers of ``gongkai.training.explore``, on hand-made inputs and the small fixture
corpora and models."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from datasets import Dataset, DatasetDict

from gongkai import fonts
from gongkai.models.base import DispositionModel
from gongkai.models.metadata import FORMAT, ModelMetadata
from gongkai.models.metrics import expected_calibration_error
from gongkai.models.predictions import ParagraphPrediction, RequestPrediction, Scored, Term
from gongkai.reader import ReaderError, read_report
from gongkai.taxonomy import load_taxonomy
from gongkai.training import explore
from gongkai.training.corpus import corpus_path, file_sha256

matplotlib.use("Agg")


def _dataset(rows: list[dict]) -> Dataset:
    return Dataset.from_list(rows)


@pytest.fixture
def tiny_paragraphs() -> DatasetDict:
    rows = [
        {"id": "a", "text": "本机关经检索不掌握该信息。", "labels": ["unable/not_held"]},
        {"id": "b", "text": "予以公开12件，部分公开3件。", "labels": ["disclose", "partial"]},
        {"id": "c", "text": "我局门户网站发布信息。", "labels": []},
    ]
    return DatasetDict({"train": _dataset(rows[:1]), "validation": _dataset(rows[1:2]),
                        "test": _dataset(rows[2:])})


def test_label_tree_lists_every_leaf_under_its_group_with_its_legal_basis() -> None:
    taxonomy = load_taxonomy()
    tree = explore.label_tree(taxonomy)
    assert list(tree.index.get_level_values("leaf")) == taxonomy.leaf_ids
    assert tree.loc[("(三)不予公开", "withhold/process_info"), "legal_basis"] == "第十六条第二款"
    assert not tree.loc[("(六)其他处理", "other/no_fee"), "in_2019"]
    assert tree.loc[("(六)其他处理", "other/no_fee"), "in_2021"]


def test_display_names_are_ids_without_a_chinese_font() -> None:
    assert explore.display_names(["disclose", "none"], None) == ["disclose", "none"]
    assert explore.display_names(["disclose", "none"], "Some Font") == ["予以公开", "none"]


def test_corpus_frame_has_one_row_per_text_and_none_for_unlabelled(
        tiny_paragraphs: DatasetDict) -> None:
    frame = explore.corpus_frame(tiny_paragraphs, "paragraph")
    assert list(frame["split"]) == ["train", "validation", "test"]
    assert frame.loc[2, "labels"] == ["none"]
    assert frame.loc[0, "chars"] == len("本机关经检索不掌握该信息。")
    assert "检索" in frame.loc[0, "tokens"] and "。" not in frame.loc[0, "tokens"]


def test_length_summary_counts_a_text_under_each_of_its_labels(
        tiny_paragraphs: DatasetDict) -> None:
    table = explore.length_summary(explore.corpus_frame(tiny_paragraphs, "paragraph"))
    assert list(table.index) == ["disclose", "partial", "unable/not_held", "none"]
    assert table.loc["partial", "texts"] == 1
    assert table.loc["partial", "chars_max"] == len("予以公开12件，部分公开3件。")
    assert table.loc["unable/not_held", "name"] == "本机关不掌握相关政府信息"
    assert table.loc["none", "group"] == "none"


def _frame(docs: list[tuple[list[str], list[str]]]) -> pd.DataFrame:
    return pd.DataFrame({"tokens": [tokens for tokens, _ in docs],
                         "labels": [labels for _, labels in docs]})


def test_distinctive_terms_rank_a_labels_own_words_first() -> None:
    frame = _frame([(["申请", "公开", "国家秘密", "国家秘密"], ["withhold/state_secret"])] * 3
                   + [(["申请", "公开", "检索", "不掌握"], ["unable/not_held"])] * 3)
    terms = explore.distinctive_terms(frame, top=2, min_count=1)
    secret = terms[terms["label"] == "withhold/state_secret"]
    assert secret.iloc[0]["term"] == "国家秘密" and secret.iloc[0]["count"] == 6
    assert "申请" not in set(terms["term"])  # shared by every text: not distinctive
    assert set(terms[terms["label"] == "unable/not_held"]["term"]) == {"检索", "不掌握"}


def test_distinctive_terms_skip_figures_placeholders_and_rare_words() -> None:
    frame = _frame([(["2021年", "XX", "某某", "12", "罕见", "内部事务", "内部事务"],
                     ["withhold/internal_affairs"]),
                    (["内部事务", "检索"], ["unable/not_held"])])
    terms = explore.distinctive_terms(frame, min_count=2)
    assert set(terms["term"]) <= {"内部事务"}
    assert "内部事务 (" in explore.terms_by_label(terms).loc["withhold/internal_affairs",
                                                             "terms"]


def test_label_similarity_is_one_on_the_diagonal_and_lower_for_other_words() -> None:
    frame = _frame([(["国家秘密", "保密"], ["withhold/state_secret"]),
                    (["国家秘密", "密级"], ["withhold/law_forbidden"]),
                    (["检索", "不掌握"], ["unable/not_held"])])
    similarity = explore.label_similarity(frame)
    assert np.allclose(np.diag(similarity), 1.0)
    assert similarity.at["withhold/state_secret", "withhold/law_forbidden"] > 0
    assert similarity.at["withhold/state_secret", "unable/not_held"] == 0


def test_confusable_pairs_add_both_directions() -> None:
    confusion = {"labels": ["disclose", "partial", "unable/not_held"],
                 "matrix": [[8, 2, 0], [3, 5, 0], [1, 0, 9]]}
    pairs = explore.confusable_pairs(confusion, top=5)
    first = pairs.iloc[0]
    assert (first["a"], first["b"], first["a_as_b"], first["b_as_a"], first["mixed"]) == (
        "disclose", "partial", 2, 3, 5)
    assert first["share"] == round(5 / 18, 3) and first["b_name"] == "部分公开"
    assert len(pairs) == 2  # partial / not_held never mixed: left out
    similarity = pd.DataFrame(0.5, index=confusion["labels"], columns=confusion["labels"])
    assert list(explore.confusable_pairs(confusion, similarity=similarity)["similarity"]) == [
        0.5, 0.5]


def test_calibration_curve_bins_like_the_ece() -> None:
    confidence = [0.0, 0.05, 0.1, 0.55, 0.95, 1.0]
    correct = [False, False, True, True, True, False]
    curve = explore.calibration_curve(confidence, correct, bins=10)
    assert list(curve["count"]) == [3, 1, 2]  # 0 and 0.1 fall in the first bin
    assert curve.iloc[0]["accuracy"] == pytest.approx(1 / 3)
    ece = sum(row["count"] / 6 * abs(row["confidence"] - row["accuracy"])
              for _, row in curve.iterrows())
    assert round(ece, 4) == expected_calibration_error(confidence, correct, bins=10)


def test_request_outcomes_and_worst_errors(request_model: DispositionModel,
                                           request_corpus: DatasetDict) -> None:
    rows = list(request_corpus["test"])
    predictions = explore.predict_all({"m": request_model}, [row["text"] for row in rows])["m"]
    confidence, correct = explore.confidence_outcomes(rows, predictions, request_model.labels)
    assert confidence.shape == correct.shape == (len(rows),)
    worst = explore.worst_errors(rows, predictions, n=3, model=request_model)
    wrong = int((~correct).sum())
    assert len(worst) == min(3, wrong)
    assert list(worst["score"]) == sorted(worst["score"], reverse=True)
    assert all(worst["true"] != worst["predicted"])
    assert all(worst["true_score"] <= worst["score"])
    assert all(worst["why"].str.len() > 0)
    assert "position" not in worst.columns


def test_paragraph_outcomes_and_worst_errors(paragraph_model: DispositionModel,
                                             paragraph_corpus: DatasetDict) -> None:
    rows = list(paragraph_corpus["test"])
    labels = paragraph_model.labels
    predictions = explore.predict_all({"m": paragraph_model}, [row["text"] for row in rows])["m"]
    confidence, correct = explore.confidence_outcomes(rows, predictions, labels)
    assert confidence.shape == correct.shape == (len(rows) * len(labels),)
    worst = explore.worst_errors(rows, predictions, n=4, model=paragraph_model)
    assert len(worst) <= 4
    assert all(isinstance(p, ParagraphPrediction) for p in predictions)
    for _, row in worst.iterrows():
        assert row["extra"] or row["missed"]
        assert set(row["extra"]) == set(row["predicted"]) - set(row["true"])
        assert all(f"{label}: " in row["why"] for label in row["extra"])


def test_worst_errors_explain_the_wrong_label() -> None:
    rows = [{"id": "x", "text": "请提供会议纪要", "label": "withhold/process_info"},
            {"id": "y", "text": "公开预算", "label": "disclose"}]
    predictions = [
        RequestPrediction(label="disclose", group="disclose", score=0.9,
                          top=[Scored("disclose", 0.9), Scored("withhold/process_info", 0.1)],
                          legal_basis="", explanation=[Term("会议纪要", 0.5)]),
        RequestPrediction(label="disclose", group="disclose", score=0.8, top=[],
                          legal_basis="", explanation=[]),
    ]
    worst = explore.worst_errors(rows, predictions)
    assert list(worst["id"]) == ["x"]
    assert worst.iloc[0]["why"] == "会议纪要 (0.50)" and worst.iloc[0]["true_score"] == 0.1


def test_prediction_table_for_a_request_and_a_paragraph() -> None:
    request = RequestPrediction(
        label="withhold/process_info", group="withhold", score=0.8,
        top=[Scored("withhold/process_info", 0.8), Scored("disclose", 0.1)],
        legal_basis="第十六条第二款", explanation=[Term("会议纪要", 1.2)])
    table = explore.prediction_table(request)
    assert list(table["chosen"]) == [True, False]
    assert table.iloc[0]["why"] == "会议纪要 (1.20)"
    assert table.iloc[0]["legal_basis"] == "第十六条第二款"
    paragraph = ParagraphPrediction(
        labels=["withhold/state_secret"], groups=["withhold"],
        scores={"withhold/state_secret": 0.7, "withhold": 0.9, "disclose": 0.2},
        counts={}, legal_basis={}, explanation={"withhold/state_secret": []})
    table = explore.prediction_table(paragraph).set_index("label")
    assert table.loc["withhold", "chosen"] and not table.loc["disclose", "chosen"]


def _write_metadata(folder: Path, data: dict) -> None:
    folder.mkdir()
    (folder / "metadata.json").write_text(json.dumps(data), encoding="utf-8")


def test_list_models_reads_metadata_and_notes_other_folders(tmp_path: Path) -> None:
    taxonomy = load_taxonomy()
    current = ModelMetadata(
        name="tfidf-request", task="request", kind="tfidf", labels=taxonomy.leaf_ids,
        taxonomy_sha256=taxonomy.sha256, format=FORMAT, estimator_sha256="ab" * 32,
        created="2024",
        corpus_sha256=file_sha256(corpus_path("request")), metrics={"test": {"macro_f1": 0.8}})
    _write_metadata(tmp_path / "tfidf-request", current.to_json())
    _write_metadata(tmp_path / "old-request", {**current.to_json(), "name": "old-request",
                                               "corpus_sha256": "0" * 64, "metrics": {}})
    _write_metadata(tmp_path / "foreign", {"name": "foreign", "task": "request"})
    (tmp_path / "base").mkdir()
    (tmp_path / ".tfidf-paragraph-in-training").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "metadata.json").write_text("{", encoding="utf-8")
    listing = explore.list_models(tmp_path).set_index("name")
    assert listing.loc["tfidf-request", "test_macro_f1"] == 0.8
    assert listing.loc["tfidf-request", "version"] == "ab" * 6
    assert listing.loc["tfidf-request", "corpus_changed"] is False
    assert listing.loc["old-request", "corpus_changed"] is True
    assert pd.isna(listing.loc["old-request", "test_macro_f1"])
    assert listing.loc["base", "corpus_changed"] is None
    assert "not a classifier" in listing.loc["base", "note"]
    assert "unreadable" in listing.loc["broken", "note"]
    assert "not a gongkai model" in listing.loc["foreign", "note"]
    assert pd.isna(listing.loc["foreign", "task"])
    assert not any(name.startswith(".") for name in listing.index)
    assert explore.list_models(tmp_path / "missing").empty


def test_task_models_load_the_default_and_report_refusals(
        models_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tfidf-request").symlink_to(models_root / "tfidf-request")
    (tmp_path / "tfidf-paragraph").symlink_to(models_root / "tfidf-paragraph")
    metadata = json.loads((models_root / "tfidf-request" / "metadata.json").read_text("utf-8"))
    _write_metadata(tmp_path / "older", {**metadata, "name": "older",
                                         "taxonomy_sha256": "0" * 64})
    _write_metadata(tmp_path / "foreign", {"name": "foreign", "task": "request"})
    monkeypatch.setenv("GONGKAI_MODELS", str(tmp_path))
    listing = explore.list_models()
    models, refused = explore.task_models(listing, "request")
    assert list(models) == ["tfidf-request"]
    assert list(refused["name"]) == ["older"]  # foreign has no task: the listing notes it
    assert "another taxonomy" in refused.iloc[0]["reason"]
    models, refused = explore.task_models(listing, "paragraph")
    assert list(models) == ["tfidf-paragraph"] and refused.empty


def test_metrics_and_per_label_tables() -> None:
    per_label = {"disclose": {"precision": 1.0, "recall": 0.5, "f1": 0.67, "support": 4}}
    scores = {"task": "request", "n": 4, "macro_f1": 0.5, "accuracy": 0.5,
              "group_accuracy": 0.75, "ece": 0.1, "per_label": per_label}
    results = {"test": {"a": scores, "b": {**scores, "macro_f1": 0.7}},
               "challenge": {"a": {**scores, "macro_f1": 0.4}}}
    table = explore.metrics_table(results)
    assert list(table.index) == [("test", "a"), ("test", "b"), ("challenge", "a")]
    assert table.loc[("test", "b"), "macro_f1"] == 0.7
    assert "per_label" not in table.columns
    labels = explore.per_label_table(results["test"])
    assert labels.loc["disclose", "a"] == 0.67 and labels.loc["disclose", "support"] == 4
    assert labels.loc["disclose", "name"] == "予以公开"


def test_evaluate_predict_and_calibrate_several_models(
        request_model: DispositionModel, request_corpus: DatasetDict) -> None:
    rows = list(request_corpus["test"])[:12]
    models = {"one": request_model, "two": request_model}
    results = explore.evaluate_models(models, {"test": rows})
    assert set(results["test"]) == {"one", "two"} and results["test"]["one"]["n"] == 12
    predictions = explore.predict_all(models, [row["text"] for row in rows])
    assert len(predictions["one"][0].top) == len(request_model.labels)
    curves = explore.calibration_curves(models, rows, predictions)
    assert curves["one"]["count"].sum() == 12
    assert curves["one"].equals(curves["two"])


def test_parse_fc_list_and_font_preference() -> None:
    listing = ("/f/NotoSerifCJK.ttc: Noto Serif CJK SC,Noto Serif CJK SC SemiBold\n"
               "/f/NotoSansCJK.ttc: Noto Sans CJK JP\n"
               "/f/NotoSansCJK.ttc: Noto Sans CJK SC\n"
               "/f/NotoSansMonoCJK.ttc: Noto Sans Mono CJK SC\n\n")
    found = fonts.parse_fc_list(listing)
    assert found[0] == ("/f/NotoSerifCJK.ttc", ["Noto Serif CJK SC",
                                                "Noto Serif CJK SC SemiBold"])
    assert fonts.preference(found)[0] == "Noto Sans CJK SC"
    assert fonts.preference(found)[1] == "Noto Sans Mono CJK SC"
    assert fonts.preference(found)[-1] == "Noto Sans CJK JP"


def test_no_chinese_font_without_fontconfig(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args, **kwargs):
        raise FileNotFoundError("fc-list")

    monkeypatch.setattr(subprocess, "run", missing)
    fonts.chinese_font.cache_clear()
    try:
        assert fonts.use_chinese_font() is None
    finally:
        fonts.chinese_font.cache_clear()  # the next caller looks for the real fonts again


def test_plots_draw_on_axes() -> None:
    import matplotlib.pyplot as plt

    confusion = {"labels": ["disclose", "partial"], "matrix": [[3, 1], [0, 2]]}
    axes = explore.plot_confusion(confusion, None, "test")
    assert [t.get_text() for t in axes.get_xticklabels()] == ["disclose", "partial"]
    curve = explore.calibration_curve([0.2, 0.9], [False, True])
    axes = explore.plot_calibration({"model": curve})
    assert len(axes.get_lines()) == 2
    counts = pd.Series([5, 2], index=["disclose", "none"])
    axes = explore.plot_bars(counts, "Any Font")
    assert [t.get_text() for t in axes.get_yticklabels()] == ["予以公开", "none"]
    frame = pd.DataFrame({"labels": [["partial", "disclose"], ["disclose"]], "chars": [9, 3]})
    axes = explore.plot_lengths(frame)
    assert [t.get_text() for t in axes.get_yticklabels()] == ["disclose", "partial"]
    plt.close("all")


def test_demo_requests_add_up_and_drift_towards_disclosure() -> None:
    rng = random.Random(0)
    early = explore.demo_requests(rng, 2019, 2000)
    late = explore.demo_requests(rng, 2024, 2000)
    for table in (early, late):
        assert table["total"]["total"] == table["new_received"]["total"] == 2000
    assert "other/no_fee" not in early and "other/no_fee" in late  # 2019 vs 2021 template
    assert late["disclose"]["total"] > early["disclose"]["total"]
    assert late["unable/not_held"]["total"] < early["unable/not_held"]["total"]


def test_demo_archive_has_trends_an_outlier_a_failing_table_and_a_bad_file(
        tmp_path: Path) -> None:
    paths = explore.write_demo_archive(tmp_path, agencies=2, years=(2020, 2021, 2022))
    assert len(paths) == 2 * 3 + 1 and all(path.is_file() for path in paths)
    reports = {path.relative_to(tmp_path).as_posix().rsplit(".", 1)[0]: read_report(path)
               for path in paths[:-1]}
    first = [reports[f"agency-1/{year}"] for year in (2020, 2021, 2022)]
    assert len({report.agency for report in first}) == 1
    assert [report.year for report in first] == [2020, 2021, 2022]
    assert [report.template for report in first] == ["2019", "2021", "2021"]
    received = [report.requests["rows"]["new_received"]["total"] for report in first]
    assert received[1] >= 10 * received[0]  # the outlier year
    assert {check.id for check in reports["agency-2/2022"].failed_checks} >= {"identity"}
    assert not any(report.failed_checks for name, report in reports.items()
                   if name != "agency-2/2022")
    with pytest.raises(ReaderError):
        read_report(paths[-1])


def test_failed_checks_lists_only_failures() -> None:
    reports = [
        {"agency": "甲局", "year": 2022, "source": "a.txt",
         "checks": [{"id": "identity", "ok": False, "message": "3 ≠ 0"},
                    {"id": "column_sum", "ok": True, "message": "ok"},
                    {"id": "group_sum", "ok": None, "message": "nothing to check"}]},
        {"agency": "乙局", "year": 2023, "source": "b.txt", "checks": None},
    ]
    table = explore.failed_checks(reports)
    assert table.to_dict("records") == [{"agency": "甲局", "year": 2022, "source": "a.txt",
                                         "check": "identity", "message": "3 ≠ 0"}]
    assert explore.failed_checks([]).empty


def test_paragraph_table_turns_entry_lists_back_into_mappings() -> None:
    rows = [{"text": "予以公开12件。", "labels": ["disclose"],
             "scores": [{"label": "disclose", "score": 0.9}, {"label": "partial", "score": 0.1}],
             "counts": [{"row": "disclose", "value": 12}]},
            {"text": "我局网站。", "labels": [], "scores": [], "counts": None}]
    table = explore.paragraph_table(rows)
    assert table.loc[0, "scores"] == {"disclose": 0.9, "partial": 0.1}
    assert table.loc[0, "counts"] == {"disclose": 12}
    assert table.loc[1, "scores"] == {} and table.loc[1, "counts"] == {}
    frame = pd.DataFrame(rows)  # as pandas reads Parquet: arrays of dicts work the same
    frame["counts"] = [np.array(value or [], dtype=object) for value in frame["counts"]]
    assert explore.paragraph_table(frame.to_dict("records")).loc[0, "counts"] == {"disclose": 12}


def test_agency_keys_stand_in_for_names_without_a_font() -> None:
    assert explore.agency_keys(["乙局", "甲局", "乙局"], None) == {"乙局": "A1", "甲局": "A2"}
    assert explore.agency_keys(["甲局"], "Some Font") == {"甲局": "甲局"}
