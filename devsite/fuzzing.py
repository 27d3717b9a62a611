"""Hypothesis strategies and properties for fuzzing the extractor and the text pipelines.

Shared by tests/test_fuzz.py (a few hundred examples per run) and
bench/fuzz.py (10,000 and more). Inputs: random Arabic-heavy text with mixed
directions, control characters and invisible marks; random HTML from the tags
news pages use (deeply nested, unclosed, huge single lines); real pages
mutated (cut, repeated, tags spliced in). Properties: nothing but a counted
ExtractionError ever escapes, and no body keeps a read-also label, a source
line or a tweet signature that the splitters recognise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from crawler.extract import ExtractionError, extract_bytes, extract_html, extract_text
from crawler.profiles import ALUSBU
from crawler.text.embeds import tweet_signature
from crawler.text.lexicon import READ_ALSO_RE
from crawler.text.sources import source_line
from devsite.harness import REALPAGES, SEED, page_item, stages

ARABIC = "".join(chr(c) for c in range(0x0621, 0x064B)) + "ىةأإآؤئ"
TASHKEEL = "".join(chr(c) for c in range(0x064B, 0x0653))
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩"
MARKS = (
    "\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u0640"
)
CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\x85"
PUNCTUATION = " .،؛؟!:«»\"'()-—–|/\n\t"
PHRASES = (
    "اقرأ أيضاً",
    "إقرأ أيضا:",
    "اقرا ايضا",
    "شاهد أيضًا",
    "المصدر:",
    "المصدر : وكالات",
    "— TASS (@tassagency_en) June 12, 2023",
    "— وزارة الدفاع (@MoD_ar) ١٢ يونيو ٢٠٢٣",
    "pic.twitter.com/abc",
    "https://t.co/xyz",
    "تاريخ النشر: 19th, January 2025 GMT",
    "منذ 3 ساعات",
    "الأحد، 23 أغسطس 2020 09:14 ص",
    "(رويترز)",
    "وأفادت وكالة تاس",
)

characters = st.sampled_from(ARABIC * 4 + TASHKEEL + DIGITS + MARKS + CONTROL + PUNCTUATION + "abcXYZ<>&;")
words = st.text(alphabet=characters, min_size=0, max_size=40)
texts = st.lists(st.one_of(words, st.sampled_from(PHRASES)), min_size=0, max_size=40).map(" ".join)
lines = st.lists(st.one_of(texts, st.sampled_from(PHRASES)), min_size=0, max_size=30).map("\n".join)

TAGS = (
    "p",
    "div",
    "span",
    "a",
    "strong",
    "h2",
    "h4",
    "li",
    "ul",
    "blockquote",
    "article",
    "section",
    "table",
    "td",
)
CLASSES = (
    "",
    "entry-content",
    "read-more",
    "b-inject",
    "twitter-tweet",
    "post-source",
    "related",
    "stream-item",
)


@st.composite
def html_fragment(draw: Any, depth: int = 0) -> str:
    """Nested markup from the tags news bodies use, with unclosed tags and stray breaks."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        choice = draw(st.integers(0, 9))
        if choice < 4 or depth > 6:
            parts.append(draw(texts).replace("<", "&lt;"))
        elif choice == 4:
            parts.append("<br>")
        elif choice == 5:
            parts.append(
                f'<a href="{draw(st.sampled_from(["/1/", "#", "javascript:x", "http://x/2/", ""]))}">'
            )
            parts.append(draw(texts).replace("<", "&lt;") + "</a>")
        else:
            tag = draw(st.sampled_from(TAGS))
            css = draw(st.sampled_from(CLASSES))
            inner = draw(html_fragment(depth + 1))
            closing = "" if draw(st.booleans()) and depth > 2 else f"</{tag}>"
            parts.append(f'<{tag} class="{css}">{inner}{closing}')
    return "".join(parts)


@st.composite
def html_pages(draw: Any) -> str:
    title = draw(texts)
    body = draw(html_fragment())
    if draw(st.integers(0, 20)) == 0:
        body += "<div>" * draw(st.integers(100, 3000))  # pathological nesting
    if draw(st.integers(0, 20)) == 0:
        body += "ب" * draw(st.integers(10_000, 300_000))  # one huge line
    meta = (
        '<meta property="og:title" content="{}">'.format(title.replace('"', ""))
        if draw(st.booleans())
        else ""
    )
    return (
        f'<html lang="ar" dir="rtl"><head><title>{title.replace("<", "")}</title>{meta}</head>'
        f'<body><h1 class="entry-title">{title.replace("<", "")}</h1><div class="entry-content">{body}</div></body></html>'
    )


@st.composite
def mutated(draw: Any, corpus: list[str]) -> str:
    """A real page cut, repeated and spliced with random markup."""
    page = draw(st.sampled_from(corpus))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(page)))
        end = draw(st.integers(start, min(len(page), start + 5000)))
        operation = draw(st.integers(0, 2))
        if operation == 0:
            page = page[:start] + page[end:]
        elif operation == 1:
            page = page[:start] + page[start:end] * 2 + page[end:]
        else:
            page = page[:start] + draw(html_fragment()) + page[end:]
    return page


# -- properties ------------------------------------------------------------------------------


STAGES = stages()
URL = "https://www.elaosboa.com/100001/"


def process(extraction: Any) -> list[Any]:
    page = page_item(extraction, URL)
    for stage in STAGES:
        page = stage.process_page(page)  # the pure stage: an exception here is a bug
    return list(page.articles)


def check_articles(articles: list[Any]) -> None:
    for article in articles:
        for paragraph in article.body.split("\n\n"):
            if not paragraph:
                continue
            assert READ_ALSO_RE.match(paragraph) is None, paragraph[:200]
            assert not source_line(paragraph), paragraph[:200]
            signature = tweet_signature(paragraph)
            assert signature is None or not signature[3], paragraph[:200]


def _check(extract: Callable[[], Any]) -> None:
    """Only a counted ExtractionError may escape extraction; nothing may escape the stages."""
    try:
        extraction = extract()
    except ExtractionError:
        return
    check_articles(process(extraction))


def check_html(html: str) -> None:
    _check(lambda: extract_html(html, URL, ALUSBU))


def check_text(text: str) -> None:
    _check(lambda: extract_text(text, URL, ALUSBU))


def check_bytes(body: bytes) -> None:
    _check(lambda: extract_bytes(body, URL, None, ALUSBU))


def corpus() -> list[str]:
    """The real pages and the seed, as the seeds that mutation starts from."""
    pages = [path.read_text("utf-8", errors="replace") for path in sorted(REALPAGES.glob("*.html"))]
    if SEED.exists():
        pages.append(
            "<html><body><div class='entry-content'>"
            + SEED.read_text("utf-8").replace("\n", "<br>")
            + "</div></body></html>"
        )
    return pages or ["<html><body><p>نص</p></body></html>"]
