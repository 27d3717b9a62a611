"""Recognise embedded posts (Twitter/X, Telegram, Facebook, Instagram, YouTube, TikTok) in a body.

The block walker (crawler/extract/blocks.py) asks :func:`embed_block` about
every element it meets, before it drops scripts and iframes: most embed codes
are exactly what it drops (Telegram's widget is a ``<script>``, YouTube and
Facebook give ``<iframe>``\\ s, Facebook's SDK markup is a ``div.fb-post`` whose
"fb" class word marks share bars as noise). A recognised embed becomes one
:class:`Block` hinted ``embed:<platform>`` whose first link is the post's
canonical URL; crawler/text/embeds.py turns it into an ``Embed`` record.

What is recognised is data (:data:`RECOGNISERS`), not code: which elements,
which class, which attribute carries the post's URL. URL shapes (player,
plugin and widget URLs, short links, tracking queries) are read by
:func:`crawler.text.embeds.post_url`, shared with the link-card rule.

A wrapper that holds one embed and no text of its own (WordPress
``figure.wp-block-embed``, Sputnik's ``div.ria-fb`` around a Facebook iframe,
a ``<p>`` around a Telegram script) is the embed too, so that the walker
never descends into it, and noise rules never drop it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from crawler.extract.selectors import DROP_TAGS
from crawler.items import Block, Link
from crawler.text.embeds import POSTED_HINT, Post, post_url
from crawler.text.urls import join_url

_SPACE_RE = re.compile(r"\s+")
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_URL_IN_TEXT_RE = re.compile(r"(?:https?:)?//[^\s\"'<>]+")
_SKIP_HREF = ("javascript:", "mailto:", "tel:", "#", "data:")
# Never embeds, never wrappers: fallback copies of what the page shows elsewhere.
_NEVER = frozenset({"noscript", "template", "head", "style"})
# A wrapper whose outside text is a caption (dropped by the walker anyway).
_CAPTIONED = frozenset({"figure"})
# A wrapper frames one embed: a figure, a div or two, a <p> around a script. An
# element with more children is content, and the walker meets its embeds itself;
# the bound keeps the descendant search off the big containers (the walker asks
# about every element: unbounded, a body's walk costs several times as much).
MAX_WRAPPER_CHILDREN = 3


@dataclass(frozen=True, slots=True)
class Recogniser:
    """One embed code: which elements carry it and where its post URL is."""

    platform: str  # "" = the platform the URL belongs to (a generic player iframe)
    tags: frozenset[str] = frozenset()  # element tags it applies to; empty = any tag
    classes: frozenset[str] = frozenset()  # class names, one of which the element must carry
    attributes: tuple[str, ...] = ()  # attributes holding the URL or id, tried in order
    template: str = "{}"  # how an attribute's value becomes a URL
    keeps_text: bool = False  # the markup carries the post's text (a blockquote), else text is ""
    needs_url: bool = True  # without a post URL it is no embed (any iframe is not a player)
    wrapper: bool = False  # the embed is inside (or its URL is the text), the element only frames it


RECOGNISERS: tuple[Recogniser, ...] = (
    # Twitter/X's embed code: a blockquote with the tweet's text, "— Name (@handle)"
    # and the status link on the date (widgets.js later swaps it for an iframe, and
    # renders ``div.twitter-tweet-rendered`` around that iframe on saved pages).
    # An embed even without its status link: its text and signature are the post.
    Recogniser(
        "twitter", classes=frozenset({"twitter-tweet", "twitter-video"}), keeps_text=True, needs_url=False
    ),
    # A platform's or a CMS's own tweet card (Substack's "tweet", "tweet-embed", "embedded-tweet"):
    # no blockquote, the status link on the card. Only with that link: "tweet" alone also names
    # share buttons, which link to an intent, not to a post.
    Recogniser(
        "twitter",
        classes=frozenset({"tweet", "tweet-embed", "embedded-tweet", "twitter-embed", "embed-twitter"}),
        keeps_text=True,
    ),
    # widgets.js's rendered tweet: an iframe carrying the tweet's id.
    Recogniser(
        "twitter",
        tags=frozenset({"iframe"}),
        attributes=("data-tweet-id",),
        template="https://twitter.com/i/status/{}",
    ),
    # AMP pages (Arabic portals serve AMP copies): amp-twitter with data-tweetid.
    Recogniser(
        "twitter",
        tags=frozenset({"amp-twitter"}),
        attributes=("data-tweetid",),
        template="https://twitter.com/i/status/{}",
    ),
    # Telegram's post widget: <script src=".../telegram-widget.js" data-telegram-post="channel/1234">
    # (the same script with data-telegram-login or data-telegram-discussion is no post).
    Recogniser(
        "telegram", tags=frozenset({"script"}), attributes=("data-telegram-post",), template="https://t.me/{}"
    ),
    # (the widget's rendered iframe, t.me/channel/1234?embed=1, is the player-iframe entry's)
    # Facebook's SDK (XFBML) markup: div.fb-post / div.fb-video with data-href, holding
    # a blockquote with the post's text and "Posted by <Page> on <date>".
    Recogniser(
        "facebook",
        classes=frozenset({"fb-post", "fb-video"}),
        attributes=("data-href",),
        keeps_text=True,
    ),
    # AMP: amp-facebook with data-href.
    Recogniser("facebook", tags=frozenset({"amp-facebook"}), attributes=("data-href",)),
    # Instagram's embed code: blockquote.instagram-media with data-instgrm-permalink,
    # its caption (captioned embeds) and "A post shared by Name (@handle)".
    Recogniser(
        "instagram",
        classes=frozenset({"instagram-media"}),
        attributes=("data-instgrm-permalink",),
        keeps_text=True,
        needs_url=False,
    ),
    # AMP: amp-instagram with the post's shortcode.
    Recogniser(
        "instagram",
        tags=frozenset({"amp-instagram"}),
        attributes=("data-shortcode",),
        template="https://www.instagram.com/p/{}/",
    ),
    # TikTok's embed code: blockquote.tiktok-embed with cite="<video URL>" and the caption.
    Recogniser(
        "tiktok", classes=frozenset({"tiktok-embed"}), attributes=("cite",), keeps_text=True, needs_url=False
    ),
    # lite-youtube (paulirish/lite-youtube-embed), the lazy YouTube player fast themes use: videoid.
    Recogniser(
        "youtube",
        tags=frozenset({"lite-youtube"}),
        attributes=("videoid",),
        template="https://www.youtube.com/watch?v={}",
    ),
    # AMP: amp-youtube with data-videoid.
    Recogniser(
        "youtube",
        tags=frozenset({"amp-youtube"}),
        attributes=("data-videoid",),
        template="https://www.youtube.com/watch?v={}",
    ),
    # Any player or plugin iframe whose URL is a post: YouTube (youtube.com/embed/ID,
    # youtube-nocookie.com), Facebook (plugins/post.php|video.php?href=<post>), Instagram
    # (/p/CODE/embed), Telegram (t.me/channel/1234?embed=1), Twitter (platform.twitter.com).
    # Lazy-loading themes put the URL in data-src and leave src="about:blank"; cookie-consent
    # tools hold it in an attribute of their own (Cookiebot data-cookieblock-src, Complianz
    # data-cmplz-src; Klaro data-src) and leave src empty until the reader consents.
    # <embed>/<object> are Flash-era YouTube players (youtube.com/v/ID).
    Recogniser(
        "",
        tags=frozenset({"iframe", "embed", "object"}),
        attributes=(
            "src",
            "data-src",
            "data-lazy-src",
            "data-cookieblock-src",
            "data-cmplz-src",
            "data",
        ),
    ),
    # WordPress's embed block: figure.wp-block-embed holding the provider's markup (an
    # iframe, a blockquote) or, in content saved before oEmbed ran, the bare URL as text.
    Recogniser("", tags=frozenset({"figure"}), classes=frozenset({"wp-block-embed"}), wrapper=True),
)


def _tag(element: HtmlElement) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _classes(element: HtmlElement) -> set[str]:
    return set((element.get("class") or "").lower().split())


def _xpath_of(recogniser: Recogniser) -> str:
    tests: list[str] = []
    if recogniser.tags:
        tests.append(" or ".join(f"self::{tag}" for tag in sorted(recogniser.tags)))
    if recogniser.classes:
        # a substring test (cheap); _match checks the whole class name
        tests.append(" or ".join(f"contains(@class, '{name}')" for name in sorted(recogniser.classes)))
    if recogniser.attributes and recogniser.tags and not recogniser.classes:
        tests.append(" or ".join(f"@{name}" for name in recogniser.attributes))
    return " and ".join(f"({test})" for test in tests)


# Descendants that may be embeds: one libxml2 pass, so that the walker's question
# about an element without any (nearly all of them) costs one XPath call.
_CANDIDATES = etree.XPath(
    "descendant::*[" + " or ".join(f"({_xpath_of(r)})" for r in RECOGNISERS if not r.wrapper) + "]"
)


def _collapse(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _hidden(element: HtmlElement) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN_STYLE_RE.search(element.get("style") or ""))


def _text(element: HtmlElement, skip: HtmlElement | None = None) -> str:
    """Visible text, as the walker reads it (dropped tags and hidden nodes left out), without ``skip``."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        tag = _tag(node)
        if tag and tag not in DROP_TAGS and node is not skip and not _hidden(node):
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
                parts.append(" ")
        if node is not element and node.tail:
            parts.append(node.tail)

    walk(element)
    return _collapse("".join(parts))


def _anchors(element: HtmlElement, base_url: str) -> list[Link]:
    found: list[Link] = []
    for anchor in element.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP_HREF):
            continue
        href = join_url(base_url, href)
        text = _collapse(anchor.text_content())
        if href and text:
            found.append(Link(text=text, href=href))
    return found


def _from_attributes(element: HtmlElement, recogniser: Recogniser, base_url: str) -> Post | None:
    for name in recogniser.attributes:
        value = (element.get(name) or "").strip()
        if not value:
            continue
        post = post_url(join_url(base_url, recogniser.template.format(value)))
        if post is not None and recogniser.platform in ("", post.platform):
            return post
    return None


def _from_anchors(element: HtmlElement, platform: str, base_url: str) -> tuple[Post, Link] | None:
    """The last anchor to a post of ``platform`` (a tweet's status link is on its date, at the end)."""
    found: tuple[Post, Link] | None = None
    for link in _anchors(element, base_url):
        post = post_url(link.href)
        if post is not None and post.platform == platform:
            found = (post, link)
    return found


_TAGS = frozenset(tag for recogniser in RECOGNISERS for tag in recogniser.tags)
_CLASSES = frozenset(name for recogniser in RECOGNISERS for name in recogniser.classes)


def _match(element: HtmlElement, tag: str, base_url: str) -> tuple[Recogniser, Post | None] | None:
    """The recogniser an element answers to, and the post its markup names.

    The first recogniser that finds a post wins; one that matches the element's
    class but finds no URL (a tweet blockquote without its status link) counts
    only if no other finds one (Instagram's rendered iframe keeps the
    blockquote's class and has its URL in ``src``).
    """
    classes = _classes(element) if element.get("class") else set()
    if tag not in _TAGS and not classes & _CLASSES:
        return None  # nearly every element: one set lookup
    without_url: tuple[Recogniser, Post | None] | None = None
    for recogniser in RECOGNISERS:
        if recogniser.wrapper or (recogniser.tags and tag not in recogniser.tags):
            continue
        if recogniser.classes and not recogniser.classes & classes:
            continue
        if not recogniser.tags and not recogniser.classes:
            continue
        post = _from_attributes(element, recogniser, base_url)
        if post is None and recogniser.keeps_text:
            anchored = _from_anchors(element, recogniser.platform, base_url)
            post = anchored[0] if anchored else _inner_post(element, recogniser.platform, base_url)
        if post is not None:
            return recogniser, post
        if not recogniser.needs_url and without_url is None:
            without_url = (recogniser, None)
    return without_url


def _inner_post(element: HtmlElement, platform: str, base_url: str) -> Post | None:
    """A rendered embed's post: the widget's iframe inside the original markup."""
    for candidate in _CANDIDATES(element):
        if isinstance(candidate, HtmlElement):
            matched = _match(candidate, _tag(candidate), base_url)
            if matched is not None and matched[1] is not None and matched[1].platform == platform:
                return matched[1]
    return None


def _block(element: HtmlElement, tag: str, recogniser: Recogniser, post: Post | None, base_url: str) -> Block:
    platform = recogniser.platform or (post.platform if post else "")
    text = _text(element) if recogniser.keeps_text else ""
    others = _anchors(element, base_url) if recogniser.keeps_text else []
    links: list[Link] = []
    if post is not None:
        own = [
            link for link in others if (found := post_url(link.href)) is not None and found.url == post.url
        ]
        label = own[-1].text if own else element.get("title") or element.get("playlabel") or post.url
        links.append(Link(text=_collapse(label), href=post.url))
        others = [link for link in others if link not in own]
    links += others
    hints = [f"embed:{platform}"]
    if recogniser.keeps_text:
        stamp = next((str(node.get("datetime")) for node in element.iter("time") if node.get("datetime")), "")
        if stamp:
            hints.append(POSTED_HINT + stamp.strip())
    return Block(text=text, links=links, tag=tag, hints=tuple(hints))


def _wrapped(element: HtmlElement, tag: str, base_url: str) -> Block | None:
    """The one embed inside a wrapper that has no text of its own (a caption, for a figure)."""
    if not 0 < len(element) <= MAX_WRAPPER_CHILDREN:
        return None
    captioned = tag in _CAPTIONED
    own_text = (element.text or "").strip() or any((child.tail or "").strip() for child in element)
    if own_text and not captioned:
        return None  # text of its own: a paragraph (cheap test first: the walker asks about every element)
    found: list[tuple[HtmlElement, Recogniser, Post | None]] = []
    for candidate in _CANDIDATES(element):
        if not isinstance(candidate, HtmlElement) or any(
            inner is candidate or inner in candidate.iterancestors() for inner, _, _ in found
        ):
            continue
        matched = _match(candidate, _tag(candidate), base_url)
        if matched is not None:
            found.append((candidate, *matched))
    if len(found) != 1:
        return None
    inner, recogniser, post = found[0]
    if not captioned and _text(element, skip=inner):
        return None
    return _block(inner, tag, recogniser, post, base_url)


def _bare_url(element: HtmlElement, tag: str, base_url: str) -> Block | None:
    """WordPress content saved before oEmbed ran: the figure's text is the post URL."""
    urls = _URL_IN_TEXT_RE.findall(_text(element))
    posts = {post.url: post for post in (post_url(join_url(base_url, url)) for url in urls) if post}
    if len(posts) != 1:
        return None
    post = next(iter(posts.values()))
    return Block(
        text="", links=[Link(text=post.url, href=post.url)], tag=tag, hints=(f"embed:{post.platform}",)
    )


def _post_id(post: Post) -> str:
    """The last part of a post's URL: its id, whoever's URL it is under ("i/status/…")."""
    return post.url.rstrip("/").rsplit("/", 1)[-1]


def _richer_inside(
    element: HtmlElement, recogniser: Recogniser, post: Post | None, base_url: str
) -> tuple[HtmlElement, str, Recogniser, Post | None] | None:
    """The post's own markup inside a frame that names it only by id: AMP's amp-twitter and
    amp-instagram, and players, keep the platform's blockquote as a placeholder or fallback,
    with the text, the author and the URL under the author's name, which the id alone lacks."""
    if recogniser.keeps_text or not len(element):
        return None
    for candidate in _CANDIDATES(element):
        if not isinstance(candidate, HtmlElement):
            continue
        matched = _match(candidate, _tag(candidate), base_url)
        if matched is None or not matched[0].keeps_text or matched[0].platform != recogniser.platform:
            continue
        inner = matched[1]
        if post is None or inner is None or _post_id(inner) == _post_id(post):
            return candidate, _tag(element), matched[0], inner or post
    return None


def embed_block(element: HtmlElement, base_url: str) -> Block | None:
    """The block of an embedded post, or None when ``element`` is not one.

    ``tag`` is the element's own tag; ``hints`` hold ``embed:<platform>`` (and
    ``embed-posted:<datetime>`` when the markup dates the post); ``text`` is the
    post's visible text where the markup carries it (tweet, Instagram, TikTok
    and Facebook blockquotes), "" for players and widgets; the first link is
    the post's canonical URL when the markup names one.
    """
    tag = _tag(element)
    if not tag or tag in _NEVER:
        return None
    matched = _match(element, tag, base_url)
    if matched is not None:
        richer = _richer_inside(element, *matched, base_url)
        block = _block(*richer, base_url) if richer else _block(element, tag, *matched, base_url)
        return block if block.text or block.links else None  # an empty placeholder is nothing
    if tag in DROP_TAGS:
        return None  # a script or iframe that is no embed holds no wrapped one either
    wrapped = _wrapped(element, tag, base_url)
    if wrapped is not None:
        return wrapped
    classes = _classes(element)
    if any(r.wrapper and tag in r.tags and r.classes & classes for r in RECOGNISERS):
        return _bare_url(element, tag, base_url)
    return None
