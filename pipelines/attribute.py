"""Stage 3, attribute: source lines, agency credits, cited outlets and embedded posts.

* ``المصدر: الأسبوع`` lines (and a label alone followed by the name) become a
  ``source_line`` attribution and leave the body; a sentence that merely
  mentions المصدر ("وقال المصدر إن ...") stays.
* a labelled source field outside the body becomes ``source_field``.
* an agency credit on its own line ("(رويترز)", "- أ ف ب") becomes ``agency``
  and leaves the body; a credit inside the lead ("دمشق (CNN) --") is recorded
  and the text kept.
* an outlet named after a citing verb ("أفادت وكالة ... تاس") becomes ``cited``.
* ``blockquote.twitter-tweet`` embeds and their flattened form
  ("tweet text pic.twitter.com/…" then "— Name (@handle) June 12, 2023", often
  glued to the next paragraph) become :class:`Embed` records and leave the body.

Written by hand: no maintained library parses tweet embed signatures or Arabic
source lines; extruct and trafilatura either ignore or drop them.
"""

from __future__ import annotations

import re

from crawler.arabic import matching_form
from crawler.items import Article, Attribution, Block, Embed, PageItem
from crawler.lexicon import AGENCY_RE, CITING_RE, SOURCE_LINE_RE, agency_name
from pipelines.base import PageStage
from pipelines.dates import parse_date

SOURCE_MAX_WORDS = 8
SOURCE_MAX_CHARS = 60
# How far after a citing verb an outlet's name may come ("أفادت وكالة الأنباء الروسية الرسمية "تاس"").
CITED_WINDOW = 60
TWEET_TEXT_MAX_CHARS = 600

_HANDLE_RE = re.compile(
    r"\(\s*(?P<handle>@[A-Za-z0-9_]{1,30})\s*\)\s*(?P<date>[^()\n]{0,30}?[0-9٠-٩]{4})(?:\s*г\.)?"
)
_DASHES = "—―–"
_URL_RE = re.compile(r"(?:https?://|pic\.twitter\.com/)[^\s\"'<>«»]+")
_STATUS_RE = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<handle>[A-Za-z0-9_]{1,30})/status/\d+"
)
_QUOTES = "\"'«»“”„‘’()[]{}"
_DATELINE_SOURCE_RE = re.compile(r"^\(?\s*[^()\-–—]{2,30}\s*[-–—]\s*(?P<name>[^()\-–—]{2,40})\)?$")
_AGENCY_ONLY_RE = re.compile(r"^[\s\-–—(（\[]*(?P<name>[^()\[\]\-–—]{1,40}?)[\s\-–—)）\].]*$")


def clean_source_name(text: str) -> str:
    """ "(أبوظبي - البيان)" → "البيان"; '"سانا" + RT' → "سانا + RT"."""
    text = text.strip()
    dateline = _DATELINE_SOURCE_RE.match(text)
    if dateline and text.startswith("("):
        text = dateline.group("name")
    text = "".join(char for char in text if char not in _QUOTES)
    return " ".join(text.split()).strip(" .،,:-–—")


_SOURCE_SEPARATOR_RE = re.compile(r"\s*[+،,/&]\s*")


def source_names(text: str) -> list[str]:
    """The outlets a credit names: '"سانا" + RT' → ["سانا", "RT"]."""
    names = [clean_source_name(part) for part in _SOURCE_SEPARATOR_RE.split(text)]
    return [name for name in names if name]


def source_line(text: str) -> str | None:
    """The credit of a source line ("المصدر: الأسبوع"), or None for any other text."""
    match = SOURCE_LINE_RE.match(text)
    if match is None:
        return None
    name = text[match.end() :].strip()
    if len(name) > SOURCE_MAX_CHARS or len(name.split()) > SOURCE_MAX_WORDS:
        return None  # a sentence that starts with the word, not a credit
    return clean_source_name(name)


def agency_only(text: str) -> str | None:
    """The agency of a line that is nothing but a credit ("(رويترز)", "- أ ف ب")."""
    match = _AGENCY_ONLY_RE.match(text)
    if match is None:
        return None
    candidate = match.group("name").strip()
    agency = AGENCY_RE.fullmatch(candidate)
    return agency_name(agency.group("name")) if agency else None


def _cited(text: str) -> list[tuple[str, str]]:
    """Outlets named after a citing verb: (canonical name, the citing phrase)."""
    found: list[tuple[str, str]] = []
    for verb in CITING_RE.finditer(text):
        window = text[verb.end() : verb.end() + CITED_WINDOW]
        agency = AGENCY_RE.search(window)
        if agency:
            phrase = text[verb.start() : verb.end() + agency.end()]
            found.append((agency_name(agency.group("name")), phrase.strip(' "«»')))
    return found


def _lead_credit(text: str) -> str | None:
    """A credit in parentheses near the start of the lead: "دمشق، سوريا (CNN) --"."""
    match = re.search(r"\(\s*([^()]{1,30})\s*\)", text[:80])
    if match:
        agency = AGENCY_RE.fullmatch(match.group(1).strip())
        if agency:
            return agency_name(agency.group("name"))
    return None


# -- embedded posts ----------------------------------------------------------------


def _signature(text: str) -> tuple[int, int, str, str, str] | None:
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
        url=status,
        posted_at=posted.date().isoformat() if posted else "",
        posted_raw=raw_date,
        text=text,
        links=unique,
    )


def embed_from_block(block: Block, platform: str) -> Embed:
    """An embed blockquote: the text before its signature is the post."""
    links = [link.href for link in block.links]
    signature = _signature(block.text)
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
            signature = _signature(text)
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
            signature = _signature(part.text)
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


# -- source lines and credits ---------------------------------------------------------


def split_attributions(blocks: list[Block]) -> tuple[list[Block], list[Attribution]]:
    body: list[Block] = []
    found: list[Attribution] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        name = source_line(block.text)
        if name == "" and index + 1 < len(blocks):
            # a label alone ("المصدر:") with the name on the next line
            following = blocks[index + 1].text
            if len(following) <= SOURCE_MAX_CHARS and len(following.split()) <= SOURCE_MAX_WORDS:
                text = f"{block.text} {following}"
                found += [Attribution("source_line", part, text) for part in source_names(following)]
                index += 2
                continue
        if name:
            found += [Attribution("source_line", part, block.text) for part in source_names(name)]
            index += 1
            continue
        agency = agency_only(block.text)
        if agency:
            found.append(Attribution("agency", agency, block.text))
            index += 1
            continue
        body.append(block)
        index += 1
    if body:
        credit = _lead_credit(body[0].text)
        if credit:
            found.append(Attribution("agency", credit, body[0].text[:80]))
    for block in body:
        for name, phrase in _cited(block.text):
            found.append(Attribution("cited", name, phrase))
    return body, _dedupe(found)


def _dedupe(attributions: list[Attribution]) -> list[Attribution]:
    seen: set[tuple[str, str]] = set()
    unique: list[Attribution] = []
    for attribution in attributions:
        key = (attribution.kind, matching_form(attribution.name))
        if key not in seen:
            seen.add(key)
            unique.append(attribution)
    return unique


def attribute_article(article: Article, publisher: str, source_field: str = "") -> Article:
    blocks, embeds = split_embeds(article.blocks)
    blocks, attributions = split_attributions(blocks)
    if source_field:
        attributions[:0] = [
            Attribution("source_field", name, source_field) for name in source_names(source_field)
        ]
    article.blocks = blocks
    article.embeds = embeds
    article.attributions = attributions
    credited = [a.name for a in attributions if a.kind in ("source_line", "source_field")]
    agencies = [a.name for a in attributions if a.kind == "agency"]
    article.source = (credited or agencies or [publisher])[0]
    return article


class AttributionPipeline(PageStage):
    stage = "attribute"

    def process_page(self, page: PageItem) -> PageItem:
        for position, article in enumerate(page.articles):
            # the labelled field describes the page's own article, not appended ones
            field = page.meta.source_field if position == 0 else ""
            attribute_article(article, page.publisher, field)
            self.inc("pipeline/attribute/embeds", len(article.embeds))
            self.inc("pipeline/attribute/attributions", len(article.attributions))
        return page
