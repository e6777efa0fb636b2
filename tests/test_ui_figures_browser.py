"""The Figures panel in headless Chromium over the real engine (fake embedder): opens, fills, filters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from test_ui_browser import CHROMIUM_FLAGS, ROOT, chromium_path  # noqa: F401  (fixture)
from ui_fake_engine import serving

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.enable_socket, pytest.mark.slow]


@pytest.fixture
def engine(tmp_path: Path, monkeypatch):
    from assistant import Assistant
    from assistant.config import Settings

    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    return Assistant(settings=Settings(corpus=tmp_path / "corpus", store=tmp_path / "store", embedder="fake"))


def test_figures_panel_lists_and_filters_claims(chromium_path, engine):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    with serving(engine) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(url, wait_until="load")
        expect(page.get_by_test_id("textbox")).to_have_count(1)  # the chat's, until the panel opens
        page.get_by_text("Figures", exact=True).click()
        table = page.locator("#figures")
        expect(table).to_contain_text("22,8 juta", timeout=60_000)
        expect(table).to_contain_text("target")
        page.get_by_placeholder("series, place, company… (e.g. ekspor nonmigas)").fill("Juni 2023")
        expect(table).to_contain_text("22,8 juta")
        expect(table).not_to_contain_text("30 juta", timeout=10_000)
        browser.close()
