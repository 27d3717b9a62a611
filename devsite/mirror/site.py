"""The mirror site: which posts exist, which markup shapes each carries, and every route.

:func:`build_site` plans posts deterministically from a seed (a fixed table of body recipes
spread over the three sections, plus the special pages), then renders every route into
memory. The manifest is derived from the same post model, so it states exactly what the
pages show. Rendering is split by page kind (:data:`PAGE_RENDERERS`, :class:`Theme`) and
indexes (listings, feeds, sitemaps) are rendered apart from posts, so a template can be
swapped (``build_site(template="changed")``, :mod:`devsite.mirror.redesign`) and posts added at
runtime (:meth:`MirrorSite.add_articles`) without touching the planner.
``build_site(js_section=True)`` adds a fourth section whose listings and bodies only
JavaScript fills (:mod:`devsite.mirror.jsapp`); without it the site is exactly as before.
"""

from __future__ import annotations

import json
import math
import random
import string
import struct
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from devsite.mirror.body import (
    Block,
    Chrome,
    GluedChain,
    InjectCard,
    InlineRelated,
    LabelLinks,
    Layout,
    Para,
    ReadMoreCard,
    RelatedModule,
    Segment,
    SourceLine,
    Target,
    Tweet,
    TweetBlock,
    expected_segments,
)
from devsite.mirror.jsapp import (
    AD_IMAGE_PATH,
    FONT_BYTES,
    FONT_PATH,
    JSON,
    READ_ALSO_LABEL,
    JsTheme,
    inline_image_paths,
    listing_api_path,
    story_api_path,
)
from devsite.mirror.model import (
    ARTICLE,
    BAD_KINDS,
    CAIRO,
    JS_ARTICLE,
    JS_SECTION,
    PRIVATE,
    PUBLISHER,
    SECTIONS,
    Post,
    Section,
    SiteModel,
    author_path,
    tag_path,
)
from devsite.mirror.redesign import ChangedTheme
from devsite.mirror.seed import SEED_PUBLISHED, SEED_TITLE, seed_blocks
from devsite.mirror.theme import LOGO_PATH, SCRIPT_PATH, STYLE_PATH, TRACKING_QUERY, Theme, arabic_date
from devsite.mirror.vocab import AUTHORS, TAGS, TWEET_ACCOUNTS, TWEETS_AR, TWEETS_EN, TextGen

PLACEHOLDER_BASE_URL = "http://alusbu.mirror.invalid"  # never resolves: .invalid is reserved
LISTING_PAGE_SIZE = 10
RSS_SIZE = 20
SITEMAP_SIZE = 1000
FIRST_ID = 675_120
MIN_ARTICLES = 8
WINDOW_END = datetime(2025, 1, 26, 13, 0, tzinfo=CAIRO)
WINDOW_START = datetime(2024, 11, 5, 8, 0, tzinfo=CAIRO)  # after Egypt's summer time ended
MAX_GAP = timedelta(hours=8)
JS_ARTICLES = 12  # articles of the JavaScript section unless build_site() is told otherwise

HTML = "text/html; charset=UTF-8"
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid grey PNG, so image URLs on the pages answer with an image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG_BYTES = _png()


@dataclass(frozen=True)
class Route:
    """One answer of the server: status, headers (Content-Length is added when sent), body.

    ``post`` marks the page of a post (an article URL, good or bad): what the server's slow
    mode delays, unlike listings, feeds, sitemaps, robots.txt and images.
    """

    status: int
    headers: dict[str, str]
    body: bytes
    post: bool = False
    modified: datetime | None = None  # sent as Last-Modified (the server adds an ETag to any 200)


PNG_ROUTE = Route(200, {"Content-Type": "image/png"}, PNG_BYTES)


# --- recipes: which shapes a regular article carries ---------------------------------------


@dataclass(frozen=True)
class Recipe:
    layout: str  # p | badnest | br-div | br-p | br-pp | br-divp
    related: tuple[tuple[str, str], ...] = ()  # (kind, label)
    sources: tuple[str, ...] = ()  # publisher | agencies | multi | field | mention
    tweet: str = ""  # "" | flat | "<domain> <date style>"
    noise: bool = False
    inline_chrome: bool = False  # an ad slot and share buttons between paragraphs


# Regular article j goes to section j % 3 with recipe (j // 3) % 12: each recipe lands in all
# three sections in turn, so 36 regular articles show every recipe in every section.
RECIPES: tuple[Recipe, ...] = (
    Recipe("p", (("module_after", "إقرأ أيضاً"),), ("publisher",), "twitter.com en", True, True),
    Recipe("br-div", (("glued", "اقرأ ايضا"),), ("agencies",), "flat", True),
    Recipe("badnest", (("card", "إقرأ المزيد"), ("links_single", "اقرأ أيضاً:")), ("multi",), "", False, True),
    Recipe("p", (("wp_inline", "إقرأ أيضاً"),), ("field",), "x.com ar"),
    Recipe("br-pp", (("links_multiple", "اقرأ  أيضاً :"),), ("mention",), "flat", True),
    Recipe("p", (("b_inject", ""),), ("mention",), "twitter.com ar-indic", True, True),
    Recipe("badnest", (("module_inside", "مواضيع ذات صلة"),), (), "twitter.com ar", True),
    Recipe("br-divp", (("glued", "اقرأ أيضًا"),), ("publisher",)),
    Recipe("p", (("card", "اقرأ المزيد"), ("wp_inline", "شاهد أيضاً")), ("agencies",), "x.com en"),
    Recipe(
        "p",
        (("links_single", "طالع أيضاً:"), ("module_after", "الأخبار المرتبطة")),
        ("field", "mention"),
        "",
        False,
        True,
    ),
    Recipe("badnest", (("b_inject", ""), ("module_inside", "اقرا أيضا")), ("multi",), "x.com ar-indic", True),
    Recipe("br-p", (("links_multiple", "اقرأ أيضاً"),), (), "flat"),
)
# Recipe for the pages that only need to be ordinary articles (syndicated pair, windows-1256).
PLAIN_RECIPE = Recipe("p", (("links_single", "اقرأ أيضاً:"),), ("publisher",))
# Articles published after the build (MirrorSite.add_articles) alternate between these.
ADDED_RECIPES = (Recipe("p"), Recipe("p", (("module_after", "اقرأ أيضاً"),), ("publisher",)))

LAYOUTS: dict[str, Layout] = {
    "p": Layout("p"),
    "badnest": Layout("p"),
    "br-div": Layout("br", ("div",)),
    "br-p": Layout("br", ("p",), "<br />\n<br />\n"),
    "br-pp": Layout("br", ("p", "p")),
    "br-divp": Layout("br", ("div", "p"), "<br /><br />"),
}
SOURCE_LINES: dict[str, SourceLine] = {
    "publisher": SourceLine("المصدر: الأسبوع", ("الأسبوع",)),
    "agencies": SourceLine("المصدر : وكالات", ("وكالات",)),
    "multi": SourceLine('المصدر: "سانا" + RT', ("سانا", "RT")),
}
SOURCE_FIELD_NAME = "وكالة الأنباء الروسية"
RELATED_SHAPES = {
    "module_after": "related_module_after",
    "module_inside": "related_module_inside",
    "card": "read_more_card",
    "links_single": "label_links_single",
    "links_multiple": "label_links_multiple",
    "glued": "glued_label_text",
    "wp_inline": "wp_inline_related",
    "b_inject": "b_inject_in_p",
}
TWEET_SHAPES = {"x.com": "tweet_x_com", "ar": "tweet_arabic_date", "ar-indic": "tweet_arabic_indic_date"}


def _plain(block: Block) -> bool:
    """A paragraph in its ordinary markup: cards, noise and glued signatures may only touch these."""
    return isinstance(block, Para) and block.markup == "p"


class Composer:
    """Turns a recipe into body blocks, drawing text and link targets from the seeded generator."""

    def __init__(self, gen: TextGen, rng: random.Random, pool: list[Post]) -> None:
        self.gen, self.rng, self.pool = gen, rng, pool
        self._linked: dict[int, set[int]] = {}  # post id -> ids it links to (and its own)

    def targets(self, post: Post, count: int) -> list[Post]:
        """Other posts to link from ``post``; never one it already links to (a page's related
        links are distinct, and the record keeps each once)."""
        used = self._linked.setdefault(post.id, {post.id})
        sample = self.rng.sample(self.pool, min(len(self.pool), count + len(used)))
        chosen = [p for p in sample if p.id not in used][:count]
        used.update(p.id for p in chosen)
        return chosen

    def target(self, post: Post) -> Target:
        return Target(post.title, post.path, absolute=self.rng.random() < 0.5)

    def tweet(self, post: Post, spec: str) -> Tweet:
        domain, style = spec.split() if spec != "flat" else ("twitter.com", "en")
        author, handle = self.rng.choice(TWEET_ACCOUNTS)
        english = self.rng.random() < 0.4
        text = self.rng.choice(TWEETS_EN if english else TWEETS_AR)
        code = string.ascii_letters + string.digits
        links = tuple(
            "https://t.co/" + "".join(self.rng.choices(code, k=10)) for _ in range(self.rng.randint(1, 2))
        )
        return Tweet(
            author=author,
            handle=handle,
            status_id=str(self.rng.randint(1_600_000_000_000_000_000, 1_880_000_000_000_000_000)),
            posted=post.published.date() - timedelta(days=self.rng.randint(0, 3)),
            text=text,
            links=links,
            pic="pic.twitter.com/" + "".join(self.rng.choices(code, k=10)),
            domain=domain,
            date_style=style,
            lang="en" if english else "ar",
        )

    def compose(self, post: Post, recipe: Recipe) -> None:
        """Fill ``post.blocks``/``layout``/``shapes``/``source_field`` from the recipe."""
        rng = self.rng
        # Bad nesting takes two paragraphs out of play for cards and tweets: give it room.
        texts = self.gen.body(5 if recipe.layout == "badnest" else 3, 8)
        if "mention" in recipe.sources:
            texts[rng.randrange(len(texts))] = self.gen.mention_paragraph()
        n = len(texts)
        paras: list[Block] = [Para(t) for t in texts]
        shapes = ["body_br" if recipe.layout.startswith("br") else "body_p"]
        after: list[list[Block]] = [[] for _ in range(n)]  # blocks placed after paragraph i
        middle = list(range(n - 1))
        end: list[Block] = []
        tail: list[Block] = []  # after the source line: modules inside the body, then after it

        if recipe.layout == "badnest":
            nested, unclosed = rng.sample(range(n - 1), 2)
            paras[nested] = Para(texts[nested], markup="nested")
            paras[unclosed] = Para(texts[unclosed], markup="unclosed")
            shapes.append("bad_nesting")
        for kind, label in recipe.related:
            shapes.append(RELATED_SHAPES[kind])
            if kind in ("module_after", "module_inside"):
                chosen = tuple(self.target(p) for p in self.targets(post, rng.randint(3, 4)))
                tail.append(RelatedModule(label, chosen, after=kind == "module_after"))
            elif kind == "card":
                after[rng.choice(middle)].append(
                    ReadMoreCard(label, (self.target(self.targets(post, 1)[0]),))
                )
            elif kind == "links_single":
                after[rng.choice(middle)].append(LabelLinks(label, (self.target(self.targets(post, 1)[0]),)))
            elif kind == "links_multiple":
                chosen = tuple(self.target(p) for p in self.targets(post, rng.randint(2, 3)))
                end.append(LabelLinks(label, chosen))
            elif kind == "glued":
                end.append(
                    GluedChain(label, tuple(Target(p.title) for p in self.targets(post, rng.randint(2, 3))))
                )
            elif kind == "wp_inline":
                picked = self.targets(post, 2)
                dates = tuple(arabic_date(p.published) for p in picked)
                after[rng.choice(middle)].append(
                    InlineRelated(label, tuple(map(self.target, picked)), dates=dates)
                )
            elif kind == "b_inject":
                host = rng.choice([i for i in middle if _plain(paras[i])])
                paras[host] = InjectCard(texts[host], self.target(self.targets(post, 1)[0]))
        self._add_sources(post, recipe, end, shapes)
        glued_to = self._add_tweet(post, recipe, paras, after, shapes)
        if recipe.inline_chrome:
            after[rng.choice(middle)].insert(0, Chrome("ad", 3))
            after[rng.choice(middle)].insert(0, Chrome("share"))
            shapes += ["ad_in_body", "share_in_body"]
        if recipe.noise:
            plain = [i for i, b in enumerate(paras) if _plain(b) and i != glued_to]
            for i in rng.sample(plain, min(2, len(plain))):
                paras[i] = Para(texts[i], noisy=True)
            shapes.append("text_noise")
        post.blocks = [b for i, para in enumerate(paras) for b in (para, *after[i])] + end + tail
        post.layout = LAYOUTS[recipe.layout]
        post.shapes = shapes

    def _add_sources(self, post: Post, recipe: Recipe, end: list[Block], shapes: list[str]) -> None:
        for kind in recipe.sources:
            if kind in SOURCE_LINES:
                end.append(SOURCE_LINES[kind])
                shapes.append(f"source_line_{kind}")
            elif kind == "field":
                post.source_field = SOURCE_FIELD_NAME
                shapes.append("source_field")
            else:
                shapes.append("source_mention_in_body")
        if not any(kind in SOURCE_LINES or kind == "field" for kind in recipe.sources):
            shapes.append("source_default")

    def _add_tweet(
        self, post: Post, recipe: Recipe, paras: list[Block], after: list[list[Block]], shapes: list[str]
    ) -> int:
        """Place the recipe's tweet; return the index of a paragraph its signature glues to, or -1."""
        if not recipe.tweet:
            return -1
        tweet = self.tweet(post, recipe.tweet)
        # A flattened signature glues to the next paragraph: it must be a plain one.
        slots = [i for i in range(len(paras) - 1) if _plain(paras[i + 1])]
        slot = self.rng.choice(slots)
        if recipe.tweet == "flat":
            after[slot].append(TweetBlock(tweet, flat=True))
            shapes.append("tweet_flattened")
            return slot + 1
        after[slot].append(TweetBlock(tweet))
        shapes.append("tweet_blockquote")
        shapes += [TWEET_SHAPES[part] for part in recipe.tweet.split() if part in TWEET_SHAPES]
        return -1


# --- planning ------------------------------------------------------------------------------


@dataclass
class Slot:
    """A post before it has an id: what kind it is and how its body is made."""

    kind: str
    section: Section
    recipe: Recipe | None = None
    special: str = ""  # seed | syndicated | syndicated_copy | windows_1256 | private | bad page kind
    post: Post | None = field(default=None, repr=False)


def plan_site(n_articles: int, seed: int) -> SiteModel:
    """Decide every post: kind, section, recipe, title, author, date, id, then compose bodies."""
    if n_articles < MIN_ARTICLES:
        raise ValueError(f"the mirror needs at least {MIN_ARTICLES} articles, got {n_articles}")
    rng = random.Random(seed)
    gen = TextGen(rng)
    gen.reserve_title(SEED_TITLE)
    arab, military, politics = SECTIONS
    specials = [
        Slot(ARTICLE, military, special="seed"),
        Slot(ARTICLE, arab, PLAIN_RECIPE, special="syndicated"),
        Slot(ARTICLE, politics, special="syndicated_copy"),
        Slot(ARTICLE, politics, PLAIN_RECIPE, special="windows_1256"),
    ]
    regular = [
        Slot(ARTICLE, SECTIONS[j % 3], RECIPES[(j // 3) % len(RECIPES)]) for j in range(n_articles - 4)
    ]
    others = [
        Slot("empty_page", arab, special="empty_page"),
        Slot("no_title", military, special="no_title"),
        Slot("non_html", politics, special="non_html"),
        Slot("http_404", arab, special="http_404"),
        Slot(PRIVATE, military, special="private"),
    ]
    slots = regular + specials + others
    posts = [_shell(slot, gen, rng) for slot in slots]
    _date_posts(slots, rng)
    ordered = sorted(posts, key=lambda p: p.published)
    next_id = FIRST_ID
    for post in ordered:
        post.id = next_id
        next_id += rng.randint(1, 23)
    model = SiteModel(seed=seed, posts=ordered)
    _compose_bodies(slots, model, gen, rng)
    return model


def plan_additions(model: SiteModel, k: int, when: datetime, batch: int) -> list[Post]:
    """``k`` new ordinary articles published at ``when``, with ids above every existing one.

    Seeded by the model's seed and the batch number, so the same calls give the same posts.
    """
    rng = random.Random(f"{model.seed}:add:{batch}")
    gen = TextGen(rng)
    for post in model.posts:
        gen.reserve_title(post.title)
    pool = [p for p in model.articles() if p.duplicate_of is None]
    composer = Composer(gen, rng, pool)
    next_id = max(p.id for p in model.posts)
    posts = []
    for j in range(k):
        slot = Slot(ARTICLE, SECTIONS[(len(model.posts) + j) % len(SECTIONS)])
        post = _shell(slot, gen, rng)
        next_id += rng.randint(1, 23)
        post.id, post.published = next_id, when
        composer.compose(post, ADDED_RECIPES[j % len(ADDED_RECIPES)])
        posts.append(post)
    return posts


def plan_js_section(model: SiteModel, count: int) -> list[Post]:
    """``count`` articles of the JavaScript section, spread over the site's window.

    Seeded apart from the rest of the plan, so the other posts are the same with or without
    them. Their ids continue the site's id space (above every existing id, rising with the
    date), their authors and tags are ones the site already has pages for, and their late
    read-also blocks link to ordinary articles. Every page has paragraphs and a late block;
    every other page also ends its body with a source line.
    """
    if count < 1:
        raise ValueError(f"the JavaScript section needs at least 1 article, got {count}")
    rng = random.Random(f"{model.seed}:js")
    gen = TextGen(rng)
    for post in model.posts:
        gen.reserve_title(post.title)
    pool = [p for p in model.articles() if p.duplicate_of is None]
    authors = sorted({p.author for p in pool}, key=lambda a: a.slug)
    tags = sorted({t for p in model.articles() for t in p.tags})
    gap = (WINDOW_END - WINDOW_START) / (count + 1)
    next_id = max(p.id for p in model.posts)
    posts: list[Post] = []
    for j in range(count):
        moment = WINDOW_START + gap * (j + 1 + rng.uniform(-0.3, 0.3))
        published = moment.replace(second=0, microsecond=0)
        if posts and published <= posts[-1].published:
            published = posts[-1].published + timedelta(minutes=1)
        next_id += rng.randint(1, 23)
        title = gen.title()
        post = Post(
            id=next_id,
            kind=JS_ARTICLE,
            section=JS_SECTION,
            title=title,
            author=rng.choice(authors),
            published=published,
            tags=tuple(rng.sample(tags, min(len(tags), rng.randint(2, 3)))),
            modified=published + timedelta(minutes=rng.randint(0, 180)),
            # a teaser that is not the body's words: the page's HTML must not hold any of them
            summary=f"قراءة تحليلية: {title}",
        )
        blocks: list[Block] = [Para(t) for t in gen.body(3, 8)]
        post.shapes = ["body_p", "js_rendered", "late_read_also"]
        if j % 2 == 0:
            blocks.append(SOURCE_LINES["publisher"])
            post.shapes.append("source_line_publisher")
        else:
            post.shapes.append("source_default")
        linked = rng.sample(pool, min(len(pool), rng.randint(3, 4)))
        blocks.append(RelatedModule(READ_ALSO_LABEL, tuple(Target(p.title, p.path) for p in linked)))
        post.blocks = blocks
        posts.append(post)
    return posts


def _shell(slot: Slot, gen: TextGen, rng: random.Random) -> Post:
    title = SEED_TITLE if slot.special == "seed" else gen.title()
    post = Post(
        id=0,
        kind=slot.kind,
        section=slot.section,
        title=title,
        author=rng.choice(AUTHORS),
        published=WINDOW_END,
        tags=tuple(rng.sample(TAGS, rng.randint(2, 3))),
    )
    slot.post = post
    return post


def _date_posts(slots: list[Slot], rng: random.Random) -> None:
    """Spread posts back in time from WINDOW_END; the seed keeps its date, the copy follows its original."""
    free = [s for s in slots if s.special not in ("seed", "syndicated_copy")]
    rng.shuffle(free)
    gap = min((WINDOW_END - WINDOW_START) / (len(free) + 1), MAX_GAP)
    taken = {SEED_PUBLISHED}
    moment = WINDOW_END
    for slot in free:
        moment -= gap * rng.uniform(0.6, 1.0)
        when = moment.replace(second=0, microsecond=0)
        while when in taken:
            when -= timedelta(minutes=1)
        taken.add(when)
        assert slot.post is not None
        slot.post.published = when
    by_special = {s.special: s.post for s in slots if s.special}
    seed_post, original, copy = by_special["seed"], by_special["syndicated"], by_special["syndicated_copy"]
    assert seed_post is not None
    assert original is not None
    assert copy is not None
    seed_post.published = SEED_PUBLISHED
    copy.published = original.published + timedelta(hours=5, minutes=7)


def _compose_bodies(slots: list[Slot], model: SiteModel, gen: TextGen, rng: random.Random) -> None:
    pool = [s.post for s in slots if s.post is not None and s.kind == ARTICLE and not s.special]
    composer = Composer(gen, rng, pool)
    by_special: dict[str, Post] = {}
    for slot in slots:
        post = slot.post
        assert post is not None
        post.modified = post.published + timedelta(minutes=rng.randint(0, 180))
        if slot.special:
            by_special[slot.special] = post
        if slot.recipe is not None:
            composer.compose(post, slot.recipe)
        elif slot.special == "seed":
            post.blocks = seed_blocks()
            post.layout = Layout("br", ("div",), "<br>\n")
            post.shapes = ["seed_aggregator", "body_br", "glued_label_text", "source_line_publisher"]
            post.shapes += ["appended_article", "tweet_flattened"]
            model.seed_page_id = post.id
        elif slot.special != "syndicated_copy":
            post.blocks = [Para(t) for t in gen.body(3, 5)]
            post.shapes = ["body_p", slot.special]
    original, copy = by_special["syndicated"], by_special["syndicated_copy"]
    copy.title, copy.author, copy.tags = original.title, original.author, original.tags
    copy.blocks, copy.layout, copy.duplicate_of = original.blocks, original.layout, original.id
    original.shapes.append("syndicated")
    copy.shapes = [*original.shapes]
    special = by_special["windows_1256"]
    special.encoding = "windows-1256"
    special.shapes.append("windows_1256")
    tracked = next(p for p in model.newest_first(pool) if p.section == SECTIONS[0])
    tracked.shapes.append("tracking_query_link")
    model.tracked_id = tracked.id
    others = [p.id for p in rng.sample(pool, min(4, len(pool))) if p.id != tracked.id][:4]
    model.most_read = [others[0], tracked.id, *others[1:]]


# --- the site ------------------------------------------------------------------------------


def html_route(page: str, *, encoding: str = "utf-8", status: int = 200) -> Route:
    if encoding == "utf-8":
        return Route(status, {"Content-Type": HTML}, page.encode("utf-8"))
    # No charset anywhere: not in the header, not in a meta tag, no BOM.
    return Route(status, {"Content-Type": "text/html"}, page.encode(encoding))


def cairo_time(moment: datetime) -> datetime:
    """A publication time as the CMS stores it: Cairo time (a naive one is taken as such), whole seconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CAIRO)
    return moment.astimezone(CAIRO).replace(microsecond=0)


def _article_route(theme: Theme, post: Post) -> Route:
    return html_route(theme.article_page(post), encoding=post.encoding)


PAGE_RENDERERS: dict[str, Callable[[Theme, Post], Route]] = {
    ARTICLE: _article_route,
    PRIVATE: _article_route,
    "empty_page": lambda theme, post: Route(200, {"Content-Type": HTML}, b""),
    "no_title": lambda theme, post: html_route(theme.untitled_page(post)),
    "non_html": lambda theme, post: Route(200, {"Content-Type": "application/pdf"}, PDF_BYTES),
    "http_404": lambda theme, post: html_route(theme.not_found_page(), status=404),
}


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class MirrorSite:
    """Every route of the mirror in memory, and the manifest of what a crawl must find.

    ``routes`` is replaced whole, never changed in place, so a server thread that read it
    sees one consistent site while :meth:`add_articles` or :meth:`rebase` runs in another.
    """

    def __init__(
        self,
        model: SiteModel,
        base_url: str = "",
        theme: type[Theme] = Theme,
        *,
        sitemap_size: int = SITEMAP_SIZE,
        crawl_delay: float | None = None,
    ) -> None:
        if sitemap_size < 1:
            raise ValueError(f"sitemap_size must be at least 1, got {sitemap_size}")
        self.model = model
        self.theme_class = theme
        self.sitemap_size = sitemap_size  # posts per child sitemap of /sitemap.xml
        self.crawl_delay = crawl_delay  # robots.txt's Crawl-delay, seconds (None: no such line)
        self.base_url = (base_url or PLACEHOLDER_BASE_URL).rstrip("/")
        self.routes: dict[str, Route] = {}
        self.not_found = Route(404, {"Content-Type": HTML}, b"")
        # Post counts after each batch: posts[batches[i-1]:batches[i]] were published together,
        # and their pages show the site as it was then (see Theme's ``upto``).
        self.batches: list[int] = [len(model.posts)]
        self._index_paths: frozenset[str] = frozenset()
        # Pages of ordinary articles, the only ones a fault plan acts on (devsite/mirror/faults.py):
        # not bad pages, private pages or the JavaScript section's articles.
        self.article_paths: frozenset[str] = frozenset()
        self._lock = threading.RLock()  # one writer at a time: render, rebase, add_articles, manifest
        self._manifest: dict[str, Any] | None = None
        self.render()

    @property
    def template(self) -> str:
        return self.theme_class.name

    def url(self, path: str) -> str:
        return self.base_url + path

    def theme(self, upto: int | None = None) -> Theme:
        return self.theme_class(self.model, self.base_url, upto)

    def rebase(self, base_url: str) -> None:
        """Serve the same site under another origin: absolute URLs are rendered again."""
        base_url = base_url.rstrip("/")
        with self._lock:
            if base_url != self.base_url:
                self.base_url = base_url
                self.render()

    def render(self) -> None:
        """Render every route again (the same bytes as building the site batch by batch)."""
        with self._lock:
            routes: dict[str, Route] = {}
            start = 0
            for count in self.batches:
                routes.update(self.render_posts(self.theme(count), self.model.posts[start:count]))
                start = count
            self._publish(routes, self.theme())

    def add_articles(self, k: int, *, now: datetime | None = None) -> list[dict[str, Any]]:
        """Publish ``k`` new articles at ``now`` and return their manifest records.

        ``now`` defaults to one minute after the newest post (bad pages are listed too, so the new
        articles lead every listing); a naive ``now`` is Cairo time.
        The new articles get ids above every existing one and lead listings, the feed and the
        sitemap; pagination, tag and author pages are rendered again, pages of existing posts
        are left as they were. Safe while a :class:`MirrorServer` serves the site.
        """
        if k < 0:
            raise ValueError(f"cannot add {k} articles")
        if k == 0:
            return []
        with self._lock:
            newest = max(post.published for post in self.model.posts)
            when = newest + timedelta(minutes=1) if now is None else now
            posts = plan_additions(self.model, k, cairo_time(when), batch=len(self.batches))
            self.model.add(posts)
            self.batches.append(len(self.model.posts))
            theme = self.theme()
            routes = {path: route for path, route in self.routes.items() if path not in self._index_paths}
            routes.update(self.render_posts(theme, posts))
            self._publish(routes, theme)
            return [record for post in posts for record in self.records(post, [])]

    def render_posts(self, theme: Theme, posts: Iterable[Post]) -> dict[str, Route]:
        routes: dict[str, Route] = {}
        js_theme: JsTheme | None = None
        for post in posts:
            routes[post.image_path] = PNG_ROUTE
            if post.kind == JS_ARTICLE:
                js_theme = js_theme or JsTheme(self.model, self.base_url, theme.upto)
                routes.update(self.render_js_post(js_theme, post))
            else:
                page = PAGE_RENDERERS[post.kind](theme, post)
                routes[post.path] = replace(page, post=True, modified=post.updated)
        return routes

    def render_js_post(self, theme: JsTheme, post: Post) -> dict[str, Route]:
        """A JavaScript article: its page, the story its script fetches, its inline images."""
        routes = {
            post.path: replace(html_route(theme.js_article_page(post)), post=True),
            story_api_path(post): Route(200, {"Content-Type": JSON}, theme.story_json(post)),
        }
        for path in inline_image_paths(post, theme.image_count(post, self.model.seed)):
            routes[path] = PNG_ROUTE
        return routes

    def _publish(self, routes: dict[str, Route], theme: Theme) -> None:
        """Add the indexes of the current posts to ``routes`` and swap the whole set in."""
        # every index page shows the newest posts somewhere (the sidebar): it changes with any post
        newest = max((post.updated for post in self.model.posts), default=None)
        indexes = {
            path: replace(route, modified=newest) for path, route in self.render_indexes(theme).items()
        }
        routes.update(indexes)
        self._index_paths = frozenset(indexes)
        self.not_found = html_route(theme.not_found_page(), status=404)
        self.article_paths = frozenset(p.path for p in self.model.posts if p.kind == ARTICLE)
        self.routes = routes  # one assignment: a request sees the old site or the new one
        self._manifest = None

    def render_indexes(self, theme: Theme) -> dict[str, Route]:
        """Pages that list posts; the part to redo when posts are added."""
        model, routes = self.model, {}
        routes["/"] = html_route(theme.home_page())
        for section in model.sections:
            listed = model.listing(section)
            pages = max(1, math.ceil(len(listed) / LISTING_PAGE_SIZE))
            for page in range(1, pages + 1):
                chunk = listed[(page - 1) * LISTING_PAGE_SIZE : page * LISTING_PAGE_SIZE]
                routes[section.page_path(page)] = html_route(theme.section_page(section, page, pages, chunk))
        articles = model.articles()
        for tag in sorted({t for p in articles for t in p.tags}):
            tagged = [p for p in articles if tag in p.tags][:LISTING_PAGE_SIZE]
            routes[unquote(tag_path(tag))] = html_route(theme.listing_page(tag, "archive tag", tagged))
        for author in sorted({p.author for p in articles}, key=lambda a: a.slug):
            written = [p for p in articles if p.author == author][:LISTING_PAGE_SIZE]
            routes[author_path(author)] = html_route(
                theme.listing_page(author.name, "archive author", written)
            )
        routes["/rss/1/"] = Route(
            200,
            {"Content-Type": "application/rss+xml; charset=UTF-8"},
            theme.rss(articles[:RSS_SIZE]).encode(),
        )
        oldest_first = articles[::-1]
        files = []
        size = self.sitemap_size
        for number, start in enumerate(range(0, len(oldest_first), size), start=1):
            chunk = oldest_first[start : start + size]
            path = f"/sitemap-posts-{number}.xml"
            routes[path] = Route(
                200, {"Content-Type": "application/xml; charset=UTF-8"}, theme.sitemap(chunk).encode()
            )
            files.append((path, max(p.updated for p in chunk)))
        routes["/sitemap.xml"] = Route(
            200, {"Content-Type": "application/xml; charset=UTF-8"}, theme.sitemap_index(files).encode()
        )
        routes["/robots.txt"] = Route(
            200, {"Content-Type": "text/plain; charset=UTF-8"}, theme.robots(self.crawl_delay).encode()
        )
        routes["/wp-admin/"] = html_route(theme.login_page())
        routes[LOGO_PATH] = Route(200, {"Content-Type": "image/png"}, PNG_BYTES)
        routes[STYLE_PATH] = Route(200, {"Content-Type": "text/css"}, b"body{direction:rtl}\n")
        routes[SCRIPT_PATH] = Route(200, {"Content-Type": "application/javascript"}, b"/* theme */\n")
        if model.js_section is not None:
            routes.update(self.render_js_indexes(JsTheme(model, self.base_url), model.js_section))
        return routes

    def render_js_indexes(self, theme: JsTheme, section: Section) -> dict[str, Route]:
        """The JavaScript section's listing shells, the JSON they fetch, its font and ad image."""
        listed = self.model.js_listing()
        pages = max(1, math.ceil(len(listed) / LISTING_PAGE_SIZE))
        routes: dict[str, Route] = {}
        for page in range(1, pages + 1):
            chunk = listed[(page - 1) * LISTING_PAGE_SIZE : page * LISTING_PAGE_SIZE]
            routes[section.page_path(page)] = html_route(theme.js_listing_page(section, page))
            routes[listing_api_path(page)] = Route(
                200, {"Content-Type": JSON}, theme.listing_json(section, page, pages, chunk)
            )
        routes[FONT_PATH] = Route(200, {"Content-Type": "font/woff2"}, FONT_BYTES)
        routes[AD_IMAGE_PATH] = PNG_ROUTE
        return routes

    def resolve(self, path: str) -> Route:
        """The route for a request path (percent-decoded, query already dropped by the caller)."""
        path = unquote(path) or "/"
        routes = self.routes  # read once: add_articles may swap in a new set meanwhile
        route = routes.get(path)
        if route is not None:
            return route
        if not path.endswith("/") and path + "/" in routes:
            return Route(301, {"Location": self.url(path + "/"), "Content-Type": HTML}, b"")
        return self.not_found

    # --- manifest ----------------------------------------------------------------------------

    @property
    def manifest(self) -> dict[str, Any]:
        with self._lock:
            if self._manifest is None:
                self._manifest = self.build_manifest()
            return self._manifest

    def manifest_json(self) -> str:
        return json.dumps(self.manifest, ensure_ascii=False, indent=2)

    def build_manifest(self) -> dict[str, Any]:
        model = self.model
        copies: dict[int, list[str]] = {}
        for post in model.posts:
            if post.duplicate_of is not None:
                copies.setdefault(post.duplicate_of, []).append(self.url(post.path))
        records: list[dict[str, Any]] = []
        for post in model.posts:
            if post.kind in (ARTICLE, JS_ARTICLE) and post.duplicate_of is None:
                records.extend(self.records(post, copies.get(post.id, [])))
        bad = [
            {"url": self.url(p.path), "expected_reason": p.kind} for p in model.posts if p.kind in BAD_KINDS
        ]
        articles = model.articles()
        non_articles = [self.url(p.path) for p in model.posts if p.kind == PRIVATE]
        non_articles.append(self.url("/wp-admin/"))
        non_articles += [self.url(tag_path(t)) for t in sorted({t for p in articles for t in p.tags})]
        non_articles += [
            self.url(author_path(a)) for a in sorted({p.author for p in articles}, key=lambda a: a.slug)
        ]
        sections = []
        for section in model.sections:
            pages = max(1, math.ceil(len(model.listing(section)) / LISTING_PAGE_SIZE))
            sections.append(
                {"slug": section.slug, "name": section.name, "url": self.url(section.path), "pages": pages}
            )
        js_section = model.js_section
        if js_section is not None:
            pages = max(1, math.ceil(len(model.js_listing()) / LISTING_PAGE_SIZE))
            sections.append(
                {
                    "slug": js_section.slug,
                    "name": js_section.name,
                    "url": self.url(js_section.path),
                    "pages": pages,
                    "js_rendered": True,  # listings are empty until their script has run
                    "api": self.url(listing_api_path(1)),
                }
            )
        tracked = model.by_id[model.tracked_id] if model.tracked_id else None
        manifest = {
            "site": "alusbu",
            "publisher": PUBLISHER,
            "base_url": self.base_url,
            "seed": model.seed,
            # "changed": article pages are in markup the crawler's selectors do not know; the
            # records still say what a crawl should find (see devsite/mirror/redesign.py)
            "template": self.template,
            "articles": records,
            "bad_pages": bad,
            "non_article_urls": non_articles,
            "sections": sections,
            "feeds": [self.url("/rss/1/")],
            "sitemaps": [self.url("/sitemap.xml")],
            "tracking_links": [self.url(tracked.path) + TRACKING_QUERY] if tracked else [],
        }
        if js_section is not None:
            manifest["js_section"] = True
            # pages a crawler reaches only by rendering the section's listing, then the page
            manifest["js_articles"] = [self.url(p.path) for p in model.posts if p.kind == JS_ARTICLE]
        return manifest

    def records(self, post: Post, duplicate_urls: list[str]) -> list[dict[str, Any]]:
        """The page's own article, then one record per article appended after a read-also label."""
        url = self.url(post.path)
        main, *appended = expected_segments(post.blocks, self.url)
        field = (
            [{"kind": "source_field", "name": post.source_field, "text": f"المصدر: {post.source_field}"}]
            if post.source_field
            else []
        )
        first = self.record(post, main, url, attributions=main.attributions + field)
        first |= {
            "duplicate_urls": duplicate_urls,
            "image_url": self.url(post.image_path),
            "tags": list(post.tags),
        }
        result = [first]
        for number, segment in enumerate(appended, start=1):
            record = self.record(post, segment, f"{url}#appended-{number}", attributions=segment.attributions)
            record |= {
                "title": segment.title,
                "author": "",
                # the page's date is when the aggregator showed it, not when the appended story
                # was published (the seed's appended article reports events a month later)
                "published_at": "",
                "appended_from": url,
                "shapes": ["appended_article"],
            }
            result.append(record)
        return result

    def record(
        self, post: Post, segment: Segment, url: str, *, attributions: list[dict[str, str]]
    ) -> dict[str, Any]:
        return {
            "url": url,
            "id": post.id,
            "section": post.section.name,
            "title": post.title,
            "author": post.author.name,
            "published_at": utc_iso(post.published),
            "paragraphs": segment.paragraphs,
            "related": segment.related,
            # what the page credits; nothing credited is no source (never the publisher by default)
            "source": attributions[0]["name"] if attributions else "",
            "attributions": attributions,
            "embeds": segment.embeds,
            "appended_from": "",
            "duplicate_urls": [],
            "shapes": (JsTheme if post.kind == JS_ARTICLE else self.theme_class).page_shapes(post),
            "encoding": post.encoding,
            "labels": segment.labels,
            "image_url": "",
            "tags": [],
        }


TEMPLATES: dict[str, type[Theme]] = {theme.name: theme for theme in (Theme, ChangedTheme)}


def build_site(
    n_articles: int = 48,
    seed: int = 7,
    base_url: str = "",
    template: str = "default",
    *,
    js_section: bool = False,
    js_articles: int | None = None,
    sitemap_size: int = SITEMAP_SIZE,
    crawl_delay: float | None = None,
) -> MirrorSite:
    """The mirror with ``n_articles`` article pages (plus bad pages), rendered for ``base_url``.

    Without a base URL the pages use a placeholder origin; :class:`MirrorServer` rebases the
    site to its real address once the port is bound. ``template`` names a :data:`TEMPLATES`
    entry: ``"changed"`` renders article pages as after a CMS redesign. ``js_section`` adds
    the JavaScript-rendered section (:mod:`devsite.mirror.jsapp`) with ``js_articles`` articles
    (12 unless given); every other route and manifest entry stays as without it.
    ``sitemap_size`` posts go in each child of the sitemap index (new posts go in the last);
    ``crawl_delay`` adds a ``Crawl-delay`` line to robots.txt.
    """
    if template not in TEMPLATES:
        raise ValueError(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}")
    if js_articles is not None and not js_section:
        raise ValueError("js_articles needs js_section=True")
    model = plan_site(n_articles, seed)
    if js_section:
        model.add(plan_js_section(model, JS_ARTICLES if js_articles is None else js_articles))
        model.js_section = JS_SECTION
    return MirrorSite(
        model, base_url, TEMPLATES[template], sitemap_size=sitemap_size, crawl_delay=crawl_delay
    )


__all__ = [
    "JS_ARTICLES",
    "PLACEHOLDER_BASE_URL",
    "RECIPES",
    "TEMPLATES",
    "MirrorSite",
    "Recipe",
    "Route",
    "build_site",
    "plan_additions",
    "plan_js_section",
    "plan_site",
]
