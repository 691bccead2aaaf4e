"""End to end in a real browser: `coach serve` in a subprocess, headless Debian Chromium driven by
Playwright. Business flow (paste, highlights, citations, chat, re-review, language switch),
escaping of hostile drafts, and the staff flow (login, filter, status change, export, import)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.server_helpers import ROOT, STAFF_PASSWORD, dev_case, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("browser-data")
    port = free_port()
    env = {**os.environ, "COACH_DATA_DIR": str(data), "COACH_CORPUS_DIR": str(ROOT / "corpus"),
           "COACH_ADMIN_PASSWORD": STAFF_PASSWORD, "COACH_RATE_LIMIT_PER_MINUTE": "1000",
           "COACH_LINK_READS_PER_MINUTE": "1000"}
    for name in ("COACH_LLM", "COACH_CHROMA_URL", "COACH_DATABASE_URL"):
        env.pop(name, None)
    coach = str(Path(sys.executable).parent / "coach")
    log = (data / "serve.log").open("w")
    proc = subprocess.Popen([coach, "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise AssertionError("coach serve exited: " + (data / "serve.log").read_text())
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("coach serve not healthy in 90 s")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    context.close()


def submit_draft(page, base: str, text: str, route: str = "free") -> None:
    page.goto(base + "/")
    page.fill("#draft", text)
    page.check(f"input[name=route][value={route}]")
    page.click("#submit-review")
    page.wait_for_selector("#result:not([hidden])", timeout=20_000)


def test_business_flow_highlights_citations_chat_and_rereview(server, page) -> None:
    case = dev_case(0)
    submit_draft(page, server, case["text"], case["route"] or "free")
    assert "/r/" in page.url
    marks = page.locator("#draft-view mark.hl")
    assert marks.count() > 0
    # The highlighted text is the draft's own text, and the whole draft is shown.
    assert page.inner_text("#draft-view").replace("\n", "") == case["text"].replace("\n", "")
    first = marks.first
    first.click()
    assert page.inner_text("#span-info").strip()
    assert page.locator("#badges .badge").count() == 4
    citations = page.locator("#criteria details.citation")
    assert citations.count() > 0
    citations.first.locator("summary").click()
    assert citations.first.locator("blockquote").is_visible()
    assert page.input_value("#private-link").endswith(page.url.split("/r/")[1])

    page.fill("#chat-question", "提案する時期はいつがよいですか")
    page.click("#chat-form button[type=submit]")
    page.wait_for_selector(".bubble-answer details.citation", timeout=20_000)
    assert page.locator(".bubble-answer .answer-text").inner_text().strip()

    page.click("#edit-again")
    page.fill("#revise-text", case["text"] + "\n北九州市の新ビジョンに沿って八幡東区で実証します。")
    page.click("#revise-form button[type=submit]")
    page.wait_for_selector("#comparison:not([hidden]) li", timeout=20_000)
    assert page.inner_text("#sub-revision") == "2"

    # The private link alone brings the submission back in a fresh visit.
    link = page.input_value("#private-link")
    page.goto(link)
    page.wait_for_selector("#draft-view mark.hl", timeout=20_000)

    timing_ja = page.inner_text("#timing")
    reason_ja = page.inner_text("#crit-cost_split .reason")
    # This server has no index, so the page carries the bilingual "no index" notice.
    notice_ja = page.inner_text("#notices")
    assert "coach ingest" in notice_ja and "no index" not in notice_ja
    page.click("#lang-toggle")
    notice_en = page.inner_text("#notices")
    assert "no index" in notice_en and not re.search(r"[\u3040-\u30ff]", notice_en)
    assert page.inner_text("#intro-title") == "Check your proposal against the four points"
    assert page.get_attribute("html", "lang") == "en"
    timing_en = page.inner_text("#timing")  # the page re-renders the timing card in English
    assert timing_en != timing_ja and not re.search(r"[\u3040-\u30ff]", timing_en.split("\n", 1)[1])
    reason_en = page.inner_text("#crit-cost_split .reason")  # the analyzer's reason, in English
    unquoted = re.sub(r"[“\"「][^”\"」]*[”\"」]", "", reason_en)  # quotes of the draft stay verbatim
    assert reason_en != reason_ja and not re.search(r"[\u3040-\u30ff]", unquoted)
    page.click("#lang-toggle")
    assert page.inner_text("#timing") == timing_ja
    assert page.inner_text("#crit-cost_split .reason") == reason_ja
    assert page.errors == []


def test_hostile_draft_is_shown_as_text_and_never_runs(server, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = (
        "北九州市の八幡東区では高齢者の移動が課題です。<script>window.__pwned = 1; alert('x')</script>\n"
        '<img src=x onerror="window.__pwned = 2; alert(2)"> 当社は市と費用を分担します。\n'
        "<a href=\"javascript:alert(3)\">link</a><svg onload=\"window.__pwned=3\"></svg>"
    )
    submit_draft(page, server, hostile)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    view = page.locator("#draft-view")
    assert "<script>window.__pwned = 1; alert('x')</script>" in view.inner_text()
    assert view.locator("script, img, svg, a").count() == 0
    assert page.locator("img[src=x]").count() == 0
    assert page.errors == []


def test_bad_input_shows_a_clear_message_and_keeps_the_text(server, page) -> None:
    page.goto(server + "/")
    page.fill("#draft", "   ")
    page.click("#submit-review")
    page.wait_for_selector("#form-error:not([hidden])")
    assert "空" in page.inner_text("#form-error")
    page.fill("#draft", "あ" * 31_000)
    page.click("#submit-review")
    expect(page.locator("#form-error")).to_contain_text("長すぎ")
    assert len(page.input_value("#draft")) == 31_000  # nothing the writer typed is lost


def test_staff_flow_login_filter_status_export_import(server, page, tmp_path: Path) -> None:
    for index in (1, 2, 3):
        case = dev_case(index)
        httpx.post(server + "/api/reviews", json={"text": case["text"], "route": case["route"]},
                   timeout=30).raise_for_status()
    page.goto(server + "/staff")
    page.wait_for_url("**/staff/login**")
    page.fill("#username", "admin")
    page.fill("#password", "wrong password")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error:not([hidden])")
    page.fill("#password", STAFF_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(server + "/staff")
    page.wait_for_selector("#submissions-table tbody tr")
    assert page.locator("#submissions-table tbody tr").count() >= 3

    page.select_option("#f-route", "free")
    page.click("#filter-form button[type=submit]")
    page.wait_for_url("**route=free**")
    route_cells = page.locator("#submissions-table tbody tr td:nth-child(3)")
    expect(route_cells.filter(has_not_text="フリー型")).to_have_count(0)
    assert route_cells.count() > 0

    page.locator("#submissions-table tbody tr a").first.click()
    page.wait_for_selector("#screening-table tr")
    assert page.locator("#draft-view mark.hl").count() > 0
    page.select_option("#new-status", "rejected")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector("#status-error:not([hidden])")  # a rejection needs a reason
    page.select_option("#new-status", "first_check")
    page.click("#status-form button[type=submit]")
    expect(page.locator("#current-status")).to_have_text("一次確認")
    expect(page.locator("#audit-table")).to_contain_text("status_changed")

    with page.expect_download() as download_md:
        page.click("#export-md")
    md_path = tmp_path / "summary.md"
    download_md.value.save_as(md_path)
    assert md_path.read_text(encoding="utf-8").startswith("# 事前確認サマリー")
    with page.expect_download() as download_pdf:
        page.click("#export-pdf")
    pdf_path = tmp_path / "summary.pdf"
    download_pdf.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(json.dumps({"text": dev_case(i)["text"], "route": "theme"},
                                          ensure_ascii=False) for i in (30, 31)) + "\n{bad\n",
                     encoding="utf-8")
    page.goto(server + "/staff/import")
    page.set_input_files("#import-file", str(batch))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#import-counts")).to_contain_text("done", timeout=30_000)
    assert "3 / 3" in page.inner_text("#import-counts")
    assert page.locator("#import-errors li").count() == 1
    assert page.errors == []
