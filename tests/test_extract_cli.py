"""`scrapy extract` on files: charsets, bad input, --store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.middlewares.charset import CharsetRepairMiddleware
from tests.helpers import export, extract, scrapy
from tests.mirror_plugin import RunningMirror

TITLE = "وزير الدفاع يبحث مع نظيره الأردني تعزيز التعاون العسكري"
BODY = (
    "بحث وزير الدفاع اليوم مع نظيره الأردني سبل تعزيز التعاون العسكري بين البلدين في مجالات التدريب "
    "وتبادل الخبرات، وأكد الجانبان أهمية استمرار التنسيق لمواجهة التحديات الأمنية في المنطقة."
)
PAGE = f"""<html lang="ar" dir="rtl"><head><title>{TITLE}</title></head><body>
<h1 class="entry-title">{TITLE}</h1><div class="entry-content"><p>{BODY}</p><p>{BODY}</p></div></body></html>"""


def test_windows_1256_file_without_charset(tmp_path: Path) -> None:
    page = tmp_path / "old-site.html"
    page.write_bytes(PAGE.encode("cp1256"))
    [record] = extract(str(page), url="https://www.elaosboa.com/100100/")
    assert record["title"] == TITLE
    assert record["body"] == f"{BODY}\n\n{BODY}"


def test_windows_1256_labelled_utf8_is_repaired() -> None:
    """The middleware re-decodes a page whose declared charset its bytes break."""
    response = HtmlResponse(
        "https://www.elaosboa.com/100100/",
        body=PAGE.encode("cp1256"),
        headers={"Content-Type": "text/html; charset=utf-8"},
        request=Request("https://www.elaosboa.com/100100/"),
    )
    repaired = CharsetRepairMiddleware(None).process_response(response.request, response)
    assert TITLE in repaired.text
    assert repaired.encoding == "cp1256"


def test_windows_1256_from_the_mirror(mirror_site: RunningMirror, tmp_path: Path) -> None:
    [page] = [a for a in mirror_site.manifest["articles"] if a["encoding"] == "windows-1256"]
    [record] = extract(page["url"])
    assert record["title"] == page["title"]
    assert record["body"].split("\n\n") == page["paragraphs"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty_page"),
        (b"<html><head><title></title></head><body><div>\xd9\x86\xd8\xb5</div></body></html>", "no_title"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "non_html"),
    ],
)
def test_bad_files_fail_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    page = tmp_path / ("bad.pdf" if reason == "non_html" else "bad.html")
    page.write_bytes(content)
    result = scrapy("extract", str(page))
    assert result.returncode == 1
    assert result.stdout == ""
    assert reason in result.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = scrapy("extract", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_an_unknown_profile_is_one_line(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    result = scrapy("extract", "--spider", "no_such_site", str(page))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "scrapy extract: error: no site profile named 'no_such_site'; known: alusbu"
    )
    assert len(result.stderr.strip().splitlines()) == 2


def test_store_into_a_database_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    url = "postgresql+psycopg://postgres:s3cret-pass@127.0.0.1:1/test"
    result = scrapy("extract", "--store", str(page), env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "cannot reach PostgreSQL at 127.0.0.1:1 (connection refused)" in result.stderr
    assert "s3cret-pass" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2


def test_store_imports_saved_pages(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    database = f"sqlite:///{tmp_path / 'news.db'}"
    env = {"DATABASE_URL": database}
    [first] = extract(str(page), url="https://www.elaosboa.com/100100/", store=True, env=env)
    [again] = extract(str(page), url="https://www.elaosboa.com/100100/", store=True, env=env)
    assert (first["store_outcome"], again["store_outcome"]) == ("new", "unchanged")
    [stored] = export(database)
    assert stored["url"] == "https://www.elaosboa.com/100100/"
    assert stored["title"] == TITLE
    assert json.dumps(stored, ensure_ascii=False).count(TITLE) == 1


def test_the_profile_follows_the_pages_host(tmp_path: Path) -> None:
    """A page of a profiled site gets its profile; any other host the generic one, with no
    publisher's name, zone or credit it does not print (no Al-Osboa defaults)."""
    page = tmp_path / "page.html"
    page.write_text(PAGE, "utf-8")
    [ours] = extract(str(page), url="https://www.elaosboa.com/100100/")
    assert (ours["site"], ours["publisher"]) == ("alusbu", "الأسبوع")
    [other] = extract(str(page), url="https://www.example-defence-news.net/2025/03/03/some-story/")
    assert other["site"] == "news_example_defence_news_net"
    assert other["publisher"] == "example-defence-news.net"
    assert other["source"] == ""  # nothing on the page credits a source
