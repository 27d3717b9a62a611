"""Running the project's own commands and stages from development tools.

The tests and the benchmarks both drive the project this way: ``scrapy`` commands
in a subprocess, as a user would, or the pipeline stages in process on one page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from crawler.text.arabic import words

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", PROJECT_ROOT.parent / "shared"))
REALPAGES = SHARED / "realpages"
SEED = SHARED / "seeds" / "000_3f9dc59799250020.txt"


def scrapy(
    *args: str, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``scrapy ARGS`` in the project folder, as a user would."""
    return run_module("scrapy", *args, env=env, timeout=timeout)


def run_module(
    module: str, *args: str, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m MODULE ARGS`` in the project folder with extra environment."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def extract(
    *inputs: str, url: str | None = None, store: bool = False, env: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Records printed by ``scrapy extract`` (must succeed)."""
    args = ["extract", *inputs] + (["--url", url] if url else []) + (["--store"] if store else [])
    result = scrapy(*args, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def token_f1(got: str, expected: str) -> float:
    """F1 of the word multisets of two texts, in matching form (0..1).

    The measure trafilatura's and the article-extraction-benchmark's evaluations
    use: order-insensitive, so it rewards getting the right words and penalises
    both missing paragraphs (recall) and boilerplate let in (precision).
    """
    got_words, expected_words = Counter(words(got)), Counter(words(expected))
    overlap = sum((got_words & expected_words).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(got_words.values())
    recall = overlap / sum(expected_words.values())
    return 2 * precision * recall / (precision + recall)


def stages(include_store: bool = False) -> list[Any]:
    """The project's page stages, in the order crawler/settings.py runs them (without the
    preparation stage: with no crawler there is no worker, each stage computes itself)."""
    from scrapy.utils.misc import load_object

    from crawler import settings
    from pipelines.base import PageStage

    ordered = sorted(settings.ITEM_PIPELINES.items(), key=lambda pair: pair[1])
    classes = [load_object(path) for path, _ in ordered]
    return [
        stage()
        for stage in classes
        if issubclass(stage, PageStage) and (include_store or stage.__name__ != "StorePipeline")
    ]


def page_item(extraction: Any, url: str = "https://www.elaosboa.com/100001/", profile: Any = None) -> Any:
    """The PageItem a site's spider would yield for one extracted page (alusbu's by default)."""
    from datetime import UTC, datetime

    from crawler.items import PageItem
    from crawler.profiles import ALUSBU

    profile = profile or ALUSBU
    return PageItem(
        url=url,
        site=profile.name,
        publisher=profile.publisher,
        fetched_at=datetime.now(UTC),
        meta=extraction.meta,
        blocks=extraction.blocks,
        timezone=profile.timezone,
    )


def process_extraction(
    extraction: Any, url: str = "https://www.elaosboa.com/100001/", profile: Any = None
) -> list[Any]:
    """Articles of one extracted page through every stage but storage."""
    page = page_item(extraction, url, profile)
    for stage in stages():
        page = stage.process_item(page)
    return list(page.articles)


def process_html(html: str, url: str = "https://www.elaosboa.com/100001/") -> list[Any]:
    """Articles of one HTML page through extraction and every stage but storage."""
    from crawler.extract import extract_html
    from crawler.profiles import ALUSBU

    return process_extraction(extract_html(html, url, ALUSBU), url)


def crawl_options(workdir: Path, settings: dict[str, str] | None) -> dict[str, str]:
    """Settings of a test crawl: no politeness delays (the site is ours, on loopback),
    feeds, web archive, stats and log in ``workdir``; everything else is the project's own."""
    return {
        "AUTOTHROTTLE_ENABLED": "0",
        "DOWNLOAD_DELAY": "0",
        "FEED_DIR": str(workdir / "feeds"),
        "ARCHIVE_DIR": str(workdir / "archive"),
        "STATS_FILE": str(workdir / "stats.json"),
        "LOG_FILE": str(workdir / "crawl.log"),
        **(settings or {}),
    }


def crawl_command(
    base_url: str, workdir: Path, spider: str, args: dict[str, str] | None, settings: dict[str, str] | None
) -> list[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    command = ["crawl", spider, "-a", f"base_url={base_url}"]
    for name, value in (args or {}).items():
        command += ["-a", f"{name}={value}"]
    for name, value in crawl_options(workdir, settings).items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl(
    base_url: str,
    workdir: Path,
    *,
    database_url: str | None = None,
    spider: str = "alusbu",
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    timeout: int = 600,
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """Run ``scrapy crawl`` against a local site; return the process and its final stats."""
    (workdir / "stats.json").unlink(missing_ok=True)
    command = crawl_command(base_url, workdir, spider, args, settings)
    database = {"DATABASE_URL": database_url or f"sqlite:///{workdir / 'news.db'}"}
    result = scrapy(*command, env={**database, **(env or {})}, timeout=timeout)
    return result, read_stats(workdir)


def start_crawl(
    base_url: str,
    workdir: Path,
    *,
    database_url: str,
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """The same crawl in the background (to kill it, or to run two at once)."""
    return subprocess.Popen(
        [sys.executable, "-m", "scrapy", *crawl_command(base_url, workdir, "alusbu", args, settings)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_stats(workdir: Path) -> dict[str, Any]:
    stats_file = workdir / "stats.json"
    return json.loads(stats_file.read_text("utf-8")) if stats_file.exists() else {}


def export(database_url: str, *options: str) -> list[dict[str, Any]]:
    """Stored records via ``scrapy export --format jsonl -o -``."""
    result = scrapy("export", "-o", "-", "--format", "jsonl", *options, env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
