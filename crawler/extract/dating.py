"""Where a page says when its article was published: the evidence in its DOM, strongest first.

:func:`find_published` returns the string to parse (with :func:`crawler.text.dates.parse_date_precise`)
and where it came from. Evidence, in order, each string parsed to check it (one that does not parse
is skipped):

1. ``jsonld``: ``datePublished``/``dateCreated`` of the article's JSON-LD object (passed in);
2. ``meta``: ``<meta>`` publish names (date_selectors.META_PUBLISHED, strongest name first);
3. ``rdfa``: RDFa/microdata on page elements (``property="dc:date"``, ``itemprop="datePublished"``,
   ``<time pubdate>``), outside related cards and sidebars;
4. ``visible``: a date element (class/id words date, time, byline, meta …, or <time>) of the
   article's header, between the headline and the body: one labelled as the publish date (by its
   text, a label just before it, or its class) wins, one labelled as an update is never taken;
   never one inside a sidebar, related card, comment area, menu, footer or the site's header
   (date_selectors.NOISE_*). Then a byline/meta box elsewhere in the article's element (above the
   headline, after the body), then a labelled publish line (or a bare date line) among the body's
   first lines. With only the headline known, the date nearest after it (else just above it in its
   box); with only the body, the one nearest before it;
5. ``dateline``: an unlabelled dateline opening the body ("دمشق - السبت 8 شباط 2025 - …");
6. ``url``: a date in the URL path (day precision);
7. ``htmldate``: htmldate's guess on a copy without the regions step 4 skips, the last resort (a
   "1 January" that is only the copyright line's year is refused).

The voter. Dates only move forward: a CMS overwrites a publish field with an update, a re-index or
the time the page was built, never with an earlier day; a date the page prints (4, 5) or its URL
was minted with (6; the separated forms only, as /20250308/ may be an article id) is set once. So
the strongest candidate wins unless one of those is more than a day earlier than it (in calendar
days of the site's zone); then the earliest of those wins. One rule covers JSON-LD that holds the
crawl time, meta tags that hold the last update, and a visible "date, last updated 14:00" stamp
whose URL says the story is weeks older.

Cost: every selector is an XPath that libxml2 evaluates over the tree; Python only looks at the
elements it returns (a few dozen at most) and at the first few lines of the body. htmldate (which
copies the tree) runs only when nothing else is found.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract import date_selectors as sel
from crawler.text.dates import (
    MIN_YEAR,
    ParsedDate,
    find_date_line,
    label_segments,
    looks_like_date,
    parse_date_precise,
    split_dateline,
    trailing_label,
)

__all__ = ["DateCandidate", "find_published", "split_dateline"]

log = logging.getLogger(__name__)

# Candidates looked at per kind of evidence: bounds the Python work on pathological pages.
MAX_CANDIDATES = 40
# With only the headline (or only the body) known, the date elements just after it (just before it).
NEAR_ANCHOR = 10
# How far up the tree a class word still says what a date element holds (the element, its
# wrapper, the wrapper's box).
CLASS_HINT_DEPTH = 3
_SPACES = re.compile(r"\s+")

_MICRODATA = etree.XPath(sel.MICRODATA_PUBLISHED)
_CLASSED = etree.XPath(sel.CLASSED_ELEMENTS)
_FOLLOWING = etree.XPath(sel.CLASSED_FOLLOWING)
_PRECEDING = etree.XPath(sel.CLASSED_PRECEDING)
_SHORT_FOLLOWING = etree.XPath(sel.SHORT_FOLLOWING)
# An ISO string that states its offset: better than the text's time; a naive one is not.
_STATED_OFFSET = re.compile(r"(?:[zZ]|[+-][0-9]{2}:?[0-9]{2})\s*$")
_METAS = etree.XPath("//meta[@content]")
_H1 = etree.XPath("//h1")
_TITLE_HEADINGS = etree.XPath("//h2 | //*[@itemprop='headline'][not(self::meta)]")
_PAGE_TITLE = etree.XPath("//title/text() | //meta[@property='og:title']/@content")
MIN_HEADLINE = 10  # characters: shorter headings are section names
_COPYRIGHT_TEXT = etree.XPath(
    "//text()[contains(., '©') or contains(translate(., 'COPYRIGHT', 'copyright'), 'copyright')"
    " or contains(., 'جميع الحقوق') or contains(., 'حقوق النشر')]"
)


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A publish date as the page prints it (``raw``, to parse) and the evidence it came from."""

    raw: str
    origin: str  # jsonld, meta, rdfa, visible, dateline, url, htmldate


@dataclass(frozen=True, slots=True)
class _Found:
    candidate: DateCandidate
    parsed: ParsedDate
    votes: bool = True  # False: a compact URL date, which may be an article id


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _text(element: HtmlElement) -> str:
    """The element's text with a space between elements: spans printed side by side ("نشر في" +
    "9/3/2025", a screen-reader copy + the visible one) must not glue into "9/3/20259/3/2025"."""
    return _collapse(" ".join(element.itertext()))


def _parsed(raw: str, origin: str, tz: str, now: datetime | None) -> _Found | None:
    raw = _collapse(raw)
    if not raw:
        return None
    parsed = parse_date_precise(raw, tz=tz, now=now)
    return None if parsed is None else _Found(DateCandidate(raw, origin), parsed)


def _json_text(value: Any) -> str:
    """A JSON-LD value as text: the first of a list, ``@value`` of an object."""
    if isinstance(value, list):
        return next((text for text in map(_json_text, value) if text), "")
    if isinstance(value, dict):
        return _json_text(value.get("@value"))
    return html_lib.unescape(value) if isinstance(value, str) else ""


# -- 1-3: structured metadata ------------------------------------------------------------------------


def _from_jsonld(jsonld: dict[str, Any], tz: str, now: datetime | None) -> _Found | None:
    for key in ("datePublished", "dateCreated"):
        found = _parsed(_json_text(jsonld.get(key)), "jsonld", tz, now)
        if found is not None:
            return found
    return None


def _from_meta(tree: HtmlElement, tz: str, now: datetime | None) -> _Found | None:
    ranked: list[tuple[int, str]] = []
    for meta in _METAS(tree):
        for attr in ("property", "name", "itemprop"):
            rank = sel.META_RANK.get((meta.get(attr) or "").strip().lower())
            if rank is not None:
                ranked.append((rank, meta.get("content", "")))
                break
    for _, content in sorted(ranked, key=lambda pair: pair[0]):
        found = _parsed(content, "meta", tz, now)
        if found is not None:
            return found
    return None


def _from_microdata(
    tree: HtmlElement, tz: str, now: datetime | None, article: HtmlElement | None = None
) -> _Found | None:
    for element in _first(_MICRODATA(tree)):
        # a site header holds no microdata of the article: only the named regions are skipped
        # (up to the article's own element, ``article``, when it is known)
        if _in_noise(element, stop=article, keep=frozenset(), headers=False):
            continue
        # the machine-readable value first: content (meta, RDFa), datetime (<time>), title
        # (microformats' <abbr class="published" title="2025-03-09T11:20:00+02:00">, which
        # Blogger prints with itemprop="datePublished" around a visible "11:20 ص")
        for raw in (element.get("content"), element.get("datetime"), element.get("title"), _text(element)):
            found = _parsed(raw, "rdfa", tz, now) if raw and raw.strip() else None
            if found is not None:
                return found
    return None


# -- 4: visible date elements ------------------------------------------------------------------------


def _first(elements: Iterable[Any]) -> Iterator[HtmlElement]:
    """The first MAX_CANDIDATES HTML elements of an XPath answer."""
    count = 0
    for element in elements:
        if isinstance(element, HtmlElement):
            yield element
            count += 1
            if count >= MAX_CANDIDATES:
                return


def _class_id(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".lower()


def _in_noise(
    element: HtmlElement, *, stop: HtmlElement | None, keep: frozenset[HtmlElement], headers: bool = True
) -> bool:
    """True inside a sidebar, related card, comment area, menu, footer or the site's header/clock.

    ``stop``: the article container, whose own ancestors are not looked at; ``keep``: the
    headline's ancestors (a <header> holding the headline is the article's, not the site's);
    ``headers``: whether a <header> outside the article counts as the site's.
    """
    ancestors = list(element.iterancestors())
    # a footer inside the article's own element is the article's (Blogger's "post-footer",
    # WordPress's "entry-footer" print the post's time there); only the page's footer is noise
    in_article = stop is not None and stop in ancestors
    for node in (element, *ancestors):
        if node is stop:
            return False
        if not isinstance(node, HtmlElement):
            continue
        tag = node.tag
        # a <header> inside the article's own element is the article's; elsewhere, unless it holds
        # the headline, it is the site's (its clock, its ticker)
        if tag in ("body", "html"):
            return False  # their classes describe the page's layout ("one-sidebar"), not a region
        if tag in sel.NOISE_TAGS and not (in_article and tag == "footer"):
            return True
        if headers and tag == "header" and stop is None and node not in keep:
            return True
        words = " ".join(token for token in _class_id(node).split() if token not in sel.NOT_NOISE_CLASSES)
        if words.strip() and any(
            part in words for part in sel.NOISE_CLASS_PARTS if not (in_article and part == "footer")
        ):
            return True
    return False


def _class_kind(element: HtmlElement) -> str:
    """ "published"/"modified" when the class or id of the element (or its near wrappers) says so."""
    for node in (element, *list(element.iterancestors())[: CLASS_HINT_DEPTH - 1]):
        words = _class_id(node)
        if any(part in words for part in sel.PUBLISH_CLASS_PARTS):
            return "published"
        if any(part in words for part in sel.UPDATE_CLASS_PARTS):
            return "modified"
    return ""


def _label_before(element: HtmlElement) -> str:
    """The kind of a label printed just before the element ("آخر تحديث: <time>…")."""
    previous = element.getprevious()
    if previous is not None:
        before = (_text(previous) if isinstance(previous, HtmlElement) else "") + " " + (previous.tail or "")
    else:
        parent = element.getparent()
        before = (parent.text or "") if parent is not None else ""
    return trailing_label(_collapse(before)) if before.strip() else ""


def _marks_update(node: HtmlElement) -> bool:
    """A class that says update and not publish (hAtom's "updated" beside the printed date)."""
    words = _class_id(node)
    return any(part in words for part in sel.UPDATE_CLASS_PARTS) and not any(
        part in words for part in sel.PUBLISH_CLASS_PARTS
    )


def _stamp_text(element: HtmlElement) -> str:
    """The element's text without the descendants its markup names an update: a byline box
    printing a hidden "updated" stamp before the visible publish date reads as that date (when
    no date is left, the caller reads the whole text)."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child, HtmlElement) and not _marks_update(child):
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return _collapse(" ".join(parts))


def _read_stamp(element: HtmlElement, tz: str, now: datetime | None) -> tuple[str, _Found] | None:
    """(kind, date) of a date element; None when it holds no publish date (an update, no date).

    The text's own labels decide first: a publish segment ("نشر في …") is taken; an update segment
    never is; an unlabelled date is taken unless an update label follows it with only a time
    ("الأربعاء، 28 آب 2013، آخر تحديث 14:00": that day is the update's). Then a label printed just
    before the element, then its class words.
    """
    text = _stamp_text(element)
    segments = label_segments(text) if text else []
    if not any(segment.kind != "modified" and _parsed(segment.raw, "", tz, now) for segment in segments):
        # many themes class their only date "updated" (hAtom asks for one): read it whole
        text = _text(element)
        segments = label_segments(text) if text else []
    found: _Found | None = None
    kind = ""
    for segment in segments:
        if segment.kind == "published":
            found = _parsed(segment.raw, "visible", tz, now)
            if found is not None:
                kind = "published"
                break
    if found is None and segments and segments[0].kind == "":
        following = segments[1] if len(segments) > 1 else None
        if following is not None and following.kind == "modified" and not _parsed(following.raw, "", tz, now):
            return None
        found = _parsed(segments[0].raw, "visible", tz, now)
    if found is None and any(segment.kind == "modified" for segment in segments):
        return None
    kind = kind or _label_before(element) or _class_kind(element)
    if kind == "modified":
        return None
    attribute = element.get("datetime") or (element.get("title") if element.tag == "abbr" else None)
    if attribute:  # machine-readable: the time and zone the text may leave out
        exact = _parsed(attribute, "visible", tz, now)
        if exact is not None and (
            found is None
            or _is_relative(found, tz, now)  # "منذ يوم واحد" over <time datetime="2025-01-27T16:45…">
            or _swapped_day(found, exact, tz)  # "08/09/2025" (US order) over datetime="2025-08-09…"
            or (
                _day(exact, tz) == _day(found, tz)
                and (found.parsed.precision == "day" or _STATED_OFFSET.search(attribute) is not None)
            )
        ):
            found = exact
    return None if found is None else (kind, found)


# A numeric date whose day and month could change places ("08/09/2025").
_NUMERIC_DATE = re.compile(r"(?<![0-9])([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]((?:19|20)[0-9]{2})(?![0-9])")


def _swapped_day(found: _Found, exact: _Found, tz: str) -> bool:
    """The printed date is numeric and ambiguous, and read in the other order it is the day the
    machine-readable attribute gives: the site prints month first (US order) and the attribute
    says which reading is meant."""
    match = _NUMERIC_DATE.search(found.candidate.raw)
    if match is None:
        return False
    first, second, year = (int(group) for group in match.groups())
    if first > 12 or second > 12 or first == second:
        return False
    printed = _day(found, tz)
    if (printed.day, printed.month) != (first, second):
        return False  # the parser did not read it day first: nothing to swap
    try:
        return date(year, first, second) == _day(exact, tz)
    except ValueError:
        return False


def _date_elements(elements: Iterable[Any]) -> list[HtmlElement]:
    """Those of ``elements`` whose class or id says date/time/byline/meta, and <time>/<abbr>."""
    found = []
    for element in elements:
        if not isinstance(element, HtmlElement) or element.tag in sel.NOT_STAMP_TAGS:
            continue
        if element.tag in ("time", "abbr") or sel.DATE_CLASS_RE.search(_class_id(element)):
            found.append(element)
    return found


def _stamp_sized(element: HtmlElement) -> bool:
    text = element.text_content()
    if len(text) > 4 * sel.MAX_STAMP_CHARS:  # no need to collapse a container's whole text
        return False
    size = len(_collapse(text))
    return size <= sel.MAX_STAMP_CHARS and (
        size > 0 or any(element.get(a) for a in ("datetime", "content", "title"))
    )


def _headline(tree: HtmlElement) -> HtmlElement | None:
    """The ``h1`` with the longest text (site logos and footers print short ones); on a page without
    one (Joomla K2 and some portals title with ``h2``), the heading that the page's title repeats."""
    headings = list(_first(_H1(tree)))
    if headings:
        return max(headings, key=lambda h: len(h.text_content().strip()))
    title = _collapse(" ".join(str(text) for text in _PAGE_TITLE(tree)))
    named = [h for h in _first(_TITLE_HEADINGS(tree)) if len(_text(h)) >= MIN_HEADLINE and _text(h) in title]
    return max(named, key=lambda h: len(_text(h)), default=None)


def _container(headline: HtmlElement | None, body: HtmlElement | None) -> HtmlElement | None:
    """The article's element: the nearest common ancestor of headline and body, else an <article>."""
    if headline is not None and body is not None:
        body_line = set(body.iterancestors())
        return next((a for a in headline.iterancestors() if a in body_line), None)
    anchor = headline if headline is not None else body
    if anchor is None:
        return None
    return next((a for a in anchor.iterancestors() if a.tag in ("article", "main")), None)


def _from_header(
    tree: HtmlElement,
    headline: HtmlElement | None,
    body: HtmlElement | None,
    tz: str,
    now: datetime | None,
) -> _Found | None:
    if headline is None and body is None:
        return None
    container = _container(headline, body)
    real_container = container is not None and container.tag not in ("html", "body")
    # the article's header: the date elements between the headline and the body (or, with one of
    # them only, the few just after the headline or just before the body)
    zone: list[HtmlElement] = []
    around_body = frozenset(body.iterancestors()) if body is not None else frozenset()
    if headline is not None:
        for element in _date_elements(_FOLLOWING(headline)):
            if body is not None and (element is body or body in element.iterancestors()):
                break
            if element not in around_body:
                zone.append(element)
        if body is None:
            zone = zone[:NEAR_ANCHOR]
    elif body is not None:
        zone = _date_elements(_PRECEDING(body))[-NEAR_ANCHOR:]
    keep = frozenset(headline.iterancestors()) if headline is not None else frozenset()
    stop = container if real_container else None
    # with both ends known the zone is the article's header and a publish label decides; with one
    # end only it runs on into cards and lists ("Published 21 February" under a related link), so
    # the date nearest the known end decides
    rule = "label" if headline is not None and body is not None else "first" if body is None else "last"
    found = _pick(zone[:MAX_CANDIDATES], stop, keep, tz, now, rule=rule)
    if found is None and headline is not None and body is not None:
        # a stamp whose class names no date in English ("detay-tarih", "saat"): any short
        # element between the headline and the body whose text is a date
        plain: list[HtmlElement] = []
        for element in _SHORT_FOLLOWING(headline):
            if element is body or body in element.iterancestors():
                break
            if isinstance(element, HtmlElement) and element not in around_body and len(element) <= 2:
                plain.append(element)
        found = _pick(plain[:MAX_CANDIDATES], stop, keep, tz, now, rule=rule)
    if found is None and headline is not None and body is None:
        # a date printed above the headline in its own header box (Joomla K2, "category · date" lines)
        box = headline.getparent()
        above = [e for e in _date_elements(_PRECEDING(headline)) if box in e.iterancestors()]
        found = _pick(above[-NEAR_ANCHOR:], stop, keep, tz, now, rule="last")
    if found is not None or not real_container or container is None:
        return found
    # else the rest of the article's own element: a meta box above the headline or after the body
    in_zone = set(zone)
    rest: list[HtmlElement] = []
    for element in _date_elements(_CLASSED(container)):
        if element in in_zone or element is container or element in around_body:
            continue  # the body's wrappers hold the whole story, not a stamp
        if body is not None and (element is body or body in element.iterancestors()):
            continue  # the body itself: its head is read line by line (step 5)
        rest.append(element)
        if len(rest) >= MAX_CANDIDATES:
            break
    return _pick(rest, stop, keep, tz, now)


def _pick(
    elements: list[HtmlElement],
    stop: HtmlElement | None,
    keep: frozenset[HtmlElement],
    tz: str,
    now: datetime | None,
    *,
    rule: str = "label",
) -> _Found | None:
    """The first date labelled as the publish date, else the first unlabelled one ("label").

    "first" takes the first date whatever its label (the zone after a headline with no body),
    "last" the last one (the zone before a body with no headline); updates are skipped always.
    """
    neutral: _Found | None = None
    candidates = [e for e in elements if _stamp_sized(e) and not _in_noise(e, stop=stop, keep=keep)]
    placed = _stamps(candidates, tz, now)
    # a relative stamp ("منذ 5 ساعات") moves with the page's cache: a fixed date printed beside
    # it, in the same date box, wins; a fixed date further on may be another article's card
    fixed = [element for element, (_, found) in placed if not _is_relative(found, tz, now)]
    stamps = [
        stamp
        for element, stamp in placed
        if not (_is_relative(stamp[1], tz, now) and any(_same_box(element, other) for other in fixed))
    ]
    if rule != "label":
        if not stamps:
            return None
        return stamps[0][1] if rule == "first" else stamps[-1][1]
    for kind, found in stamps:
        if kind == "published":
            return found
        neutral = neutral or found
    return neutral


def _same_box(element: HtmlElement, other: HtmlElement) -> bool:
    """Two date elements printed side by side: one holds the other, or they share a parent or
    a grandparent ("<span class=time><span>منذ 5 ساعات</span> <time …>…</time></span>")."""
    if element in other.iterancestors() or other in element.iterancestors():
        return True
    near = list(element.iterancestors())[:2]
    return any(ancestor in near for ancestor in list(other.iterancestors())[:2])


def _stamps(
    elements: list[HtmlElement], tz: str, now: datetime | None
) -> list[tuple[HtmlElement, tuple[str, _Found]]]:
    """The dates of candidate elements (in document order), each element read once.

    Inner elements are read first (reverse document order): an element holding a candidate that
    gave a date is left to it, the inner one says more precisely which date it is; one whose inner
    candidates gave none (<time>GMT<span class="timezone">…</span> 17:27 17.03.2020</time>) is read
    whole.
    """
    members = set(elements)
    covered: set[HtmlElement] = set()
    found: list[tuple[int, tuple[HtmlElement, tuple[str, _Found]]]] = []
    for position in range(len(elements) - 1, -1, -1):
        element = elements[position]
        if element in covered:
            continue
        stamp = _read_stamp(element, tz, now)
        if stamp is not None:
            found.append((position, (element, stamp)))
            covered.update(a for a in element.iterancestors() if a in members)
    return [stamp for _, stamp in sorted(found, key=lambda pair: pair[0])]


# -- 4-5: the body's first lines ---------------------------------------------------------------------


def _leading_lines(body: HtmlElement, count: int = sel.LEADING_LINES) -> list[str]:
    """The body's first ``count`` non-empty lines: text cut at block elements and <br>."""
    lines: list[str] = []
    current: list[str] = []
    skipping: HtmlElement | None = None

    def flush() -> None:
        line = _collapse("".join(current))
        current.clear()
        if line:
            lines.append(line)

    for event, element in etree.iterwalk(body, events=("start", "end")):
        if len(lines) >= count:
            break
        if not isinstance(element.tag, str):  # comments, processing instructions
            if event == "end" and element.tail and skipping is None:
                current.append(element.tail)
            continue
        if skipping is not None:
            if event == "end" and element is skipping:
                skipping = None
                current.append(element.tail or "")
            continue
        if event == "start":
            if element.tag in sel.SKIP_TAGS:
                skipping = element
                continue
            if element.tag in sel.BLOCK_TAGS:
                flush()
            current.append(element.text or "")
        else:
            if element.tag in sel.BLOCK_TAGS:
                flush()
            if element is not body:
                current.append(element.tail or "")
    if len(lines) < count:
        flush()
    return lines[:count]


def _from_body_head(
    body: HtmlElement | None, tz: str, now: datetime | None
) -> tuple[_Found | None, _Found | None]:
    """(a labelled publish line or bare date line among the first lines, a dateline opening the first)."""
    if body is None:
        return None, None
    lines = _leading_lines(body)
    labelled: _Found | None = None
    for line in lines:
        date_line = find_date_line(line)
        if date_line is not None:
            if date_line.kind == "published":
                labelled = _parsed(date_line.raw, "visible", tz, now)
                if labelled is not None:
                    break
            continue
        if looks_like_date(line):
            labelled = _parsed(line, "visible", tz, now)
            if labelled is not None:
                break
    dateline: _Found | None = None
    for line in lines[:2]:  # the first paragraph, or the first after a bare date line
        if find_date_line(line) is not None or looks_like_date(line):
            continue
        split = split_dateline(line)
        if split is not None:
            dateline = _parsed(split[0], "dateline", tz, now)
        break
    return labelled, dateline


# -- 6: the URL ----------------------------------------------------------------------------------------


def _from_url(url: str, now: datetime | None) -> _Found | None:
    path = urlsplit(url).path
    latest = (now or datetime.now(UTC)).date() + timedelta(days=1)
    for patterns, votes in ((sel.URL_DATES, True), ((sel.URL_COMPACT_DATE,), False)):
        for pattern in patterns:
            for m in pattern.finditer(path):
                try:
                    day = date(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    continue
                if day.year >= MIN_YEAR and day <= latest:
                    raw = day.isoformat()
                    at = datetime(day.year, day.month, day.day, tzinfo=UTC)
                    return _Found(DateCandidate(raw, "url"), ParsedDate(at, "day"), votes)
    return None


# -- 7: htmldate -----------------------------------------------------------------------------------------


def _from_htmldate(tree: HtmlElement, url: str, tz: str, now: datetime | None) -> _Found | None:
    """htmldate's guess, on a copy of the page without the regions that print other dates.

    htmldate reads dates anywhere: unpruned, it takes the site's clock in the top bar or a sidebar's
    latest item as the publish date. So it gets a copy without them (the same noise rules as step
    4). It copies a tree it is given anyway; this path runs only when nothing else was found.
    """
    try:
        from htmldate import find_date  # imported late: only pages without any other evidence need it

        # an ISO day, not an aware datetime: htmldate compares it with naive ones
        latest = None if now is None else (now.date() + timedelta(days=1)).isoformat()
        raw = find_date(
            _without_noise(tree),
            extensive_search=True,
            original_date=True,
            outputformat="%Y-%m-%d",
            url=url,
            max_date=latest,
        )
    except Exception:  # a third-party guesser must not stop an extraction
        log.debug("htmldate failed on %s", url, exc_info=True)
        return None
    if not raw:
        return None
    if raw.endswith("-01-01") and _copyright_year(tree, raw[:4]):
        return None  # htmldate's last guess is the copyright line's year, read as 1 January
    return _parsed(raw, "htmldate", tz, now)


def _without_noise(tree: HtmlElement) -> HtmlElement:
    """A copy of the page without sidebars, cards, menus, footers and the site's header."""
    copy: HtmlElement = deepcopy(tree)
    doomed = []
    for element in _CLASSED(copy):
        if not isinstance(element, HtmlElement):
            continue
        words = _class_id(element)
        if any(part in words for part in sel.NOISE_CLASS_PARTS):
            doomed.append(element)
    for tag in (*sel.NOISE_TAGS, "header"):
        for element in copy.iter(tag):
            if tag != "header" or not any(True for _ in element.iter("h1")):
                doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    return copy


def _copyright_year(tree: HtmlElement, year: str) -> bool:
    return any(year in str(text) for text in _COPYRIGHT_TEXT(tree))


# -- the voter -----------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _zone(tz: str) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return UTC


def _day(found: _Found, tz: str) -> date:
    """The calendar day of a date in the site's zone (a day-precision date is its own day)."""
    if found.parsed.precision == "day":
        return found.parsed.at.date()
    return found.parsed.at.astimezone(_zone(tz)).date()


def _vote(ordered: list[_Found], tz: str) -> _Found | None:
    """The strongest candidate, unless a printed or minted date is over a day earlier (module doc).

    A winner that printed only its day gives way to a candidate of the same day that printed the
    time too (JSON-LD "2025-03-08", byline "8 مارس 2025 - 10:30 ص").
    """
    if not ordered:
        return None
    best = ordered[0]
    printed = [f for f in ordered if f.votes and f.candidate.origin in ("visible", "dateline", "url")]
    if printed:
        earliest = min(printed, key=lambda f: _day(f, tz))
        if (_day(best, tz) - _day(earliest, tz)).days > 1:
            best = earliest
    if best.parsed.precision == "day":
        timed = [
            f for f in ordered if f.votes and f.parsed.precision == "minute" and _day(f, tz) == _day(best, tz)
        ]
        best = timed[0] if timed else best
    return best


def _is_relative(found: _Found, tz: str, now: datetime | None) -> bool:
    """A date that moves with the time it is read ("منذ 3 أيام", "أمس"): parsed two days later, it
    is another date."""
    anchor = now or datetime.now(UTC)
    later = parse_date_precise(found.candidate.raw, tz=tz, now=anchor + timedelta(days=2))
    return later is not None and later != found.parsed


def _fixed(found: _Found | None, tz: str, now: datetime | None) -> _Found | None:
    """A printed date that may vote: not a relative one ("منذ 3 أيام" moves with the page's cache)."""
    if found is None:
        return None
    if _is_relative(found, tz, now):
        return _Found(found.candidate, found.parsed, votes=False)
    return found


def find_published(
    tree: HtmlElement,
    url: str,
    *,
    jsonld: dict[str, Any],
    headline: HtmlElement | None,
    body: HtmlElement | None,
    tz: str,
    now: datetime | None = None,
) -> DateCandidate | None:
    """The page's publish date as printed, and its origin; None when the page gives none.

    ``jsonld`` is the article's JSON-LD object ({} when none); ``headline`` the element printing the
    headline and ``body`` the body container (either may be None: the longest ``h1`` and the body's
    absence are assumed); ``tz`` the site's IANA zone, used to check that each string parses and to
    compare days; ``now`` bounds plausible years (the current time when None). The tree is not
    modified. Parse ``raw`` with ``parse_date_precise(raw, tz=tz)``.
    """
    if headline is None:
        headline = _headline(tree)
    container = _container(headline, body)
    article = container if container is not None and container.tag not in ("html", "body") else None
    structured = (
        _from_jsonld(jsonld, tz, now) or _from_meta(tree, tz, now) or _from_microdata(tree, tz, now, article)
    )
    labelled, dateline = _from_body_head(body, tz, now)
    visible = _fixed(_from_header(tree, headline, body, tz, now) or labelled, tz, now)
    ordered = [f for f in (structured, visible, dateline, _from_url(url, now)) if f is not None]
    chosen = _vote(ordered, tz) or _from_htmldate(tree, url, tz, now)
    return None if chosen is None else chosen.candidate
