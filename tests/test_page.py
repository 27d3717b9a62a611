"""ArticlePage's query shortcuts give the answers a plain selector walk gives."""

from __future__ import annotations

import pytest

from crawler.extract.article import parse_html
from crawler.extract.page import ArticlePage

HTML = """<!doctype html><html lang="ar"><head><meta charset="utf-8">
<meta property="og:title" content="">
<meta name="og:title" content="عنوان من الوسم الثاني">
<meta name="description" content="وصف قصير"></head><body>
<div class="post-body col-md-8"><p class="lead">نص</p>
<a class="more" href="https://example.com/x">موقع</a></div>
<span class="source-name">رويترز</span>
</body></html>"""


@pytest.fixture
def article_page() -> ArticlePage:
    return ArticlePage(parse_html(HTML), HTML, "https://example.com/a/1", None)


@pytest.mark.parametrize(
    "query",
    [
        "div.post-body",
        ".post-body .lead",
        "a[href*='.com']",  # the ".com" in a value names no class
        'a[href*=".com"]',
        ".missing, .source-name",  # one alternative is enough
        "p:not(.missing)",  # a class inside :not() is not needed
        "span.source-name::text",
    ],
)
def test_queries_that_can_match_are_walked(article_page: ArticlePage, query: str) -> None:
    assert len(article_page._css(query)) == len(article_page.sel.css(query)) > 0


@pytest.mark.parametrize("query", [".missing", "div.post-body.missing", ".missing, .absent .x"])
def test_queries_naming_an_absent_class_match_nothing(article_page: ArticlePage, query: str) -> None:
    assert article_page._css(query) == [] == list(article_page.sel.css(query))


def test_meta_skips_an_empty_tag_for_the_next_attribute(article_page: ArticlePage) -> None:
    assert article_page.meta("og:title") == "عنوان من الوسم الثاني"
    assert article_page.meta("missing", "description") == "وصف قصير"
    assert article_page.meta("missing") == ""


def _titled(og_title: str, h1: str) -> ArticlePage:
    html = (
        f'<html lang="ar"><head><meta charset="utf-8"><meta property="og:title" content="{og_title}"></head>'
        f'<body><header><h1 class="logo">موقع الأخبار</h1></header><article><h1 class="entry-title">{h1}</h1>'
        "<p>نص الخبر.</p></article></body></html>"
    )
    return ArticlePage(parse_html(html), html, "https://example.com/a/1", None)


def test_the_printed_headline_wins_over_a_shorter_social_title() -> None:
    page = _titled("اختتام تمرين الدرع الصلب", "اختتام تمرين الدرع الصلب بمشاركة وحدات صواريخ متوسطة المدى")
    assert page.title() == "اختتام تمرين الدرع الصلب بمشاركة وحدات صواريخ متوسطة المدى"


def test_a_headline_that_is_another_text_leaves_the_declared_title() -> None:
    page = _titled("اختتام تمرين الدرع الصلب", "عاجل: اختتام تمرين الدرع الصلب")
    assert page.title() == "اختتام تمرين الدرع الصلب"
