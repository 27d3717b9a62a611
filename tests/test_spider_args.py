"""Bad `-a` values: one line that says what is wrong and how to write it, a non-zero exit, nothing left behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.spiders.errors import SpiderArgumentError
from crawler.spiders.generic import GenericNewsSpider
from crawler.spiders.sites import spider_class
from tests.helpers import scrapy

ALUSBU = spider_class("alusbu")

# argument -> words the message must hold (the value as typed, and how to write it)
BAD_ARGUMENTS = {
    "max_pages=-1": ("-a max_pages=-1", "1 or more"),
    "base_url=not-a-url": ("-a base_url=not-a-url", "http(s) URL", "-a base_url=http://"),
    "render=maybe": ("-a render=maybe", "auto", "always", "never"),
    "sections=nosuch": ("'nosuch'", "arab-world", "military", "politics"),
}


@pytest.mark.parametrize("argument", sorted(BAD_ARGUMENTS))
def test_the_spider_refuses_a_bad_argument_with_one_line(argument: str) -> None:
    name, _, value = argument.partition("=")
    with pytest.raises(SpiderArgumentError) as refused:
        ALUSBU(**{name: value})
    message = str(refused.value)
    assert "\n" not in message
    for words in BAD_ARGUMENTS[argument]:
        assert words in message, message
    # the check that scrapy crawl runs before it takes the run lock says the same
    with pytest.raises(SpiderArgumentError, match=r"^alusbu: ") as early:
        ALUSBU.run_name({name: value})
    assert str(early.value) == message


def test_an_unknown_section_is_an_error_not_a_silent_no_op() -> None:
    with pytest.raises(SpiderArgumentError, match="'militery'"):
        ALUSBU(sections="military,militery")
    assert ALUSBU(sections="military,politics").args.sections == ["military", "politics"]


def test_a_site_without_sections_refuses_any_section() -> None:
    with pytest.raises(SpiderArgumentError, match="no sections"):
        GenericNewsSpider(url="https://example.com/", sections="military")


def test_the_generic_spider_needs_an_http_url() -> None:
    with pytest.raises(SpiderArgumentError, match=re.escape("-a url=https://example.com/")):
        GenericNewsSpider.run_name({})
    with pytest.raises(SpiderArgumentError, match="not an http"):
        GenericNewsSpider.run_name({"url": "ftp://example.com/"})
    assert GenericNewsSpider.run_name({"url": "https://www.example.com/"}) == "news_example_com"


def test_the_error_is_still_a_value_error() -> None:
    """Callers that made spiders themselves caught ValueError: they still can."""
    with pytest.raises(ValueError, match="max_pages"):
        ALUSBU(max_pages="0")


def refused_crawl(tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    """``scrapy crawl`` with the given arguments, its database, lock, feeds and log under ``tmp_path/run``."""
    workdir = tmp_path / "run"
    workdir.mkdir()
    result = scrapy(
        "crawl",
        *args,
        "-s",
        f"LOG_FILE={tmp_path / 'crawl.log'}",
        "-s",
        "LOG_LEVEL=DEBUG",
        "-s",
        f"FEED_DIR={workdir / 'feeds'}",
        "-s",
        f"STATS_FILE={workdir / 'stats.json'}",
        env={"DATABASE_URL": f"sqlite:///{workdir / 'news.db'}"},
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in (tmp_path / "crawl.log").read_text("utf-8")
    # no database, no run lock beside it, no feed folder, no stats file
    assert sorted(p.name for p in workdir.iterdir()) == []
    return result.returncode, [line for line in result.stderr.splitlines() if line.strip()]


CLI_CASES = [
    ("alusbu", "-a", "base_url=http://127.0.0.1:9", "-a", "max_pages=-1"),
    ("alusbu", "-a", "base_url=not-a-url"),
    ("alusbu", "-a", "base_url=http://127.0.0.1:9", "-a", "render=maybe"),
    ("alusbu", "-a", "base_url=http://127.0.0.1:9", "-a", "sections=nosuch"),
    ("news",),
]


@pytest.mark.parametrize("args", CLI_CASES, ids=lambda args: " ".join(args[2:]) or args[0])
def test_scrapy_crawl_refuses_bad_arguments_before_touching_anything(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    status, lines = refused_crawl(tmp_path, *args)
    assert status == 2
    assert any(line.split("error: ", 1)[-1].startswith(f"{args[0]}: ") for line in lines), lines
    # the detail pydantic gave stays in the log, at debug level
    if args[0] == "alusbu" and "sections" not in args[-1]:
        assert "DEBUG: alusbu: spider arguments refused" in (tmp_path / "crawl.log").read_text("utf-8")


@pytest.mark.parametrize("args", CLI_CASES[:2], ids=["max_pages", "base_url"])
def test_scrapy_crawl_prints_only_the_message(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Scrapy's usage banner (four lines) around the message is noise: the message alone, one line."""
    _, lines = refused_crawl(tmp_path, *args)
    assert len(lines) == 1, lines
    assert f"{args[0]}: -a " in lines[0], lines
