"""URL canonicalisation: one spelling per article, whatever link led to it."""

from __future__ import annotations

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
