"""Embedded social posts: the tweet blockquote and its flattened signature line.

A ``blockquote.twitter-tweet`` (hinted ``embed:<platform>`` by the block walker)
and its flattened form ("tweet text pic.twitter.com/…" then "— Name (@handle)
June 12, 2023", often glued to the next paragraph) become :class:`Embed`
records.

Written by hand: no maintained library parses tweet embed signatures; extruct
and trafilatura either ignore or drop them.
"""

from __future__ import annotations

import re

from crawler.items import Block, Embed
from crawler.text.dates import parse_date
from crawler.text.urls import canonical_url

TWEET_TEXT_MAX_CHARS = 600

_HANDLE_RE = re.compile(
    r"\(\s*(?P<handle>@[A-Za-z0-9_]{1,30})\s*\)\s*(?P<date>[^()\n]{0,30}?[0-9٠-٩]{4})(?:\s*г\.)?"
)
_DASHES = "—―–"
_URL_RE = re.compile(r"(?:https?://|pic\.twitter\.com/)[^\s\"'<>«»]+")
_STATUS_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<handle>[A-Za-z0-9_]{1,30})/status/\d+"
)


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
        handle = "@" + match.group("handle") if match else ""
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


def embed_from_block(block: Block, platform: str) -> Embed:
    """An embed blockquote: the text before its signature is the post."""
    links = [link.href for link in block.links]
    signature = tweet_signature(block.text)
    if signature is None:
        return _embed(platform, block.text, links, "", "", "")
    start, _end, author, handle, raw_date = signature
    return _embed(platform, block.text[:start].strip(), links, author, handle, raw_date)


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
    """Embeds out of the body: blockquote blocks and flattened signatures."""
    body: list[Block] = []
    embeds: list[Embed] = []
    for block in blocks:
        platform = next((hint.split(":", 1)[1] for hint in block.hints if hint.startswith("embed:")), None)
        if platform:
            embeds.append(embed_from_block(block, platform))
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
