"""What the mirror knows about its posts, independent of how pages are rendered.

Pages, feeds and the manifest are all derived from this model, so a template variant or
a later ``add_articles`` only has to change the model or the renderer, never both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from devsite.mirror.body import Block, Layout
from devsite.mirror.vocab import Person

# Egypt's winter time. The mirror's dates stay between November and April, when Cairo is at
# +02:00, so a fixed offset is the true one (Cairo moves to +03:00 from late April).
CAIRO = timezone(timedelta(hours=2))
PUBLISHER = "الأسبوع"

# Post kinds: an article page, or a page a correct crawler must reject for a stated reason.
ARTICLE = "article"
PRIVATE = "private"  # an article-looking page under /private/, disallowed by robots.txt
# An article of the JavaScript-rendered section: its page ships an empty body that a script
# fills, and only the section's script-filled listing links to it (see devsite/mirror/jsapp.py).
JS_ARTICLE = "js_article"
BAD_KINDS = ("empty_page", "no_title", "non_html", "http_404")


@dataclass(frozen=True)
class Section:
    slug: str
    name: str

    @property
    def path(self) -> str:
        return f"/category/{self.slug}/"

    def page_path(self, page: int) -> str:
        return self.path if page == 1 else f"{self.path}page/{page}/"


SECTIONS: tuple[Section, ...] = (
    Section("arab-world", "عربي ودولي"),
    Section("military", "شؤون عسكرية"),
    Section("politics", "سياسة"),
)
# The section whose listings and bodies only JavaScript fills (build_site(js_section=True)).
JS_SECTION = Section("analysis", "تحليلات عسكرية")


def tag_path(tag: str) -> str:
    """WordPress keeps Arabic slugs and links them percent-encoded."""
    return "/tag/" + quote(tag.replace(" ", "-"), safe="").lower() + "/"


def author_path(author: Person) -> str:
    return f"/author/{author.slug}/"


@dataclass
class Post:
    """One post of the CMS: what its page shows and what a crawler must make of it."""

    id: int
    kind: str
    section: Section
    title: str
    author: Person
    published: datetime
    blocks: list[Block] = field(default_factory=list)
    layout: Layout = field(default_factory=Layout)
    shapes: list[str] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    source_field: str = ""  # name in a labelled source field outside the body
    encoding: str = "utf-8"
    duplicate_of: int | None = None  # this page republishes that post (syndication)
    modified: datetime | None = None
    summary: str = ""  # teaser for listings and meta tags; empty: the first paragraph's words

    @property
    def path(self) -> str:
        return f"/private/{self.id}/" if self.kind == PRIVATE else f"/{self.id}/"

    @property
    def image_path(self) -> str:
        return f"/wp-content/uploads/{self.published:%Y/%m}/{self.id}-featured.png"

    @property
    def updated(self) -> datetime:
        return self.modified or self.published

    @property
    def listed(self) -> bool:
        """Shown in section listings: articles and the bad pages (so a crawl meets them).

        Articles of the JavaScript section are listed only by their section's script.
        """
        return self.kind not in (PRIVATE, JS_ARTICLE)

    @property
    def in_feeds(self) -> bool:
        """In the RSS feed and sitemaps: the pages that really are articles, except those of the
        JavaScript section (a crawler can only find them by rendering that section's listing)."""
        return self.kind == ARTICLE


@dataclass
class SiteModel:
    """All posts plus the few site-wide choices (most-read list, tracked link)."""

    seed: int
    posts: list[Post]
    sections: tuple[Section, ...] = SECTIONS
    most_read: list[int] = field(default_factory=list)
    tracked_id: int | None = None  # linked from a listing and the sidebar with a tracking query
    seed_page_id: int | None = None
    js_section: Section | None = None  # the JavaScript-rendered section, when the site has one

    def __post_init__(self) -> None:
        self.by_id = {post.id: post for post in self.posts}

    def add(self, posts: list[Post]) -> None:
        """Publish more posts; they keep the order they are given, after every existing one."""
        self.posts.extend(posts)
        self.by_id.update((post.id, post) for post in posts)

    def newest_first(self, posts: list[Post]) -> list[Post]:
        return sorted(posts, key=lambda p: (p.published, p.id), reverse=True)

    def listing(self, section: Section) -> list[Post]:
        return self.newest_first([p for p in self.posts if p.listed and p.section == section])

    def feed_posts(self) -> list[Post]:
        return self.newest_first([p for p in self.posts if p.in_feeds])

    @property
    def all_sections(self) -> tuple[Section, ...]:
        """The HTML sections, then the JavaScript one when the site has it."""
        return self.sections if self.js_section is None else (*self.sections, self.js_section)

    def js_listing(self) -> list[Post]:
        """Articles of the JavaScript section, newest first: what its script-filled listing shows."""
        return self.newest_first([p for p in self.posts if p.kind == JS_ARTICLE])

    def articles(self) -> list[Post]:
        """Posts whose pages are articles, newest first, for links in menus and sidebars; the
        JavaScript section's are left out, as from feeds."""
        return self.feed_posts()
