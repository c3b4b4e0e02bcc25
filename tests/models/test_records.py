"""Requests with their case records: split off the text or given apart, learnt as a second
input, and an honest needs_record when only the record could decide."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from gongkai.models.base import METADATA_FILE, DispositionModel
from gongkai.models.errors import ModelError
from gongkai.taxonomy import load_taxonomy

VAGUE = "请把你们那个关于我们片区的文件给我一份。"
NO_ANSWER = "已书面告知补正，要求说明具体文件名称，申请人逾期未作任何答复。"


def test_a_record_given_apart_and_one_embedded_in_the_text_are_read_alike(
        request_model: DispositionModel) -> None:
    apart = request_model.predict_proba([VAGUE], [NO_ANSWER])
    embedded = request_model.predict_proba([f"{VAGUE}\n【办理情况】{NO_ANSWER}"])
    assert (apart == embedded).all()
    assert not (apart == request_model.predict_proba([VAGUE])).all()


def test_label_is_always_the_first_of_top(request_model: DispositionModel) -> None:
    for prediction in request_model.classify(["hello world", "国务院办公厅会议纪要", VAGUE]):
        assert prediction.label == prediction.top[0].label
        assert prediction.group == load_taxonomy().group_of(prediction.label)


def test_needs_record_names_the_fact_to_settle(request_model: DispositionModel) -> None:
    model = copy.deepcopy(request_model)
    model.metadata.record_threshold = 0.0  # every request without a record asks
    [asked] = model.classify([VAGUE])
    taxonomy = load_taxonomy()
    assert asked.needs_record and asked.question in {
        leaf.record_question for leaf in taxonomy.leaves if leaf.decided_by == "record"}
    assert asked.text_label.label not in taxonomy.record_decided
    [answered] = model.classify([VAGUE], [NO_ANSWER])
    assert not answered.needs_record and answered.question is None


def test_the_threshold_is_tuned_on_validation(request_model: DispositionModel) -> None:
    assert 0.05 <= request_model.metadata.record_threshold <= 0.5


def test_a_model_folder_of_an_older_format_is_refused(request_model: DispositionModel,
                                                      tmp_path: Path) -> None:
    folder = copy.deepcopy(request_model).save(tmp_path / "old")
    metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    del metadata["format"]
    (folder / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")
    with pytest.raises(ModelError, match="gongkai train --task request"):
        DispositionModel.load(folder)


def test_training_also_reads_each_request_without_its_record() -> None:
    import numpy as np

    from gongkai.models.base import Batch, _with_records_dropped

    batch = Batch(["甲", "乙", "丙"], ["记录", None, "撤回"])
    doubled, y = _with_records_dropped(batch, np.array([3, 5, 20]), kept=[20])
    assert doubled.texts == ["甲", "乙", "丙", "甲"]
    assert doubled.records == ["记录", None, "撤回", None]
    assert y.tolist() == [3, 5, 20, 3]
