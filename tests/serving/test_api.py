"""The HTTP API in-process: every endpoint, every limit and every error path."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongkai.models.base import DispositionModel
from gongkai.resources import data_path
from gongkai.serving.app import create_app
from gongkai.serving.schemas import Task
from gongkai.serving.settings import Settings

SAMPLE = data_path("samples") / "2019-sample-office.txt"
TWO_ERRORS = Path(__file__).parents[1] / "fixtures" / "office-2019-two-errors.txt"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "reports"
REQUEST = "申请公开本单位与某公司签订的供货合同，其中含有该公司的报价和技术方案。"
PARAGRAPH = "本年度共收到政府信息公开申请31件，其中予以公开16件，不予公开3件。"


def start(stack: ExitStack, models_root: Path, raise_server_exceptions: bool = True,
          **overrides) -> TestClient:
    """A started client (lifespan run, models loaded) for the given settings."""
    settings = Settings(request_model=str(models_root / "tfidf-request"),
                        paragraph_model=str(models_root / "tfidf-paragraph"), **overrides)
    return stack.enter_context(
        TestClient(create_app(settings), raise_server_exceptions=raise_server_exceptions))


@pytest.fixture(scope="module")
def client(models_root: Path) -> Iterator[TestClient]:
    """The default settings, shared by the tests that only read."""
    with ExitStack() as stack:
        yield start(stack, models_root)


@pytest.fixture
def make_client(models_root: Path) -> Iterator:
    """A fresh client per call, for tests that change settings, models or counters."""
    with ExitStack() as stack:
        yield lambda **overrides: start(stack, models_root, **overrides)


def classify(client: TestClient, texts: list[str], task: str = "request", **options):
    return client.post("/v1/classify", json={"task": task, "texts": texts, **options})


def upload(client: TestClient, name: str, data: bytes, media_type: str = "text/plain"):
    return client.post("/v1/reports", files={"file": (name, data, media_type)})


def assert_error(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "id", "message"}
    assert body["error"]["type"] == kind
    assert body["error"]["message"] and body["error"]["id"]
    return body["error"]


EN = {"Accept-Language": "en-GB,en;q=0.9"}


# --- classification ----------------------------------------------------------------------


def test_classify_request_answers_like_the_model(client: TestClient,
                                                 request_model: DispositionModel) -> None:
    response = classify(client, [REQUEST, "要求公开我的信访件办理结果"], top_k=2, explain=True)
    assert response.status_code == 200
    body = response.json()
    assert body["task"] == "request"
    assert body["model"] == {"name": "tfidf-request",
                             "version": request_model.metadata.version}
    assert body["warnings"] == []
    expected = [asdict(p) for p in request_model.classify(
        [REQUEST, "要求公开我的信访件办理结果"], top_k=2, explain=True)]
    assert [{k: v for k, v in r.items() if k != "truncated"} for r in body["results"]] == expected
    first = body["results"][0]
    assert first["truncated"] is False
    assert len(first["top"]) == 2
    assert first["legal_basis"]
    assert all(term["term"] in REQUEST for term in first["explanation"])


def test_classify_paragraph_tags_dispositions_and_counts(client: TestClient) -> None:
    response = classify(client, [PARAGRAPH], task="paragraph")
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert set(result) == {"labels", "groups", "scores", "counts", "legal_basis", "explanation",
                           "truncated"}
    assert result["counts"]["new_received"] == 31
    assert result["explanation"] == {}
    assert set(result["labels"]) <= set(result["scores"])


def test_long_text_is_cut_and_said_so(client: TestClient) -> None:
    response = classify(client, [REQUEST, "申请" * 6000])
    assert response.status_code == 200
    body = response.json()
    assert [r["truncated"] for r in body["results"]] == [False, True]
    assert body["warnings"] == ["第 2 条文本超过 10000 字，只按前 10000 字分类"]
    assert body["notes"] == [{"id": "api.text_cut", "message": body["warnings"][0],
                              "values": {"index": 1, "number": 2, "limit": 10000}}]
    english = client.post("/v1/classify", json={"task": "request",
                                                "texts": [REQUEST, "申请" * 6000]}, headers=EN)
    assert english.json()["warnings"] == ["text 1 was cut to its first 10000 characters"]


def test_strict_mode_refuses_long_text(make_client) -> None:
    error = assert_error(classify(make_client(strict_length=True), ["申请" * 6000]), 422,
                         "text_too_long")
    assert "10000" in error["message"]


def test_too_many_texts(make_client) -> None:
    error = assert_error(classify(make_client(max_texts=2), [REQUEST] * 3), 422, "too_many_texts")
    assert error == {"type": "too_many_texts", "id": "api.too_many_texts",
                     "message": "收到 3 条文本，每次最多 2 条"}


@pytest.mark.parametrize("body", [
    {"task": "request", "texts": []},
    {"task": "request", "texts": [""]},
    {"task": "appeal", "texts": [REQUEST]},
    {"texts": [REQUEST]},
    {"task": "request", "texts": [REQUEST], "top_k": 0},
    {"task": "request", "texts": [REQUEST], "colour": "red"},
    {"task": "request", "texts": REQUEST},
])
def test_invalid_classify_bodies(client: TestClient, body: dict) -> None:
    assert_error(client.post("/v1/classify", json=body), 422, "validation_error")


@pytest.mark.parametrize(("body", "zh", "en"), [
    ({"task": "request", "texts": []}, "texts：至少要有 1 项", "texts: needs at least 1 items"),
    ({"task": "request", "texts": [""]}, "texts[0]：不能为空", "texts[0]: must not be empty"),
    ({"task": "appeal", "texts": [REQUEST]}, "task：应为 request、paragraph 之一",
     "task: must be one of request, paragraph"),
    ({"task": "request", "texts": [REQUEST], "top_k": "x"}, "top_k：类型不对，应为整数",
     "top_k: must be a whole number"),
    ({"task": "request"}, "texts 和 items 要给一个，且只能给一个", "give either texts or items"),
])
def test_validation_errors_speak_the_asked_language(client: TestClient, body: dict, zh: str,
                                                    en: str) -> None:
    assert zh in assert_error(client.post("/v1/classify", json=body), 422,
                              "validation_error")["message"]
    assert en in assert_error(client.post("/v1/classify", json=body, headers=EN), 422,
                              "validation_error")["message"]


@pytest.mark.parametrize(("header", "expected"), [
    (None, "zh"), ("en", "en"), ("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    ("fr-FR, en;q=0.5", "en"), ("de", "zh"), ("en;q=0, zh;q=0.1", "zh"),
])
def test_accept_language_picks_the_message_language(client: TestClient, header: str | None,
                                                     expected: str) -> None:
    headers = {"Accept-Language": header} if header else {}
    error = assert_error(client.get("/v2/classify", headers=headers), 404, "not_found")
    assert error["message"] == {"zh": "没有这个地址：/v2/classify",
                                "en": "no such resource: /v2/classify"}[expected]


def test_concurrent_batched_answers_equal_direct_ones(make_client) -> None:
    texts = [REQUEST, "要求公开我的信访件办理结果", "申请公开某项目的环评报告",
             "请提供该局2020年的预算"]
    batched, direct = make_client(batching=True), make_client(batching=False)
    with ThreadPoolExecutor(len(texts)) as pool:
        answers = list(pool.map(lambda text: classify(batched, [text]).json()["results"], texts))
    assert answers == [classify(direct, [text]).json()["results"] for text in texts]


def test_malformed_json(client: TestClient) -> None:
    response = client.post("/v1/classify", content=b'{"task": "request", "texts": [',
                           headers={"Content-Type": "application/json"})
    assert_error(response, 422, "invalid_json")
    response = client.post("/v1/classify", content=b'{"task": "\xff"}',
                           headers={"Content-Type": "application/json"})
    assert_error(response, 422, "invalid_json")
    response = client.post("/v1/reports", content=b"{text",
                           headers={"Content-Type": "application/json"})
    assert_error(response, 422, "invalid_json")


# --- reports -----------------------------------------------------------------------------


def test_report_upload_is_read_checked_and_tagged(client: TestClient) -> None:
    response = upload(client, TWO_ERRORS.name, TWO_ERRORS.read_bytes())
    assert response.status_code == 200
    report = response.json()
    assert report["source"] == TWO_ERRORS.name
    assert report["title"] == "临河县人民政府办公室2020年政府信息公开工作年度报告"
    assert report["tables"]["requests"]["found"]
    assert report["tables"]["requests"]["rows"]["new_received"]["total"] == 31
    checks = {check["id"]: check for check in report["checks"]}
    assert checks["identity"]["ok"] is False
    assert checks["identity"]["details"] == [
        "自然人列：本年新收 + 上年结转 = 25，总计 + 结转下年度 = 23",
        "总计列：本年新收 + 上年结转 = 33，总计 + 结转下年度 = 31"]
    assert checks["outcome_sum"]["details"] == []
    assert report["model"]["name"] == "tfidf-paragraph"
    for paragraph in report["paragraphs"]:
        assert {"index", "section", "text", "labels", "groups", "scores", "counts"} <= set(
            paragraph)
    assert any(p["labels"] for p in report["paragraphs"])


@pytest.mark.parametrize("name", ["15_tab_2021_gb18030.txt", "04_pipe_rows_2019_utf16.txt",
                                  "09_html_2021.html", "11_docx_2021.docx", "13_pdf_2019.pdf"])
def test_report_formats(client: TestClient, name: str) -> None:
    response = upload(client, name, (FIXTURES / name).read_bytes(), "application/octet-stream")
    assert response.status_code == 200, response.text
    assert response.json()["tables"]["requests"]["found"]


def test_a_paragraph_cut_to_the_models_limit_is_said(client: TestClient) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    heading = text.index("二、")
    paragraph = "本机关" + "认真落实政府信息公开工作要求，" * 700
    long = f"{text[:heading]}{paragraph}\n{text[heading:]}"
    report = client.post("/v1/reports", json={"text": long}).json()
    assert report["warnings"][-1] == "1 个段落超过 10000 字，只按前 10000 字标注"
    assert report["notes"] == [{"id": "tag.cut", "message": report["warnings"][-1],
                                "values": {"count": 1, "limit": 10000}}]


def test_report_as_json_text(client: TestClient) -> None:
    response = client.post("/v1/reports", json={"text": SAMPLE.read_text(encoding="utf-8")})
    assert response.status_code == 200
    assert response.json()["year"] == 2020


@pytest.mark.parametrize(("data", "kind"), [
    (b"", "empty"),
    (b"\x00\x01\x02" * 100, "binary"),
    (b"hello, no Chinese here", "not_a_report"),
    ("这是一段中文，但不是年度报告。".encode(), "not_a_report"),
])
def test_reader_errors_are_422_in_gongkais_words(client: TestClient, data: bytes,
                                                   kind: str) -> None:
    error = assert_error(upload(client, "report.txt", data), 422, kind)
    assert error["id"] == f"reader.{kind}" and error["message"].startswith("report.txt：")


def test_a_damaged_pdf_is_named_without_the_librarys_english(client: TestClient) -> None:
    pdf = (FIXTURES / "13_pdf_2019.pdf").read_bytes()
    broken = upload(client, "scan.pdf", pdf[:len(pdf) // 3], "application/pdf")
    assert assert_error(broken, 422, "corrupt")["message"] == "scan.pdf：文件已损坏，无法读取"
    english = client.post("/v1/reports", files={"file": ("scan.pdf", pdf[:100])}, headers=EN)
    assert assert_error(english, 422, "corrupt")["message"] == (
        "scan.pdf: the file is damaged and cannot be read")


def test_unsupported_uploads_are_415(client: TestClient) -> None:
    assert_error(upload(client, "scan.png", b"\x89PNG\r\n", "image/png"), 415,
                 "unsupported_media_type")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", "不是 Word 文档")
    assert_error(upload(client, "report.docx", archive.getvalue()), 415, "unsupported")
    response = client.post("/v1/reports", content=SAMPLE.read_bytes(),
                           headers={"Content-Type": "text/plain"})
    assert_error(response, 415, "unsupported_media_type")


def test_multipart_without_file_part(client: TestClient) -> None:
    response = client.post("/v1/reports", data={"text": "报告"},
                           files={"other": ("a.txt", b"x", "text/plain")})
    assert_error(response, 422, "validation_error")
    response = client.post("/v1/reports", content=b"--x\r\n",
                           headers={"Content-Type": "multipart/form-data"})
    assert_error(response, 422, "invalid_multipart")


# --- limits ------------------------------------------------------------------------------


def test_body_over_the_limit_is_413(make_client) -> None:
    client = make_client(max_body_bytes=1000)
    assert_error(upload(client, SAMPLE.name, SAMPLE.read_bytes()), 413, "payload_too_large")


def test_streamed_body_is_counted_not_its_declared_length(make_client) -> None:
    client = make_client(max_body_bytes=1000)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"task": "request", "texts": ["'
        for _ in range(50):
            yield "申请公开".encode() * 10
        yield b'"]}'

    response = client.post("/v1/classify", content=chunks(),
                           headers={"Content-Type": "application/json"})
    assert "content-length" not in {key.lower() for key in response.request.headers}
    assert_error(response, 413, "payload_too_large")


def test_429_when_the_in_flight_limit_is_reached(make_client,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client(max_in_flight=1, batching=False)
    model = client.app.state.runtime.models[Task.request]
    started, release = threading.Event(), threading.Event()
    predict = model.classify

    def slow_predict(*args, **kwargs):
        started.set()
        release.wait(10)
        return predict(*args, **kwargs)

    monkeypatch.setattr(model, "classify", slow_predict)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(classify, client, [REQUEST])
        assert started.wait(10)
        refused = classify(client, [REQUEST])
        assert client.get("/healthz").status_code == 200  # not counted against the limit
        release.set()
        assert first.result().status_code == 200
    assert_error(refused, 429, "too_many_requests")
    assert refused.headers["Retry-After"] == "1"
    assert classify(client, [REQUEST]).status_code == 200


def test_a_failing_model_gives_500_with_the_error_body(make_client,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client(raise_server_exceptions=False)
    model = client.app.state.runtime.models[Task.request]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(model, "classify", broken)
    assert_error(classify(client, [REQUEST]), 500, "internal_error")


# --- labels, model, health, metrics, page ------------------------------------------------


def test_labels_are_the_taxonomy(client: TestClient) -> None:
    labels = client.get("/v1/labels").json()
    assert [group["id"] for group in labels["groups"]][:2] == ["disclose", "partial"]
    third_party = next(leaf for leaf in labels["leaves"] if leaf["id"] == "withhold/third_party")
    assert third_party["name"] == "保护第三方合法权益"


def test_model_info(client: TestClient, request_model: DispositionModel) -> None:
    info = client.get("/v1/model").json()
    assert info["request"]["name"] == "tfidf-request"
    assert info["request"]["version"] == request_model.metadata.version
    assert info["paragraph"]["task"] == "paragraph"
    assert {"created", "corpus_sha256", "metrics", "max_chars", "kind"} <= set(info["request"])


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {
        "status": "ready", "models": {"request": "tfidf-request", "paragraph": "tfidf-paragraph"}}


def test_not_ready_before_the_models_are_loaded() -> None:
    client = TestClient(create_app(Settings()))  # not entered: the lifespan has not run
    assert client.get("/healthz").status_code == 200
    assert_error(client.get("/readyz"), 503, "not_ready")
    assert_error(classify(client, [REQUEST]), 503, "not_ready")


def test_metrics(make_client) -> None:
    client = make_client()
    classify(client, [REQUEST, REQUEST])
    classify(client, [PARAGRAPH], task="paragraph")
    client.get("/no/such/page")
    text = client.get("/metrics").text
    assert ('gongkai_http_requests_total{method="POST",route="/v1/classify",status="200"} 2.0'
            in text)
    assert 'gongkai_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert 'gongkai_http_request_duration_seconds_bucket{le="+Inf",route="/v1/classify"}' in text
    assert 'gongkai_predictions_total{label="disclose",task="paragraph"} 1.0' in text
    assert 'gongkai_batch_texts_sum{task="request"} 2.0' in text
    assert 'gongkai_model_info{kind="tfidf",name="tfidf-request",task="request"' in text


def test_not_found_and_method_not_allowed(client: TestClient) -> None:
    assert_error(client.get("/v2/classify"), 404, "not_found")
    error = client.get("/v1/classify")
    assert_error(error, 405, "method_not_allowed")
    assert error.headers["Allow"] == "POST"


def test_page_and_its_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["content-type"].startswith("text/html")
    assert "申请分类" in page.text
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/style.css").status_code == 200
    assert_error(client.get("/static/..%2fapp.py"), 404, "not_found")
    assert_error(client.get("/static/settings.py"), 404, "not_found")


def test_openapi_documents_the_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/v1/classify", "/v1/reports", "/v1/labels", "/v1/model",
                                  "/v1/feedback", "/healthz", "/readyz", "/metrics"}
    reports = spec["paths"]["/v1/reports"]["post"]
    assert set(reports["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert reports["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"}
    docs = client.get("/docs")
    assert "/docs/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/docs/swagger-ui-bundle.js").headers["content-type"].startswith(
        "text/javascript")
    assert_error(client.get("/docs/index.html"), 404, "not_found")


def test_model_says_how_many_corrections_it_learned_from(client: TestClient) -> None:
    info = client.get("/v1/model").json()["request"]
    assert info["corrections"] == 0 and info["revision"] == 1


# --- hostile input: deadlines, strict types --------------------------------------------


def test_reading_past_the_deadline_is_422_and_its_process_is_gone(make_client) -> None:
    import multiprocessing

    client = make_client(report_timeout_s=0.0001)  # less than any read takes
    error = assert_error(upload(client, SAMPLE.name, SAMPLE.read_bytes()), 422, "timeout")
    assert error["id"] == "api.report_timeout"
    assert error["message"] == f"{SAMPLE.name}：读取超过 0.0001 秒的上限，已停止"
    english = client.post("/v1/reports", json={"text": SAMPLE.read_text(encoding="utf-8")},
                          headers=EN)
    assert assert_error(english, 422, "timeout")["message"] == (
        "text: reading took longer than the 0.0001 s limit and was stopped")
    assert multiprocessing.active_children() == []  # killed and reaped


def test_each_report_is_read_in_a_process_of_its_own(client: TestClient) -> None:
    import multiprocessing

    answers = [upload(client, SAMPLE.name, SAMPLE.read_bytes()) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200] * 3
    assert answers[0].json() == answers[2].json()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("body", [
    {"task": "request", "texts": [REQUEST], "explain": 0},
    {"task": "request", "texts": [REQUEST], "explain": "true"},
    {"task": "request", "texts": [REQUEST], "top_k": "3"},
    {"task": "request", "texts": [REQUEST], "top_k": True},
    {"task": "request", "texts": [REQUEST], "top_k": 2.5},
])
def test_types_are_strict_as_the_schema_says(client: TestClient, body: dict) -> None:
    error = assert_error(client.post("/v1/classify", json=body), 422, "validation_error")
    assert error["id"] == "api.invalid"


def test_an_integer_is_one_as_json_schema_has_it(client: TestClient) -> None:
    assert classify(client, [REQUEST], top_k=3.0).status_code == 200


@pytest.mark.parametrize("text", [" ", "\n\t "])
def test_a_blank_report_text_is_refused_by_the_schema(client: TestClient, text: str) -> None:
    error = assert_error(client.post("/v1/reports", json={"text": text}), 422,
                         "validation_error")
    assert error["message"] == "text：不能为空"


def test_the_schema_names_what_the_reader_refuses(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/reports"]["post"]
    body = operation["requestBody"]
    assert all(suffix in body["description"] for suffix in (".txt", ".docx", ".pdf"))
    assert "not_a_report" in body["description"]
    assert body["content"]["application/json"]["schema"]["properties"]["text"]["pattern"]
    assert "408" in operation["responses"] and "415" in operation["responses"]


def test_a_body_that_does_not_arrive_in_time_is_408_before_the_app_sees_it() -> None:
    """In-process clients send the whole body at once: the middleware is driven by hand
    (tests/serving/test_slow_clients.py does it over a socket)."""
    import asyncio
    import json

    from gongkai.serving.limits import BodyMiddleware

    async def application(scope, receive, send) -> None:
        raise AssertionError("the application was called")

    async def trickle() -> dict:
        await asyncio.sleep(5)
        return {"type": "http.request", "body": b"x", "more_body": True}

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/classify",
             "headers": [(b"content-type", b"application/json")]}
    asyncio.run(BodyMiddleware(application, max_bytes=100, timeout_s=0.2)(scope, trickle, send))
    assert sent[0]["status"] == 408 and (b"connection", b"close") in sent[0]["headers"]
    error = json.loads(sent[1]["body"])["error"]
    assert error == {"type": "request_timeout", "id": "api.body_timeout",
                     "message": "请求体没有在 0.2 秒内传完"}
