"""Helpers shared by the tests: the development harness (devsite/harness.py) and ``shared_file``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from devsite.harness import (
    PROJECT_ROOT,
    REALPAGES,
    SEED,
    SHARED,
    crawl,
    crawl_command,
    crawl_options,
    export,
    extract,
    page_item,
    process_extraction,
    process_html,
    read_stats,
    run_module,
    scrapy,
    stages,
    start_crawl,
    token_f1,
)

__all__ = [
    "PROJECT_ROOT",
    "REALPAGES",
    "SEED",
    "SHARED",
    "crawl",
    "crawl_command",
    "crawl_options",
    "export",
    "extract",
    "page_item",
    "process_extraction",
    "process_html",
    "read_stats",
    "run_module",
    "scrapy",
    "shared_file",
    "stages",
    "start_crawl",
    "token_f1",
]


def shared_file(path: Path) -> Path:
    """A file of ../shared; in CI its absence is a failure, elsewhere a skip."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs beside ../shared")
        pytest.skip(f"{path} is missing (tests read ../shared/ beside the checkout)")
    return path
