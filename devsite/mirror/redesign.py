"""The mirror after a CMS redesign: article pages in markup none of the crawler's selectors know.

``build_site(template="changed")`` renders article pages with :class:`ChangedTheme`, as when a
new template ships and nobody told the crawler. Listings, feeds, sitemaps and robots.txt stay
as they were, so discovery still finds every article; the chrome (menus, ticker, ads, sidebar,
comments, footer) stays too. What goes is everything the extractor reads first: no JSON-LD, no
OpenGraph or ``article:`` meta tags, no canonical link, no ``h1`` (the headline is a
``div.headline-v2``) and a ``<title>`` that is only the site name, no date of the article
anywhere on its page, and a body of ``<br>`` lines inside ``<span>``s of a
``section.story-text-v2`` that no body selector matches. A crawl of it must trip the
field-coverage monitor: titles come out as the site name or empty, dates are missing, and
bodies are found only by the generic fallback extractor.
"""

from __future__ import annotations

from devsite.mirror.body import Block, Layout, Para, esc, render_body
from devsite.mirror.model import PUBLISHER, Post, author_path
from devsite.mirror.theme import SITE_DESCRIPTION, Theme

# Paragraphs are lines two <br> apart inside <span>s; other blocks (cards, embeds, ads) sit
# between the spans, as the new editor writes them.
STORY_LAYOUT = Layout("br", ("span",), "<br><br>\n")
# Shapes of the old markup that the new pages no longer show.
LEGACY_SHAPES = frozenset({"body_p", "body_br", "bad_nesting"})


class ChangedTheme(Theme):
    """Article pages in the redesigned markup; every other page as :class:`Theme` renders it."""

    name = "changed"

    @classmethod
    def page_shapes(cls, post: Post) -> list[str]:
        shapes = {shape for shape in post.shapes if shape not in LEGACY_SHAPES}
        return sorted(shapes | {"body_br_span", "template_changed"})

    @staticmethod
    def story_blocks(post: Post) -> list[Block]:
        """The new editor re-saved every paragraph: the old bad nesting is gone."""
        return [Para(b.text, b.noisy) if isinstance(b, Para) else b for b in post.blocks]

    def byline(self, post: Post) -> str:
        return (
            '<div class="byline-v2"><span class="byline-label">كتب:</span> '
            f'<a href="{self.url(author_path(post.author))}">{esc(post.author.name)}</a></div>'
        )

    def source_field(self, post: Post) -> str:
        shown = f"المصدر: {esc(post.source_field)}"
        return f'<div class="story-source-v2">{shown}</div>' if post.source_field else ""

    def tags(self, post: Post) -> str:
        title = '<span class="story-tags-title">الكلمات المفتاحية</span>'
        return f'<div class="story-tags-v2">{title}{self.tag_links(post)}</div>'

    def story_main(self, post: Post, *, titled: bool = True) -> str:
        inside, after = render_body(self.story_blocks(post), STORY_LAYOUT, self.body_context(post))
        headline = f'<div class="headline-v2">{esc(post.title)}</div>\n' if titled else ""
        return (
            '<div class="story-col-v2" role="main">\n'
            f'<article class="story-v2" data-story="{post.id}">\n'
            f'<div class="crumbs-v2"><a href="{self.url("/")}">الرئيسية</a><span class="sep">›</span>'
            f'<a href="{self.url(post.section.path)}">{esc(post.section.name)}</a></div>\n'
            f"{headline}{self.byline(post)}\n{self.ad(1)}\n"
            f'<div class="story-media-v2"><img src="{post.image_path}" width="780" height="470" alt="" '
            'loading="lazy"></div>\n'
            f'<section class="story-text-v2">\n{inside}\n</section>\n'
            f"{after}\n{self.source_field(post)}\n{self.tags(post)}\n{self.share(post)}\n"
            f"</article>\n{self.ad(2)}\n{self.comments(post)}\n</div>\n{self.sidebar(post)}"
        )

    def story_page(self, post: Post, *, title: str, titled: bool = True) -> str:
        return self.document(
            title=title,
            head=f'<meta name="description" content="{SITE_DESCRIPTION}">\n',
            body_class=f"story-page story-template-v2 story-{post.id}",
            main=self.story_main(post, titled=titled),
            charset=post.encoding == "utf-8",
        )

    def article_page(self, post: Post) -> str:
        return self.story_page(post, title=PUBLISHER)

    def untitled_page(self, post: Post) -> str:
        return self.story_page(post, title="", titled=False)


__all__ = ["LEGACY_SHAPES", "STORY_LAYOUT", "ChangedTheme"]
