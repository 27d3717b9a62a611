"""Pytest fixtures for the mirror; registered by ``tests/conftest.py``.

The site is session-scoped: building and serving it once keeps the suite fast. Its request
log is shared too, so a test that counts fetches should call ``server.log.clear()`` first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from devsite.mirror.server import MirrorServer
from devsite.mirror.site import MirrorSite, build_site


@dataclass(frozen=True)
class RunningMirror:
    """A served mirror: its base URL, the site (routes and manifest) and the server (request log)."""

    base_url: str
    site: MirrorSite
    server: MirrorServer

    @property
    def manifest(self) -> dict[str, Any]:
        """The manifest, with URLs under ``base_url``."""
        return self.site.manifest


@pytest.fixture(scope="session")
def mirror_site() -> Iterator[RunningMirror]:
    """The default mirror (48 articles, seed 7) served on a free 127.0.0.1 port."""
    with MirrorServer(build_site()) as server:
        yield RunningMirror(server.base_url, server.site, server)


@pytest.fixture(scope="session")
def mirror_js_site() -> Iterator[RunningMirror]:
    """The default mirror plus the JavaScript-rendered section (12 articles), served apart.

    Its ``/category/analysis/`` listings and the bodies of its articles are empty until their
    scripts run (see ``devsite/mirror/jsapp.py``); ``manifest["js_articles"]`` lists those pages.
    """
    with MirrorServer(build_site(js_section=True)) as server:
        yield RunningMirror(server.base_url, server.site, server)
