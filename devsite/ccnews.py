"""WARC files shaped like Common Crawl News, built from the local mirror and made-up other hosts.

Common Crawl News (CC-NEWS) publishes each month's crawl as WARC files of about a
gigabyte: one gzip member per record, a ``warcinfo`` record first, then response
records of news pages of every host, 50-100 KB of HTML each. A backfill keeps the
few records of the sites it knows. The tests and ``bench/backfill.py`` need such
files without the network, so this module writes them:

* the mirror's pages (:func:`devsite.mirror.site.build_site`) rendered under a
  profiled site's real origin (``https://www.elaosboa.com``), so that the backfill
  recognises them by host as it would in a real CC-NEWS file: every article page,
  the syndicated copy, the bad pages, and the listings, feeds and sitemaps (which a
  backfill must leave alone: not article URLs);
* pages of other hosts: news templates in English (navigation, scripts, a JSON
  configuration blob, paragraphs) of a chosen size, and, for ``--generic``, an Arabic
  defence article and an Arabic page on cooking on hosts no profile knows;
* request records beside some responses, as crawlers write them.

Everything is seeded: the same arguments give the same bytes.
"""

from __future__ import annotations

import io
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from warcio.warcwriter import WARCWriter

from crawler.archive.records import ArchivedResponse, RecordWriter
from devsite.mirror.site import MirrorSite, build_site
from devsite.mirror.vocab import TextGen

PROFILED_ORIGIN = "https://www.elaosboa.com"  # alusbu's: crawler/profiles/alusbu.py
CRAWL_TIME = datetime(2025, 1, 20, 6, 0, tzinfo=UTC)
HTML = "text/html; charset=UTF-8"

# An Arabic page on defence (a backfill with --generic keeps it) and one on cooking (it must not).
GENERIC_DEFENCE_URL = "https://www.arabdefence-news.example/news/2025/01/20/air-defence-exercise-12345"
GENERIC_OFFTOPIC_URL = "https://www.arabkitchen.example/recipes/2025/01/20/maqluba-family-recipe-5678"
GENERIC_ENGLISH_URL = "https://www.worldwire.example/news/2025/01/20/navy-exercise-in-the-gulf-4321"

_COOKING = (
    "تعد المقلوبة من أشهر الأطباق في المطبخ الفلسطيني والأردني، وتحضر من الأرز والباذنجان والقرنبيط",
    "ويقلب القدر في النهاية على صينية واسعة أمام الضيوف، وتقدم مع اللبن والسلطة",
    "ويفضل كثيرون إضافة اللوز والصنوبر المحمص على الوجه، وتختلف الوصفة من بيت إلى آخر",
    "ويستغرق التحضير ساعة ونصف الساعة تقريبا، ويكفي القدر الكبير عائلة من ثمانية أفراد",
    "ويمكن استبدال الدجاج باللحم، كما يمكن تحضير نسخة نباتية من الطبق بالخضار وحدها",
)

_ENGLISH = (
    "the of and to in a is that for on with as was by at from it an be this are have has said "
    "government minister report city people year new first last week market officials police "
    "company season team match league club players coach fans stadium weather storm rain "
    "temperature forecast school students health hospital doctors patients study research "
    "university economy prices inflation bank rates growth energy oil gas electricity film music "
    "festival award director actor series show television election vote party campaign candidate "
    "court judge case law trial lawyer statement spokesman according announced expected"
).split()


@dataclass(frozen=True)
class WarcFile:
    """A written file and what it holds."""

    path: Path
    mirror: MirrorSite
    records: int  # response records
    other_records: int  # of which on hosts no profile covers


def mirror_responses(site: MirrorSite, when: datetime = CRAWL_TIME) -> list[ArchivedResponse]:
    """Every page of the mirror a news crawler could have fetched, as response records:
    articles (good, bad and copies) and listings, feeds and sitemaps; no images or styles."""
    responses = []
    for number, (path, route) in enumerate(sorted(site.routes.items())):
        content_type = route.headers.get("Content-Type", "")
        if not (route.post or content_type.startswith(("text/html", "application/rss", "application/xml"))):
            continue
        if path.startswith("/private/"):
            continue  # robots.txt keeps crawlers out: no archive holds it
        responses.append(
            ArchivedResponse(
                url=site.url(path),
                status=route.status,
                headers=[(k.encode(), v.encode()) for k, v in route.headers.items()],
                body=route.body,
                fetched_at=when + timedelta(seconds=number),
            )
        )
    return responses


class OtherHosts:
    """News pages of hosts no profile covers, in English, of about ``size`` bytes each."""

    def __init__(self, seed: int = 11, hosts: int = 40) -> None:
        self.rng = random.Random(seed)
        self.hosts = [f"www.{self._word(6, 12)}-news.example" for _ in range(hosts)]
        # each host's template: what its every page repeats (as real CMS templates do)
        self.templates = {host: self._template(host) for host in self.hosts}

    def _word(self, low: int = 3, high: int = 9) -> str:
        return "".join(self.rng.choice(string.ascii_lowercase) for _ in range(self.rng.randint(low, high)))

    def _template(self, host: str) -> tuple[str, str]:
        rng = self.rng
        sections = [self._word() for _ in range(rng.randint(8, 16))]
        nav = "".join(
            f'<li class="menu-item menu-item-type-taxonomy"><a href="https://{host}/{s}/">{s.title()}</a>'
            f'<ul class="sub-menu">'
            + "".join(
                f'<li><a href="https://{host}/{s}/{self._word()}/">{self._word()}</a></li>' for _ in range(6)
            )
            + "</ul></li>"
            for s in sections
        )
        config = ",".join(
            f'"{self._word()}_{self._word()}":"{rng.getrandbits(64):016x}"'
            for _ in range(rng.randint(20, 60))
        )
        styles = "".join(
            f'<link rel="stylesheet" href="https://cdn.{host}/assets/{self._word()}.{rng.getrandbits(32):08x}.css">'
            for _ in range(rng.randint(4, 12))
        )
        head = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{styles}'
            f"<script>window.__CONFIG__={{{config}}};</script></head><body>"
            f'<header class="site-header"><nav class="main-navigation"><ul class="menu">{nav}</ul></nav></header>'
        )
        footer = (
            '<footer class="site-footer"><div class="footer-widgets">'
            + "".join(f'<a href="https://{host}/{s}/">{s}</a>' for s in sections)
            + f"</div><p>&copy; {host}</p></footer>"
            + "".join(
                f'<script src="https://cdn.{host}/js/{self._word()}.{rng.getrandbits(32):08x}.js"></script>'
                for _ in range(rng.randint(5, 15))
            )
            + "</body></html>"
        )
        return head, footer

    def _paragraph(self) -> str:
        rng = self.rng
        words = [
            rng.choice(_ENGLISH) if rng.random() < 0.93 else self._word() for _ in range(rng.randint(30, 90))
        ]
        # paragraphs as CMSs print them: classes, tracking attributes, an inline share icon
        return (
            f'<p class="article-body__paragraph paragraph--{rng.randint(1, 4)}" data-component="text-block"'
            f' data-analytics-id="para-{rng.randint(100, 999)}">'
            + " ".join(words).capitalize()
            + '.</p>\n<div class="inline-share" aria-hidden="true"><svg class="icon icon-share" '
            'viewBox="0 0 24 24"><path d="M18 16.08c-.76 0-1.44.3-1.96.77L8.91 12.7c.05-.23.09-.46.09-.7'
            "s-.04-.47-.09-.7l7.05-4.11c.54.5 1.25.81 2.04.81 1.66 0 3-1.34 3-3s-1.34-3-3-3-3 1.34-3 3c0 "
            '.24.04.47.09.7L8.04 9.81"/></svg></div>\n'
        )

    def url(self, host: str = "") -> str:
        """An article-shaped URL on one of the hosts."""
        rng = self.rng
        host = host or rng.choice(self.hosts)
        day = rng.randint(1, 31)
        return f"https://{host}/news/2025/01/{day:02d}/{self._word()}-{self._word()}-{rng.randint(10_000, 99_999)}"

    def page(self, size: int) -> tuple[str, bytes]:
        """A URL and an HTML page of about ``size`` bytes on one of the hosts."""
        rng = self.rng
        host = rng.choice(self.hosts)
        url = self.url(host)
        head, footer = self.templates[host]
        parts = [
            head,
            f'<main><article><h1 class="entry-title">{" ".join(self._word() for _ in range(8))}</h1>',
        ]
        filled = len(head) + len(footer)
        while filled < size:
            if rng.random() < 0.15:
                piece = (
                    '<div class="related"><ul>'
                    + "".join(
                        f'<li><a href="https://{host}/news/{self._word()}-{rng.randint(1000, 9999)}">'
                        f"{self._word()} {self._word()}</a></li>"
                        for _ in range(5)
                    )
                    + "</ul></div>\n"
                )
            else:
                piece = self._paragraph()
            parts.append(piece)
            filled += len(piece)
        parts.append("</article></main>")
        parts.append(footer)
        return url, "".join(parts).encode()


def arabic_page(url: str, title: str, paragraphs: list[str]) -> bytes:
    """A plain Arabic news page (no site profile knows its template)."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}"><link rel="canonical" href="{url}">'
        '<meta property="article:published_time" content="2025-01-20T08:00:00+00:00"></head>'
        f'<body><article><h1>{title}</h1><time datetime="2025-01-20T08:00:00+00:00">20 يناير 2025</time>'
        f'<div class="article-body">{body}</div></article></body></html>'
    ).encode()


def generic_responses(seed: int = 5) -> list[ArchivedResponse]:
    """An Arabic defence article, an Arabic page on cooking, an English one: hosts no profile knows."""
    gen = TextGen(random.Random(seed))
    cooking = [". ".join(random.Random(seed + n).sample(_COOKING, 4)) + "." for n in range(4)]
    english = (
        "<html lang='en'><body><article><h1>Navy exercise in the Gulf</h1>"
        + ("<p>The navy held an exercise in the Gulf on Monday with ships and aircraft.</p>" * 20)
        + "</article></body></html>"
    )
    pages = [
        (GENERIC_DEFENCE_URL, arabic_page(GENERIC_DEFENCE_URL, gen.title(), gen.body(5, 6))),
        (GENERIC_OFFTOPIC_URL, arabic_page(GENERIC_OFFTOPIC_URL, "طريقة تحضير المقلوبة", cooking)),
        (GENERIC_ENGLISH_URL, english.encode()),
    ]
    return [
        ArchivedResponse(
            url=url, status=200, headers=[(b"Content-Type", HTML.encode())], body=body, fetched_at=CRAWL_TIME
        )
        for url, body in pages
    ]


def other_responses(
    count: int, size: int = 70_000, seed: int = 11, distinct: int = 200
) -> Iterator[ArchivedResponse]:
    """``count`` other-host pages of ``size`` ± 40% bytes (``distinct`` different bodies, reused
    under new URLs: each record is compressed on its own, so reuse changes no scan cost)."""
    hosts = OtherHosts(seed)
    rng = random.Random(seed)
    bodies = [hosts.page(int(size * rng.uniform(0.6, 1.4)))[1] for _ in range(min(count, distinct))]
    for number in range(count):
        yield ArchivedResponse(
            url=hosts.url(),
            status=200,
            headers=[(b"Content-Type", HTML.encode()), (b"Server", b"nginx")],
            body=bodies[number % len(bodies)],
            fetched_at=CRAWL_TIME + timedelta(seconds=number),
        )


def write_warc(
    stream: BinaryIO,
    responses: Iterator[ArchivedResponse] | list[ArchivedResponse],
    *,
    name: str = "CC-NEWS-test.warc.gz",
    requests_every: int = 7,
) -> int:
    """Write ``responses`` as a CC-NEWS-like file (warcinfo, then responses, with a request record
    before every ``requests_every``-th); the number of response records."""
    writer = RecordWriter(stream)
    writer.write_warcinfo(name, {"software": "devsite.ccnews", "format": "WARC File Format 1.1"})
    raw = WARCWriter(stream, gzip=True, warc_version="WARC/1.1")
    written = 0
    for response in responses:
        if requests_every and written % requests_every == 0:
            request = f"GET / HTTP/1.1\r\nHost: {response.host}\r\nUser-Agent: CCBot/2.0\r\n\r\n".encode()
            raw.write_record(
                raw.create_warc_record(
                    response.url, "request", payload=io.BytesIO(request), length=len(request)
                )
            )
        writer.write_response(response)
        written += 1
    return written


def mixed_responses(site: MirrorSite, others: int, size: int, seed: int = 11) -> list[ArchivedResponse]:
    """The mirror's pages spread among ``others`` other-host pages, in a seeded order."""
    mine = mirror_responses(site)
    rest = list(other_responses(others, size, seed))
    rng = random.Random(seed)
    mixed = mine + rest
    rng.shuffle(mixed)
    return mixed


def build_mirror_warc(
    path: Path, *, others: int = 60, size: int = 20_000, seed: int = 11, generic: bool = False
) -> WarcFile:
    """The mirror (as www.elaosboa.com) among ``others`` pages of other hosts, in one file."""
    site = build_site(base_url=PROFILED_ORIGIN)
    responses = mixed_responses(site, others, size, seed)
    if generic:
        responses += generic_responses()
    with path.open("wb") as stream:
        count = write_warc(stream, responses, name=path.name)
    return WarcFile(path, site, count, others + (3 if generic else 0))
