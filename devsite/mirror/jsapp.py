"""The JavaScript-rendered section of the mirror: pages whose content only a browser sees.

``build_site(js_section=True)`` adds the section ``analysis`` (تحليلات عسكرية), served by a
front end that builds its pages in the browser, so a crawler that does not run JavaScript
finds nothing there:

* a listing page (``/category/analysis/``, ``/category/analysis/page/N/``) ships an empty
  ``ul#js-posts`` and an empty ``div#js-pagination`` (and no ticker or sidebar, so no link to
  any article at all); after ``DOMContentLoaded`` its script
  fetches ``/api/analysis/page/N.json`` and inserts the same ``li.post-item`` markup and
  WordPress pagination (``a.next.page-numbers``) as the other sections;
* an article page (``/<id>/`` like every article) has its title, date and metadata in the
  HTML, but an empty ``div.entry-content#js-body``: its script fetches
  ``/api/story/<id>.json``, inserts the paragraphs (and a source line on some pages) 300-800 ms
  later, then, another 300-800 ms later, appends a read-also block ``div#Related``
  inside the body. No paragraph text is in the page's HTML, not even in a meta description.

These pages load only from the mirror's own origin (no ad networks, no social widgets): a
web font, a house-ad banner, the featured image and inline images, so a crawler that blocks
images, fonts and media has something to block. :class:`JsTheme` renders them; the planner
(:func:`devsite.mirror.site.plan_js_section`) decides the posts.
"""

from __future__ import annotations

import json
import random
from functools import cached_property
from string import Template
from typing import Any

from devsite.mirror.body import Para, RelatedModule, SourceLine, esc
from devsite.mirror.model import JS_SECTION, PUBLISHER, Post, Section
from devsite.mirror.theme import Theme

FONT_PATH = "/wp-content/themes/jannah/fonts/tajawal-arabic.woff2"
# The signature and a few bytes: enough for a request to answer as a font, never used as one.
FONT_BYTES = b"wOF2\x00\x01\x00\x00" + bytes(24)
AD_IMAGE_PATH = "/wp-content/uploads/2024/10/alosboa-house-ad.png"
READ_ALSO_LABEL = "إقرأ أيضاً"
JSON = "application/json; charset=UTF-8"
DELAY_MS = (300, 800)  # each of the two steps of an article page waits this long, per page


def listing_api_path(page: int) -> str:
    return f"/api/{JS_SECTION.slug}/page/{page}.json"


def story_api_path(post: Post) -> str:
    return f"/api/story/{post.id}.json"


def inline_image_paths(post: Post, count: int) -> list[str]:
    return [f"/wp-content/uploads/{post.published:%Y/%m}/{post.id}-{n}.png" for n in range(1, count + 1)]


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


# Scripts of the pages: $-placeholders (string.Template), since the JavaScript is full of braces.
LISTING_SCRIPT = Template(
    """<script>
document.addEventListener("DOMContentLoaded", function () {
  fetch("$api", {credentials: "same-origin"})
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var list = document.getElementById("js-posts");
      data.items.forEach(function (item) { list.insertAdjacentHTML("beforeend", item.html); });
      document.getElementById("js-pagination").innerHTML = data.pagination;
    });
});
</script>"""
)
STORY_SCRIPT = Template(
    """<script>
document.addEventListener("DOMContentLoaded", function () {
  var body = document.getElementById("js-body");
  function add(parent, tag, text) {
    var element = document.createElement(tag);
    element.textContent = text;
    return parent.appendChild(element);
  }
  function figure(src) {
    var box = document.createElement("figure"), image = document.createElement("img");
    box.className = "wp-block-image size-large";
    image.src = src;
    image.width = 780;
    image.height = 470;
    image.alt = "";
    box.appendChild(image);
    body.appendChild(box);
  }
  fetch("$api", {credentials: "same-origin"})
    .then(function (response) { return response.json(); })
    .then(function (story) {
      setTimeout(function () {
        story.paragraphs.forEach(function (text, index) {
          add(body, "p", text);
          if (index === story.images_after) { story.images.forEach(figure); }
        });
        if (story.source) { add(body, "p", story.source); }
        setTimeout(function () {
          var related = document.createElement("div");
          related.id = "Related";
          related.className = "related-box";
          add(related, "h2", story.related.label);
          story.related.items.forEach(function (item) {
            add(add(related, "h4", ""), "a", item.title).href = item.url;
          });
          body.appendChild(related);
          document.body.dataset.rendered = "1";
        }, $late);
      }, $first);
    });
});
</script>"""
)


class JsTheme(Theme):
    """Pages of the JavaScript section: the site's chrome without the ticker and without any
    third-party resource, and page content left to scripts.

    Its article pages keep the old template whatever ``build_site(template=...)`` says: the
    section is a separate front end, which a redesign of the CMS templates does not touch.
    """

    name = "js"

    @cached_property
    def chrome_top(self) -> str:
        return f"{self.header()}\n{self.ad(0)}"

    def ad(self, slot: int) -> str:
        """A house ad from the site's own uploads instead of an ad network's script."""
        return (
            f'<div class="stream-item stream-item-{slot}"><img src="{AD_IMAGE_PATH}" width="728" height="90" '
            'alt="" loading="eager"></div>'
        )

    def font_head(self) -> str:
        return (
            f'<link rel="preload" href="{FONT_PATH}" as="font" type="font/woff2" crossorigin>\n'
            f'<style>@font-face{{font-family:"Tajawal";src:url("{FONT_PATH}") format("woff2");'
            'font-display:swap}body{font-family:"Tajawal",sans-serif}</style>\n'
        )

    @staticmethod
    def delays(post: Post, seed: int) -> tuple[int, int]:
        """Milliseconds before the paragraphs appear, then before the read-also block does."""
        rng = random.Random(f"{seed}:js-delay:{post.id}")
        return rng.randint(*DELAY_MS), rng.randint(*DELAY_MS)

    @staticmethod
    def image_count(post: Post, seed: int) -> int:
        return random.Random(f"{seed}:js-images:{post.id}").randint(1, 2)

    # --- article pages -----------------------------------------------------------------------

    def js_article_page(self, post: Post) -> str:
        body_class = f"post-template-default single single-post postid-{post.id} js-app"
        return self.document(
            title=f"{post.title} - {PUBLISHER}",
            head=self.article_head(post) + self.font_head(),
            body_class=body_class,
            main=self.js_article_main(post),
        )

    def js_article_main(self, post: Post) -> str:
        first, late = self.delays(post, self.model.seed)
        script = STORY_SCRIPT.substitute(api=story_api_path(post), first=first, late=late)
        return (
            '<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">\n'
            '<article id="the-post" class="container-wrapper post-content tie-standard post '
            f'post-{post.id}">\n'
            f"{self.entry_header(post)}\n{self.ad(1)}\n{self.featured_image(post)}\n"
            '<div class="entry-content entry clearfix" id="js-body"></div>\n'
            f'{self.tags(post)}\n<div class="post-footer post-footer-on-bottom">{self.share(post)}</div>\n'
            f"</article>\n{self.ad(2)}\n{self.comments(post)}\n</div>\n{self.sidebar(post)}\n{script}"
        )

    def story_json(self, post: Post) -> bytes:
        """What the article's script fetches: the body, the inline images and the late block."""
        paragraphs, source, related = [], None, None
        for block in post.blocks:
            if isinstance(block, Para):
                paragraphs.append(block.text)
            elif isinstance(block, SourceLine):
                source = block.text
            elif isinstance(block, RelatedModule):
                items = [{"title": t.title, "url": t.href(self.url)} for t in block.targets]
                related = {"label": block.label, "items": items}
            else:
                raise TypeError(f"{type(block).__name__} has no place in a JavaScript story")
        return to_json(
            {
                "id": post.id,
                "title": post.title,
                "paragraphs": paragraphs,
                "source": source,
                "images": inline_image_paths(post, self.image_count(post, self.model.seed)),
                "images_after": min(1, len(paragraphs) - 1),
                "related": related,
            }
        )

    # --- listings ----------------------------------------------------------------------------

    def js_listing_page(self, section: Section, page: int) -> str:
        main = (
            '<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">\n'
            f'<header class="entry-header-outer container-wrapper"><h1 class="page-title">{esc(section.name)}'
            '</h1></header>\n<div class="mag-box wide-post-box"><div class="container-wrapper">'
            '<div class="mag-box-container"><ul class="posts-list" id="js-posts"></ul></div></div></div>\n'
            '<div id="js-pagination"></div>\n</div>\n'
            f"{LISTING_SCRIPT.substitute(api=listing_api_path(page))}"
        )
        return self.document(
            title=f"{section.name} - {PUBLISHER}",
            head=(
                '<meta property="og:type" content="website">\n'
                f'<meta property="og:site_name" content="{PUBLISHER}">\n{self.font_head()}'
            ),
            body_class=f"archive category category-{section.slug} js-app",
            main=main,
        )

    def listing_json(self, section: Section, page: int, pages: int, posts: list[Post]) -> bytes:
        items = [
            {
                "id": p.id,
                "url": self.url(p.path),
                "title": p.title,
                "published": p.published.isoformat(),
                "html": self.post_item(p, self.url(p.path)),
            }
            for p in posts
        ]
        following = self.url(section.page_path(page + 1)) if page < pages else None
        return to_json(
            {
                "section": section.slug,
                "page": page,
                "pages": pages,
                "items": items,
                "pagination": self.pagination(section, page, pages),
                "next": following,
            }
        )


__all__ = [
    "AD_IMAGE_PATH",
    "DELAY_MS",
    "FONT_BYTES",
    "FONT_PATH",
    "JSON",
    "READ_ALSO_LABEL",
    "JsTheme",
    "inline_image_paths",
    "listing_api_path",
    "story_api_path",
]
