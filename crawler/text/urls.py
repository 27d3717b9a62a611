"""URL canonicalisation: one spelling per article, whatever link led to it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that identify a campaign or a click, never a page. Links
# from social media and newsletters carry them; without stripping, one article
# would be fetched (and stored) once per share.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "yclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "ocid",
        "cmpid",
        "share",
        "at_medium",
        "at_campaign",
        "xtor",
        "spm",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_")


def strip_tracking(url: str) -> str:
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking parameters
    dropped, remaining query sorted, percent-encoding normalised (w3lib)."""
    return canonicalize_url(strip_tracking(url.strip()), keep_fragments=False)


def is_http_url(url: str) -> bool:
    """An absolute http(s) URL that urllib can take apart (so canonical_url will not raise)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def join_url(base: str, href: str) -> str:
    """``href`` resolved against ``base``; "" when it is not a URL at all.

    urllib raises ValueError on malformed authorities ("http://[i/", a bad
    port); a page's links are untrusted input, so one such link must cost
    that link, not the page.
    """
    try:
        joined = urljoin(base, href.strip())
        urlsplit(joined).port  # noqa: B018 - raises on a malformed port or IPv6 literal
    except ValueError:
        return ""
    return joined


# An article URL, when nothing else is known: a path that is not a known
# non-article page (taxonomy, author, pagination, search, feeds, assets, static
# pages), and that looks like one story: a numeric id of four digits or more
# (/675830/, /news/2025/01/19/...), a slug of three words or more
# (/nato-summit-ends-today), or an Arabic slug (percent-encoded UTF-8 of
# Arabic letters starts with %D8 or %D9).
ARTICLE_PATH = re.compile(
    r"^/(?!(?:tags?|category|categories|section|sections|author|authors|writer|page|search|feed|rss"
    r"|wp-content|wp-json|wp-admin|about|contact|privacy|terms|login|register|video|videos|gallery)"
    r"(?:/|$))"
    # a taxonomy page anywhere in the path: /news/topics/…, /trend/…, /ar/tag/…
    r"(?!(?:.*/)?(?:tags?|topics?|trends?|categor(?:y|ies)|keywords?|hashtags?|authors?|writers?)/)"
    r"(?!.*\.(?:jpe?g|png|gif|webp|svg|pdf|xml|css|js|mp4|mp3|zip)$)"
    r"(?=.*(?:\d{4,}|[^/]+-[^/]+-[^/]+|%[dD][89]|[\u0600-\u06ff]))"
    r".+"
)


def bare_host(url: str) -> str:
    """The host of a URL, lower-cased, without a leading ``www.``."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def same_site(url: str, other: str) -> bool:
    """Both URLs on one site: the same host, or one a subdomain of the other (``m.``, ``arabic.``)."""
    host, other_host = bare_host(url), bare_host(other)
    if not host or not other_host:
        return False
    return host == other_host or host.endswith("." + other_host) or other_host.endswith("." + host)


# Story ids in the query: WordPress's plain permalinks (?p=123), and the portals
# and older CMSs that name the article by a query id (?id=, ?NewsID=, ?nid=).
ARTICLE_QUERY = re.compile(
    r"(?:^|&)(?:p|id|nid|newsid|news_id|articleid|article_id|aid|storyid|story_id|itemid)=\d{2,}(?:[:&-]|$)",
    re.IGNORECASE,
)


def looks_like_article(url: str) -> bool:
    """A URL shaped like one story's page: its path (:data:`ARTICLE_PATH`) or a story id in its query."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(ARTICLE_PATH.match(parts.path)) or bool(ARTICLE_QUERY.search(parts.query))
