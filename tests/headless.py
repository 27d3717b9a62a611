"""Headless Chromium for tests that read pages as an analyst sees them (browse, brief).

The system's Chromium (CHROMIUM_PATH, as crawler/rendering.py finds it) through Playwright,
one browser per test module: ``from tests.headless import chromium_browser`` makes the
fixture ``chromium`` available to a module. :func:`keep_screenshot` writes a page's picture
to docs/img/ only when it looks different from the committed one, so a test run on an
unchanged tree leaves the committed pictures as they are.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
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


# Pixels that may differ (a share of the picture, each by more than a shade) before a new
# screenshot replaces the committed one: Chromium's anti-aliasing of the same page can
# move a few pixels between runs, and a PNG encoder's bytes need not repeat.
CHANGED_PIXELS = 0.0005
SHADE = 16


def looks_the_same(new: bytes, old: bytes) -> bool:
    """Whether two PNG screenshots show the same page (decoded with Pillow; without it, byte for byte)."""
    if new == old:
        return True
    try:
        from PIL import Image, ImageChops
    except ImportError:
        return False
    with Image.open(io.BytesIO(new)) as a, Image.open(io.BytesIO(old)) as b:
        if a.size != b.size:
            return False
        difference = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
        changed = sum(difference.point(lambda level: 255 if level > SHADE else 0).histogram()[255:])
        return changed <= CHANGED_PIXELS * a.size[0] * a.size[1]


def keep_screenshot(page: Any, path: Path, **options: Any) -> None:
    """The page's screenshot (Playwright's options) at ``path``, written only when it looks different."""
    shot = page.screenshot(**options)
    if path.exists() and looks_the_same(shot, path.read_bytes()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(shot)
