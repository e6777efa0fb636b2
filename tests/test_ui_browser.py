"""The real chat page in headless Chromium: cited answers, follow-ups, uploads, hostile documents.

Runs against the real `Assistant` over a temporary copy of corpus/ with a temporary store.
Needs Debian's /usr/bin/chromium: skipped without it, except under CI=true where that is a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import copy_sample_corpus
from ui_fake_engine import serving

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]
ANSWER_TIMEOUT_MS = 120_000
OUTPUT = ROOT / "test-output" / "ui"

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.enable_socket, pytest.mark.slow]

OTHER_TOPIC = """---
title: Produksi Kopi Nasional 2023
publisher: Kementerian Pertanian (contoh uji)
date: 2024-02-15
language: id
---
Kementerian Pertanian mencatat produksi kopi nasional pada 2023 mencapai 794 ribu ton.
Luas areal perkebunan kopi tercatat 1,2 juta hektare.
"""

HOSTILE = """---
title: "Laporan <script>alert('title')</script> Ekspor Lada"
publisher: <img src=x onerror=alert(2)>
date: 2024-03-01
language: id
---
Ekspor lada pada 2023 mencapai 61 ribu ton <script>alert(1)</script> menurut [laporan](javascript:alert(3)) <img src=x onerror=alert(4)>.
"""


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def engine(tmp_path: Path, monkeypatch):
    from assistant import Assistant

    copy_sample_corpus(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)  # sources show as "corpus/…", as they do when served from the repo

    # the page is the point here: every answer the reader composes is shown (the confidence step that withholds
    # uncertain ones has its own tests)
    return Assistant(corpus=tmp_path / "corpus", store=tmp_path / "store", calibrator=False)


@pytest.fixture
def page(chromium_path: Path, engine) -> Iterator:
    from playwright.sync_api import sync_playwright

    with serving(engine) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.outside_requests = []
        page.dialogs = []
        page.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", "localhost")
                and not r.url.startswith("data:") and page.outside_requests.append(r.url))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(url, wait_until="load")
        yield page
        browser.close()


def ask(page, question: str, expected: str | re.Pattern, cited: bool = True) -> None:
    """Type a question, submit it, wait for a new bot message containing `expected`."""
    from playwright.sync_api import expect

    bots = page.get_by_test_id("bot")
    before = bots.count()
    page.get_by_test_id("textbox").fill(question)
    page.get_by_test_id("submit-button").click()
    expect(bots).to_have_count(before + 1, timeout=ANSWER_TIMEOUT_MS)
    expect(bots.last).to_contain_text(expected, timeout=ANSWER_TIMEOUT_MS)
    if cited:  # the headline figure is the bold one, not just somewhere in a quoted passage
        expect(bots.last.locator("strong").first).to_contain_text(expected)
    if cited:
        expect(page.locator("#sources [data-testid=source-entry]").first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)


def upload(page, path: Path, expected_status: str) -> None:
    from playwright.sync_api import expect

    page.locator("#upload input[type=file]").set_input_files(str(path))
    expect(page.locator("#upload-status")).to_contain_text(expected_status, timeout=ANSWER_TIMEOUT_MS)


def test_chat_answers_with_cited_figures_follow_ups_and_uploads(page, tmp_path):
    from playwright.sync_api import expect

    OUTPUT.mkdir(parents=True, exist_ok=True)
    sources = page.locator("#sources")

    ask(page, "Berapa UMKM yang sudah go digital saat ini?", "27 juta")
    expect(sources.locator("mark").first).to_contain_text("27 juta")
    expect(sources).to_contain_text("Bisnis.com")
    page.screenshot(path=str(OUTPUT / "1-indonesian.png"), full_page=True)

    ask(page, "What is the target number of MSMEs going digital by 2024?", "30 million")
    expect(sources.locator("mark").first).to_contain_text("30 juta")
    page.screenshot(path=str(OUTPUT / "2-english.png"), full_page=True)

    ask(page, "How many more MSMEs must go digital to reach the target?", "3 million")
    operands = sources.locator(".calculation a.operand")
    expect(operands).to_have_count(2)
    for operand in operands.all():
        anchor = operand.get_attribute("href")
        expect(sources.locator(f"li{anchor}")).to_have_count(1)  # each operand links to its source
    expect(sources.locator("li.source mark")).to_have_count(2)
    page.screenshot(path=str(OUTPUT / "screenshot.png"))  # docs/screenshot.png is a copy of this

    ask(page, "Berapa tingkat inflasi Indonesia pada 2030?", "", cited=False)
    expect(sources.get_by_test_id("refusal")).to_be_visible()
    expect(sources.get_by_test_id("refusal")).to_contain_text(page.get_by_test_id("bot").last.inner_text()[:30])

    ask(page, "Berapa UMKM yang go digital per Maret 2023?", "22 juta")
    ask(page, "Dan per Juni 2023?", "22,8 juta")
    expect(sources.locator("mark").first).to_contain_text("22,8 juta")
    page.screenshot(path=str(OUTPUT / "3-follow-up.png"), full_page=True)

    document = tmp_path / "produksi-kopi-2023.md"
    document.write_text(OTHER_TOPIC, encoding="utf-8")
    upload(page, document, "produksi-kopi-2023.md")
    expect(page.locator("#documents")).to_contain_text("Produksi Kopi Nasional 2023")
    ask(page, "Berapa produksi kopi nasional pada 2023?", re.compile(r"794(\.000| ribu) ton"))
    expect(sources).to_contain_text("Produksi Kopi Nasional 2023")
    page.screenshot(path=str(OUTPUT / "4-uploaded.png"), full_page=True)

    assert page.outside_requests == []


def test_start_screen_example_asks_its_question(page):
    from playwright.sync_api import expect

    page.get_by_role("button", name="Select example 3").click()
    expect(page.get_by_test_id("bot").last).to_contain_text("22,8 juta", timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_test_id("user").first).to_contain_text("Juni 2023")


def test_bad_upload_shows_a_message_and_keeps_the_chat_working(page, tmp_path):
    from playwright.sync_api import expect

    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf \x00\x01\x02")
    upload(page, broken, "Could not add rusak.pdf")
    expect(page.locator("#documents")).not_to_contain_text("rusak.pdf")
    ask(page, "Berapa UMKM yang sudah go digital saat ini?", "27 juta")


def test_hostile_document_renders_as_text(page, tmp_path):
    from playwright.sync_api import expect

    hostile = tmp_path / "lada.md"
    hostile.write_text(HOSTILE, encoding="utf-8")
    upload(page, hostile, "lada.md")
    ask(page, "Berapa ekspor lada pada 2023?", re.compile(r"61(\.000| ribu) ton"))
    sources = page.locator("#sources")
    expect(sources).to_contain_text("<script>alert(1)</script>")
    expect(sources).to_contain_text("[laporan](javascript:alert(3))")
    expect(page.locator("#documents")).to_contain_text("<script>alert('title')</script>")
    assert page.locator("#sources script, #sources img, #documents img, #documents script").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
    page.screenshot(path=str(OUTPUT / "5-hostile.png"), full_page=True)


@pytest.fixture
def phone(chromium_path: Path, engine) -> Iterator:
    from playwright.sync_api import sync_playwright

    with serving(engine) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page.goto(url, wait_until="load")
        yield page
        browser.close()


def _inside(inner: dict, outer: dict) -> bool:
    return (outer["x"] - 1 <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
            and outer["y"] - 1 <= inner["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_phone_layout_shows_the_latest_answers_sources_under_it(phone):
    from playwright.sync_api import expect

    OUTPUT.mkdir(parents=True, exist_ok=True)
    ask(phone, "Berapa UMKM yang go digital per Maret 2023?", "22 juta", cited=False)
    ask(phone, "Berapa UMKM yang go digital per Juni 2023?", "22,8 juta", cited=False)
    latest = phone.get_by_test_id("bot").last
    source = latest.locator(".answer-sources li.source").first
    expect(source).to_be_visible()
    expect(source.locator("mark").first).to_contain_text("22,8 juta")
    expect(source.locator(".source-date")).to_have_text("4 Desember 2023")
    source.scroll_into_view_if_needed()
    expect(source).to_be_in_viewport()
    viewport = {"x": 0, "y": 0, "width": 390, "height": 10_000}
    assert _inside(source.bounding_box(), viewport)  # no sideways hunting
    clear, log = phone.locator("#chat button[aria-label=Clear]"), phone.locator("#chat [role=log]")
    assert clear.bounding_box()["y"] + clear.bounding_box()["height"] <= log.bounding_box()["y"] + 1
    table = phone.locator("#documents")
    table.scroll_into_view_if_needed()
    screen = {"x": 0, "y": 0, "width": 390, "height": 100_000}
    for header in ("header-0", "header-1"):  # title and date
        assert _inside(table.get_by_test_id(header).bounding_box(), screen), header
    icon = phone.locator("#upload [data-testid=upload-icon]")
    labels = phone.locator("#upload [data-testid=block-label]")
    label_box = labels.first.bounding_box() if labels.count() else None  # None: not shown
    assert label_box is None or not _overlap(label_box, icon.bounding_box())
    expect(phone.locator("#upload-label")).to_contain_text("Add a briefing")
    phone.screenshot(path=str(OUTPUT / "6-phone.png"), full_page=True)


def test_markers_jump_to_their_source_and_copy_gives_a_citation(chromium_path, engine):
    from playwright.sync_api import expect, sync_playwright

    with serving(engine) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        page = context.new_page()
        page.goto(url, wait_until="load")
        ask(page, "Berapa UMKM yang go digital per Maret 2023?", "22 juta")
        ask(page, "Berapa UMKM yang go digital per Juni 2023?", "22,8 juta")
        first, latest = page.get_by_test_id("bot").first, page.get_by_test_id("bot").last
        expect(first.locator(".answer-sources mark").first).to_contain_text("22 juta")  # it kept its own sources
        latest.locator("a.cite").first.click()
        target = latest.locator(".answer-sources li.source").first
        expect(target).to_have_class(re.compile(r"\bhighlighted\b"))
        target.locator("button.copy-citation").click()
        expect(target.locator("button.copy-citation")).to_have_class(re.compile(r"\bcopied\b"))
        copied = page.evaluate("navigator.clipboard.readText()")
        assert re.fullmatch(r'"[^"]*22,8 juta[^"]*" — Pemerintah Optimistis Target 30 Juta UMKM Go Digital Tercapai '
                            r"pada 2024, Bisnis\.com, 4 Desember 2023, https://ekonomi\.bisnis\.com/\S+", copied), copied
        latest.locator("button.copy-answer").click()
        expect(latest.locator("button.copy-answer")).to_have_class(re.compile(r"\bcopied\b"))
        answer = page.evaluate("navigator.clipboard.readText()")
        assert "**" not in answer and "22,8 juta" in answer and "\n[1] \"" in answer
        first.click()  # selecting an older answer shows its sources in the side panel
        expect(page.locator("#sources mark").first).to_contain_text("22 juta")
        browser.close()


def test_uploaded_briefing_can_be_removed_from_the_page_and_the_index(page, tmp_path, engine):
    from playwright.sync_api import expect

    document = tmp_path / "produksi-kopi-2023.md"
    document.write_text(OTHER_TOPIC, encoding="utf-8")
    upload(page, document, "produksi-kopi-2023.md")
    assert not (Path(engine.settings.corpus) / document.name).exists()  # uploads never land in the corpus
    expect(page.locator("#documents")).to_contain_text("Produksi Kopi Nasional 2023")
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name=re.compile("produksi-kopi-2023.md")).click()
    page.locator("#remove-button").click()
    expect(page.locator("#upload-status")).to_contain_text("Removed produksi-kopi-2023.md", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#documents")).not_to_contain_text("Produksi Kopi Nasional 2023")
    assert not (engine.settings.uploads_folder / document.name).exists()
    ask(page, "Berapa produksi kopi nasional pada 2023?", "", cited=False)
    expect(page.get_by_test_id("bot").last).not_to_contain_text("794")
