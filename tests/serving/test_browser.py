"""The page at ``/`` in headless Chromium (Debian's package, never a downloaded browser)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from gongkai.models.base import DispositionModel
from gongkai.resources import data_path
from gongkai.serving.app import create_app
from gongkai.serving.settings import Settings
from gongkai.taxonomy import load_taxonomy

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
SAMPLE = data_path("samples") / "2019-sample-office.txt"
SCREENSHOT = Path("/tmp/gongkai-page.png")
REQUEST = "申请公开本单位与某公司签订的供货合同，其中含有该公司的报价和技术方案。"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def base_url(models_root: Path) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free loopback port."""
    app = create_app(Settings(request_model=str(models_root / "tfidf-request"),
                              paragraph_model=str(models_root / "tfidf-paragraph")))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(base_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(base_url)
        yield page
        browser.close()


def test_a_pasted_request_gets_its_disposition(page, request_model: DispositionModel) -> None:
    expected = request_model.classify([REQUEST], explain=True)[0]
    page.get_by_label("申请内容").fill(REQUEST)
    page.get_by_role("button", name="分类").click()
    disposition = page.locator("#disposition")
    disposition.wait_for()
    assert disposition.inner_text() == load_taxonomy().name(expected.label)
    result = page.locator("#request-result")
    assert result.get_attribute("aria-live") == "polite"
    assert expected.legal_basis in result.inner_text()
    marked = page.locator("#request-result mark").all_inner_texts()
    assert marked and set(marked) <= {term.term for term in expected.explanation}


def test_a_dropped_report_shows_its_table_and_failing_checks(page) -> None:
    page.locator("#report-file").set_input_files(SAMPLE)
    table = page.locator("#requests-table")
    table.wait_for()
    assert "三、收到和处理政府信息公开申请情况" in table.locator("caption").inner_text()
    failing = table.locator("td.fail")
    assert failing.count() > 0
    assert "✗ 不通过" in page.locator(".checks li.fail").first.inner_text()
    assert page.locator(".paragraphs .tag").count() > 0
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_a_bad_file_says_why(page) -> None:
    page.locator("#report-file").set_input_files(
        files=[{"name": "empty.txt", "mimeType": "text/plain", "buffer": b""}])
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "the file is empty" in alert.inner_text()


def test_api_docs_render_offline(page, base_url: str) -> None:
    page.goto(f"{base_url}/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "gongkai" in title.inner_text()
    assert page.locator(".opblock-summary-path", has_text="/v1/classify").count() == 1
