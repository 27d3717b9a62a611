"""The local mirror must be a faithful, deterministic site, and its manifest must be true.

Crawl tests compare what the crawler stored to the manifest, so a wrong manifest would
blame correct code. These tests check the mirror from the outside (over HTTP, parsing its
pages, feeds and sitemaps like a crawler would) and check that the manifest says exactly
what the pages show.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import re
import subprocess
import sys
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import lxml.etree
import lxml.html
import pytest
from protego import Protego

from devsite.mirror import MirrorServer, MirrorSite, build_site
from devsite.mirror.body import AR_MONTHS, INVISIBLE_MARKS, TATWEEL, clean
from devsite.mirror.faults import CHARSET, KINDS, LASTING, STORED, TRANSIENT, FaultPlan, page_text
from devsite.mirror.seed import SEED_LINES, SEED_TEXT
from tests.mirror_plugin import RunningMirror

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_3f9dc59799250020.txt"

# Shapes of the regular articles: each must occur at least twice and in all three sections.
CORE_SHAPES = (
    "body_p",
    "body_br",
    "bad_nesting",
    "related_module_inside",
    "related_module_after",
    "read_more_card",
    "label_links_single",
    "label_links_multiple",
    "glued_label_text",
    "wp_inline_related",
    "b_inject_in_p",
    "source_line_publisher",
    "source_line_agencies",
    "source_line_multi",
    "source_field",
    "source_mention_in_body",
    "source_default",
    "tweet_blockquote",
    "tweet_x_com",
    "tweet_arabic_date",
    "tweet_arabic_indic_date",
    "tweet_flattened",
    "ad_in_body",
    "share_in_body",
    "text_noise",
)
LABEL_VARIANTS = (
    "اقرأ أيضاً",
    "إقرأ أيضاً",
    "اقرأ ايضا",
    "اقرا أيضا",
    "اقرأ أيضًا",
    "اقرأ  أيضاً :",
    "شاهد أيضاً",
    "طالع أيضاً:",
    "اقرأ المزيد",
    "إقرأ المزيد",
    "مواضيع ذات صلة",
    "الأخبار المرتبطة",
)


def fetch(
    url: str, method: str = "GET", timeout: float = 10, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request straight to the mirror (no proxies, no redirects followed)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request(method, urlunsplit(("", "", parts.path or "/", parts.query, "")), headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def without_date(response: tuple[int, dict[str, str], bytes]) -> tuple[int, dict[str, str], bytes]:
    """A fetched response minus its Date header, which says when it was sent, not what."""
    status, headers, body = response
    return status, {k: v for k, v in headers.items() if k != "date"}, body


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def canonical(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(query="", fragment=""))


def page_urls(manifest: dict[str, Any]) -> set[str]:
    """Every URL at which an expected article page is served (appended records share their page)."""
    urls = {strip_fragment(a["url"]) for a in manifest["articles"]}
    return urls | {u for a in manifest["articles"] for u in a["duplicate_urls"]}


def crawl_section(base_url: str, first_page: str) -> tuple[list[str], int]:
    """Follow ``a.next.page-numbers`` from a section's first page; return item hrefs and page count."""
    hrefs: list[str] = []
    url: str | None = urljoin(base_url, first_page)
    pages = 0
    while url:
        status, _, body = fetch(url)
        assert status == 200, url
        doc = lxml.html.fromstring(body.decode("utf-8"))
        pages += 1
        items = doc.cssselect("li.post-item h2.post-title a")
        assert 0 < len(items) <= 10
        hrefs += [urljoin(url, a.get("href")) for a in items]
        numbers = doc.cssselect("a.page-numbers, span.page-numbers.current")
        assert numbers, "every listing page shows numbered pagination"
        following = doc.cssselect("a.next.page-numbers")
        url = urljoin(url, following[0].get("href")) if following else None
        assert pages < 500, "pagination loops"
    return hrefs, pages


# --- serving ---------------------------------------------------------------------------------


def test_every_manifest_url_answers_html(mirror_site: RunningMirror) -> None:
    for url in sorted(page_urls(mirror_site.manifest)):
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["content-type"].startswith("text/html"), url
        assert b"<html" in body[:300], url


def test_query_string_is_ignored_and_head_has_no_body(mirror_site: RunningMirror) -> None:
    article = mirror_site.manifest["articles"][0]["url"]
    path = urlsplit(article).path
    mirror_site.server.log.clear()
    plain = fetch(article)
    tracked = fetch(article + "?utm_source=x&fbclid=1")
    head_status, head_headers, head_body = fetch(article, "HEAD")
    assert plain[0] == tracked[0] == head_status == 200
    assert plain[2] == tracked[2]
    assert head_body == b""
    assert head_headers["content-length"] == str(len(plain[2]))
    assert mirror_site.server.hits(path) == 3
    assert mirror_site.server.hits(path, "HEAD") == 1
    assert [r.query for r in mirror_site.server.log.records()][1] == "utm_source=x&fbclid=1"


def test_unknown_paths_answer_404_and_slashless_article_redirects(mirror_site: RunningMirror) -> None:
    status, headers, body = fetch(mirror_site.base_url + "/no/such/page/")
    assert status == 404
    assert headers["content-type"].startswith("text/html")
    assert body
    article = mirror_site.manifest["articles"][0]["url"]
    status, headers, _ = fetch(article.rstrip("/"))
    assert status == 301
    assert headers["location"] == article


def test_server_start_stop_and_port_zero() -> None:
    site = build_site(12, seed=3)
    with MirrorServer(site) as server:
        base = server.base_url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        assert not base.endswith(":0")
        assert site.base_url == base
        assert site.manifest["base_url"] == base
        assert fetch(base + "/robots.txt")[0] == 200
    with pytest.raises(ConnectionRefusedError):
        fetch(base + "/robots.txt")


# --- discovery: listings, feed, sitemaps, robots ----------------------------------------------


def test_listing_pagination_reaches_every_listed_post(mirror_site: RunningMirror) -> None:
    manifest = mirror_site.manifest
    found: set[str] = set()
    for section in manifest["sections"]:
        hrefs, pages = crawl_section(mirror_site.base_url, section["url"])
        assert pages == section["pages"]
        assert len(hrefs) == len(set(hrefs)), "no post is listed twice"
        found |= {canonical(h) for h in hrefs}
    bad = {b["url"] for b in manifest["bad_pages"]}
    assert found == page_urls(manifest) | bad
    assert not any("/private/" in url for url in found)


def test_listing_pages_are_newest_first_and_paginated_wordpress_style(mirror_site: RunningMirror) -> None:
    section = mirror_site.manifest["sections"][1]
    status, _, body = fetch(section["url"])
    doc = lxml.html.fromstring(body.decode())
    assert status == 200
    assert doc.get("lang") == "ar"
    assert doc.get("dir") == "rtl"
    assert doc.cssselect("span.page-numbers.current")[0].text_content() == "1"
    numbered = [a.get("href") for a in doc.cssselect("a.page-numbers:not(.next):not(.prev)")]
    assert section["url"] + "page/2/" in numbered
    last = f"{section['url']}page/{section['pages']}/"
    status, _, body = fetch(last)
    assert status == 200
    assert not lxml.html.fromstring(body.decode()).cssselect("a.next.page-numbers")
    assert fetch(f"{section['url']}page/{section['pages'] + 1}/")[0] == 404
    by_url = {a["url"]: a for a in mirror_site.manifest["articles"]}
    hrefs, _ = crawl_section(mirror_site.base_url, section["url"])
    times = [by_url[canonical(h)]["published_at"] for h in hrefs if canonical(h) in by_url]
    assert times == sorted(times, reverse=True)


def test_rss_lists_the_latest_articles(mirror_site: RunningMirror) -> None:
    status, headers, body = fetch(mirror_site.manifest["feeds"][0])
    assert status == 200
    assert "rss" in headers["content-type"]
    channel = ET.fromstring(body).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert len(items) == 20
    links = [item.findtext("link") or "" for item in items]
    assert set(links) <= page_urls(mirror_site.manifest)
    dates = [parsedate_to_datetime(item.findtext("pubDate") or "") for item in items]
    assert all(d.tzinfo is not None for d in dates)
    assert dates == sorted(dates, reverse=True)


def sitemap_urls(index_url: str) -> tuple[list[str], list[str]]:
    status, _, body = fetch(index_url)
    assert status == 200
    index = ET.fromstring(body)
    files = [loc.text or "" for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert len(index.findall("sm:sitemap/sm:lastmod", SITEMAP_NS)) == len(files)
    urls: list[str] = []
    for file_url in files:
        status, _, body = fetch(file_url)
        assert status == 200
        urlset = ET.fromstring(body)
        assert len(urlset.findall("sm:url/sm:lastmod", SITEMAP_NS)) == len(
            urlset.findall("sm:url", SITEMAP_NS)
        )
        urls += [loc.text or "" for loc in urlset.findall("sm:url/sm:loc", SITEMAP_NS)]
    return files, urls


def test_sitemap_index_lists_every_article_page(mirror_site: RunningMirror) -> None:
    files, urls = sitemap_urls(mirror_site.manifest["sitemaps"][0])
    assert files == [mirror_site.base_url + "/sitemap-posts-1.xml"]
    assert len(urls) == len(set(urls))
    assert set(urls) == page_urls(mirror_site.manifest)


def test_sitemaps_split_past_a_thousand_urls() -> None:
    with MirrorServer(build_site(1200, seed=5)) as server:
        files, urls = sitemap_urls(server.base_url + "/sitemap.xml")
        assert [urlsplit(f).path for f in files] == ["/sitemap-posts-1.xml", "/sitemap-posts-2.xml"]
        assert len(urls) == 1200
        assert set(urls) == page_urls(server.site.manifest)


def test_sitemaps_of_a_chosen_size_each_with_its_lastmod() -> None:
    site = build_site(sitemap_size=10)
    index = lxml.etree.fromstring(site.routes["/sitemap.xml"].body)
    entries = index.findall("sm:sitemap", SITEMAP_NS)
    assert [urlsplit(e.findtext("sm:loc", "", SITEMAP_NS)).path for e in entries] == [
        f"/sitemap-posts-{n}.xml" for n in range(1, 6)
    ]
    assert all(datetime.fromisoformat(e.findtext("sm:lastmod", "", SITEMAP_NS)) for e in entries)


# -- conditional requests ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/rss/1/", "/sitemap.xml", "/category/military/"])
def test_documents_carry_validators_and_answer_a_match_with_304(
    mirror_site: RunningMirror, path: str
) -> None:
    url = mirror_site.base_url + path
    status, headers, body = fetch(url)
    assert status == 200
    etag, last_modified = headers["etag"], headers["last-modified"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert parsedate_to_datetime(last_modified).tzinfo is not None

    status, headers, body = fetch(url, headers={"If-None-Match": etag})
    assert (status, body, headers["etag"]) == (304, b"", etag)
    assert fetch(url, headers={"If-None-Match": f'W/{etag}, "other"'})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": last_modified})[0] == 304
    # If-None-Match decides when both are sent (RFC 9110): a stale tag gets the document
    stale = {"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    status, _, body = fetch(url, headers=stale)
    assert status == 200
    assert body
    earlier = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert fetch(url, headers={"If-Modified-Since": earlier})[0] == 200


def test_validators_change_with_the_content() -> None:
    with MirrorServer(build_site(8)) as server:
        _, before, _ = fetch(server.base_url + "/rss/1/")
        server.site.add_articles(1, now=datetime(2025, 2, 1, 9, 0))
        status, after, _ = fetch(server.base_url + "/rss/1/", headers={"If-None-Match": before["etag"]})
        assert status == 200
        assert after["etag"] != before["etag"]
        assert parsedate_to_datetime(after["last-modified"]) > parsedate_to_datetime(before["last-modified"])
        # the server logs an answer once it is sent, on its own thread: wait for the second one
        for _ in range(100):
            if len(server.log.answers()) >= 2:
                break
            time.sleep(0.05)
        answers = server.log.answers()
        assert [(a.path, a.status) for a in answers] == [("/rss/1/", 200), ("/rss/1/", 200)]
        assert [r.conditional for r in server.log.records()] == [False, True]


def test_error_pages_carry_no_validators(mirror_site: RunningMirror) -> None:
    status, headers, _ = fetch(mirror_site.base_url + "/no-such-page/")
    assert status == 404
    assert "etag" not in headers


def test_robots_txt_may_ask_for_a_crawl_delay() -> None:
    assert "Crawl-delay" not in build_site(8).routes["/robots.txt"].body.decode()
    robots = Protego.parse(build_site(8, crawl_delay=2.5).routes["/robots.txt"].body.decode())
    assert robots.crawl_delay("ArabicDefenceNewsHarvester") == 2.5  # as Scrapy's parser reads it


def test_hostile_documents_are_what_they_say() -> None:
    from devsite.mirror import hostile

    site = build_site(8)
    chain = hostile.endless_sitemap_index(site, levels=5)
    assert b"/sitemap-index-1.xml" in chain["/sitemap.xml"].body
    assert b"/sitemap-index-6.xml" in chain["/sitemap-index-5.xml"].body
    assert len(hostile.wide_sitemap_index(site, children=50)) == 51
    feed = site.routes["/rss/1/"]
    laughs = hostile.billion_laughs_feed(feed).body
    assert b"<!ENTITY lol9" in laughs
    assert b"<title>&lol9;</title>" in laughs
    assert hostile.raw_ampersand_feed(feed, "a=1&b=2").body.count(b"?a=1&b=2</link>") == feed.body.count(
        b"<item>"
    )
    article = next(route for path, route in site.routes.items() if route.post and route.status == 200)
    bomb = hostile.gzip_bomb_page(article, 4 * 1024 * 1024)
    assert bomb.headers["Content-Encoding"] == "gzip"
    assert len(bomb.body) < 20_000
    assert gzip.decompress(bomb.body).endswith(article.body)
    assert len(gzip.decompress(hostile.gzip_bomb_sitemap(4 * 1024 * 1024).body)) > 4 * 1024 * 1024


def test_robots_txt_disallows_admin_and_private(mirror_site: RunningMirror) -> None:
    status, headers, body = fetch(mirror_site.base_url + "/robots.txt")
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    text = body.decode()
    assert f"Sitemap: {mirror_site.base_url}/sitemap.xml" in text
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    private = next(u for u in mirror_site.manifest["non_article_urls"] if "/private/" in u)
    assert not robots.can_fetch("*", private)
    assert not robots.can_fetch("*", mirror_site.base_url + "/wp-admin/")
    assert robots.can_fetch("*", mirror_site.manifest["articles"][0]["url"])
    status, _, body = fetch(private)
    assert status == 200
    assert b'class="post-title entry-title"' in body, "the private page looks like an article"


def test_non_article_pages_and_links_are_present(mirror_site: RunningMirror) -> None:
    manifest = mirror_site.manifest
    kinds = {urlsplit(u).path.split("/")[1] for u in manifest["non_article_urls"]}
    assert kinds == {"private", "wp-admin", "tag", "author"}
    for url in manifest["non_article_urls"]:
        assert fetch(url)[0] == 200, url
    _, _, body = fetch(manifest["articles"][0]["url"])
    hrefs = [a.get("href") or "" for a in lxml.html.fromstring(body.decode()).cssselect("a")]
    for needle in (
        "facebook.com",
        "youm7.com",
        "mailto:",
        "javascript:",
        "tel:",
        "/tag/",
        "/author/",
        "/wp-admin/",
    ):
        assert any(needle in href for href in hrefs), needle


def test_profile_paths_exist_on_the_mirror(mirror_js_site: RunningMirror) -> None:
    """The site profile and the mirror (with its JavaScript section) describe the same URL scheme."""
    from crawler.profiles.alusbu import PROFILE

    profile = PROFILE.with_base_url(mirror_js_site.base_url)
    paths = [s.path for s in profile.sections] + list(profile.feeds) + list(profile.sitemaps)
    for path in paths:
        assert fetch(profile.url(path))[0] == 200, path
    for url in page_urls(mirror_js_site.manifest):
        assert profile.is_article_url(url), url
    for url in mirror_js_site.manifest["non_article_urls"]:
        assert not profile.is_article_url(url), url


# --- bad pages --------------------------------------------------------------------------------


def test_bad_pages_answer_as_specified(mirror_site: RunningMirror) -> None:
    reasons = {b["expected_reason"]: b["url"] for b in mirror_site.manifest["bad_pages"]}
    assert set(reasons) == {"empty_page", "no_title", "non_html", "http_404"}

    status, headers, body = fetch(reasons["empty_page"])
    assert (status, body) == (200, b"")
    assert headers["content-type"].startswith("text/html")

    status, headers, body = fetch(reasons["no_title"])
    doc = lxml.html.fromstring(body.decode())
    assert status == 200
    assert doc.cssselect("div.entry-content p")
    assert not doc.cssselect("h1")
    assert not doc.cssselect('meta[property="og:title"]')
    assert not doc.cssselect('script[type="application/ld+json"]')
    assert doc.findtext(".//title") in ("", None)

    status, headers, body = fetch(reasons["non_html"])
    assert status == 200
    assert headers["content-type"] == "application/pdf"
    assert body.startswith(b"%PDF")

    status, headers, _ = fetch(reasons["http_404"])
    assert status == 404
    assert headers["content-type"].startswith("text/html")


def test_windows_1256_page_declares_no_charset(mirror_site: RunningMirror) -> None:
    record = next(a for a in mirror_site.manifest["articles"] if a["encoding"] == "windows-1256")
    status, headers, body = fetch(record["url"])
    assert status == 200
    assert headers["content-type"] == "text/html"
    assert b"charset" not in body.lower()
    assert not body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("windows-1256")
    assert record["title"] in text
    assert all(p in text for p in record["paragraphs"])


# --- the manifest tells the truth --------------------------------------------------------------

SIGNATURE = re.compile(r"— [^()\n]+ \(@\w+\) [A-Z][a-z]+ \d{1,2}, \d{4}")
AR_DATE = re.compile(r"\d{1,2} (?:" + "|".join(AR_MONTHS) + r") \d{4}")
PUBLISH_LINE = re.compile(r"تاريخ النشر: [^\n]*?GMT")
BLOCKS = ("p", "div", "h2", "h3", "h4", "article", "li", "blockquote")


def entry_text(page: str, container: str = "div.entry-content") -> str:
    """Text of the body container without scripts, ads and share buttons; breaks become newlines."""
    body = lxml.html.fromstring(page).cssselect(container)[0]
    for element in body.cssselect("script, style, .stream-item, .post-share, blockquote.twitter-tweet"):
        element.drop_tree()
    for element in body.iter("br", *BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return str(body.text_content())


def page_records(manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    pages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in manifest["articles"]:
        pages[strip_fragment(record["url"])].append(record)
    return pages


def assert_bodies_are_the_records(
    site: MirrorSite,
    manifest: dict[str, Any],
    container: str = "div.entry-content",
    rendered: dict[str, str] | None = None,
) -> None:
    """Remove every expected piece from the body text, in order: nothing may be left over.

    ``rendered`` maps page URLs to the HTML to read instead of what the server sends (pages
    whose bodies a script fills, rendered the way the script does).
    """
    for url, records in page_records(manifest).items():
        page = (rendered or {}).get(url)
        if page is None:
            page = site.resolve(urlsplit(url).path).body.decode(records[0]["encoding"])
        text = clean(entry_text(page, container))
        position = 0
        for paragraph in (p for record in records for p in record["paragraphs"]):
            found = text.find(paragraph, position)
            assert found >= 0, f"{url}: paragraph missing or out of order: {paragraph[:60]}"
            position = found + len(paragraph)
        pieces = [p for r in records for p in r["paragraphs"]]
        pieces += [r["title"] for r in records[1:]]
        pieces += [item["title"] for r in records for item in r["related"]]
        pieces += [clean(label) for r in records for label in r["labels"]]
        pieces += [a["text"] for r in records for a in r["attributions"] if a["kind"] == "source_line"]
        pieces += [e["text"] for r in records for e in r["embeds"] if not e["url"]]
        for piece in sorted(set(pieces), key=len, reverse=True):
            text = text.replace(piece, "\n")
        for pattern in (SIGNATURE, AR_DATE, PUBLISH_LINE):
            text = pattern.sub("\n", text)
        assert clean(text) == "", f"{url}: body text not accounted for: {clean(text)[:120]!r}"


def test_manifest_paragraphs_are_exactly_what_the_body_shows(mirror_site: RunningMirror) -> None:
    assert_bodies_are_the_records(mirror_site.site, mirror_site.manifest)


def test_manifest_text_is_clean(mirror_site: RunningMirror) -> None:
    for record in mirror_site.manifest["articles"]:
        texts = [record["title"], *record["paragraphs"], *(r["title"] for r in record["related"])]
        for text in texts:
            assert text == clean(text) == unicodedata.normalize("NFKC", text), text
            assert TATWEEL not in text
            assert not any(mark in text for mark in INVISIBLE_MARKS)
        for paragraph in record["paragraphs"]:
            assert paragraph.endswith((".", '".')), paragraph
        if "seed_aggregator" not in record["shapes"] and not record["appended_from"]:
            assert 3 <= len(record["paragraphs"]) <= 8
            assert all(25 <= len(p.split()) <= 70 for p in record["paragraphs"])


def test_page_metadata_agrees_with_the_manifest(mirror_site: RunningMirror) -> None:
    for url, records in page_records(mirror_site.manifest).items():
        record = records[0]
        doc = lxml.html.fromstring(
            mirror_site.site.resolve(urlsplit(url).path).body.decode(record["encoding"])
        )
        assert doc.get("lang") == "ar"
        assert doc.get("dir") == "rtl"
        assert doc.cssselect("h1.entry-title")[0].text_content() == record["title"]
        assert doc.cssselect('link[rel="canonical"]')[0].get("href") == url
        assert doc.cssselect('meta[property="og:url"]')[0].get("content") == url
        assert doc.cssselect(".meta-author .author-name")[0].text_content() == record["author"]
        assert doc.cssselect(".post-cat-wrap a.post-cat")[0].text_content() == record["section"]
        ld = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text_content())
        assert ld["@type"] == "NewsArticle"
        assert ld["headline"] == record["title"]
        assert ld["datePublished"].endswith("+02:00")
        assert ld["publisher"]["name"] == "الأسبوع"
        published = ld["datePublished"]
        assert doc.cssselect("time.entry-date")[0].get("datetime") == published
        assert doc.cssselect('meta[property="article:published_time"]')[0].get("content") == published
        utc = datetime.fromisoformat(published).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert utc == record["published_at"]
        source_field = doc.cssselect(".post-source")
        field = [a for a in record["attributions"] if a["kind"] == "source_field"]
        assert bool(source_field) == bool(field)
        if field:
            assert clean(source_field[0].text_content()) == field[0]["text"]


def test_related_links_point_at_mirror_articles(mirror_site: RunningMirror) -> None:
    titles = {}
    for record in mirror_site.manifest["articles"]:
        for url in [record["url"], *record["duplicate_urls"]]:
            titles[url] = record["title"]
    linked = 0
    for record in mirror_site.manifest["articles"]:
        page = mirror_site.site.resolve(urlsplit(record["url"]).path).body.decode(record["encoding"])
        for item in record["related"]:
            assert item["title"] in page
            if item["url"]:
                linked += 1
                assert titles[item["url"]] == item["title"]
                assert item["url"] != strip_fragment(record["url"])
    assert linked > 30


def test_sources_and_attributions(mirror_site: RunningMirror) -> None:
    by_source = Counter(record["source"] for record in mirror_site.manifest["articles"])
    assert {"الأسبوع", "وكالات", "سانا", "وكالة الأنباء الروسية"} <= set(by_source)
    for record in mirror_site.manifest["articles"]:
        if not record["attributions"]:
            assert record["source"] == ""  # nothing credited: no source, never the publisher
        if "source_mention_in_body" in record["shapes"]:
            assert any("المصدر" in p for p in record["paragraphs"]), "mentions stay in the body"
        assert not any(p.startswith("المصدر") for p in record["paragraphs"])
    multi = next(r for r in mirror_site.manifest["articles"] if "source_line_multi" in r["shapes"])
    assert [a["name"] for a in multi["attributions"]] == ["سانا", "RT"]


def test_embeds_match_the_markup(mirror_site: RunningMirror) -> None:
    seen: Counter[str | None] = Counter()
    for record in mirror_site.manifest["articles"]:
        page = mirror_site.site.resolve(urlsplit(record["url"]).path).body.decode(record["encoding"])
        for embed in record["embeds"]:
            assert embed["handle"].startswith("@")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", embed["posted_at"])
            assert all(link.startswith("https://t.co/") and link in page for link in embed["links"])
            if embed["url"]:
                seen[urlsplit(embed["url"]).hostname] += 1
                assert f'<a href="{embed["url"]}">' in page
                assert 'src="https://platform.twitter.com/widgets.js"' in page
    assert seen["twitter.com"] >= 2
    assert seen["x.com"] >= 2
    styles = {"tweet_arabic_date": r"\d+ \w+ \d{4}", "tweet_arabic_indic_date": r"[٠-٩]+ \w+ [٠-٩]{4}"}
    for shape, date_text in styles.items():
        record = next(r for r in mirror_site.manifest["articles"] if shape in r["shapes"])
        page = mirror_site.site.resolve(urlsplit(record["url"]).path).body.decode()
        assert re.search(r"\(@\w+\) <a href=\"[^\"]+\">" + date_text + "</a></blockquote>", page), shape


def test_shapes_cover_every_section(mirror_site: RunningMirror) -> None:
    records = mirror_site.manifest["articles"]
    for shape in CORE_SHAPES:
        carriers = [r for r in records if shape in r["shapes"] and "seed_aggregator" not in r["shapes"]]
        assert len(carriers) >= 2, shape
        assert {r["section"] for r in carriers} == {"عربي ودولي", "شؤون عسكرية", "سياسة"}, shape
    labels = {label for r in records for label in r["labels"]}
    assert set(LABEL_VARIANTS) <= labels
    for special in ("seed_aggregator", "syndicated", "tracking_query_link", "windows_1256"):
        assert sum(special in r["shapes"] for r in records) == 1, special


def test_noise_is_on_the_pages_not_in_the_manifest(mirror_site: RunningMirror) -> None:
    noisy = [r for r in mirror_site.manifest["articles"] if "text_noise" in r["shapes"]]
    for record in noisy:
        page = mirror_site.site.resolve(urlsplit(record["url"]).path).body.decode()
        body = page[page.index('<div class="entry-content') : page.index('<div class="post-bottom-meta')]
        assert TATWEEL * 2 in body
        assert all(mark in body for mark in INVISIBLE_MARKS)
        assert "&nbsp;" in body


def test_syndicated_pair_and_tracking_link(mirror_site: RunningMirror) -> None:
    manifest = mirror_site.manifest
    original = next(r for r in manifest["articles"] if "syndicated" in r["shapes"])
    (copy_url,) = original["duplicate_urls"]
    first = lxml.html.fromstring(fetch(original["url"])[2].decode())
    second = lxml.html.fromstring(fetch(copy_url)[2].decode())
    for selector in ("h1.entry-title", "div.entry-content"):
        assert first.cssselect(selector)[0].text_content() == second.cssselect(selector)[0].text_content()
    assert first.cssselect("a.post-cat")[0].text_content() != second.cssselect("a.post-cat")[0].text_content()
    (tracked,) = manifest["tracking_links"]
    target = next(r for r in manifest["articles"] if "tracking_query_link" in r["shapes"])
    assert canonical(tracked) == target["url"]
    assert "utm_source=facebook" in tracked
    section = next(s for s in manifest["sections"] if s["name"] == target["section"])
    hrefs, _ = crawl_section(mirror_site.base_url, section["url"])
    assert tracked in hrefs
    assert target["url"] not in hrefs
    page = fetch(tracked)[2].decode()
    assert f'<link rel="canonical" href="{target["url"]}">' in page


# --- the seed ----------------------------------------------------------------------------------


def test_seed_page_renders_the_seed_line_by_line(mirror_site: RunningMirror) -> None:
    if SHARED_SEED.exists():
        assert SHARED_SEED.read_text(encoding="utf-8").rstrip("\n") == SEED_TEXT
    main = next(r for r in mirror_site.manifest["articles"] if "seed_aggregator" in r["shapes"])
    page = mirror_site.site.resolve(urlsplit(main["url"]).path).body.decode()
    doc = lxml.html.fromstring(page)
    container = doc.cssselect("div.entry-content > div")[0]
    for br in container.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = [line.strip() for line in container.text_content().split("\n") if line.strip()]
    assert lines == SEED_LINES[1:]
    assert doc.cssselect("h1.entry-title")[0].text_content() == SEED_LINES[0]


def test_seed_records_are_the_design_documents(mirror_site: RunningMirror) -> None:
    records = mirror_site.manifest["articles"]
    main = next(r for r in records if "seed_aggregator" in r["shapes"])
    appended = next(r for r in records if r["appended_from"])
    assert len(main["paragraphs"]) == 2
    assert len(main["related"]) == 3
    assert all(item["url"] == "" for item in main["related"])
    assert main["source"] == "الأسبوع"
    assert main["published_at"].startswith("2025-01-19")
    assert appended["title"] == "كيم يجدد دعم كوريا الشمالية لحرب روسيا في أوكرانيا"
    assert appended["url"] == main["url"] + "#appended-1"
    assert appended["appended_from"] == main["url"]
    assert len(appended["paragraphs"]) == 5
    assert appended["paragraphs"][2].startswith("وقالت وسائل إعلام حكومية")
    assert not any("pic.twitter.com" in p or "TASS" in p for p in appended["paragraphs"])
    (embed,) = appended["embeds"]
    assert (embed["author"], embed["handle"], embed["posted_at"]) == ("TASS", "@tassagency_en", "2023-06-12")
    assert embed["links"] == ["https://t.co/gtcNxrEUcA"]


# --- determinism and speed ----------------------------------------------------------------------


def test_same_seed_gives_byte_identical_sites() -> None:
    first, second = build_site(60, seed=11), build_site(60, seed=11)
    assert first.routes.keys() == second.routes.keys()
    assert all(first.routes[path] == second.routes[path] for path in first.routes)
    assert first.manifest_json() == second.manifest_json()
    other = build_site(60, seed=12)
    assert other.manifest_json() != first.manifest_json()


def test_titles_are_unique_and_articles_are_not_near_duplicates() -> None:
    site = build_site(300, seed=2)
    records = site.manifest["articles"]
    titles = [r["title"] for r in records]
    assert len(titles) == len(set(titles))
    shingles = [
        {tuple(words[i : i + 5]) for i in range(len(words) - 4)}
        for words in (" ".join(r["paragraphs"]).split() for r in records[:80])
    ]
    worst = max(len(a & b) / len(a | b) for i, a in enumerate(shingles) for b in shingles[i + 1 :])
    assert worst < 0.5, "distinct articles must not look like near-duplicates to dedup"


def test_two_thousand_articles_build() -> None:
    site = build_site(2000)
    assert len(site.manifest["articles"]) == 2000


def test_manifest_json_round_trips(mirror_site: RunningMirror) -> None:
    assert json.loads(mirror_site.site.manifest_json()) == mirror_site.manifest
    with pytest.raises(ValueError, match="at least"):
        build_site(3)


# --- new articles while the site is served --------------------------------------------------


def served_pages(manifest: dict[str, Any]) -> dict[str, bytes]:
    return {url: fetch(url)[2] for url in sorted(page_urls(manifest))}


def test_added_articles_are_published_everywhere_on_a_running_server() -> None:
    with MirrorServer(build_site(24, seed=4)) as server:
        site = server.site
        before = json.loads(site.manifest_json())
        old_pages = served_pages(before)
        newest = max(post.published for post in site.model.posts)
        records = site.add_articles(3)

        manifest = site.manifest
        assert manifest["articles"][-3:] == records
        assert len(manifest["articles"]) == len(before["articles"]) + 3
        assert min(r["id"] for r in records) > max(a["id"] for a in before["articles"])
        expected_time = (newest + timedelta(minutes=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert {r["published_at"] for r in records} == {expected_time}
        assert {r["url"] for r in records}.isdisjoint(page_urls(before))
        for record in records:
            assert record["shapes"][0] == "body_p"
            assert 3 <= len(record["paragraphs"]) <= 8
            doc = lxml.html.fromstring(fetch(record["url"])[2].decode())
            assert doc.cssselect("h1.entry-title")[0].text_content() == record["title"]
            assert all(item["url"] in page_urls(before) for item in record["related"])
        assert_bodies_are_the_records(site, {"articles": records})
        assert served_pages(before) == old_pages, "pages of existing posts must not change"

        records.sort(key=lambda r: r["id"], reverse=True)  # same time: the higher id is newer
        newest_first = [r["url"] for r in records]
        channel = ET.fromstring(fetch(manifest["feeds"][0])[2]).find("channel")
        assert channel is not None
        assert [item.findtext("link") for item in channel.findall("item")][:3] == newest_first
        _, urls = sitemap_urls(manifest["sitemaps"][0])
        assert set(urls) == page_urls(manifest)
        listed: set[str] = set()
        for section in manifest["sections"]:
            hrefs, pages = crawl_section(server.base_url, section["url"])
            assert pages == section["pages"]
            new_here = [r["url"] for r in records if r["section"] == section["name"]]
            assert [canonical(h) for h in hrefs[: len(new_here)]] == new_here
            listed |= {canonical(h) for h in hrefs}
        assert listed == page_urls(manifest) | {b["url"] for b in manifest["bad_pages"]}


def test_added_articles_repaginate_listings() -> None:
    site = build_site(24, seed=4)
    section = site.manifest["sections"][0]
    listed = len(site.model.listing(site.model.sections[0]))
    room = site.manifest["sections"][0]["pages"] * 10 - listed
    site.add_articles(3 * (room + 1))
    (grown,) = [s for s in site.manifest["sections"] if s["slug"] == section["slug"]]
    assert grown["pages"] == section["pages"] + 1
    assert site.resolve(urlsplit(grown["url"]).path + f"page/{grown['pages']}/").status == 200


def test_added_articles_are_deterministic_and_match_a_full_render() -> None:
    now = datetime(2025, 2, 1, 9, 30)  # naive: Cairo time
    sites = [build_site(30, seed=9) for _ in range(2)]
    for site in sites:
        first = site.add_articles(4, now=now)
        assert {r["published_at"] for r in first} == {"2025-02-01T07:30:00Z"}
        second = site.add_articles(2)
        assert {r["published_at"] for r in second} == {"2025-02-01T07:31:00Z"}
        assert len({r["title"] for r in site.manifest["articles"]}) == len(site.manifest["articles"])
    one, two = sites
    assert one.routes == two.routes
    assert one.manifest_json() == two.manifest_json()
    routes, base = dict(one.routes), one.base_url
    one.rebase("http://127.0.0.1:1")
    one.rebase(base)
    assert one.routes == routes, "rendering batch by batch gives the bytes of a full render"
    assert one.add_articles(0) == []
    with pytest.raises(ValueError, match="cannot add"):
        one.add_articles(-1)


def test_twenty_articles_are_added_to_two_thousand() -> None:
    site = build_site(2000)
    records = site.add_articles(20)
    assert len(records) == 20
    assert len(site.manifest["articles"]) == 2020
    assert "/sitemap-posts-3.xml" in site.routes


def test_requests_during_additions_see_a_whole_site() -> None:
    """Routes are swapped whole: a reader never meets a feed without its new article's page."""
    with MirrorServer(build_site(12, seed=3)) as server:
        failures: list[str] = []
        done = threading.Event()

        def read() -> None:
            while not done.is_set():
                channel = ET.fromstring(fetch(server.base_url + "/rss/1/")[2]).find("channel")
                assert channel is not None
                link = channel.findall("item")[0].findtext("link") or ""
                if fetch(link)[0] != 200:
                    failures.append(link)

        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        for _ in range(15):
            server.site.add_articles(2)
        done.set()
        for reader in readers:
            reader.join(timeout=10)
        assert not failures
        assert len(server.site.manifest["articles"]) == 12 + 30


# --- the changed template: a CMS redesign ---------------------------------------------------

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def changed_site() -> MirrorSite:
    return build_site(48, seed=7, template="changed")


def test_changed_template_drops_every_article_marker(changed_site: MirrorSite) -> None:
    manifest = changed_site.manifest
    assert manifest["template"] == "changed"
    broken = 0  # pages whose paragraphs are <br> lines of one span
    for url, records in page_records(manifest).items():
        record = records[0]
        page = changed_site.resolve(urlsplit(url).path).body.decode(record["encoding"])
        doc = lxml.html.fromstring(page)
        assert doc.findtext(".//title") == "الأسبوع"
        for gone in (
            'script[type="application/ld+json"]',
            'meta[property^="og:"]',
            'meta[property^="article:"]',
            'link[rel="canonical"]',
            "time",
            "h1",
            "div.entry-content",
            ".meta-author",
            ".post-cat-wrap",
        ):
            assert not doc.cssselect(gone), f"{url}: {gone}"
        (headline,) = doc.cssselect("div.headline-v2")
        assert headline.text_content() == record["title"]
        story = doc.cssselect("section.story-text-v2")[0]
        assert story.cssselect(":scope > span"), url
        broken += bool(story.cssselect(":scope > span > br"))
        assert "template_changed" in record["shapes"]
        assert "bad_nesting" not in record["shapes"]
        # Chrome is still there: menus, ticker, ads, sidebar, comments, footer.
        for kept in ("#main-nav", "#breaking-news", ".stream-item", "aside.sidebar", "#comments", "footer"):
            assert doc.cssselect(kept), f"{url}: {kept}"
        # No date of the article anywhere; dates inside the body belong to embedded tweets and
        # related cards, as on the old template.
        story.drop_tree()
        rest = doc.text_content() + " ".join(
            value for element in doc.iter() for name, value in element.attrib.items() if name != "src"
        )
        assert not AR_DATE.search(rest), url
        assert not ISO_DATE.search(rest), url
        assert "منذ" not in rest
    assert broken > len(page_records(manifest)) / 2


def test_changed_template_bodies_are_what_the_manifest_says(changed_site: MirrorSite) -> None:
    assert_bodies_are_the_records(changed_site, changed_site.manifest, "section.story-text-v2")


def test_changed_template_keeps_discovery_and_the_expected_articles(changed_site: MirrorSite) -> None:
    default = build_site(48, seed=7)
    assert default.manifest["template"] == "default"
    assert {p: r for p, r in changed_site.routes.items() if not r.post} == {
        p: r for p, r in default.routes.items() if not r.post
    }
    same = ("url", "title", "author", "published_at", "paragraphs", "related", "embeds", "attributions")
    for new, old in zip(changed_site.manifest["articles"], default.manifest["articles"], strict=True):
        assert {k: new[k] for k in same} == {k: old[k] for k in same}
    added = build_site(12, seed=3, template="changed").add_articles(2)
    assert all("template_changed" in r["shapes"] for r in added)
    with pytest.raises(ValueError, match="unknown template"):
        build_site(12, template="redesign")


def test_changed_template_defeats_the_crawlers_selectors(changed_site: MirrorSite) -> None:
    """What the field-coverage monitor must see: no title, no date, a body only from the fallback."""
    from crawler.extract.article import parse_html
    from crawler.extract.page import ArticlePage
    from crawler.profiles.alusbu import PROFILE

    profile = PROFILE.with_base_url(changed_site.base_url)
    default = build_site(48, seed=7)
    for record in changed_site.manifest["articles"][:12]:
        if record["appended_from"] or record["encoding"] != "utf-8":
            continue
        path = urlsplit(record["url"]).path
        html = changed_site.resolve(path).body.decode()
        page = ArticlePage(parse_html(html), html, record["url"], profile)
        assert page.title() in ("", "الأسبوع")
        assert page.published_raw() == ""
        assert page.canonical_url() == ""
        assert page.body_blocks()
        assert page.body_method not in ("profile", "generic")
        html = default.resolve(path).body.decode()
        page = ArticlePage(parse_html(html), html, record["url"], profile)
        assert page.title() == record["title"]
        assert page.published_raw()
        page.body_blocks()
        assert page.body_method == "profile"


@contextmanager
def served_by_cli(*args: str) -> Iterator[str]:
    """``python -m devsite.mirror --port 0 ARGS`` running; yields the base URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "devsite.mirror", "--port", "0", *args],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_cli_serves_the_changed_template() -> None:
    with served_by_cli("--articles", "12", "--template", "changed") as base_url:
        channel = ET.fromstring(fetch(base_url + "/rss/1/")[2]).find("channel")
        assert channel is not None
        link = channel.findall("item")[0].findtext("link") or ""
        assert b'class="headline-v2"' in fetch(link)[2]


# --- slow mode -------------------------------------------------------------------------------


def timed_fetch(url: str) -> tuple[float, int]:
    started = time.monotonic()
    status = fetch(url)[0]
    return time.monotonic() - started, status


def test_slow_mode_holds_post_pages_only() -> None:
    # The bounds are set by the delay (1 s), not by speed: a page held is held at least that
    # long, one not held returns well within it even on a loaded runner.
    with MirrorServer(build_site(12, seed=3), delay=1.0) as server:
        manifest = server.site.manifest
        for url in (
            server.base_url + "/robots.txt",
            manifest["feeds"][0],
            manifest["sitemaps"][0],
            server.base_url + "/sitemap-posts-1.xml",
            manifest["sections"][0]["url"],
            server.base_url + "/",
        ):
            elapsed, status = timed_fetch(url)
            assert status == 200
            assert elapsed < 0.8, url
        article = manifest["articles"][0]["url"]
        bad = next(b["url"] for b in manifest["bad_pages"] if b["expected_reason"] == "http_404")
        server.log.clear()
        for url, status in ((article, 200), (bad, 404)):
            started = time.monotonic()
            elapsed, got = timed_fetch(url)
            assert got == status
            assert elapsed >= 1.0, url
            record = server.log.records()[-1]
            assert record.path == urlsplit(url).path
            assert record.time - started < 0.8, "a request is logged when it arrives, not when answered"
        server.delay = 0
        elapsed, _ = timed_fetch(article)
        assert elapsed < 0.8
    with pytest.raises(ValueError, match="delay"):
        MirrorServer(build_site(12, seed=3), delay=-1)


def test_slow_mode_holds_requests_in_parallel() -> None:
    with MirrorServer(build_site(12, seed=3), delay=1.0) as server:
        urls = [a["url"] for a in server.site.manifest["articles"][:8]]
        started = time.monotonic()
        with ThreadPoolExecutor(len(urls)) as pool:
            statuses = list(pool.map(lambda url: fetch(url)[0], urls))
        assert statuses == [200] * len(urls)
        assert time.monotonic() - started < 4.0, "one after another would take 8 s"


def test_stopping_the_server_hangs_up_on_held_requests() -> None:
    server = MirrorServer(build_site(12, seed=3), delay=60)
    server.start()
    article = server.site.manifest["articles"][0]["url"]
    outcome: list[object] = []

    def get() -> None:
        try:
            outcome.append(fetch(article)[0])
        except (http.client.HTTPException, OSError) as error:
            outcome.append(error)

    client = threading.Thread(target=get)
    client.start()
    deadline = time.monotonic() + 5
    while not server.hits(urlsplit(article).path) and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    client.join(timeout=5)
    assert time.monotonic() - started < 5
    (result,) = outcome
    assert isinstance(result, http.client.HTTPException | OSError)


# --- the default site stays as it is ---------------------------------------------------------

# What build_site() serves (the JavaScript section is opt-in and must not change it). A change
# here means the default mirror changed: crawl tests built on it see other bytes. Update only
# on purpose (last: story-coherent body text, so that different generated stories stop
# sharing two thirds of their trigrams; distinct related links per page).
DEFAULT_DIGESTS = {
    "default": "d938818b62b63fb49b6e1af35c48fa4d670900eb53f5bb02f7872c9e5896757b",
    "changed-12-3": "a41d3dee669112c68005172e842e02e73a00f4a3faba949491c4cd1c8c3d96d5",
    "default-plus-3": "f7df0b314fbfa16e8c6924d3d73f0fcc1e5d4ede480405b138ed3263cc3e7406",
}


def site_digest(site: MirrorSite) -> str:
    """One hash of every route (path, status, headers, slow-mode flag, body) and the manifest."""
    digest = hashlib.sha256()
    for path in sorted(site.routes):
        route = site.routes[path]
        digest.update(repr((path, route.status, sorted(route.headers.items()), route.post)).encode())
        digest.update(hashlib.sha256(route.body).digest())
    digest.update(site.manifest_json().encode())
    return digest.hexdigest()


def test_default_site_is_byte_for_byte_as_before() -> None:
    assert site_digest(build_site()) == DEFAULT_DIGESTS["default"], "the default mirror changed"
    assert site_digest(build_site(js_section=False)) == DEFAULT_DIGESTS["default"]
    assert site_digest(build_site(12, seed=3, template="changed")) == DEFAULT_DIGESTS["changed-12-3"]
    grown = build_site()
    grown.add_articles(3)
    assert site_digest(grown) == DEFAULT_DIGESTS["default-plus-3"]
    with pytest.raises(ValueError, match="js_section"):
        build_site(js_articles=5)
    with pytest.raises(ValueError, match="at least 1"):
        build_site(js_section=True, js_articles=0)


# --- the JavaScript section -----------------------------------------------------------------

FETCH_CALL = re.compile(r'fetch\("([^"]+)"')
EXTERNAL_HOSTS = ("googlesyndication", "platform.twitter.com", "doubleclick", "facebook.net")


def js_records(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in manifest["articles"] if "js_rendered" in a["shapes"]]


def api_json(site: MirrorSite, path: str) -> dict[str, Any]:
    route = site.resolve(path)
    assert route.status == 200, path
    assert route.headers["Content-Type"].startswith("application/json"), path
    data: dict[str, Any] = json.loads(route.body)
    return data


def render_listing(site: MirrorSite, page: str) -> str:
    """What the listing's script makes of the page: its API page's items and pagination inserted."""
    doc = lxml.html.fromstring(page)
    (api,) = FETCH_CALL.findall(page)
    data = api_json(site, api)
    (listing,) = doc.cssselect("ul#js-posts")
    for item in data["items"]:
        listing.append(lxml.html.fragment_fromstring(item["html"]))
    doc.cssselect("div#js-pagination")[0].append(lxml.html.fragment_fromstring(data["pagination"]))
    return str(lxml.html.tostring(doc, encoding="unicode"))


def render_story(site: MirrorSite, page: str) -> str:
    """What the article's script makes of the page: paragraphs, images, source, late block."""
    doc = lxml.html.fromstring(page)
    (api,) = FETCH_CALL.findall(page)
    story = api_json(site, api)
    (body,) = doc.cssselect("div.entry-content#js-body")

    def add(parent: Any, tag: str, text: str = "") -> Any:
        element = lxml.etree.SubElement(parent, tag)
        element.text = text or None
        return element

    for index, text in enumerate(story["paragraphs"]):
        add(body, "p", text)
        if index == story["images_after"]:
            for src in story["images"]:
                figure = lxml.etree.SubElement(body, "figure", {"class": "wp-block-image size-large"})
                lxml.etree.SubElement(figure, "img", {"src": src, "width": "780", "height": "470", "alt": ""})
    if story["source"]:
        add(body, "p", story["source"])
    related = lxml.etree.SubElement(body, "div", {"id": "Related", "class": "related-box"})
    add(related, "h2", story["related"]["label"])
    for item in story["related"]["items"]:
        add(add(related, "h4"), "a", item["title"]).set("href", item["url"])
    return str(lxml.html.tostring(doc, encoding="unicode"))


def test_js_section_only_adds_routes_and_manifest_entries() -> None:
    default, js = build_site(), build_site(js_section=True)
    assert {path: js.routes[path] for path in default.routes} == default.routes
    ids = {int(urlsplit(url).path.strip("/")) for url in js.manifest["js_articles"]}
    for path in set(js.routes) - set(default.routes):
        assert (
            path.startswith(("/category/analysis/", "/api/analysis/page/", "/api/story/", "/wp-content/"))
            or int(path.strip("/")) in ids
        ), path
    old, new = default.manifest, js.manifest
    assert list(new) == [*old, "js_section", "js_articles"]
    assert new["js_section"] is True
    assert new["articles"][: len(old["articles"])] == old["articles"]
    assert new["articles"][len(old["articles"]) :] == js_records(new)
    assert new["sections"][:-1] == old["sections"]
    assert {
        k: v for k, v in new.items() if k not in ("articles", "sections", "js_section", "js_articles")
    } == {k: v for k, v in old.items() if k not in ("articles", "sections")}
    (section,) = new["sections"][3:]
    assert section == {
        "slug": "analysis",
        "name": "تحليلات عسكرية",
        "url": js.base_url + "/category/analysis/",
        "pages": 2,
        "js_rendered": True,
        "api": js.base_url + "/api/analysis/page/1.json",
    }
    # The section is its own front end: a redesign of the CMS templates leaves its pages alone.
    changed = build_site(template="changed", js_section=True)
    assert {p: changed.routes[p] for p in set(js.routes) - set(default.routes)} == {
        p: js.routes[p] for p in set(js.routes) - set(default.routes)
    }
    assert js_records(changed.manifest) == js_records(new)
    # Articles published later still get ids above every other one, the JavaScript ones too.
    added = js.add_articles(2)
    assert min(r["id"] for r in added) > max(r["id"] for r in js_records(new))


def test_js_listing_html_has_no_article_or_next_link(mirror_js_site: RunningMirror) -> None:
    from crawler.profiles.alusbu import PROFILE

    profile = PROFILE.with_base_url(mirror_js_site.base_url)
    section = mirror_js_site.manifest["sections"][3]
    selectors = (*profile.selectors.listing_links, *profile.selectors.next_page, ".page-numbers")
    for page in range(1, section["pages"] + 1):
        url = section["url"] + (f"page/{page}/" if page > 1 else "")
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["content-type"].startswith("text/html")
        doc = lxml.html.fromstring(body.decode())
        (listing,) = doc.cssselect("ul.posts-list#js-posts")
        assert len(listing) == 0
        assert not (listing.text or "").strip()
        assert not doc.cssselect("div#js-pagination")[0].getchildren()
        for selector in selectors:
            assert not doc.cssselect(selector), (url, selector)
        hrefs = [urljoin(url, a.get("href") or "") for a in doc.cssselect("a[href]")]
        assert not [h for h in hrefs if profile.is_article_url(h)], url
        assert FETCH_CALL.findall(body.decode()) == [f"/api/analysis/page/{page}.json"]
        assert "DOMContentLoaded" in body.decode()
    assert fetch(f"{section['url']}page/{section['pages'] + 1}/")[0] == 404


def test_js_listing_api_and_its_rendering_list_every_js_article(mirror_js_site: RunningMirror) -> None:
    site, manifest = mirror_js_site.site, mirror_js_site.manifest
    section = manifest["sections"][3]
    by_url = {r["url"]: r for r in js_records(manifest)}
    found: list[str] = []
    url: str | None = section["url"]
    pages = 0
    while url:
        pages += 1
        status, headers, body = fetch(urljoin(url, f"/api/analysis/page/{pages}.json"))
        assert status == 200
        assert headers["content-type"].startswith("application/json")
        data = json.loads(body)
        assert (data["page"], data["pages"]) == (pages, section["pages"])
        assert 0 < len(data["items"]) <= 10
        for item in data["items"]:
            assert by_url[item["url"]]["title"] == item["title"]
            link = lxml.html.fragment_fromstring(item["html"]).cssselect("li.post-item h2.post-title a")[0]
            assert (link.get("href"), link.text_content()) == (item["url"], item["title"])
        # the page as the browser shows it once the script ran, read like any other listing
        doc = lxml.html.fromstring(render_listing(site, fetch(url)[2].decode()))
        hrefs = [a.get("href") for a in doc.cssselect("li.post-item h2.post-title a")]
        assert hrefs == [item["url"] for item in data["items"]]
        found += hrefs
        following = doc.cssselect("a.next.page-numbers")
        assert [a.get("href") for a in following] == ([data["next"]] if data["next"] else [])
        assert doc.cssselect("span.page-numbers.current")[0].text_content() == str(pages)
        url = data["next"]
    assert pages == section["pages"] == 2
    assert found == sorted(found, key=lambda u: by_url[u]["published_at"], reverse=True)
    assert sorted(found) == sorted(manifest["js_articles"]) == sorted(by_url)
    assert fetch(mirror_js_site.base_url + "/api/analysis/page/3.json")[0] == 404


def test_js_article_html_has_title_and_date_but_no_body_text(mirror_js_site: RunningMirror) -> None:
    site, manifest = mirror_js_site.site, mirror_js_site.manifest
    records = js_records(manifest)
    assert len(records) == 12
    delays: set[int] = set()
    for record in records:
        status, headers, body = fetch(record["url"])
        assert status == 200
        assert headers["content-type"] == "text/html; charset=UTF-8"
        page = body.decode()
        doc = lxml.html.fromstring(page)
        assert doc.cssselect("h1.entry-title")[0].text_content() == record["title"]
        assert doc.cssselect('meta[property="og:title"]')[0].get("content") == record["title"]
        ld = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text_content())
        assert ld["headline"] == record["title"]
        published = datetime.fromisoformat(doc.cssselect("time.entry-date")[0].get("datetime"))
        assert published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") == record["published_at"]
        assert doc.cssselect(".meta-author .author-name")[0].text_content() == record["author"]
        assert doc.cssselect(".post-cat-wrap a.post-cat")[0].text_content() == "تحليلات عسكرية"
        (body_div,) = doc.cssselect("div.entry-content")
        assert body_div.get("id") == "js-body"
        assert len(body_div) == 0
        assert not (body_div.text or "").strip()
        assert not doc.cssselect("div.entry-content p, #Related")
        sentences = {s.strip(" .") for p in record["paragraphs"] for s in p.split(". ")}
        for sentence in sentences:
            assert sentence not in page, f"{record['url']}: body text in the HTML: {sentence[:40]}"
        script = next(s.text_content() for s in doc.cssselect("script") if "setTimeout" in s.text_content())
        first, late = (int(ms) for ms in re.findall(r"\}, (\d+)\);", script))
        assert 300 <= first <= 800
        assert 300 <= late <= 800
        delays.add(first)
        # the story the script fetches is exactly the record
        story = api_json(site, FETCH_CALL.findall(page)[0])
        source = [a["text"] for a in record["attributions"] if a["kind"] == "source_line"]
        assert story["paragraphs"] == record["paragraphs"]
        assert [story["source"]] == (source or [None])
        assert story["related"]["label"] == "إقرأ أيضاً"
        assert [
            {"title": i["title"], "url": urljoin(record["url"], i["url"])} for i in story["related"]["items"]
        ] == (record["related"])
        assert all(re.fullmatch(r"/\d+/", i["url"]) for i in story["related"]["items"])
    assert len(delays) > 1, "delays differ from page to page"


def test_js_records_match_the_rendered_bodies(mirror_js_site: RunningMirror) -> None:
    site, manifest = mirror_js_site.site, mirror_js_site.manifest
    records = js_records(manifest)
    rendered = {
        r["url"]: render_story(site, site.resolve(urlsplit(r["url"]).path).body.decode()) for r in records
    }
    assert_bodies_are_the_records(site, {"articles": records}, rendered=rendered)
    others = [a for a in manifest["articles"] if "js_rendered" not in a["shapes"]]
    ordinary = {a["url"]: a["title"] for a in others}
    shapes = Counter(shape for r in records for shape in r["shapes"])
    assert shapes["js_rendered"] == shapes["late_read_also"] == shapes["body_p"] == 12
    assert shapes["source_line_publisher"] == shapes["source_default"] == 6
    for record in records:
        assert set(record) == set(others[0])
        assert record["section"] == "تحليلات عسكرية"
        # half credit the publisher in a source line; the others credit nobody, so have no source
        assert record["source"] == ("الأسبوع" if "source_line_publisher" in record["shapes"] else "")
        assert (record["embeds"], record["appended_from"], record["duplicate_urls"]) == ([], "", [])
        assert record["encoding"] == "utf-8"
        assert record["labels"] == ["إقرأ أيضاً"]
        assert 3 <= len(record["related"]) <= 4
        assert all(ordinary[item["url"]] == item["title"] for item in record["related"])
        doc = lxml.html.fromstring(rendered[record["url"]])
        paragraphs = [p.text_content() for p in doc.cssselect("div.entry-content > p")]
        source = [a["text"] for a in record["attributions"] if a["kind"] == "source_line"]
        assert paragraphs == record["paragraphs"] + source
        late = doc.cssselect("div.entry-content > div#Related")[0]
        assert [
            (a.text_content(), urljoin(record["url"], a.get("href"))) for a in late.cssselect("h4 > a")
        ] == [(item["title"], item["url"]) for item in record["related"]]
    assert min(r["id"] for r in records) > max(a["id"] for a in others)
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert len({r["title"] for r in manifest["articles"]}) == len(manifest["articles"])


def test_js_articles_are_linked_only_from_the_js_listing(mirror_js_site: RunningMirror) -> None:
    site, manifest = mirror_js_site.site, mirror_js_site.manifest
    js_paths = {urlsplit(url).path for url in manifest["js_articles"]}
    assert len(js_paths) == 12
    for path, route in site.routes.items():
        if path.startswith("/api/analysis/page/"):
            continue
        leaked = {p for p in js_paths if p.encode() in route.body and p != path}
        assert not leaked, f"{path} links {sorted(leaked)}"
    channel = ET.fromstring(fetch(manifest["feeds"][0])[2]).find("channel")
    assert channel is not None
    assert js_paths.isdisjoint(urlsplit(item.findtext("link") or "").path for item in channel.findall("item"))
    _, urls = sitemap_urls(manifest["sitemaps"][0])
    assert set(urls) == page_urls(manifest) - set(manifest["js_articles"])
    for section in manifest["sections"][:3]:
        hrefs, _ = crawl_section(mirror_js_site.base_url, section["url"])
        assert js_paths.isdisjoint(urlsplit(h).path for h in hrefs)
    assert not set(manifest["js_articles"]) & set(manifest["non_article_urls"])


def test_js_pages_load_only_from_their_own_origin(mirror_js_site: RunningMirror) -> None:
    site, manifest = mirror_js_site.site, mirror_js_site.manifest
    base = mirror_js_site.base_url
    pages = [manifest["sections"][3]["url"], *manifest["js_articles"]]
    loaded: set[str] = set()
    for url in pages:
        render = render_story if url in manifest["js_articles"] else render_listing
        page = render(site, fetch(url)[2].decode())
        doc = lxml.html.fromstring(page)
        resources = [e.get("src") for e in doc.cssselect("img, script[src], iframe, video, audio, source")]
        resources += [e.get("href") for e in doc.cssselect("link[href]") if e.get("rel") != "alternate"]
        resources += re.findall(r'url\("([^"]+)"\)', page) + FETCH_CALL.findall(page)
        for resource in resources:
            absolute = urljoin(url, resource or "")
            assert absolute.startswith(base + "/"), (url, resource)
            loaded.add(urlsplit(absolute).path)
        assert not any(host in page for host in EXTERNAL_HOSTS), url
    kinds = Counter()
    for path in loaded:
        status, headers, _ = fetch(base + path)
        assert status == 200, path
        kinds[headers["content-type"].split(";")[0]] += 1
    assert kinds["font/woff2"] == 1
    assert kinds["image/png"] >= 12 * 2 + 2  # featured and inline images, logo, house ad
    assert kinds["application/json"] == 12 + 1


def test_three_hundred_js_articles_build() -> None:
    site = build_site(48, js_section=True, js_articles=300)
    manifest = site.manifest
    assert len(manifest["js_articles"]) == len(set(manifest["js_articles"])) == 300
    (section,) = [s for s in manifest["sections"] if s.get("js_rendered")]
    assert section["pages"] == 30
    for page in range(1, 31):
        data = api_json(site, f"/api/analysis/page/{page}.json")
        assert len(data["items"]) == 10
        assert bool(data["next"]) == (page < 30)
        assert site.resolve("/category/analysis/" + (f"page/{page}/" if page > 1 else "")).status == 200
    assert site.resolve("/category/analysis/page/31/").status == 404
    assert len({r["title"] for r in manifest["articles"]}) == len(manifest["articles"])


def test_cli_rejects_js_articles_without_the_js_section() -> None:
    from devsite.mirror.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--js-articles", "300"])
    assert exit_info.value.code == 2


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium")
def test_chromium_renders_the_js_section(mirror_js_site: RunningMirror) -> None:
    """A real browser shows what the Python rendering above assumes, and fetches the resources."""
    site, server, manifest = mirror_js_site.site, mirror_js_site.server, mirror_js_site.manifest

    def dump(url: str) -> Any:
        # virtual time runs the timers at once: no test waits the real 0.6-1.6 s
        command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000"]
        done = subprocess.run(
            [*command, "--dump-dom", url], capture_output=True, text=True, timeout=60, check=True
        )
        return lxml.html.fromstring(done.stdout)

    section = manifest["sections"][3]
    doc = dump(section["url"])
    expected = lxml.html.fromstring(render_listing(site, fetch(section["url"])[2].decode()))
    hrefs = [a.get("href") for a in doc.cssselect("li.post-item h2.post-title a")]
    assert hrefs == [a.get("href") for a in expected.cssselect("li.post-item h2.post-title a")]
    assert len(hrefs) == 10
    assert doc.cssselect("a.next.page-numbers")[0].get("href") == section["url"] + "page/2/"

    record = js_records(manifest)[0]
    path = urlsplit(record["url"]).path
    server.log.clear()
    doc = dump(record["url"])
    assert doc.body.get("data-rendered") == "1"
    source = [a["text"] for a in record["attributions"] if a["kind"] == "source_line"]
    paragraphs = [p.text_content() for p in doc.cssselect("div.entry-content > p")]
    assert paragraphs == record["paragraphs"] + source
    late = [(a.text_content(), urljoin(record["url"], a.get("href"))) for a in doc.cssselect("#Related h4 a")]
    assert late == [(item["title"], item["url"]) for item in record["related"]]
    counts = server.log.counts()
    assert counts[path] == 1
    assert counts[f"/api/story/{record['id']}.json"] == 1
    assert counts["/wp-content/themes/jannah/fonts/tajawal-arabic.woff2"] >= 1
    assert sum(n for p, n in counts.items() if p.endswith(".png")) >= 3


# --- fault injection ---------------------------------------------------------------------------

MIB = 1024 * 1024
# Which of 2,000 article paths get which fault under FaultPlan(11): reconciliation tests and
# benchmarks rely on the same pages failing on every run. Update only on purpose.
FAULT_DIGEST = "b778a11779ab4278dc9639b2503e03b1f60035dfd1aa4040d84c8c37a9d8d4c1"


@contextmanager
def faulted(kind: str, site: MirrorSite | None = None, **options: Any) -> Iterator[MirrorServer]:
    """A served mirror whose every article page has fault ``kind``."""
    plan = FaultPlan(5, {kind: 1.0}, **options)
    with MirrorServer(site or build_site(12, seed=3), faults=plan) as server:
        yield server


def first_article(server: MirrorServer) -> tuple[str, str]:
    url = server.site.manifest["articles"][0]["url"]
    return url, urlsplit(url).path


def page_text_content(html: str) -> str:
    return lxml.html.fromstring(html).text_content()


def test_fault_decisions_depend_only_on_seed_and_path() -> None:
    paths = [f"/{675_120 + i}/" for i in range(2000)]
    plan = FaultPlan(11)
    decisions = [plan.fault_for(path) for path in paths]
    assert decisions == [FaultPlan.all_kinds(11).fault_for(path) for path in paths]
    listing = "\n".join(f"{path} {kind}" for path, kind in zip(paths, decisions, strict=True))
    assert hashlib.sha256(listing.encode()).hexdigest() == FAULT_DIGEST
    assert decisions != [FaultPlan(12).fault_for(path) for path in paths]
    counts = plan.counts(paths)
    assert set(counts) == set(KINDS)
    assert all(50 <= counts[kind] <= 115 for kind in KINDS), counts  # 4 % of 2,000 is 80
    assert set(FaultPlan.transient_only(11).counts(paths)) == set(TRANSIENT + CHARSET)
    assert not FaultPlan(11, {}).counts(paths)
    with pytest.raises(ValueError, match="unknown"):
        FaultPlan(rates={"http_404": 0.1})
    with pytest.raises(ValueError, match="more than 1"):
        FaultPlan(rates=dict.fromkeys(KINDS, 0.2))


def test_fault_defaults_fit_the_crawlers_settings() -> None:
    from crawler import settings

    plan = FaultPlan()
    assert plan.slow_seconds > 1, "tests run the crawler with DOWNLOAD_TIMEOUT=1"
    assert plan.max_bytes > settings.DOWNLOAD_MAXSIZE
    for kind in TRANSIENT:
        assert FaultPlan.acts_on(kind, 1)
        assert not FaultPlan.acts_on(kind, settings.RETRY_TIMES + 1), "the last retry gets the page"
    for kind in LASTING + CHARSET:
        assert all(FaultPlan.acts_on(kind, attempt) for attempt in range(1, 10))


def test_faults_spare_everything_but_article_pages() -> None:
    with faulted("http_500", build_site(12, seed=3, js_section=True)) as server:
        site = server.site
        assert site.article_paths
        others = sorted(path for path in site.routes if path not in site.article_paths)
        assert {"/", "/robots.txt", "/rss/1/", "/sitemap.xml", "/category/analysis/"} <= set(others)
        for path in others:
            route = site.routes[path]
            for _ in range(2):
                assert fetch(server.base_url + quote(path))[::2] == (route.status, route.body), path
        assert server.fault_log.records() == []
        for url in site.manifest["js_articles"] + [b["url"] for b in site.manifest["bad_pages"]]:
            assert urlsplit(url).path in others
        assert all(fetch(server.base_url + path)[0] == 500 for path in site.article_paths)


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_503", 503)])
def test_error_statuses_fail_two_attempts_then_serve_the_page(kind: str, status: int) -> None:
    with faulted(kind) as server:
        url, path = first_article(server)
        first, second, third = fetch(url), fetch(url + "?utm_source=twitter"), fetch(url)
        assert first[0] == second[0] == status
        assert first[1]["content-type"] == "text/html"
        assert first[1].get("retry-after") == ("1" if status == 503 else None)
        assert third[::2] == (200, server.site.routes[path].body)
        assert fetch(url)[0] == 200
        assert server.fault_log.served(path) == [kind, kind, None, None]
        assert server.fault_log.attempts(path) == 4
        server.fault_log.clear()
        assert fetch(url)[0] == status, "a cleared log starts the attempts again"


def test_attempts_are_counted_per_path_across_threads() -> None:
    with faulted("http_500") as server:
        url, path = first_article(server)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: fetch(url)[0], range(8)))
        assert sorted(statuses) == [200] * 6 + [500] * 2
        assert [r.attempt for r in server.fault_log.records(path)] == list(range(1, 9))
        other = min(server.site.article_paths - {path})
        assert fetch(server.base_url + other)[0] == 500, "another page has its own attempts"


def test_slow_page_outlasts_the_client_timeout_once() -> None:
    with faulted("slow", slow_seconds=2.0) as server:
        url, path = first_article(server)
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            fetch(url, timeout=0.3)
        assert time.monotonic() - started < 1.5, "the client gave up before the page came"
        elapsed, status = timed_fetch(url)
        assert (status, elapsed < 1.5) == (200, True), "the second time it is not held"
        assert server.fault_log.served(path) == ["slow", None]


def test_reset_is_a_reset_then_the_page() -> None:
    with faulted("reset") as server:
        url, path = first_article(server)
        with pytest.raises(ConnectionResetError):
            fetch(url)
        assert fetch(url)[::2] == (200, server.site.routes[path].body)
        assert server.fault_log.served(path) == ["reset", None]


def test_truncated_body_is_shorter_than_its_content_length() -> None:
    with faulted("truncated") as server:
        url, path = first_article(server)
        body = server.site.routes[path].body
        conn = http.client.HTTPConnection(server.host, urlsplit(url).port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            assert response.status == 200
            assert response.getheader("Content-Length") == str(len(body))
            with pytest.raises(http.client.IncompleteRead) as caught:
                response.read()
        finally:
            conn.close()
        assert caught.value.partial == body[: len(body) // 2]
        assert fetch(url)[::2] == (200, body)


def test_too_large_page_is_over_max_bytes_and_still_a_page() -> None:
    with faulted("too_large") as server:
        url, path = first_article(server)
        for _ in range(3):
            status, headers, body = fetch(url)
            assert status == 200
            assert int(headers["content-length"]) == len(body) == 11 * MIB + 1
        original = server.site.routes[path].body
        assert re.sub(rb"<!-- cache-fill \.+ -->", b"", body) == original, "a comment, nothing else"
        assert body.rindex(b"<!-- cache-fill") < body.rindex(b"</body>")
        assert lxml.html.fromstring(body).findtext(".//title") == lxml.html.fromstring(original).findtext(
            ".//title"
        )
    with faulted("too_large", max_bytes=100_000) as server:
        url, _ = first_article(server)
        assert len(fetch(url)[2]) == 100_001


def test_redirect_loop_never_ends() -> None:
    with faulted("redirect_loop") as server:
        url, path = first_article(server)
        queries = []
        for _ in range(20):
            status, headers, _ = fetch(url)
            assert status == 302
            url = urljoin(url, headers["location"])
            assert urlsplit(url).path == path
            queries.append(urlsplit(url).query)
        assert queries == ["r=1", "r=2"] * 10
        assert server.fault_log.attempts(path) == 20


def test_non_html_pages_are_pdf_or_opaque_bytes_every_time() -> None:
    with faulted("non_html", build_site(24, seed=3)) as server:
        types: Counter[str] = Counter()
        for path in sorted(server.site.article_paths):
            first, second = fetch(server.base_url + path), fetch(server.base_url + path)
            # The same answer both times; the Date header may tick between the two requests.
            assert without_date(first) == without_date(second)
            status, headers, body = first
            assert status == 200
            types[headers["content-type"]] += 1
            assert b"<html" not in body
            assert body.startswith(b"%PDF") == (headers["content-type"] == "application/pdf")
        assert set(types) == {"application/pdf", "application/octet-stream"}


@pytest.mark.parametrize("kind", CHARSET)
def test_charset_faults_read_right_only_as_windows_1256(kind: str) -> None:
    with faulted(kind, build_site(48)) as server:
        site = server.site
        by_page = page_records(site.manifest)
        metas = 0
        for path in sorted(site.article_paths):
            status, headers, body = fetch(server.base_url + path)
            assert status == 200
            original = page_text(site.routes[path])
            if kind == "mislabelled_1256":
                assert headers["content-type"] == "text/html; charset=utf-8"
                declared = re.findall(rb'<meta charset="([^"]+)"', body)
                assert all(d.lower() == b"utf-8" for d in declared)
                metas += bool(declared)
            else:
                assert headers["content-type"] == "text/html"
                assert b"charset" not in body.lower()
            with pytest.raises(UnicodeDecodeError):
                body.decode("utf-8")
            text = page_text_content(body.decode("windows-1256"))
            assert text == page_text_content(original)
            for other in ("iso-8859-6", "cp1252"):
                assert page_text_content(body.decode(other, errors="replace")) != text
            for record in by_page.get(server.base_url + path, []):
                assert record["title"] in text
        assert metas or kind == "unlabelled_1256"


def retrying_fetch(url: str) -> str:
    """What a crawler with our retry, redirect, size and timeout bounds makes of a page."""
    from crawler import settings

    for _ in range(settings.RETRY_TIMES + 1):
        try:
            for _ in range(settings.REDIRECT_MAX_TIMES + 1):
                parts = urlsplit(url)
                conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=1.0)
                try:
                    conn.request("GET", urlunsplit(("", "", parts.path, parts.query, "")))
                    response = conn.getresponse()
                    if response.status in (301, 302):
                        url = urljoin(url, response.getheader("Location"))
                        continue
                    if int(response.getheader("Content-Length") or 0) > settings.DOWNLOAD_MAXSIZE:
                        return "too_large"
                    body = response.read()
                finally:
                    conn.close()
                if response.status in settings.RETRY_HTTP_CODES:
                    break
                if not (response.getheader("Content-Type") or "").startswith("text/html"):
                    return "non_html"
                return STORED if response.status == 200 and body else f"status {response.status}"
            else:
                return "redirect_loop"
        except (OSError, http.client.HTTPException):
            continue
    return "retries exhausted"


def test_expected_fates_are_what_a_retrying_client_gets() -> None:
    plan = FaultPlan.all_kinds(11, slow_seconds=2.0)  # held past the client's timeout of 1 s
    with MirrorServer(build_site(300), faults=plan) as server:
        manifest = server.site.manifest
        expected = plan.expected(manifest)
        bad = {b["url"] for b in manifest["bad_pages"]}
        pages = sorted({strip_fragment(url) for url in expected if url not in bad})
        with ThreadPoolExecutor(16) as pool:
            got = dict(zip(pages, pool.map(retrying_fetch, pages), strict=True))
    assert got == {page: expected[page] for page in pages}
    assert set(got.values()) == {STORED, *LASTING}
    served = {r.served for r in server.fault_log.records()}
    assert served == {None, *KINDS}


def test_expected_covers_every_page() -> None:
    site = build_site(1000)
    plan = FaultPlan.all_kinds()
    expected = plan.expected(site.manifest)
    manifest = site.manifest
    bad = {b["url"]: b["expected_reason"] for b in manifest["bad_pages"]}
    records = manifest["articles"]
    duplicates = {u for r in records for u in r["duplicate_urls"]}
    assert set(expected) == {r["url"] for r in records} | duplicates | set(bad)
    assert {url: expected[url] for url in bad} == bad
    appended = [r for r in records if r["appended_from"]]
    assert appended
    for record in records:
        page = strip_fragment(record["url"])
        assert expected[record["url"]] == expected[page] == plan.fate(urlsplit(page).path)
    fates = Counter(expected[url] for url in expected if url not in bad)
    assert set(fates) == {STORED, *LASTING}
    assert all(25 <= fates[kind] <= 60 for kind in LASTING), fates
    transient = FaultPlan.transient_only().expected(manifest)
    assert {transient[url] for url in transient if url not in bad} == {STORED}
    js_site = build_site(12, seed=3, js_section=True)
    js_expected = FaultPlan(rates={"non_html": 1.0}).expected(js_site.manifest)
    assert {js_expected[url] for url in js_site.manifest["js_articles"]} == {STORED}


def test_cli_serves_faults_and_writes_the_expected_fates(tmp_path: Path) -> None:
    from devsite.mirror.__main__ import main

    with pytest.raises(SystemExit):
        main(["--fault-seed", "3"])
    manifest_file, expected_file = tmp_path / "manifest.json", tmp_path / "expected.json"
    options = ["--articles", "100", "--faults", "transient", "--fault-seed", "5"]
    with served_by_cli(*options, "--manifest", str(manifest_file), "--expected", str(expected_file)):
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        plan = FaultPlan.transient_only(5)
        assert json.loads(expected_file.read_text(encoding="utf-8")) == plan.expected(manifest)
        failing = [
            r["url"] for r in manifest["articles"] if plan.fault_for(urlsplit(r["url"]).path) == "http_503"
        ]
        assert failing
        assert [fetch(failing[0])[0] for _ in range(3)] == [503, 503, 200]
