"""Property tests of the extractor and the text pipelines (bench/fuzz.py runs 10,000+ examples)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devsite.fuzzing import check_bytes, check_html, check_text, corpus, html_pages, lines, mutated

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(html_pages())
def test_random_html_never_breaks_the_pipeline(html: str) -> None:
    check_html(html)


@FUZZ
@given(lines)
def test_random_flattened_text_never_breaks_the_pipeline(text: str) -> None:
    check_text(text)


@FUZZ
@given(st.binary(max_size=5000))
def test_random_bytes_never_break_decoding_or_extraction(body: bytes) -> None:
    check_bytes(body)


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(mutated(corpus()))
def test_mutated_real_pages_never_break_the_pipeline(html: str) -> None:
    check_html(html)


# Inputs hypothesis once found to break the pipeline, kept as regressions.
FOUND_BY_FUZZING = {
    "control character in a tail": (
        '<html><body><h1 class="entry-title">عنوان</h1><div class="entry-content">'
        '<p class="stream-item"></p>\x1f<div>' + "ب" * 300 + "</div></div></body></html>"
    ),
    "malformed IPv6 canonical link": (
        '<html><head><link rel="canonical" href="http://[i/"></head><body>'
        '<h1 class="entry-title">عنوان</h1><div class="entry-content"><p>'
        + "نص " * 100
        + "</p></div></body></html>"
    ),
    "malformed og:image and link": (
        '<html><head><meta property="og:image" content="https://[::1/x.jpg"></head><body>'
        '<h1 class="entry-title">عنوان</h1><div class="entry-content"><p>' + "نص " * 100 + "</p>"
        '<p>اقرأ أيضاً <a href="http://example.com:port/">خبر آخر عن الدفاع الجوي</a></p></div></body></html>'
    ),
}


@pytest.mark.parametrize("html", FOUND_BY_FUZZING.values(), ids=FOUND_BY_FUZZING.keys())
def test_inputs_found_by_fuzzing_stay_fixed(html: str) -> None:
    check_html(html)


@pytest.mark.parametrize(
    "href", ["http://[i/", "https://[::1/x", "http://example.com:port/", "http://example.com:99999/"]
)
def test_malformed_links_are_dropped_not_raised(href: str) -> None:
    from crawler.text.urls import is_http_url, join_url

    assert join_url("https://www.elaosboa.com/1/", href) == ""
    assert not is_http_url(href)
