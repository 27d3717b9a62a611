"""Article bodies as a list of typed blocks, rendered to HTML and read back as expectations.

One description drives both sides: :func:`render_body` turns the blocks into the markup a
page shows, and :func:`expected_segments` turns the same blocks into what a correct
extractor must return. Keeping both in one place is what makes the manifest true by
construction; each block type renders itself in two forms (its own element in a ``<p>``
body, lines in a ``<br>`` body) through small functions a variant template can replace.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

TATWEEL = "\u0640"
ZWNJ, LRM, RLM = "\u200c", "\u200e", "\u200f"
INVISIBLE_MARKS = (ZWNJ, LRM, RLM)
# Letters that join to the following letter: a tatweel after them is where writers stretch words.
JOINING_LETTERS = frozenset("بتثجحخسشصضطظعغفقكلمنهيئ")
ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B))

EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AR_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

Url = Callable[[str], str]  # absolute URL of a site path


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def clean(text: str) -> str:
    """What the manifest holds for a piece of shown text: no tatweel or marks, single spaces."""
    for mark in (TATWEEL, *INVISIBLE_MARKS):
        text = text.replace(mark, "")
    return " ".join(text.replace("\xa0", " ").split())


# --- the pieces blocks are made of -----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A link to another mirror article. ``path`` is empty for a title shown without a link."""

    title: str
    path: str = ""
    absolute: bool = False  # write the href as an absolute URL rather than a root-relative one

    def href(self, url: Url) -> str:
        return url(self.path) if self.absolute else self.path

    def expected(self, url: Url) -> dict[str, str]:
        return {"title": self.title, "url": url(self.path) if self.path else ""}


@dataclass(frozen=True)
class Tweet:
    """One social post: rendered as an embed blockquote or as the flattened text aggregators keep."""

    author: str
    handle: str  # with the @
    status_id: str
    posted: date
    text: str
    links: tuple[str, ...]  # t.co URLs, in order; the last one is the picture link
    pic: str  # pic.twitter.com/...
    domain: str = "twitter.com"  # or x.com
    date_style: str = "en"  # en | ar | ar-indic
    lang: str = "ar"
    flat_line: str = ""  # the flattened text line, when it is not text + links (the seed's)

    @property
    def status_url(self) -> str:
        return f"https://{self.domain}/{self.handle.lstrip('@')}/status/{self.status_id}"

    def date_text(self) -> str:
        day, year = self.posted.day, self.posted.year
        if self.date_style == "en":
            return f"{EN_MONTHS[self.posted.month - 1]} {day}, {year}"
        shown = f"{day} {AR_MONTHS[self.posted.month - 1]} {year}"
        return shown.translate(ARABIC_INDIC) if self.date_style == "ar-indic" else shown

    def line(self) -> str:
        """The tweet's text as a flattened line: text, then its t.co link and picture address."""
        return self.flat_line or f"{self.text} {self.links[0]} {self.pic}"

    def signature(self) -> str:
        return f"— {self.author} ({self.handle}) {self.date_text()}"

    def expected(self, *, blockquote: bool) -> dict[str, object]:
        visible = self._quote_text() if blockquote else self.line()
        return {
            "platform": "twitter",
            "author": self.author,
            "handle": self.handle,
            "posted_at": self.posted.isoformat(),
            "url": self.status_url if blockquote else "",
            "links": list(self.links) if blockquote else [self.links[0]],
            "text": clean(visible),
        }

    def _quote_text(self) -> str:
        words = [self.text, *self.links[:-1], self.pic]
        return " ".join(words)


# --- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """A body paragraph, as markup: ``p``; ``nested`` is ``<p><p>text</p></p>`` (the parser closes
    the outer p early and leaves empty ones); ``unclosed`` is ``<p>text`` whose end tag is missing.
    ``noisy`` adds tatweel, invisible marks and odd spaces when rendered."""

    text: str
    noisy: bool = False
    markup: str = "p"


@dataclass(frozen=True)
class InjectCard:
    """A Sputnik-style card placed inside the paragraph it follows (invalid nesting)."""

    host: str  # the paragraph text before the card: it IS a paragraph
    target: Target


@dataclass(frozen=True)
class Chain:
    """A read-also chain: a label and the titles it announces. Subclasses are its markups."""

    label: str
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class RelatedModule(Chain):
    """``div#Related`` with a heading and ``h4 > a`` items; ``after`` puts it after the body."""

    after: bool = False


@dataclass(frozen=True)
class ReadMoreCard(Chain):
    """``div.read-more``: a label span and one linked title, between paragraphs."""


@dataclass(frozen=True)
class LabelLinks(Chain):
    """``<p><strong>label</strong> <a>title</a></p>``, one line per target."""


@dataclass(frozen=True)
class GluedChain(Chain):
    """Label written straight into the first title, more titles on the next lines, no links."""


@dataclass(frozen=True)
class InlineRelated(Chain):
    """A WordPress theme's related block between paragraphs: a heading and ``article`` items."""

    dates: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceLine:
    text: str  # as shown, e.g. "المصدر : وكالات"
    names: tuple[str, ...]


@dataclass(frozen=True)
class TweetBlock:
    """An embedded tweet: the embed blockquote, or (``flat``) the text aggregators keep, whose
    signature is glued to the next line's first word."""

    tweet: Tweet
    flat: bool = False


@dataclass(frozen=True)
class MarkerLine:
    """A line that is neither paragraph nor chain: a publish line, or (``label``) a read-also
    label alone on its line announcing an appended article."""

    text: str
    label: bool = False


@dataclass(frozen=True)
class AppendedTitle:
    """First line of a whole article appended to the page: a new expected record starts here."""

    title: str


@dataclass(frozen=True)
class Chrome:
    """Site furniture placed inside the body: an ad slot or the share buttons."""

    kind: str  # ad | share
    slot: int = 0


Block = Para | InjectCard | Chain | SourceLine | TweetBlock | MarkerLine | AppendedTitle | Chrome


@dataclass(frozen=True)
class Layout:
    """How paragraphs are delimited: their own ``<p>`` or ``<br>`` lines inside containers."""

    kind: str = "p"  # p | br
    containers: tuple[str, ...] = ("div",)  # br: tags of the one or two line containers
    separator: str = "<br><br>\n"


# --- noise -----------------------------------------------------------------------------------


def add_noise(text_html: str, rng: random.Random, *, newlines: bool) -> str:
    """Stretch a word with tatweel, scatter invisible marks and odd spaces; clean() undoes it all.

    Raw newlines only go into ``<p>`` bodies: inside a ``<br>`` body a newline would be a
    line break to any extractor that reads text lines, which changes the expected paragraphs.
    """
    words = text_html.split(" ")
    arabic = [i for i, word in enumerate(words) if _stretch_point(word) > 0]
    if arabic:
        i = rng.choice(arabic)
        cut = _stretch_point(words[i])
        words[i] = words[i][:cut] + TATWEEL * rng.randint(2, 4) + words[i][cut:]
        j = rng.choice(arabic)
        cut = _stretch_point(words[j])  # still > 0: tatweel only ever follows a joining letter
        words[j] = words[j][:cut] + ZWNJ + words[j][cut:]
    k = rng.randrange(len(words))
    words[k] = words[k] + RLM
    k = rng.randrange(len(words))
    words[k] = LRM + words[k]
    glue = [" "] * (len(words) - 1)
    if len(glue) >= 3:
        a, b = rng.sample(range(len(glue)), 2)
        glue[a] = "&nbsp;"
        glue[b] = " \n\n   " if newlines else "    "
    joined = words[0] + "".join(sep + word for sep, word in zip(glue, words[1:], strict=True))
    return ("\n  " if newlines else " ") + joined + "  "


def _stretch_point(word: str) -> int:
    """Index after a joining letter followed by another letter, or 0 if the word has none."""
    for i in range(len(word) - 1):
        if word[i] in JOINING_LETTERS and word[i + 1] in ARABIC_LETTERS:
            return i + 1
    return 0


# --- rendering -------------------------------------------------------------------------------


@dataclass
class RenderContext:
    url: Url
    rng: random.Random  # for noise only: seeded per page so re-rendering gives the same bytes
    ad: Callable[[int], str]
    share: Callable[[], str]


def _link(target: Target, ctx: RenderContext) -> str:
    return f'<a href="{esc(target.href(ctx.url))}">{esc(target.title)}</a>'


def para_html(text: str, noisy: bool, ctx: RenderContext, *, newlines: bool) -> str:
    shown = esc(text)
    return add_noise(shown, ctx.rng, newlines=newlines) if noisy else shown


def tweet_blockquote(tweet: Tweet) -> str:
    direction = "rtl" if tweet.lang == "ar" else "ltr"
    inner_links = " ".join(f'<a href="{link}">{link}</a>' for link in tweet.links[:-1])
    pic = f'<a href="{tweet.links[-1]}">{tweet.pic}</a>'
    text = " ".join(part for part in (esc(tweet.text), inner_links, pic) if part)
    return (
        f'<blockquote class="twitter-tweet" data-lang="ar"><p lang="{tweet.lang}" dir="{direction}">'
        f"{text}</p>&mdash; {esc(tweet.author)} ({tweet.handle}) "
        f'<a href="{tweet.status_url}">{tweet.date_text()}</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )


def chain_html(chain: Chain, ctx: RenderContext) -> str:
    """A read-also chain in its own markup."""
    label = esc(chain.label)
    if isinstance(chain, RelatedModule):
        items = "".join(f"<h4>{_link(t, ctx)}</h4>" for t in chain.targets)
        return f'<div id="Related" class="related-box"><h2>{label}</h2>{items}</div>'
    if isinstance(chain, ReadMoreCard):
        return f'<div class="read-more"><span>{label}</span>{_link(chain.targets[0], ctx)}</div>'
    if isinstance(chain, InlineRelated):
        items = "".join(
            f"<article class=related-item><h3>{_link(t, ctx)}</h3>"
            f"<span class=related-date>{esc(day)}</span></article>"
            for t, day in zip(chain.targets, chain.dates, strict=True)
        )
        return (
            f'<div class=wp-inline-related data-type="related"><h2 class=inline-related-title>'
            f"{label}</h2>{items}</div>"
        )
    if isinstance(chain, GluedChain):
        return "<p>" + "<br>".join(line_html(chain, ctx)[0]) + "</p>"
    return "".join(f"<p>{line}</p>" for line in line_html(chain, ctx)[0])


def element_html(block: Block, ctx: RenderContext) -> str:
    """A block as its own element(s) inside ``div.entry-content``."""
    if isinstance(block, Para):
        if block.markup == "nested":
            return f"<p><p>{esc(block.text)}</p></p>"
        if block.markup == "unclosed":
            return f"<p>{esc(block.text)}"
        return f"<p>{para_html(block.text, block.noisy, ctx, newlines=True)}</p>"
    if isinstance(block, InjectCard):
        card = (
            '<div class="b-inject m-inject-min"><div class="b-inject__content">'
            f'<span class="b-inject__title">{_link(block.target, ctx)}</span></div></div>'
        )
        return f'<p dir="rtl">{esc(block.host)}{card}</p>'
    if isinstance(block, Chain):
        return chain_html(block, ctx)
    if isinstance(block, TweetBlock):
        if block.flat:
            raise TypeError("a flattened tweet glues to the next line: use it only in <br> bodies")
        return tweet_blockquote(block.tweet)
    if isinstance(block, Chrome):
        return ctx.ad(block.slot) if block.kind == "ad" else ctx.share()
    if isinstance(block, AppendedTitle):
        return f"<p><strong>{esc(block.title)}</strong></p>"
    return f"<p>{esc(block.text)}</p>"


def line_html(block: Block, ctx: RenderContext) -> tuple[list[str], bool]:
    """A block as lines of a ``<br>`` body, and whether its last line glues to the next one."""
    if isinstance(block, Para):
        return [para_html(block.text, block.noisy, ctx, newlines=False)], False
    if isinstance(block, LabelLinks):
        return [f"<strong>{esc(block.label)}</strong> {_link(t, ctx)}" for t in block.targets], False
    if isinstance(block, GluedChain):
        first, *rest = block.targets
        return [esc(block.label + first.title), *(esc(t.title) for t in rest)], False
    if isinstance(block, SourceLine | MarkerLine):
        return [esc(block.text)], False
    if isinstance(block, AppendedTitle):
        return [esc(block.title)], False
    if isinstance(block, TweetBlock) and block.flat:
        return [esc(block.tweet.line()), esc(block.tweet.signature())], True
    raise TypeError(f"{type(block).__name__} has no line form; use it only in <p> bodies")


def has_line_form(block: Block) -> bool:
    if isinstance(block, Para):
        return block.markup == "p"
    if isinstance(block, TweetBlock):
        return block.flat
    return isinstance(block, LabelLinks | GluedChain | SourceLine | MarkerLine | AppendedTitle)


def render_body(blocks: Sequence[Block], layout: Layout, ctx: RenderContext) -> tuple[str, str]:
    """HTML inside ``div.entry-content``, and HTML that follows the div (modules after the body)."""
    inside = [b for b in blocks if not (isinstance(b, RelatedModule) and b.after)]
    after = "\n".join(element_html(b, ctx) for b in blocks if isinstance(b, RelatedModule) and b.after)
    if layout.kind == "p":
        return "\n".join(element_html(b, ctx) for b in inside), after
    return _render_lines(inside, layout, ctx), after


def _render_lines(blocks: Sequence[Block], layout: Layout, ctx: RenderContext) -> str:
    """Runs of line blocks go into containers (split over two when asked); others stand between."""
    runs: list[list[Block] | Block] = []
    for block in blocks:
        if has_line_form(block):
            if not runs or not isinstance(runs[-1], list):
                runs.append([])
            run = runs[-1]
            assert isinstance(run, list)
            run.append(block)
        else:
            runs.append(block)
    out: list[str] = []
    containers = iter(layout.containers * len(runs))
    for run in runs:
        if not isinstance(run, list):
            out.append(element_html(run, ctx))
            continue
        for part in _split_run(run, len(layout.containers) if len(runs) == 1 else 1):
            tag = next(containers)
            out.append(f"<{tag}>{_join_lines(part, layout.separator, ctx)}</{tag}>")
    return "\n".join(out)


def _split_run(run: list[Block], parts: int) -> list[list[Block]]:
    """Split a run of line blocks in two near the middle, never after a glued tweet line."""
    if parts < 2 or len(run) < 2:
        return [run]
    cut = len(run) // 2
    while cut < len(run) and isinstance(run[cut - 1], TweetBlock):
        cut += 1
    return [run[:cut], run[cut:]] if cut < len(run) else [run]


def _join_lines(blocks: Sequence[Block], separator: str, ctx: RenderContext) -> str:
    text = ""
    glue = True  # the first line starts the container
    for block in blocks:
        lines, glue_next = line_html(block, ctx)
        for line in lines:
            text += line if glue else separator + line
            glue = False
        glue = glue_next
    return text


# --- expectations ----------------------------------------------------------------------------


@dataclass
class Segment:
    """What one article of a page must come out as; a page is one segment plus any appended."""

    title: str = ""  # empty for the page's own article (its title is the page's)
    paragraphs: list[str] = field(default_factory=list)
    related: list[dict[str, str]] = field(default_factory=list)
    embeds: list[dict[str, object]] = field(default_factory=list)
    attributions: list[dict[str, str]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def expected_segments(blocks: Sequence[Block], url: Url) -> list[Segment]:
    """Walk the blocks in document order and collect what each article must contain."""
    segments = [Segment()]
    modules_after: list[RelatedModule] = []
    for block in blocks:
        seg = segments[-1]
        if isinstance(block, Para):
            seg.paragraphs.append(block.text)
        elif isinstance(block, InjectCard):
            seg.paragraphs.append(block.host)
            seg.related.append(block.target.expected(url))
        elif isinstance(block, RelatedModule) and block.after:
            modules_after.append(block)
        elif isinstance(block, Chain):
            seg.related.extend(t.expected(url) for t in block.targets)
            seg.labels.append(block.label)
        elif isinstance(block, SourceLine):
            seg.attributions.extend(
                {"kind": "source_line", "name": n, "text": block.text} for n in block.names
            )
        elif isinstance(block, TweetBlock):
            seg.embeds.append(block.tweet.expected(blockquote=not block.flat))
        elif isinstance(block, AppendedTitle):
            segments.append(Segment(title=block.title))
        elif isinstance(block, MarkerLine) and block.label:
            seg.labels.append(block.text)
    for module in modules_after:
        segments[0].related.extend(t.expected(url) for t in module.targets)
        segments[0].labels.append(module.label)
    return segments
