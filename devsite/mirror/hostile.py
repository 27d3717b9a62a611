"""Discovery documents as a broken or hostile site serves them, for the crawl's bounds to meet.

Each function returns routes to put in a served mirror's ``site.routes`` (after the server
started: starting rebases the site, which renders every route again). They keep the mirror's
own markup where there is one (its WordPress feed, its sitemaps) and break one thing:

* :func:`endless_sitemap_index`: ``/sitemap.xml`` names an index that names another, without end
  (a CMS plugin that paginates its index by a parameter it never stops incrementing);
* :func:`wide_sitemap_index`: an index naming hundreds of sitemaps;
* :func:`gzip_bomb_page` and :func:`gzip_bomb_sitemap`: a few kilobytes that decompress past
  DOWNLOAD_MAXSIZE, as ``Content-Encoding: gzip`` and as a ``.xml.gz`` file;
* :func:`billion_laughs_feed`: the feed with nested entities in its DOCTYPE;
* :func:`raw_ampersand_feed`: item links with a raw ``&`` in their query, as old PHP CMSs write.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import replace

from devsite.mirror.site import MirrorSite, Route

SITEMAP_TYPE = {"Content-Type": "application/xml; charset=UTF-8"}
_INDEX_OPEN = '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
_URLSET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


def _index(site: MirrorSite, paths: list[str], lastmod: str = "2025-01-26T13:00:00+02:00") -> bytes:
    entries = "".join(
        f"<sitemap><loc>{site.url(path)}</loc><lastmod>{lastmod}</lastmod></sitemap>\n" for path in paths
    )
    return (_INDEX_OPEN + entries + "</sitemapindex>\n").encode()


def endless_path(level: int) -> str:
    return f"/sitemap-index-{level}.xml"


def endless_sitemap_index(site: MirrorSite, levels: int = 300) -> dict[str, Route]:
    """``/sitemap.xml`` and ``levels`` more indexes, each naming the next and the site's posts sitemap."""
    routes = {
        "/sitemap.xml": Route(200, SITEMAP_TYPE, _index(site, [endless_path(1), "/sitemap-posts-1.xml"]))
    }
    for level in range(1, levels + 1):
        routes[endless_path(level)] = Route(200, SITEMAP_TYPE, _index(site, [endless_path(level + 1)]))
    return routes


def wide_sitemap_index(site: MirrorSite, children: int = 300) -> dict[str, Route]:
    """``/sitemap.xml`` naming ``children`` daily sitemaps, each listing no post yet."""
    paths = [f"/sitemap-day-{day:04d}.xml" for day in range(1, children + 1)]
    routes = {"/sitemap.xml": Route(200, SITEMAP_TYPE, _index(site, paths))}
    empty = Route(200, SITEMAP_TYPE, (_URLSET_OPEN + "</urlset>\n").encode())
    routes.update(dict.fromkeys(paths, empty))
    return routes


def _bomb(decompressed: int, tail: bytes = b"") -> bytes:
    """Gzip of an HTML comment ``decompressed`` bytes long, then ``tail``: kilobytes on the wire."""
    return gzip.compress(b"<!-- " + b" " * decompressed + b" -->" + tail, compresslevel=9)


def gzip_bomb_page(route: Route, decompressed: int) -> Route:
    """The page, served gzip-encoded after ``decompressed`` bytes of padding."""
    headers = {**route.headers, "Content-Encoding": "gzip"}
    return replace(route, headers=headers, body=_bomb(decompressed, route.body))


def gzip_bomb_sitemap(decompressed: int) -> Route:
    """A ``.xml.gz`` sitemap (no Content-Encoding: the file is gzip) that inflates past the limit."""
    return Route(200, {"Content-Type": "application/x-gzip"}, _bomb(decompressed))


LAUGHS = (
    '<!DOCTYPE rss [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10)
    )
    + "]>\n"
)


def billion_laughs_feed(feed: Route) -> Route:
    """The feed with a billion-laughs DOCTYPE, its channel title the outermost entity."""
    text = feed.body.decode("utf-8")
    declaration, _, rest = text.partition("\n")
    rest = re.sub(r"<title>[^<]*</title>", "<title>&lol9;</title>", rest, count=1)
    return replace(feed, body=f"{declaration}\n{LAUGHS}{rest}".encode())


def raw_ampersand_feed(feed: Route, query: str) -> Route:
    """The feed with ``?<query>`` (holding a raw ``&``) after every item link."""
    text = re.sub(
        r"(<item><title>.*?</title><link>)([^<]*)(</link>)", rf"\1\2?{query}\3", feed.body.decode("utf-8")
    )
    return replace(feed, body=text.encode())
