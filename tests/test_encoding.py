"""Decoding that never garbles: stray bad bytes in UTF-8 pages, undeclared windows-1256, mojibake."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.extract import ExtractionError, extract_bytes
from crawler.extract.encoding import decode_html, looks_like_mojibake, utf8_with_replacement
from crawler.middlewares.charset import CharsetRepairMiddleware
from tests.helpers import PROJECT_ROOT, REALPAGES, shared_file

TITLE = "الجيش يعلن اعتراض صواريخ باليستية فوق البحر الأحمر"
PARAGRAPH = (
    "أعلن المتحدث العسكري اليوم أن منظومات الدفاع الجوي اعترضت ثلاثة صواريخ باليستية أطلقت باتجاه "
    "السفن التجارية في البحر الأحمر، مؤكدا أن القوات البحرية تواصل تأمين خطوط الملاحة الدولية."
)
URL = "https://news.example.com/2024/06/12/123456"


def page(charset: str | None = "utf-8", comment: str = "") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head>{meta}<title>{TITLE}</title></head><body>'
        f'<!--{comment}--><article><h1 class="entry-title">{TITLE}</h1>'
        f'<div class="entry-content"><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>'
        "</article></body></html>"
    )


def utf8_with_bad_bytes(*bad: bytes, charset: str | None = "utf-8") -> bytes:
    """A UTF-8 page with the first of ``bad`` in a comment, the others at the end of the first paragraph."""
    raw = page(charset, comment="COMMENT").encode("utf-8")
    first, *rest = bad
    raw = raw.replace(b"COMMENT", b"cache " + first + b" key")
    for extra in rest:
        raw = raw.replace(b"</p>", b" " + extra + b"</p>", 1)
    return raw


def test_one_invalid_byte_in_a_comment() -> None:
    body = utf8_with_bad_bytes(b"\xff")
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.source, decoded.replaced, decoded.mojibake) == (
        "utf-8",
        "declared",
        1,
        False,
    )
    assert TITLE in decoded.text
    assert "\ufffd" in decoded.text
    extraction = extract_bytes(body, URL)
    assert extraction.meta.title == TITLE
    assert [block.text for block in extraction.blocks] == [PARAGRAPH] * 3


def test_one_invalid_byte_without_a_declaration() -> None:
    decoded = decode_html(utf8_with_bad_bytes(b"\xff", charset=None))
    assert (decoded.encoding, decoded.source, decoded.replaced) == ("utf-8", "utf-8", 1)
    assert TITLE in decoded.text


def test_a_handful_of_bad_bytes() -> None:
    # a letter cut in half by an excerpt, a cp1252 quote and dash pasted into the text, a stray lead byte
    body = utf8_with_bad_bytes(b"\xd8", b"\x92", b"\x96", b"\xc3")
    decoded = decode_html(body, "text/html; charset=UTF-8")
    assert (decoded.encoding, decoded.replaced, decoded.mojibake) == ("utf-8", 4, False)
    assert TITLE in decoded.text
    assert PARAGRAPH in decoded.text


def test_the_rule_for_a_few_bad_bytes() -> None:
    assert utf8_with_replacement("نص عربي سليم".encode()) == ("نص عربي سليم", 0)
    # no multi-byte text to prove UTF-8: an ASCII page with a stray byte is left to detection
    assert utf8_with_replacement(b"<p>The caf\xe9 is open</p>") is None
    # windows-1256 Arabic is no UTF-8 with a few bad bytes, however short
    assert utf8_with_replacement(TITLE.encode("cp1256")) is None
    assert utf8_with_replacement(page(None).encode("cp1256")) is None


def test_windows_1256_without_declaration() -> None:
    decoded = decode_html(page(None).encode("cp1256"))
    assert (decoded.encoding, decoded.replaced, decoded.mojibake) == ("cp1256", 0, False)
    assert TITLE in decoded.text
    assert extract_bytes(page(None).encode("cp1256"), URL).meta.title == TITLE


def test_short_windows_1256_page() -> None:
    body = f"<html><head><title>{TITLE}</title></head><body><p>{TITLE}</p></body></html>".encode("cp1256")
    decoded = decode_html(body)
    assert decoded.encoding == "cp1256"
    assert TITLE in decoded.text


def test_utf8_page_declared_windows_1256_is_read_as_utf8() -> None:
    decoded = decode_html(page("windows-1256").encode("utf-8"))
    assert (decoded.encoding, decoded.mojibake) == ("utf-8", False)
    assert TITLE in decoded.text


def test_utf8_page_with_bad_bytes_declared_windows_1256() -> None:
    decoded = decode_html(utf8_with_bad_bytes(b"\xff", charset="windows-1256"))
    assert (decoded.encoding, decoded.replaced, decoded.mojibake) == ("utf-8", 1, False)
    assert TITLE in decoded.text


@pytest.mark.parametrize("codec", ["cp1256", "cp1252", "latin-1"])
def test_page_stored_as_mojibake_is_caught(codec: str) -> None:
    garbled = page("utf-8").encode("utf-8").decode(codec, errors="replace")
    assert looks_like_mojibake(garbled)
    body = garbled.encode("utf-8")  # what a CMS that stored the mis-decoded text serves
    decoded = decode_html(body)
    assert decoded.mojibake
    with pytest.raises(ExtractionError) as error:
        extract_bytes(body, URL)
    assert error.value.reason == "mojibake"


@pytest.mark.parametrize(
    "text",
    [
        "ط§ظ„ط¬ظٹط´ ظٹط¹ظ„ظ†",  # "الجيش يعلن" read as windows-1256
        "Ø§Ù„Ø¬ÙŠØ´ ÙŠØ¹Ù„Ù†",  # read as cp1252
        TITLE.encode("utf-8").decode("cp1256"),
        PARAGRAPH.encode("utf-8").decode("cp1252", errors="replace"),
    ],
)
def test_mojibake_short_texts(text: str) -> None:
    assert looks_like_mojibake(text)


@pytest.mark.parametrize(
    "text",
    [
        TITLE,
        PARAGRAPH,
        "فقط، وليس غير ذلك فقط، ثم حفظ، الضغط، الخط،",  # ط and ظ before an Arabic comma: real text
        "Le ministre a annoncé à Paris que l'armée française déploiera des frégates",
        "Øresund Ålborg Ærø",
        "",
    ],
)
def test_real_text_is_not_mojibake(text: str) -> None:
    assert not looks_like_mojibake(text)


def _real_pages() -> list[Path]:
    return sorted(REALPAGES.glob("*.html")) + sorted(
        (PROJECT_ROOT / "tests" / "outlets").glob("*/articles/*.html")
    )


@pytest.mark.parametrize("path", _real_pages(), ids=lambda path: path.name)
def test_real_pages_decode_cleanly(path: Path) -> None:
    decoded = decode_html(shared_file(path).read_bytes())
    assert not looks_like_mojibake(decoded.text)
    assert (decoded.replaced, decoded.mojibake) == (0, False)
    # and every real page re-encoded as windows-1256 is no UTF-8 with a few bad bytes
    assert utf8_with_replacement(decoded.text.encode("cp1256", errors="ignore")) is None


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_middleware_counts_and_logs_replaced_bytes(caplog: pytest.LogCaptureFixture) -> None:
    body = utf8_with_bad_bytes(b"\xd8", b"\x92", b"\x96", b"\xc3")
    response = HtmlResponse(
        URL, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=Request(URL)
    )
    stats = _Stats()
    with caplog.at_level(logging.WARNING, logger="crawler.middlewares.charset"):
        kept = CharsetRepairMiddleware(stats).process_response(response.request, response)
    assert kept.encoding == "utf-8"
    assert TITLE in kept.text
    assert stats.values == {"decode/replaced_bytes": 4}
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert URL in record.getMessage()


def test_middleware_flags_mojibake(caplog: pytest.LogCaptureFixture) -> None:
    body = page("utf-8").encode("utf-8").decode("cp1256").encode("utf-8")
    response = HtmlResponse(URL, body=body, request=Request(URL))
    stats = _Stats()
    with caplog.at_level(logging.WARNING, logger="crawler.middlewares.charset"):
        flagged = CharsetRepairMiddleware(stats).process_response(response.request, response)
    assert "mojibake" in flagged.flags
    assert stats.values == {"decode/mojibake": 1}
    assert URL in caplog.records[0].getMessage()
