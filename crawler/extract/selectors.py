"""Every generic selector and class-name heuristic of the extractor, in one place.

Site profiles (``crawler/profiles``) come first; these generic lists serve any
page the profile does not describe, and say why each entry is here.
"""

from __future__ import annotations

import re

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

PUBLISHED_META: tuple[str, ...] = (
    # OpenGraph article extension and its common misspellings.
    "meta[property='article:published_time']::attr(content)",
    "meta[name='article:published_time']::attr(content)",
    "meta[itemprop=datePublished]::attr(content)",
    "meta[name=pubdate]::attr(content)",
    "meta[name=publish-date]::attr(content)",
    "meta[name='sailthru.date']::attr(content)",
    "time[itemprop=datePublished]::attr(datetime)",
    "[itemprop=datePublished]::attr(content)",
    "time.entry-date::attr(datetime)",
    "time[pubdate]::attr(datetime)",
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

# Elements that hold a social-media embed as a blockquote.
EMBED_CLASSES: dict[str, str] = {
    "twitter-tweet": "twitter",
    "twitter-video": "twitter",
    "instagram-media": "instagram",
    "tiktok-embed": "tiktok",
}

# Regions of a page that are never the article nor its related module.
OUTSIDE_ARTICLE: tuple[str, ...] = (
    "header",
    "footer",
    "nav",
    "aside",
    "[class*=sidebar]",
    "[id*=sidebar]",
    "[class*=widget]",
    "[class*=comment]",
    "[id*=comment]",
    "[class*=footer]",
    "[class*=menu]",
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


def class_words(value: str) -> list[str]:
    """Lower-cased words of a class/id attribute, whole and split on '-'."""
    words: list[str] = []
    for token in _WORD_SPLIT.split(value.lower()):
        if not token:
            continue
        words.append(token)
        if "-" in token:
            words.extend(part for part in token.split("-") if part)
    return words


# Candidates for a read-also label after the body (the "اقرأ أيضاً" heading of a
# related module that the CMS renders outside the article container): elements
# after the body, not inside it, not script or style, with at most three
# children and a short text. A prefilter evaluated by libxml2 so that Python
# only looks at a handful of elements per page; the exact test (the label
# regex on the collapsed text) follows in ArticlePage._label_headed_links.
SHORT_ELEMENTS_AFTER = (
    "following::*[not(self::script or self::style)][count(*) <= 3]"
    "[string-length(normalize-space(.)) > 0][string-length(normalize-space(.)) <= 60]"
)
