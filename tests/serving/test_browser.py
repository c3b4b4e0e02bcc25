"""The page at ``/`` in headless Chromium (Debian's package, never a downloaded browser):
answers, Chinese actually drawn (not empty boxes), a 375 px phone, the keyboard alone,
copying, and an axe-core accessibility check (axe vendored under ``axe/``)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from gongkai.corrections import CorrectionStore
from gongkai.models.base import DispositionModel
from gongkai.resources import data_path
from gongkai.serving.app import create_app
from gongkai.serving.settings import Settings
from gongkai.taxonomy import load_taxonomy

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
SAMPLE = data_path("samples") / "2019-sample-office.txt"
TWO_ERRORS = Path(__file__).parents[1] / "fixtures" / "office-2019-two-errors.txt"
AXE = Path(__file__).parent / "axe" / "axe.min.js"
REQUEST = "申请公开本单位与某公司签订的供货合同，其中含有该公司的报价和技术方案。"
DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 375, "height": 740}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def base_url(models_root: Path) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free loopback port."""
    yield from _serve(Settings(request_model=str(models_root / "tfidf-request"),
                               paragraph_model=str(models_root / "tfidf-paragraph")))


def _serve(settings: Settings) -> Iterator[str]:
    """Run the app with ``settings`` until the generator is closed; yields its address."""
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0,
                                           log_level="warning"))
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


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, base_url: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto(base_url)
    return page


@pytest.fixture
def page(browser, base_url: str):
    page = open_page(browser, base_url, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, base_url: str):
    page = open_page(browser, base_url, PHONE)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: GONGKAI_SCREENSHOTS, or a temporary folder."""
    folder = os.environ.get("GONGKAI_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screenshots")


def classify(page, text: str = REQUEST) -> None:
    page.get_by_label("申请内容").fill(text)
    page.get_by_role("button", name="分类").click()
    page.locator("#disposition").wait_for()


def upload(page, path: Path = SAMPLE) -> None:
    page.locator("#report-file").set_input_files(path)
    page.locator("#requests-table").wait_for()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


# --- what the page answers ----------------------------------------------------------------


def test_a_pasted_request_gets_its_disposition_and_the_articles_text(
        page, request_model: DispositionModel) -> None:
    expected = request_model.classify([REQUEST], explain=True)[0]
    classify(page)
    taxonomy = load_taxonomy()
    assert page.locator("#disposition").inner_text() == taxonomy.name(expected.label)
    result = page.locator("#request-result")
    assert result.get_attribute("aria-live") == "polite"
    assert expected.legal_basis in result.inner_text()
    article = taxonomy.leaf(expected.label).article
    assert f"{article}：{taxonomy.articles[article]}" in page.locator(".articles").inner_text()
    marked = page.locator("#request-result mark").all_inner_texts()
    assert marked and set(marked) <= {term.term for term in expected.explanation}


def test_the_record_box_is_sent_and_needs_record_is_shown(page) -> None:
    answer = {"task": "request", "model": {"name": "m", "version": "v"}, "warnings": [],
              "notes": [], "results": [{
                  "label": "other/no_correction", "group": "other", "score": 0.41,
                  "top": [{"label": "other/no_correction", "score": 0.41}],
                  "legal_basis": "第三十条", "explanation": [], "needs_record": True,
                  "question": "是否已书面告知补正、申请人是否在期限内作出补正",
                  "text_label": {"label": "unable/unclear", "score": 0.3},
                  "truncated": False}]}
    sent = []

    def reply(route) -> None:
        sent.append(json.loads(route.request.post_data))
        route.fulfill(json=answer)

    page.route("**/v1/classify", reply)
    page.get_by_label("办理记录").fill("已书面告知补正")
    classify(page, "申请公开我的补正材料处理情况")
    assert sent[0]["items"] == [{"text": "申请公开我的补正材料处理情况",
                                 "record": "已书面告知补正"}]
    notice = page.locator(".needs-record").inner_text()
    assert "需要办理记录：是否已书面告知补正" in notice
    assert "仅凭申请文本：补正后申请内容仍不明确 30%" in notice


def test_a_report_lists_each_failing_check_with_its_cells_and_sentence(page) -> None:
    upload(page, TWO_ERRORS)
    table = page.locator("#requests-table")
    assert "三、收到和处理政府信息公开申请情况" in table.locator("caption").inner_text()
    assert table.locator("td.fail").count() > 0
    failing = page.locator(".checks > li.fail")
    assert "✗ 不通过" in failing.first.inner_text()
    details = page.locator(".checks .details li").all_inner_texts()
    assert "自然人列：本年新收 + 上年结转 = 25，总计 + 结转下年度 = 23" in details
    assert any(line.startswith("正文「") and "予以公开11件" in line for line in details)
    quoted = page.locator(".paragraphs .contradiction mark").all_inner_texts()
    assert any("予以公开11件" in sentence for sentence in quoted)
    assert page.locator(".paragraphs .tag").count() > 0


def test_a_bad_file_says_why_in_chinese(page) -> None:
    page.locator("#report-file").set_input_files(
        files=[{"name": "empty.txt", "mimeType": "text/plain", "buffer": b""}])
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "出错了：empty.txt：文件是空的"


def test_results_can_be_copied(page) -> None:
    classify(page)
    page.locator("#request-result").get_by_role("button", name="复制结果").click()
    page.get_by_text("已复制").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "结果不对"
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("处理结果：") and f"申请内容：{REQUEST}" in copied


# --- Chinese, phones, keyboards, accessibility --------------------------------------------

DRAW = """(chars) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const context = canvas.getContext("2d");
  context.font = `32px ${getComputedStyle(document.body).fontFamily}`;
  return chars.map((char) => {
    context.clearRect(0, 0, 48, 48);
    context.fillText(char, 4, 38);
    return Array.from(context.getImageData(0, 0, 48, 48).data).join(",");
  });
}"""


def test_chinese_is_drawn_with_a_chinese_font_not_empty_boxes(page) -> None:
    # A code point no font has is drawn as the empty box: Chinese must not look like it,
    # and different characters must not look alike.
    chinese = ["政", "府", "信", "息", "公", "开"]
    *glyphs, box, blank = page.evaluate(DRAW, [*chinese, "\U0010fffd", ""])
    assert box != blank, "the empty box itself should be visible"
    assert box not in glyphs, "Chinese is drawn as empty boxes: install fonts-noto-cjk"
    assert len(set(glyphs)) == len(chinese)
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    heading = session.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    used = session.send("CSS.getPlatformFontsForNode", {"nodeId": heading})["fonts"]
    stack = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert any(font["familyName"] in stack for font in used), (used, stack)


def test_the_page_fits_a_375_px_phone(phone, shots: Path) -> None:
    classify(phone)
    upload(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    for selector in ("#request-text", "#request-record", "#drop-zone", ".table-scroll"):
        box = phone.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
    assert serious_violations(phone) == []
    phone.screenshot(path=str(shots / "page-375.png"), full_page=True)


def test_the_page_works_from_the_keyboard(page) -> None:
    choosers: list = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))  # before Space: no race
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "request-text"
    page.keyboard.type(REQUEST)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "request-record"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("#disposition").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "复制结果"
    page.keyboard.press("Enter")
    page.get_by_text("已复制").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "结果不对"
    page.keyboard.press("Tab")  # the hidden correction form takes no focus
    assert page.evaluate("document.activeElement.id") == "report-file"
    page.keyboard.press("Space")
    for _ in range(200):
        if choosers:
            break
        page.wait_for_timeout(50)
    choosers[0].set_files(SAMPLE)
    page.locator("#requests-table").wait_for()
    outline = page.evaluate("getComputedStyle(document.querySelector('#drop-zone')).outlineStyle")
    assert outline == "solid", "the focused file input shows its focus on the drop zone"


def test_no_serious_accessibility_violations(page, shots: Path) -> None:
    assert serious_violations(page) == []
    classify(page)
    upload(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(shots / "page-desktop.png"), full_page=True)


def test_api_docs_render_offline(page, base_url: str) -> None:
    page.goto(f"{base_url}/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "gongkai" in title.inner_text()
    assert page.locator(".opblock-summary-path", has_text="/v1/classify").count() == 1


TOKEN = "page-token"


@pytest.fixture(scope="module")
def served(models_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """A server with an API token and a store of its own: (its address, the store's URL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'corrections.sqlite3'}"
    for address in _serve(Settings(request_model=str(models_root / "tfidf-request"),
                                   paragraph_model=str(models_root / "tfidf-paragraph"),
                                   api_token=TOKEN, corrections_url=url)):
        yield address, url


def test_an_officer_marks_a_result_wrong(browser, served) -> None:
    base_url, url = served
    page = open_page(browser, base_url, DESKTOP)
    classify(page)
    page.get_by_role("button", name="结果不对").click()
    page.get_by_label("正确的处理结果").select_option("withhold/third_party")
    page.get_by_label("备注").fill("含第三方商业秘密")
    page.get_by_label("接口令牌").fill(TOKEN)
    assert serious_violations(page) == []
    page.get_by_role("button", name="提交更正").click()
    page.get_by_text("已记录更正").wait_for()
    [stored] = CorrectionStore(url).all()
    assert stored.labels == ("withhold/third_party",) and stored.note == "含第三方商业秘密"
    page.get_by_label("接口令牌").fill("wrong")
    page.get_by_role("button", name="提交更正").click()
    page.get_by_text("未能记录").wait_for()
    page.context.close()
