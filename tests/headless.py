"""Headless Chromium for tests that read pages as an analyst sees them (browse, brief).

The system's Chromium (CHROMIUM_PATH, as crawler/rendering.py finds it) through Playwright,
one browser per test module: ``from tests.headless import chromium_browser`` makes the
fixture ``chromium`` available to a module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scrapy.settings import Settings

from crawler import settings
from crawler.rendering import chromium_path


@pytest.fixture(scope="module", name="chromium")
def chromium_browser() -> Iterator[Any]:
    path = chromium_path(Settings({"CHROMIUM_PATH": settings.CHROMIUM_PATH}))
    if path is None:
        pytest.skip("no Chromium (set CHROMIUM_PATH): these pages are checked in a real browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True)
        yield browser
        browser.close()
