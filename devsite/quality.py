"""Per-field quality of extraction on pages with a golden record, beside trafilatura and htmldate.

Pages: the template families in ``tests/templates/<family>/<page>.html`` (each with a
``.json`` written by reading the page) and the real pages of ``../shared/realpages`` for
the fields their ground truth gives (dates, and title and body where an expected file
exists). Every page goes through the project's own path: the profile chosen by the
page's URL (crawler.profiles.profile_for_url), extraction, and every pipeline stage
but storage.

Fields and measures:

* title: exact, in matching form (hamza, ta marbuta, diacritics do not count);
* date: the publish date right to the day, in the outlet's own calendar; htmldate
  (``original_date=True``) on the same page beside it;
* body: token F1 of the page's own article against the golden paragraphs; trafilatura
  (its default extraction) beside it;
* related: precision and recall of read-also titles (a title or its URL matches);
  recall over pages that carry a block, precision over every title returned;
* source: a credit returned is right when the page credits that name; "invented" counts
  pages that credit nobody but got a source;
* embeds: platform and post URL, precision and recall.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from devsite.harness import PROJECT_ROOT, REALPAGES, token_f1

TEMPLATES = PROJECT_ROOT / "tests" / "templates"
# Pages in the same golden format, written without reading the extractor's rules and never
# tuned on: the figures on them are the honest estimate of how extraction generalises.
HELDOUT = PROJECT_ROOT / "tests" / "heldout"
# The zone each real page's outlet prints its dates in: "right to the day" is the outlet's day.
REAL_PAGE_ZONES = {
    "youm7.com": "Africa/Cairo",
    "albayan.ae": "Asia/Dubai",
    "arabic.sputniknews.com": "Europe/Moscow",
}


@dataclass
class GoldenPage:
    """One page and what reading it says (a field left None was not labelled)."""

    name: str
    family: str
    html: str
    url: str
    timezone: str = "UTC"
    lang: str | None = None
    title: str | None = None
    published: str | None = None
    body: list[str] | None = None
    related: list[dict[str, str]] | None = None
    source: list[str] | None = None
    embeds: list[dict[str, str]] | None = None


def template_pages(root: Path = TEMPLATES) -> list[GoldenPage]:
    pages: list[GoldenPage] = []
    for golden_path in sorted(root.glob("*/*.json")):
        html_path = golden_path.with_suffix(".html")
        if not html_path.exists():
            continue
        golden = json.loads(golden_path.read_text("utf-8"))
        pages.append(
            GoldenPage(
                name=f"{golden_path.parent.name}/{golden_path.stem}",
                family=golden.get("family", golden_path.parent.name),
                html=html_path.read_text("utf-8"),
                url=golden["url"],
                timezone=golden.get("timezone") or "UTC",
                lang=golden.get("lang"),
                title=golden.get("title"),
                published=golden.get("published"),
                body=golden.get("body"),
                related=golden.get("related"),
                source=golden.get("source"),
                embeds=golden.get("embeds"),
            )
        )
    return pages


def heldout_pages(root: Path = HELDOUT) -> list[GoldenPage]:
    return template_pages(root)


def real_pages(root: Path = REALPAGES) -> list[GoldenPage]:
    """The shared real pages, with the fields their ground truth labels."""
    if not root.exists():
        return []
    pages: list[GoldenPage] = []
    dates = json.loads((root / "dates.expected.json").read_text("utf-8"))
    for name, truth in sorted(dates.items()):
        pages.append(
            GoldenPage(
                name=f"real/{name}",
                family="real",
                html=(root / name).read_text("utf-8", errors="replace"),
                url=truth["url"],
                timezone=REAL_PAGE_ZONES.get(name.split("_")[0], "UTC"),
                published=truth["date"],
            )
        )
    lbc = json.loads((root / "lbcgroup.tv_2026_01_08.expected.json").read_text("utf-8"))["V1"]
    lbc_meta = json.loads((root / "lbcgroup.tv_2026_01_08.meta.json").read_text("utf-8"))
    paragraphs = [p for section in lbc["body"]["sections"] for p in section["paragraphs"]]
    pages.append(
        GoldenPage(
            name="real/lbcgroup.tv_2026_01_08.html",
            family="real",
            html=(root / "lbcgroup.tv_2026_01_08.html").read_text("utf-8"),
            url=next(iter(lbc_meta.values()))["url"],
            timezone="Asia/Beirut",
            title=lbc.get("title"),
            published=(lbc.get("publishing_date") or "")[:10] or None,
            body=paragraphs,
        )
    )
    cnn = json.loads((root / "arabic.cnn.com_2013.expected.json").read_text("utf-8"))
    pages.append(
        GoldenPage(
            name="real/arabic.cnn.com_2013.html",
            family="real",
            html=(root / "arabic.cnn.com_2013.html").read_text("utf-8", errors="replace"),
            url=cnn["url"],
            title=cnn.get("title"),
            body=[(root / "arabic.cnn.com_2013.expected_body.txt").read_text("utf-8")],
        )
    )
    return pages


def extract_record(page: GoldenPage) -> dict[str, Any]:
    """The page's own record through the project's extraction and stages (no storage)."""
    from crawler.extract import extract_html
    from crawler.profiles import profile_for_url
    from crawler.records import article_to_record
    from devsite.harness import process_extraction

    profile = profile_for_url(page.url)
    articles = process_extraction(extract_html(page.html, page.url, profile), page.url, profile)
    own = [article for article in articles if not article.appended_from] or articles
    return article_to_record(own[0])


def _key(text: str) -> str:
    from crawler.text.arabic import matching_form

    return matching_form(text)


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    return f"{host}{parts.path.rstrip('/')}".lower()


def _post_key(url: str) -> str:
    """One key per post whatever URL shape names it (an embed frame, a watch page, a short link)."""
    from crawler.text.embeds import post_url

    post = post_url(url) if url else None
    return _url_key(post.url if post is not None else url) + (
        "?v=" + post.url.rsplit("v=", 1)[-1] if post is not None and "v=" in post.url else ""
    )


def _local_day(iso: str, zone: str) -> date | None:
    if not iso:
        return None
    value = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value.hour == 0 and value.minute == 0 and value.second == 0:
        return value.date()  # a day-precision date is stored as that calendar day
    return value.astimezone(ZoneInfo(zone)).date()


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, hits: int, total: int) -> None:
        self.hits += hits
        self.total += total

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass
class Scores:
    """Counts per field over a page set; ratios are read off at the end."""

    pages: int = 0
    title: Ratio = field(default_factory=Ratio)
    date: Ratio = field(default_factory=Ratio)
    date_htmldate: Ratio = field(default_factory=Ratio)
    date_worse_than_htmldate: list[str] = field(default_factory=list)
    body_f1: list[float] = field(default_factory=list)
    body_f1_trafilatura: list[float] = field(default_factory=list)
    related_recall: Ratio = field(default_factory=Ratio)
    related_precision: Ratio = field(default_factory=Ratio)
    source_precision: Ratio = field(default_factory=Ratio)
    source_recall: Ratio = field(default_factory=Ratio)
    source_invented: list[str] = field(default_factory=list)
    embeds_recall: Ratio = field(default_factory=Ratio)
    embeds_precision: Ratio = field(default_factory=Ratio)
    lang: Ratio = field(default_factory=Ratio)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    seconds_trafilatura: float = 0.0
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def mean(values: list[float]) -> float | None:
            return sum(values) / len(values) if values else None

        return {
            "pages": self.pages,
            "title": self.title.value,
            "date": self.date.value,
            "date_htmldate": self.date_htmldate.value,
            "date_worse_than_htmldate": len(self.date_worse_than_htmldate),
            "body_f1": mean(self.body_f1),
            "body_f1_trafilatura": mean(self.body_f1_trafilatura),
            "related_recall": self.related_recall.value,
            "related_precision": self.related_precision.value,
            "source_precision": self.source_precision.value,
            "source_recall": self.source_recall.value,
            "source_invented": len(self.source_invented),
            "embeds_recall": self.embeds_recall.value,
            "embeds_precision": self.embeds_precision.value,
            "lang": self.lang.value,
            "failures": len(self.failures),
        }


def _credited(record: dict[str, Any]) -> list[str]:
    """Names the record says the page credits (its source and credit attributions)."""
    names = [record["source"]] if record.get("source") else []
    names += [
        a["name"]
        for a in record.get("attributions", [])
        if a["kind"] in ("source_line", "source_field", "agency")
    ]
    return list(dict.fromkeys(names))


def _canonical(name: str) -> str:
    """An agency's canonical name whatever spelling the page printed ("أ ف ب" → "فرانس برس")."""
    from crawler.text.lexicon import AGENCY_RE, agency_name

    match = AGENCY_RE.fullmatch(name.strip())
    return _key(agency_name(match.group("name")) if match else name)


def _name_match(name: str, golden: list[str]) -> bool:
    key = _canonical(name)
    return any(key and (key in _canonical(g) or _canonical(g) in key) for g in golden if _canonical(g))


def score_page(page: GoldenPage, scores: Scores, *, baselines: bool = True) -> None:
    import htmldate
    import trafilatura

    scores.pages += 1
    started = time.perf_counter()
    try:
        record = extract_record(page)
    except Exception as error:  # a failure is a result here: every field of the page is missed
        scores.failures.append(f"{page.name}: {error!r}")
        record = {"title": "", "published_at": "", "body": "", "related": [], "source": "", "embeds": []}
        record["attributions"] = []
    scores.seconds += time.perf_counter() - started
    if baselines:
        started = time.perf_counter()
        trafilatura_body = trafilatura.extract(page.html, url=page.url) or ""
        scores.seconds_trafilatura += time.perf_counter() - started
    if page.title is not None:
        ok = _key(record["title"]) == _key(page.title)
        scores.title.add(int(ok), 1)
        if not ok:
            scores.misses.append(f"{page.name} title: {record['title']!r} != {page.title!r}")
    if page.lang is not None:
        scores.lang.add(int(record.get("lang") == page.lang), 1)
    if page.published is not None:
        expected = date.fromisoformat(page.published)
        got = _local_day(record["published_at"], page.timezone)
        ours = got == expected
        scores.date.add(int(ours), 1)
        if not ours:
            scores.misses.append(f"{page.name} date: {got} != {expected} ({record.get('published_raw')!r})")
        if baselines:
            try:
                found = htmldate.find_date(page.html, url=page.url, original_date=True)
            except Exception:  # htmldate raises on some malformed pages; a miss for the baseline
                found = None
            theirs = bool(found) and date.fromisoformat(found) == expected
            scores.date_htmldate.add(int(theirs), 1)
            if theirs and not ours:
                scores.date_worse_than_htmldate.append(page.name)
    if page.body is not None:
        expected_body = "\n\n".join(page.body)
        scores.body_f1.append(token_f1(record["body"], expected_body))
        if baselines:
            scores.body_f1_trafilatura.append(token_f1(trafilatura_body, expected_body))
    if page.related is not None:
        golden_titles = {_key(item["title"]) for item in page.related}
        golden_urls = {_url_key(item["url"]) for item in page.related if item.get("url")}
        got = record["related"]
        matched = {
            _key(item["title"]) if _key(item["title"]) in golden_titles else _url_key(item.get("url", ""))
            for item in got
            if _key(item["title"]) in golden_titles or _url_key(item.get("url", "")) in golden_urls
        }
        right = sum(
            1
            for item in got
            if _key(item["title"]) in golden_titles or _url_key(item.get("url", "")) in golden_urls
        )
        scores.related_precision.add(right, len(got))
        if page.related:
            scores.related_recall.add(min(len(matched), len(page.related)), len(page.related))
        if right < len(got) or len(matched) < len(page.related):
            scores.misses.append(
                f"{page.name} related: got {[i['title'][:40] for i in got]} expected "
                f"{[i['title'][:40] for i in page.related]}"
            )
    if page.source is not None:
        credited = _credited(record)
        if page.source:
            scores.source_recall.add(int(any(_name_match(name, credited) for name in page.source)), 1)
        if credited:
            right = _name_match(credited[0], page.source) if page.source else False
            scores.source_precision.add(int(right), 1)
            if not page.source:
                scores.source_invented.append(page.name)
            if not right:
                scores.misses.append(f"{page.name} source: {credited} vs {page.source}")
        elif page.source:
            scores.misses.append(f"{page.name} source: none vs {page.source}")
    if page.embeds is not None:
        golden = {(e["platform"], _post_key(e["url"])) for e in page.embeds}
        got = {(e["platform"], _post_key(e.get("url", ""))) for e in record.get("embeds", [])}
        scores.embeds_recall.add(len(golden & got), len(golden))
        scores.embeds_precision.add(len(golden & got), len(got))
        if golden != got:
            scores.misses.append(f"{page.name} embeds: got {sorted(got)} expected {sorted(golden)}")


def evaluate(pages: list[GoldenPage], *, baselines: bool = True) -> Scores:
    scores = Scores()
    if pages:  # imports and caches are filled once, outside the timed runs
        score_page(pages[0], Scores(), baselines=baselines)
    for page in pages:
        score_page(page, scores, baselines=baselines)
    return scores


def families(pages: list[GoldenPage]) -> Iterator[tuple[str, list[GoldenPage]]]:
    seen: dict[str, list[GoldenPage]] = {}
    for page in pages:
        seen.setdefault(page.family, []).append(page)
    yield from sorted(seen.items())
