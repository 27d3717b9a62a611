"""Every generic selector and class-name heuristic of the extractor, in one place.

Site profiles (``crawler/profiles``) come first; these generic lists serve any
page the profile does not describe, and say why each entry is here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Body containers, most specific first. schema.org microdata and the WordPress
# ``entry-content`` cover most Arabic CMSs; the rest are the names used by the
# large Arabic portals (Youm7 ``#articleBody``, Sputnik ``b-article__text``).
BODY_CONTAINERS: tuple[str, ...] = (
    "[itemprop=articleBody]",
    "#articleBody",
    "div.entry-content",
    "div.article-body",
    "div.article-content",
    "div.article__content",
    "div.post-content",
    "div.story-body",
    "div.news-content",
    "div.details-text",
    "div.field-name-body",
    "article .content",
)

TITLE_SELECTORS: tuple[str, ...] = (
    "h1.entry-title",
    "h1.post-title",
    "h1[itemprop=headline]",
    "article h1",
    "h1",
)

MODIFIED_META: tuple[str, ...] = (
    "meta[property='article:modified_time']::attr(content)",
    "meta[itemprop=dateModified]::attr(content)",
)

AUTHOR_META: tuple[str, ...] = (
    "meta[name=author]::attr(content)",
    "meta[property='article:author']::attr(content)",
    "[itemprop=author] [itemprop=name]::text",
    "a[rel=author]::text",
)

SECTION_META: tuple[str, ...] = (
    "meta[property='article:section']::attr(content)",
    "[itemprop=articleSection]::text",
)

# A labelled source field outside the body (Al Bayan: div.source > span.label "المصدر:").
SOURCE_FIELD: tuple[str, ...] = ("div.source", ".article-source", ".news-source", ".post-source")

# Any other labelled source box: a short element of the body (not a paragraph, a
# link or code) whose text holds a source label. Found from the text nodes that
# hold a label word (libxml2 tests them); the label regex on the element's
# collapsed text decides (crawler/extract/page.py, _source_box_candidates).
SOURCE_LABEL_TEXTS = (
    "//body//text()[contains(., 'مصدر') or contains(., 'المصادر') or contains(., 'نقلا عن')"
    " or contains(., 'Source') or contains(., 'source')]"
)
SOURCE_BOX_SKIP_TAGS = frozenset({"script", "style", "a"})
SOURCE_BOX_MAX_CHILDREN = 4  # a label, a name, a link, an icon: more is a section of the page
SOURCE_BOX_MAX_TEXT = 100  # characters of the whole box, label included
SOURCE_BOX_MAX_CHARS = 60

# Elements dropped from a body before it is cut into blocks: they never hold
# article text. Matched against tag names.
DROP_TAGS: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "svg",
        "canvas",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "picture",
        "img",
        "map",
        "ins",  # AdSense slots
    }
)

# Class/id words of clutter inside bodies: ads, share bars, comment widgets,
# newsletter boxes, tag lists, author boxes. Matched as whole words of the
# element's class/id split on spaces, "-" and "_". Read-also cards are NOT
# here: the read-also stage needs to see them to split them out.
NOISE_WORDS: frozenset[str] = frozenset(
    {
        "ad",
        "ads",
        "adv",
        "advert",
        "advertisement",
        "adsbygoogle",
        "banner",
        "dfp",
        "teads",
        "stream",  # WordPress Jannah "stream-item" ad slots
        "share",
        "sharing",
        "social",
        "sharethis",
        "addthis",
        "comment",
        "comments",
        "disqus",
        "newsletter",
        "subscribe",
        "tags",
        "tagcloud",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "widget",
        "rating",
        "poll",
        "copyright",
        "fb",  # Sputnik "ria-fb" facebook post embeds
        "follow",  # "follow us on Google News" promos
        "prev",  # previous/next article navigation (LBC "article_details_prev_next")
        "next",
        "pager",
        "pagination",
        "nav",
        "navigation",
    }
)

# Class words of text inside a body that is not the article's text: photo captions
# printed as paragraphs (WordPress "wp-caption-text") and standfirsts ("dek", "sapo").
# Not "summary" or "excerpt": themes name their body container so ("entry-summary").
NOT_BODY_TEXT_WORDS: frozenset[str] = frozenset(
    {"caption", "wp-caption-text", "standfirst", "post-standfirst", "dek", "sapo", "subheadline"}
)

# Photo captions anywhere in a page, to drop from trafilatura's text (the fallback path).
CAPTION_XPATH = "//figcaption | //*[contains(@class, 'caption')][string-length(normalize-space(.)) < 300]"

# The same words inside compound class names ("inline-read-more", "jp-relatedposts",
# "td-related-box"): class tokens that hold one of them mark a card too.
CARD_CLASS_RE = re.compile(r"related|read-?more|read-?also|see-?also|more-?news")

# Clutter words that only say "this is navigation": on an element that holds headline
# links to the site's own articles they mark a related block's pager, not a pager.
PAGER_WORDS: frozenset[str] = frozenset({"pagination", "pager", "nav", "navigation", "prev", "next"})

# Whole class names that hide an element with CSS (Bootstrap, WordPress, CMS
# conventions): hidden copies of the title or lead must not become paragraphs.
HIDDEN_CLASSES: frozenset[str] = frozenset(
    {
        "d-none",
        "hidden",
        "hide",
        "sr-only",
        "visually-hidden",
        "screen-reader-text",
        "no-display",
        "invisible",
    }
)

# Substrings of class names of reading-time badges and similar counters.
NOISE_CLASS_PARTS: tuple[str, ...] = (
    "time_to_read",
    "time-to-read",
    "reading-time",
    "read-time",
    "readtime",
    "socialshar",  # "socialsharing", "socialshare" bars
    "sharebar",
    "shareholder",  # sic: Al Bayan's share bar
)

# Some class words contain a noise word but are content ("shared-quote"...):
# only whole words count, and these composite names are never noise.
NOT_NOISE_CLASSES: frozenset[str] = frozenset({"twitter-tweet", "instagram-media", "read-more", "readmore"})

# Class/id words that mark a related-article card inside or after a body.
CARD_WORDS: frozenset[str] = frozenset(
    {
        "related",
        "readmore",
        "read-more",
        "readalso",
        "read-also",
        "also",
        "inject",  # Sputnik b-inject cards
        "b-inject",
        "more-news",
        "relatednews",
        "related-posts",
        "related-news",
        "see-also",
    }
)

# Inline elements: their text flows into the current line.
INLINE_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
    }
)

_WORD_SPLIT = re.compile(r"[\s_]+")


# Page builders (Elementor, Divi, WPBakery, Beaver Builder, Bricks, Gutenberg) name
# every wrapper after its structure: "elementor-widget-container" wraps the article
# itself. Inside their class names these parts say nothing about the content.
BUILDER_PREFIXES: tuple[str, ...] = ("elementor", "et_pb", "et-pb", "vc_", "vc-", "fl-", "brxe", "wp-block")
BUILDER_PARTS: frozenset[str] = frozenset(
    {"widget", "container", "column", "col", "section", "element", "wrap", "inner", "row", "populated", "top"}
)


# Cached: a template repeats a few hundred class values over thousands of elements,
# and every walk, scorer and date finder asks for the words of each element it passes.
@lru_cache(maxsize=8192)
def class_words(value: str) -> tuple[str, ...]:
    """Lower-cased words of a class/id attribute, whole and split on '-'."""
    words: list[str] = []
    for token in _WORD_SPLIT.split(value.lower()):
        if not token:
            continue
        words.append(token)
        if "-" in token:
            builder = token.startswith(BUILDER_PREFIXES)
            parts = (part for part in token.split("-") if part)
            words.extend(part for part in parts if not (builder and part in BUILDER_PARTS))
    return tuple(words)


# -- locating the body on an unknown template (crawler/extract/locate.py) -----------------

# Paragraph-like elements: <p>, and divs, cells or any element with <br> whose own
# text holds paragraphs (portals that separate paragraphs with <br><br> inside one
# div, table cell or span).
PARAGRAPH_XPATH = (
    "//p | //div[text()[normalize-space()]] | //td[text()[normalize-space()]]"
    " | //*[br][text()[normalize-space()]]"
)
# Elements that are page furniture whatever their content.
REGION_TAGS: frozenset[str] = frozenset({"header", "footer", "nav", "aside", "form", "menu"})

# Class/id words of furniture regions: a paragraph inside one is not article text
# (comment threads hold long paragraphs; so do some sidebars).
REGION_WORDS: frozenset[str] = frozenset(
    {
        "comment",
        "comments",
        "commentlist",
        "respond",
        "disqus",
        "sidebar",
        "footer",
        "menu",
        "navbar",
        "breadcrumb",
        "breadcrumbs",
        "ticker",
        "marquee",
        "popup",
        "modal",
        "cookie",
    }
)

# Class/id words that raise or lower a candidate container's score. Positive:
# what CMSs and themes call the article text (WordPress "entry-content", Drupal
# "field--name-body", Joomla "itemFullText", React CMSs' "wysiwyg", "article__text"
# in BEM). Negative: furniture and lists of other articles.
BODY_POSITIVE_WORDS: frozenset[str] = frozenset(
    {
        "article",
        "articlebody",
        "article_body",
        "body",
        "content",
        "entry",
        "main",
        "post",
        "story",
        "text",
        "news",
        "details",
        "detail",
        "wysiwyg",
        "itemfulltext",
        "fulltext",
        "single",
        "prose",
    }
)
# "widget" only lowers a score: page builders (Elementor) wrap the article itself in
# "elementor-widget-container", so it cannot rule a region out.
BODY_NEGATIVE_WORDS: frozenset[str] = REGION_WORDS | frozenset(
    {
        "widget",
        "related",
        "share",
        "social",
        "ad",
        "ads",
        "banner",
        "promo",
        "most",
        "popular",
        "trending",
        "tags",
    }
)


# -- related modules after the body (crawler/extract/related.py) ----------------------------

# Anchors after the body (not inside it), in document order, with text long enough
# to be a headline: libxml2 walks the rest of the document once and drops menu,
# tag and pager links; Python then looks at the few that could be related items.
RELATED_ANCHORS_AFTER = "following::a[@href][string-length(normalize-space(.)) >= 15]"

# Anchors inside an element with text long enough to be a headline.
HEADLINE_ANCHORS_WITHIN = ".//a[@href][string-length(normalize-space(.)) >= 15]"

# Headings of a module: the label ("اقرأ أيضاً", "الأكثر قراءة") is the first
# short text of a heading, a title-classed element or a plain span/div/p that
# comes before the module's first item.
MODULE_LABEL_XPATH = (
    ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::strong"
    " or self::b or self::span or self::div or self::p or self::a or self::li or self::header"
    " or self::button]"  # tabbed modules label their lists with buttons
    "[string-length(normalize-space(.)) > 0][string-length(normalize-space(.)) <= 60]"
)

# Class/id words of link navigation between the module and an anchor: previous/next
# article links, menus, tag lists. Not "pagination" or "pager": a pager's own links
# are numbers and arrows (never headlines), and themes put a pager class on the very
# block that holds their related posts (JNews "jeg_pagination_nextprev").
LINK_NAVIGATION_WORDS: frozenset[str] = frozenset(
    {"nav", "navigation", "prev", "next", "previous", "menu", "tags", "tagcloud"}
)
# Class/id words of the site's own lists of posts, which a related module never is:
# an archive ("portable-archive-list", "archive-posts") lists everything by date or score;
# paid recommendation widgets (Outbrain, Taboola, "sponsored" boxes) list whatever pays,
# the site's own pages among them.
SITE_LIST_WORDS: frozenset[str] = frozenset(
    {"archive", "archives", "sponsored", "outbrain", "taboola", "advertorial"}
)
MODULE_NAVIGATION_WORDS: frozenset[str] = frozenset(
    {"nav", "navigation", "prev", "next", "previous", "menu", "tags", "tagcloud", "breadcrumb"}
)
