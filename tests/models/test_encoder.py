"""Encoder models on a tiny randomly initialised BERT: the fine-tuning loop, determinism,
save/load, ONNX int8 parity, the frozen-embedding + LR variant, the vocabulary trim, long
texts and the CLI. The real multilingual-e5-small is never loaded here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasets import DatasetDict
from typer.testing import CliRunner

torch = pytest.importorskip("torch")
pytest.importorskip("onnxruntime")

from tokenizers import AddedToken, Tokenizer, normalizers, pre_tokenizers  # noqa: E402
from tokenizers.models import Unigram  # noqa: E402
from tokenizers.processors import TemplateProcessing  # noqa: E402
from transformers import BertConfig, BertModel  # noqa: E402

from gongkai.cli import app  # noqa: E402
from gongkai.models.base import METADATA_FILE, DispositionModel  # noqa: E402
from gongkai.models.encoder import recipes  # noqa: E402
from gongkai.models.encoder.export import PLANS, agrees, export_onnx, float_nodes  # noqa: E402
from gongkai.models.encoder.fit import FitConfig  # noqa: E402
from gongkai.models.encoder.network import EncoderClassifier  # noqa: E402
from gongkai.models.encoder.vocabulary import trim_embeddings, trim_tokenizer  # noqa: E402
from gongkai.models.encoder.windows import Windower, WindowSpec, choose_max_length  # noqa: E402
from gongkai.models.errors import ModelError  # noqa: E402
from gongkai.training.train import fit_model  # noqa: E402

runner = CliRunner()
torch.set_num_threads(1)  # a 32-wide model gains nothing from threads on a shared CPU
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")
# Fast enough for a 32-wide, 2-layer model to learn something in three short epochs.
TINY_FIT = FitConfig(epochs=3, batch_size=16, learning_rate=3e-3, head_learning_rate=3e-2,
                     threads=1)
REQUEST = "申请公开邻居家的宅基地审批档案及身份证号"
PARAGRAPH = "本年度收到申请20件，予以公开12件，不予公开3件，其中涉及商业秘密2件。"


def tiny_tokenizer(texts: list[str]) -> Tokenizer:
    """An XLM-R-like Unigram tokenizer over the characters of ``texts`` and a few pairs."""
    chars = sorted({c for text in texts for c in text if not c.isspace()})
    pairs = ["公开", "申请", "政府", "信息", "不予"]
    pieces = [(p, 0.0) for p in SPECIALS] + [("\u2581query", -2.0), ("\u2581", -3.0)]
    pieces += [(pair, -4.0) for pair in pairs] + [(c, -6.0) for c in chars]
    tokenizer = Tokenizer(Unigram(pieces, unk_id=3, byte_fallback=False))
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.post_processor = TemplateProcessing(single="<s> $A </s>",
                                                  special_tokens=[("<s>", 0), ("</s>", 2)])
    tokenizer.add_special_tokens([AddedToken(p, special=True) for p in SPECIALS])
    return tokenizer


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory: pytest.TempPathFactory, request_corpus: DatasetDict,
              paragraph_corpus: DatasetDict) -> Path:
    """A Hugging Face encoder folder: random 2-layer BERT and its tokenizer.json."""
    folder = tmp_path_factory.mktemp("tiny-encoder")
    texts = [*request_corpus["train"]["text"], *paragraph_corpus["train"]["text"]]
    tokenizer = tiny_tokenizer(texts[::3])  # some characters stay unknown, as in real text
    tokenizer.save(str(folder / "tokenizer.json"))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=32,
                        num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=96, pad_token_id=1)
    BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    return folder


def tiny_fit(corpus: DatasetDict, task: str, kind: str, base: Path,
             seed: int = 0) -> DispositionModel:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(recipes, "DEFAULT_FIT", TINY_FIT)
        return fit_model(corpus, task, kind, seed=seed, name=f"{kind}-{task}", base_model=base)


@pytest.fixture(scope="module")
def e5_request(request_corpus: DatasetDict, tiny_base: Path) -> DispositionModel:
    return tiny_fit(request_corpus, "request", "e5", tiny_base)


@pytest.fixture(scope="module")
def e5_paragraph(paragraph_corpus: DatasetDict, tiny_base: Path) -> DispositionModel:
    return tiny_fit(paragraph_corpus, "paragraph", "e5", tiny_base)


def test_fine_tuning_learns_and_predicts_in_the_request_shape(
        e5_request: DispositionModel, request_corpus: DatasetDict) -> None:
    encoder = e5_request.metadata.encoder
    history = encoder["fit"]["history"]
    assert history[-1]["loss"] < history[0]["loss"]
    assert encoder["fit"]["best_epoch"] == max(
        range(1, len(history) + 1), key=lambda e: (history[e - 1]["validation_macro_f1"], -e))
    assert 0.05 <= encoder["head"]["temperature"] <= 20
    [prediction] = e5_request.classify([REQUEST], top_k=3, explain=True)
    assert prediction.group == e5_request.taxonomy.group_of(prediction.label)
    assert len(prediction.top) == 3
    assert all(item.term in REQUEST and item.weight > 0 for item in prediction.explanation)
    proba = e5_request.predict_proba(request_corpus["test"]["text"])
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_fine_tuned_tagger_uses_its_tuned_thresholds(e5_paragraph: DispositionModel) -> None:
    thresholds = np.asarray(e5_paragraph.metadata.encoder["head"]["thresholds"])
    assert thresholds.shape == (len(e5_paragraph.labels),) and thresholds.min() >= 0.2
    [prediction] = e5_paragraph.classify([PARAGRAPH], explain=True)
    assert prediction.counts["disclose"] == 12
    proba = e5_paragraph.predict_proba([PARAGRAPH])[0]
    on = {e5_paragraph.labels[j] for j in np.flatnonzero(proba >= thresholds)}
    assert set(prediction.labels) <= on
    assert set(prediction.explanation) == set(prediction.labels)


def test_two_runs_give_identical_weights(e5_request: DispositionModel,
                                         request_corpus: DatasetDict, tiny_base: Path) -> None:
    again = tiny_fit(request_corpus, "request", "e5", tiny_base)
    first = e5_request.estimator.backend.module.state_dict()
    second = again.estimator.backend.module.state_dict()
    assert first.keys() == second.keys()
    assert all(torch.equal(first[name], second[name]) for name in first)
    assert again.metadata.encoder["fit"]["history"] == (
        e5_request.metadata.encoder["fit"]["history"])


@pytest.mark.parametrize("fixture", ["e5_request", "e5_paragraph"])
def test_save_and_load_round_trip(fixture: str, request: pytest.FixtureRequest,
                                  tmp_path: Path) -> None:
    model: DispositionModel = request.getfixturevalue(fixture)
    texts = [REQUEST, PARAGRAPH, "", "政" * 400]
    folder = model.save(tmp_path / model.name)
    assert {"metadata.json", "MODEL_CARD.md", "tokenizer.json", "config.json",
            "model.safetensors"} <= {p.name for p in folder.iterdir()}
    assert not list(folder.glob("*.pkl")) and not list(folder.glob("*.skops"))
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Encoder" in card and "p99" in card and "Long texts" in card
    loaded = DispositionModel.load(folder)
    assert loaded.classify(texts, explain=True) == model.classify(texts, explain=True)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-8] + b"\0" * 8)
    with pytest.raises(ModelError, match="checksum"):
        DispositionModel.load(folder)


def test_long_texts_are_read_in_windows(tiny_base: Path) -> None:
    tokenizer = Tokenizer.from_file(str(tiny_base / "tokenizer.json"))
    windower = Windower(tokenizer, WindowSpec(max_length=32, stride=8, pad_id=1))
    body = windower.body(["申请公开" * 40])[0]
    windows, owners = windower.windows(["申请公开" * 40, "", "公开"])
    assert max(len(w) for w in windows) == 32 and owners.tolist().count(0) > 1
    assert all(w[:2] == [0, *windower.prefix][:2] and w[-1] == 2 for w in windows)
    covered = [i for w in windows[:owners.tolist().count(0)] for i in w[3:-1]]
    assert len(covered) >= len(body) and set(covered) == set(body)
    assert choose_max_length([10, 20, 30, 40, 200], ceiling=128) == 128
    assert choose_max_length([10] * 99 + [50], ceiling=512) == 16


def test_trimmed_vocabulary_tokenizes_kept_texts_exactly(tiny_base: Path) -> None:
    tokenizer = Tokenizer.from_file(str(tiny_base / "tokenizer.json"))
    texts = ["query: 申请公开政府信息", "query: 不予公开"]
    before = [e.ids for e in tokenizer.encode_batch(texts)]
    keep = sorted({0, 1, 2, 3, *(i for ids in before for i in ids)})
    trimmed = trim_tokenizer(tokenizer, keep)
    after = [e.ids for e in trimmed.encode_batch(texts)]
    assert [[keep[i] for i in ids] for ids in after] == before
    assert trimmed.get_vocab_size() == len(keep)
    network = EncoderClassifier.from_base(tiny_base, ["a", "b", "c"], multi_label=False).eval()
    ids, mask = torch.tensor([before[0]]), torch.ones(1, len(before[0]), dtype=torch.long)
    expected = network(ids, mask)
    trim_embeddings(network, keep)
    assert torch.allclose(network(torch.tensor([after[0]]), mask), expected, atol=1e-6)
    assert network.model.config.vocab_size == len(keep)


def test_onnx_export_and_int8_parity(e5_request: DispositionModel, request_corpus: DatasetDict,
                                     tmp_path: Path) -> None:
    source = e5_request.save(tmp_path / "e5-request")
    network = e5_request.estimator.backend.module
    import onnxruntime

    export_onnx(network, tmp_path / "fp32.onnx", pad_id=1)
    session = onnxruntime.InferenceSession(str(tmp_path / "fp32.onnx"))
    for batch, width in ((1, 5), (3, 40), (7, 90)):
        ids = torch.randint(4, 50, (batch, width))
        mask = torch.ones(batch, width, dtype=torch.long)
        mask[0, width // 2:] = 0
        with torch.inference_mode():
            expected = network(ids, mask).numpy()
        found = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
        assert np.abs(found - expected).max() < 1e-4
    layers = network.model.config.num_hidden_layers
    kept = [float_nodes(tmp_path / "fp32.onnx", plan) for plan in PLANS]
    assert [len(nodes) for nodes in kept[:2]] == [2 * layers, 3 * layers]
    assert set(kept[0]) < set(kept[1]) < set(kept[2])
    assert all("/layer." in name for name in kept[1])
    int8 = fit_model(request_corpus, "request", "e5-int8", base_model=source, name="e5-int8")
    parity = int8.held_out_figures(request_corpus["test"]["text"])["parity"]
    assert parity["texts"] == len(request_corpus["test"]) and parity["top1_agreement"] >= 0.95
    assert parity["max_abs_probability_difference"] < 0.01
    # A random tiny model has near-ties; int8 may only flip those.
    texts = request_corpus["test"]["text"]
    expected, found = (m.predict_proba(texts) for m in (e5_request, int8))
    top2 = np.sort(expected, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 2 * parity["max_abs_probability_difference"]
    assert (expected.argmax(1) == found.argmax(1))[clear].all()
    assert int8.metadata.encoder["source_model"]["name"] == "e5-request"
    checks = int8.metadata.encoder["onnx"]["validation_parity"]
    assert [check["plan"] for check in checks] == [plan.name for plan in PLANS][:len(checks)]
    assert all(not agrees(check) for check in checks[:-1])
    assert int8.metadata.encoder["onnx"]["plan"] == checks[-1]["plan"]
    folder = int8.save(tmp_path / "e5-int8")
    assert (folder / "model.onnx").is_file() and not (folder / "model.safetensors").exists()
    import onnx

    stored = onnx.load(str(folder / "model.onnx")).graph  # float weights kept as float16
    halves = [t.name for t in stored.initializer if t.data_type == onnx.TensorProto.FLOAT16]
    assert halves and {f"{name}__to_float32" for name in (
        h.removesuffix("__float16") for h in halves)} <= {node.name for node in stored.node}
    assert {"config.json", "tokenizer.json", "tokenizer_config.json"} <= {
        p.name for p in folder.iterdir()}
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert config["id2label"]["0"] == int8.labels[0]
    assert DispositionModel.load(folder).classify(texts[:20]) == int8.classify(texts[:20])
    # Predicting with the exported folder needs onnxruntime and tokenizers, not torch.
    child = ("import sys; from gongkai.models.base import DispositionModel; "
             f"DispositionModel.load({str(folder)!r}).classify(['申请公开预算']); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "{'torch', 'transformers', 'sklearn'}))")
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_parity_target_covers_top1_and_tagger_decisions() -> None:
    assert agrees({"top1_agreement": 0.995, "max_abs_probability_difference": 0.3})
    assert not agrees({"top1_agreement": 0.98})
    assert not agrees({"top1_agreement": 1.0, "decision_agreement": 0.985})


def test_int8_refuses_a_model_of_another_kind(request_corpus: DatasetDict, tmp_path: Path,
                                              request_model: DispositionModel) -> None:
    import copy

    folder = copy.deepcopy(request_model).save(tmp_path / "tfidf")
    with pytest.raises(ModelError, match="is a tfidf model, not e5"):
        fit_model(request_corpus, "request", "e5-int8", base_model=folder)


@pytest.mark.parametrize("task", ["request", "paragraph"])
def test_frozen_embeddings_with_logistic_regression(
        task: str, request_corpus: DatasetDict, paragraph_corpus: DatasetDict,
        tiny_base: Path, tmp_path: Path) -> None:
    corpus = request_corpus if task == "request" else paragraph_corpus
    model = tiny_fit(corpus, task, "e5-lr", tiny_base)
    assert model.metadata.encoder["head"]["regularization"] in recipes.LR_REGULARIZATION
    texts = corpus["test"]["text"][:10]
    folder = model.save(tmp_path / model.name)
    assert (folder / "linear.npz").is_file() and (folder / "model.safetensors").is_file()
    loaded = DispositionModel.load(folder)
    assert loaded.classify(texts, explain=True) == model.classify(texts, explain=True)
    text = REQUEST if task == "request" else PARAGRAPH
    prediction = loaded.classify([text])[0]
    assert hasattr(prediction, "label") == (task == "request")


def test_cli_trains_and_classifies_with_an_encoder_kind(tiny_base: Path, tmp_path: Path) -> None:
    out = tmp_path / "e5-tiny"
    result = runner.invoke(app, ["train", "--task", "request", "--kind", "e5", "--base-model",
                                 str(tiny_base), "--epochs", "1", "--threads", "1",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    metadata = json.loads((out / METADATA_FILE).read_text(encoding="utf-8"))
    assert metadata["kind"] == "e5"
    assert metadata["encoder"]["fit"]["config"]["epochs"] == 1
    assert metadata["encoder"]["fit"]["config"]["threads"] == 1
    assert metadata["encoder"]["base_model"]["path"] == str(tiny_base)
    result = runner.invoke(app, ["classify", "--model", str(out), REQUEST])
    assert result.exit_code == 0, result.output
    assert "法律依据" in result.output
    result = runner.invoke(app, ["evaluate", "--task", "request", "--model", str(out),
                                 "--out", str(tmp_path / "eval")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "eval" / "metrics.json").is_file()


def test_cli_reports_a_missing_encoder_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--task", "request", "--kind", "e5", "--base-model",
                                 str(tmp_path / "nowhere"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "no encoder folder" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fixture", ["e5_request", "e5_paragraph"])
def test_hugging_face_tools_load_the_fine_tuned_folder(fixture: str,
                                                       request: pytest.FixtureRequest,
                                                       tmp_path: Path) -> None:
    from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer

    model: DispositionModel = request.getfixturevalue(fixture)
    folder = model.save(tmp_path / model.name)
    loaded, info = AutoModelForSequenceClassification.from_pretrained(
        folder, output_loading_info=True)
    assert not any(info[key] for key in ("missing_keys", "unexpected_keys", "mismatched_keys"))
    assert loaded.config.id2label[0] == model.labels[0]
    assert loaded.config.architectures == ["BertForSequenceClassification"]
    tokenizer = AutoTokenizer.from_pretrained(folder)
    windower = model.estimator.windower
    assert tokenizer.get_vocab() == windower.tokenizer.get_vocab()
    assert tokenizer(REQUEST)["input_ids"] == windower.tokenizer.encode(REQUEST).ids
    batch = torch.tensor(windower.first([REQUEST]))
    with torch.inference_mode():
        expected = model.estimator.backend.module(batch, torch.ones_like(batch))
        found = loaded.eval()(input_ids=batch).logits
    assert torch.allclose(found, expected, atol=1e-5)
    _, info = AutoModel.from_pretrained(folder, output_loading_info=True)
    assert not info["missing_keys"]


def test_an_ensemble_averages_tfidf_and_a_trained_encoder(
        e5_request: DispositionModel, request_corpus: DatasetDict, tmp_path: Path) -> None:
    source = e5_request.save(tmp_path / "e5-request")
    ensemble = fit_model(request_corpus, "request", "ensemble", base_model=source)
    weight = ensemble.metadata.members["encoder_weight"]
    assert 0.0 <= weight <= 1.0
    texts = request_corpus["test"]["text"][:8]
    tfidf, encoder = (ensemble.members[key].predict_proba(texts) for key in ("tfidf", "encoder"))
    assert np.allclose(ensemble.predict_proba(texts), weight * encoder + (1 - weight) * tfidf)
    folder = ensemble.save(tmp_path / "ensemble")
    assert {"tfidf", "encoder", "ensemble.json"} <= {p.name for p in folder.iterdir()}
    loaded = DispositionModel.load(folder)
    assert loaded.classify(texts, explain=True) == ensemble.classify(texts, explain=True)
