"""Embedded social posts: Twitter/X, Telegram, Facebook, Instagram, YouTube, TikTok.

Three shapes reach this module:

* a block hinted ``embed:<platform>`` by the block walker
  (crawler/extract/embeds.py: a ``blockquote.twitter-tweet``, a Telegram widget
  script, an ``fb-post`` div, an Instagram blockquote, a YouTube iframe ...),
  whose first link is the post's URL;
* a tweet's flattened form ("tweet text pic.twitter.com/…" then "— Name
  (@handle) June 12, 2023", often glued to the next paragraph);
* a link card: a paragraph that is nothing but the URL of a post
  (``https://t.me/channel/1234``, a tweet's status URL), or that URL under a
  short label ("شاهد", "Telegram"); WordPress and most CMSs turn such a bare
  URL into an embed on display.

Each becomes an :class:`Embed` record. :func:`post_url` knows every URL shape of
a post (page, embed player, plugin iframe, short link) and gives one canonical
URL per post.

Written by hand: no maintained library parses tweet embed signatures or the
embed codes; extruct and trafilatura either ignore or drop them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from crawler.items import Block, Embed
from crawler.text.dates import parse_date
from crawler.text.urls import canonical_url

TWEET_TEXT_MAX_CHARS = 600
# A link card's text besides the post URL: a label such as "شاهد الفيديو" or
# "Telegram", never a sentence (a sentence that links a post cites it).
CARD_LABEL_MAX_WORDS = 4
CARD_LABEL_MAX_CHARS = 30
# A block whose text is (nearly) all inside its one post link is that post's card.
CARD_LINK_RATIO = 0.9
# Hint the block walker adds when the embed markup dates the post
# (Instagram's <time datetime>): "embed-posted:2019-03-06T15:30:13+00:00".
POSTED_HINT = "embed-posted:"

_HANDLE_RE = re.compile(
    r"\(\s*(?P<handle>@[A-Za-z0-9_]{1,30})\s*\)\s*(?P<date>[^()\n]{0,30}?[0-9٠-٩]{4})(?:\s*г\.)?"
)
_DASHES = "—―–"
_URL_RE = re.compile(r"(?:https?://|pic\.twitter\.com/)[^\s\"'<>«»]+")
_STATUS_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<handle>[A-Za-z0-9_]{1,30})/status/\d+"
)
_BIDI_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00a0]")


# -- post URLs ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Post:
    """A post a URL points to: its platform, canonical URL and the handle the URL names."""

    platform: str
    url: str
    handle: str = ""  # "@name" (Twitter, Instagram, TikTok), the channel (Telegram), the page (Facebook)


_TWITTER_RE = re.compile(r"^(?:www\.|mobile\.|m\.)?(?P<host>twitter|x)\.com$", re.IGNORECASE)
_TWITTER_PATH_RE = re.compile(r"^/(?:(?P<handle>[A-Za-z0-9_]{1,30})|i/web)/status(?:es)?/(?P<id>\d{1,25})")
_TELEGRAM_HOSTS = frozenset({"t.me", "www.t.me", "telegram.me", "www.telegram.me"})
# A public channel's username: 5-32 letters, digits and underscores (Telegram's
# rule; 4 still exist from the early days), not starting with a digit.
_TELEGRAM_PATH_RE = re.compile(r"^/(?:s/)?(?P<channel>[A-Za-z][A-Za-z0-9_]{3,31})/(?P<id>\d{1,12})/?$")
_INSTAGRAM_HOSTS = frozenset({"instagram.com", "www.instagram.com", "instagr.am", "www.instagr.am"})
_INSTAGRAM_PATH_RE = re.compile(
    r"^/(?:(?P<user>[A-Za-z0-9_.]{1,30})/)?(?P<kind>p|reels?|tv)/(?P<code>[A-Za-z0-9_-]{5,40})(?:/|$)"
)
_YOUTUBE_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }
)
_YOUTUBE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_PATH_RE = re.compile(r"^/(?:embed|shorts|live|v|e)/(?P<id>[A-Za-z0-9_-]{11})(?:[/?]|$)")
_FACEBOOK_HOSTS = re.compile(r"^(?:[a-z-]+\.)?(?:facebook|fb)\.com$")
# Paths of one Facebook post: /<page>/posts/<id>, /<page>/videos/[<slug>/]<id>,
# /<page>/photos/<album>/<id>, /groups/<group>/posts/<id>, /reel/<id>, /share/<kind>/<code>.
_FACEBOOK_PATH_RE = re.compile(
    r"^/(?:(?P<group>groups)/)?(?P<page>[^/]+)/(?P<kind>posts|permalink|videos|photos)/"
    r"(?:(?P<extra>[^/]+)/)?(?P<id>[A-Za-z0-9.]+)/?$"
)
_FACEBOOK_SHORT_RE = re.compile(r"^/(?P<path>reel/\d+|share/[prv]/[A-Za-z0-9]+|share/[A-Za-z0-9]+)/?$")
# Query-addressed posts, and which parameters name the post.
_FACEBOOK_QUERY_PATHS = {
    "/permalink.php": ("story_fbid", "id"),
    "/story.php": ("story_fbid", "id"),
    "/photo.php": ("fbid",),
    "/photo": ("fbid",),
    "/watch": ("v",),
    "/video.php": ("v",),
}
_FACEBOOK_PLUGINS = ("/plugins/post.php", "/plugins/video.php", "/plugins/comment_embed.php")
_TIKTOK_RE = re.compile(
    r"^https?://(?:www\.|m\.)?tiktok\.com/@(?P<user>[A-Za-z0-9_.]{1,30})/video/(?P<id>\d{5,25})"
)


def _split(url: str) -> tuple[str, str, dict[str, list[str]]] | None:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return host, parts.path, parse_qs(parts.query)


def _twitter(host: str, path: str, query: dict[str, list[str]]) -> Post | None:
    match = _TWITTER_RE.match(host)
    if match is None:
        # widgets.js renders a tweet as platform.twitter.com/embed/Tweet.html?id=<id>
        if host == "platform.twitter.com" and path.startswith("/embed/") and query.get("id"):
            tweet_id = query["id"][0]
            return Post("twitter", f"https://twitter.com/i/status/{tweet_id}") if tweet_id.isdigit() else None
        return None
    found = _TWITTER_PATH_RE.match(path)
    if found is None:
        return None
    name = found.group("handle") or "i"
    domain = match.group("host").lower()
    handle = "" if name.lower() == "i" else "@" + name
    return Post("twitter", f"https://{domain}.com/{name}/status/{found.group('id')}", handle)


def _telegram(host: str, path: str, query: dict[str, list[str]]) -> Post | None:
    found = _TELEGRAM_PATH_RE.match(path) if host in _TELEGRAM_HOSTS else None
    if found is None:
        return None
    channel = found.group("channel")
    return Post("telegram", f"https://t.me/{channel}/{found.group('id')}", channel)


def _facebook(host: str, path: str, query: dict[str, list[str]]) -> Post | None:
    if host in ("fb.watch", "www.fb.watch"):
        code = path.strip("/")
        return Post("facebook", f"https://fb.watch/{code}/") if code and "/" not in code else None
    if not _FACEBOOK_HOSTS.match(host):
        return None
    if path.rstrip("/") in _FACEBOOK_PLUGINS:
        # the plugin iframe (plugins/post.php?href=<the post>) names the post in its href
        inner = _split((query.get("href") or [""])[0])
        return _facebook(*inner) if inner is not None else None
    names = _FACEBOOK_QUERY_PATHS.get(path.rstrip("/") or "/")
    if names is not None:
        if not query.get(names[0]):
            return None
        kept = [(name, query[name][0]) for name in names if query.get(name)]
        return Post("facebook", f"https://www.facebook.com{path.rstrip('/')}?{urlencode(kept)}")
    found = _FACEBOOK_PATH_RE.match(path)
    if found is not None:
        page, kind = found.group("page"), found.group("kind")
        if kind == "permalink" and not found.group("group"):
            return None
        if kind == "photos" and not found.group("extra"):
            return None
        prefix = "/groups" if found.group("group") else ""
        extra = f"/{found.group('extra')}" if kind == "photos" else ""
        url = f"https://www.facebook.com{prefix}/{page}/{kind}{extra}/{found.group('id')}"
        return Post("facebook", url, page)
    short = _FACEBOOK_SHORT_RE.match(path)
    if short is not None:
        return Post("facebook", f"https://www.facebook.com/{short.group('path')}")
    return None


def _instagram(host: str, path: str, query: dict[str, list[str]]) -> Post | None:
    found = _INSTAGRAM_PATH_RE.match(path) if host in _INSTAGRAM_HOSTS else None
    if found is None:
        return None
    kind = "reel" if found.group("kind") == "reels" else found.group("kind")
    handle = "@" + found.group("user") if found.group("user") else ""
    return Post("instagram", f"https://www.instagram.com/{kind}/{found.group('code')}/", handle)


def _youtube(host: str, path: str, query: dict[str, list[str]]) -> Post | None:
    video = ""
    if host in ("youtu.be", "www.youtu.be"):
        video = path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        found = _YOUTUBE_PATH_RE.match(path)
        if path.rstrip("/") in ("/embed/videoseries", "/playlist"):
            # a playlist player ("videoseries" has the length of a video id)
            playlist = (query.get("list") or [""])[0]
            return (
                Post("youtube", f"https://www.youtube.com/playlist?{urlencode({'list': playlist})}")
                if playlist
                else None
            )
        if found is not None:
            video = found.group("id")
        elif path.rstrip("/") == "/watch":
            video = (query.get("v") or [""])[0]
    if not _YOUTUBE_ID_RE.match(video):
        return None
    return Post("youtube", f"https://www.youtube.com/watch?v={video}")


def _tiktok(url: str) -> Post | None:
    found = _TIKTOK_RE.match(url)
    if found is None:
        return None
    user = found.group("user")
    return Post("tiktok", f"https://www.tiktok.com/@{user}/video/{found.group('id')}", "@" + user)


def post_url(url: str) -> Post | None:
    """The post a URL points to, under one canonical URL; None when it is no post.

    Every shape a post's URL takes in embed code is known: the post page (with
    its tracking query: ``?ref_src=twsrc…``, ``?utm_source=ig_embed``, ``?si=``),
    the player or widget URL (``youtube.com/embed/ID``, ``youtube-nocookie.com``,
    ``t.me/channel/1?embed=1``, ``instagram.com/p/CODE/embed/captioned``,
    ``platform.twitter.com/embed/Tweet.html?id=``), Facebook's plugin iframe
    (``plugins/post.php?href=<post>``) and short links (``youtu.be``,
    ``fb.watch``). A profile, channel or page URL is not a post.
    """
    parts = _split(url)
    if parts is None:
        return None
    for reader in (_twitter, _telegram, _facebook, _instagram, _youtube):
        post = reader(*parts)
        if post is not None:
            return post
    return _tiktok(url.strip())


# -- tweet signatures ------------------------------------------------------------------------------


def tweet_signature(text: str) -> tuple[int, int, str, str, str] | None:
    """Find "— Name (@handle) Date": (start, end, author, handle, raw date)."""
    for match in _HANDLE_RE.finditer(text):
        before = text[: match.start()]
        dash = max(before.rfind(dash) for dash in _DASHES)
        if dash < 0 or match.start() - dash > 120:
            continue
        author = before[dash + 1 :].strip()
        return dash, match.end(), author, match.group("handle"), match.group("date").strip()
    return None


def _embed(platform: str, text: str, links: list[str], author: str, handle: str, raw_date: str) -> Embed:
    status = next((link for link in links if _STATUS_RE.match(link)), "")
    if not handle and status:
        match = _STATUS_RE.match(status)
        # twitter.com/i/status/<id> (a rendered embed's URL) names no account
        handle = "@" + match.group("handle") if match and match.group("handle") != "i" else ""
    posted = parse_date(raw_date) if raw_date else None
    other = [link for link in links if link != status and "/hashtag/" not in link]
    # anchors when the embed has them (their text repeats the href), else URLs in the text
    unique: list[str] = []
    for url in other or _URL_RE.findall(text):
        if url not in unique:
            unique.append(url)
    return Embed(
        platform=platform,
        author=author,
        handle=handle,
        url=canonical_url(status) if status else "",  # without the embed's ?ref_src=twsrc… tracking
        posted_at=posted.date().isoformat() if posted else "",
        posted_raw=raw_date,
        text=text,
        links=unique,
    )


# -- other platforms' embed text -------------------------------------------------------------------

# Instagram's embed code ends with "A post shared by Name (@handle)" in the
# language of whoever copied the code (then "on <time>" in older versions);
# "View this post on Instagram" heads the card. Arabic, English and French are
# the languages Arabic newsrooms' CMSs run in.
_INSTAGRAM_SHARED_RE = re.compile(
    r"(?:A post shared by|تمت مشاركة منشور بواسطة|تمت مشاركة منشور من قبل|Une publication partagée par)"
    r"\s*(?P<author>[^()]*?)\s*\(\s*(?P<handle>@[A-Za-z0-9_.]{1,30})\s*\)(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_INSTAGRAM_HANDLE_RE = re.compile(r"\(\s*(?P<handle>@[A-Za-z0-9_.]{1,30})\s*\)")
_INSTAGRAM_CHROME_RE = re.compile(
    r"View this (?:post|photo|video|profile) on Instagram|عرض هذا المنشور على Instagram"
    r"|(?:Voir cette publication|Voir cette photo) sur Instagram",
    re.IGNORECASE,
)
# Facebook's embed code: "<post text> Posted by <Page> on <date>" / "تم النشر بواسطة <Page> في <date>".
_FACEBOOK_POSTED_RE = re.compile(
    r"(?:Posted by|تم النشر بواسطة|تم النشر من قبل|Publiée par|Publié par)\s*(?P<author>.+?)"
    r"\s+(?:on|في|le|sur)\s+(?P<date>[^\n]{4,60}?)\s*$",
    re.IGNORECASE | re.DOTALL,
)


def _host(url: str) -> str:
    parts = _split(url)
    return parts[0] if parts else ""


def _posted_hint(block: Block) -> str:
    return next((hint[len(POSTED_HINT) :] for hint in block.hints if hint.startswith(POSTED_HINT)), "")


def _platform_embed(block: Block, platform: str) -> Embed:
    """A non-Twitter embed block: its first link is the post, its text the post's (if the markup has it)."""
    posts = [(post_url(link.href), link.href) for link in block.links]
    post = next((found for found, _ in posts if found is not None and found.platform == platform), None)
    text = _BIDI_RE.sub(" ", block.text)
    author, handle, raw_date = "", post.handle if post else "", _posted_hint(block)
    if platform == "instagram":
        text = _INSTAGRAM_CHROME_RE.sub(" ", text)
        shared = _INSTAGRAM_SHARED_RE.search(text)
        if shared is not None:
            author, handle = shared.group("author").strip(), shared.group("handle")
            text = text[: shared.start()]
        elif (bare := _INSTAGRAM_HANDLE_RE.search(text)) is not None:
            handle = bare.group("handle")
    elif platform == "facebook":
        posted = _FACEBOOK_POSTED_RE.search(text)
        if posted is not None:
            author = posted.group("author").strip()
            raw_date = raw_date or posted.group("date").strip()
            text = text[: posted.start()]
    parsed = parse_date(raw_date) if raw_date else None
    own = {post.url} if post else set()
    hosts = {_host(post.url)} if post else set()
    links: list[str] = []
    for found, href in posts:
        if (found is not None and found.url in own) or _host(href) in hosts:
            continue  # the post itself, its author's profile, the platform's own chrome
        if href not in links:
            links.append(href)
    return Embed(
        platform=platform,
        author=author,
        handle=handle,
        url=post.url if post else "",
        posted_at=parsed.date().isoformat() if parsed else "",
        posted_raw=raw_date,
        text=" ".join(text.split()),
        links=links,
    )


def embed_from_block(block: Block, platform: str) -> Embed:
    """An embed block: for a tweet, the text before its signature is the post."""
    if platform != "twitter":
        return _platform_embed(block, platform)
    links = [link.href for link in block.links]
    signature = tweet_signature(block.text)
    if signature is None:
        return _embed(platform, block.text, links, "", "", "")
    start, _end, author, handle, raw_date = signature
    return _embed(platform, block.text[:start].strip(), links, author, handle, raw_date)


# -- link cards ------------------------------------------------------------------------------------


def link_card(block: Block) -> Post | None:
    """The post a paragraph is the card of: nothing but one post's URL, or it under a short label.

    "https://t.me/channel/1234" alone, "شاهد: <a href=…status/…>…</a>",
    "<a href=https://t.me/…/5>Telegram</a>". A sentence that links a post
    ("وقال الجيش في بيان على تلغرام") cites it and stays in the body.
    """
    hrefs = [link.href for link in block.links] or _URL_RE.findall(block.text)
    posts = {post.url: post for post in map(post_url, hrefs) if post is not None}
    if len(posts) != 1 or len(hrefs) != sum(1 for href in hrefs if post_url(href) is not None):
        return None
    if block.links and block.link_text_ratio() >= CARD_LINK_RATIO:
        # a card that is one link as a whole: label, channel, excerpt and URL inside one <a>
        return next(iter(posts.values()))
    label = _URL_RE.sub(" ", block.text)
    label = re.sub(r"[^\w\s]", " ", label)  # ":", "«»", "↓", emoji around a label
    if len(label.split()) > CARD_LABEL_MAX_WORDS or len(" ".join(label.split())) > CARD_LABEL_MAX_CHARS:
        return None
    return next(iter(posts.values()))


def _is_embed(block: Block) -> bool:
    return any(hint.startswith("embed:") for hint in block.hints)


def unglue_signatures(blocks: list[Block]) -> list[Block]:
    """Cut a flattened tweet signature from the paragraph glued after it.

    "— TASS (@tassagency_en) June 12, 2023وقالت..." becomes the signature line
    and "وقالت...", so that every later stage (read-also labels included) sees
    the paragraph as its own block. Runs in the normalise stage.
    """
    result: list[Block] = []
    for block in blocks:
        text = block.text
        while not _is_embed(block):
            signature = tweet_signature(text)
            if signature is None or not signature[3] or not text[signature[1] :].strip():
                break
            result.append(Block(text=text[: signature[1]].strip(), tag=block.tag, hints=block.hints))
            text = text[signature[1] :].strip()
        result.append(block if text == block.text else Block(text=text, tag=block.tag, hints=block.hints))
    return result


def split_embeds(blocks: list[Block]) -> tuple[list[Block], list[Embed]]:
    """Embeds out of the body: embed blocks, link cards and flattened signatures."""
    body: list[Block] = []
    embeds: list[Embed] = []
    for block in blocks:
        platform = next((hint.split(":", 1)[1] for hint in block.hints if hint.startswith("embed:")), None)
        if platform:
            embeds.append(embed_from_block(block, platform))
            continue
        card = link_card(block)
        if card is not None:
            embeds.append(Embed(platform=card.platform, handle=card.handle, url=card.url))
            continue
        for part in unglue_signatures([block]):
            signature = tweet_signature(part.text)
            if signature is None or not signature[3]:
                body.append(part)
                continue
            start, _end, author, handle, raw_date = signature
            tweet_text = part.text[:start].strip()
            if not tweet_text and body and len(body[-1].text) <= TWEET_TEXT_MAX_CHARS:
                tweet_text = body.pop().text  # the post's text is the line before its signature
            links = _URL_RE.findall(tweet_text)
            embeds.append(_embed("twitter", tweet_text, links, author, handle, raw_date))
    return body, embeds
