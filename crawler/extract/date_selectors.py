"""Every selector, name list and URL shape that crawler/extract/dating.py reads a publish date with.

Each entry says why it is here. The meta names are those htmldate 1.11 (``core.py``:
``DATE_ATTRIBUTES``, ``ITEMPROP_ATTRS_ORIGINAL``, ``CLASS_ATTRS``) and the CMSs Arabic news sites
run on (WordPress, Drupal, Joomla, ASP.NET portals, Arc/Brightspot-style platforms) print; the
class words are those of their themes. Everything here is generic: no entry names an outlet.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------------------
# 2. <meta> names of the publish date, strongest first (lower-cased name, property or itemprop).
# ---------------------------------------------------------------------------------------------------
META_PUBLISHED: tuple[str, ...] = (
    # OpenGraph's article extension: WordPress (Yoast, Rank Math), Drupal metatag, most portals.
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "og:article:published",
    "article:publicationdate",
    "article:published_date",
    "article:post_date",
    "article.published",
    # schema.org as a meta (microdata in <head>, or a name= copy of it on ASP.NET portals).
    "datepublished",
    "og:datepublished",
    "rnews:datepublished",
    # Analytics and recommendation tags that carry the first publication (Parse.ly, Sailthru,
    # cXense, Adobe DCS, Nativo, Brightspot/Arc "publish-date" family).
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "dcsext.articlefirstpublished",
    "nv:date",
    "originalpublicationdate",
    "article_date_original",
    "mediator_published_time",
    "shareaholic:article_published_time",
    "twt-published-at",
    "vr:published_time",
    "bt:pubdate",
    # Plain names of home-grown CMSs.
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "publisheddate",
    "published_time",
    "publish_time",
    "publication_date",
    "date_published",
    "og:pubdate",
    "og:publish_date",
    "rbpubdate",
    "displaydate",
    # Dublin Core (Joomla, Drupal 7, government and university portals): issued before created.
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.publication",
    "dcterms.created",
    "dc.date.created",
    "dc.created",
    "dc:created",
    "datecreated",
    "date_created",
    "content_create_date",
    "article.created",
    "citation_publication_date",
    "citation_date",
    # The loosest: a bare "date" is often the publish date, sometimes the page's build time; so it
    # comes last, and the voter (dating.py) overrules it when the page prints an earlier day.
    "dc.date",
    "dc:date",
    "dcterms.date",
    "date",
)
META_RANK: dict[str, int] = {name: rank for rank, name in enumerate(META_PUBLISHED)}
# Not read: modified/updated names (article:modified_time, og:updated_time, lastmod …), htmldate's
# "meta" and "timestamp" (too loose), http-equiv "date" (the server's response time).

# ---------------------------------------------------------------------------------------------------
# 3. RDFa and microdata on elements of the page (not <meta>): their content/datetime attribute or
#    their text. Drupal 7 prints <span property="dc:date dc:created" content="…">; schema.org
#    microdata themes print itemprop="datePublished" on <time> or <span>; the HTML5 draft's
#    <time pubdate> survives in older WordPress and Joomla templates.
# ---------------------------------------------------------------------------------------------------
MICRODATA_PUBLISHED = (
    "//*[@itemprop or @property][not(self::meta)]["  # the prefilter first: 1 ms instead of 8
    "contains(concat(' ', normalize-space(@itemprop), ' '), ' datePublished ')"
    " or contains(concat(' ', normalize-space(@itemprop), ' '), ' dateCreated ')"
    " or contains(concat(' ', normalize-space(@property), ' '), ' dc:date ')"
    " or contains(concat(' ', normalize-space(@property), ' '), ' dc:created ')"
    " or contains(concat(' ', normalize-space(@property), ' '), ' dcterms:created ')"
    " or contains(concat(' ', normalize-space(@property), ' '), ' dcterms:issued ')"
    " or contains(concat(' ', normalize-space(@property), ' '), ' schema:datePublished ')"
    " or contains(concat(' ', normalize-space(@property), ' '), ' datePublished ')"
    "]"
    " | //time[@pubdate]"
)

# ---------------------------------------------------------------------------------------------------
# 4. Visible date elements of the article's header or byline box.
# ---------------------------------------------------------------------------------------------------
# Substrings of a lower-cased class or id that make an element a date candidate: "date" (span.date,
# .post-date, .entry-date, .td-post-date, .jeg_meta_date, .newsStoryDate, .publish-date), "time"
# (.time, .post-time, .article-time), "publish"/"posted" (.posted-on, .published), "byline" and
# "meta" (.byline, .entry-meta, .post-meta, .meta-item: the box the date sits in), "info"
# (.article-info, .post-info, .news-info), "stamp" (.timestamp), "created", and the
# transliterations of تاريخ that Arabic theme authors use ("tarikh", "tareekh").
DATE_CLASS_PARTS: tuple[str, ...] = (
    "date",
    "time",
    "publish",
    "posted",
    "byline",
    "meta",
    "info",
    "stamp",
    "created",
    "tarikh",
    "tareekh",
)
DATE_CLASS_RE = re.compile("|".join(map(re.escape, DATE_CLASS_PARTS)))
# Elements that may hold a date, under the article's element: libxml2 selects those with a class or
# id (and <time>, hAtom's <abbr title>); Python then tests the lower-cased class and id with
# DATE_CLASS_RE. Measured on a 2,500-element page, whole: 4 ms, against 50-140 ms for the same test
# written as XPath contains()/translate().
_CLASSED = "*[@class or @id or self::time or self::abbr[@title]]"
CLASSED_ELEMENTS = f"descendant-or-self::{_CLASSED}"
# After the headline, before the body: the article's header is near, so libxml2 stops early.
CLASSED_FOLLOWING = f"following::{_CLASSED}[position() <= 80]"
CLASSED_PRECEDING = f"preceding::{_CLASSED}[position() <= 40]"
# Any short element after the headline (the header zone read by its text when no class
# says "date": templates name their stamps in their own language, "tarih", "saat").
SHORT_FOLLOWING = (
    "following::*[not(self::script or self::style or self::a)]"
    "[string-length(normalize-space(.)) > 5][string-length(normalize-space(.)) <= 60][position() <= 60]"
)
# Elements that print no date stamp whatever their class says.
NOT_STAMP_TAGS: frozenset[str] = frozenset(
    {"script", "style", "meta", "link", "input", "noscript", "img", "svg", "iframe", "head", "body", "html"}
)
# Longer than this, an element is a container (a whole meta box with author bio, an article), not
# a date stamp.
MAX_STAMP_CHARS = 200
# Class/id substrings that say which date an element holds. A publish word wins over an update
# word on the same element: WordPress prints <time class="entry-date published updated"> for a post
# never updated, and <time class="updated"> beside the published one when it was.
PUBLISH_CLASS_PARTS: tuple[str, ...] = (
    "publish",
    "pubdate",
    "posted",
    "post-date",
    "post_date",
    "entry-date",
    "created",
    "date-pub",
    "newsdate",
    "storydate",
)
UPDATE_CLASS_PARTS: tuple[str, ...] = ("updat", "modif", "-upd", "_upd", "lastmod")

# Regions that are never the article's own header: the site's clock and ticker, sidebars, related
# cards (their dates are other articles'), comments, footers, menus. Matched as substrings of the
# lower-cased class/id of the element and its ancestors; plus the tags below.
NOISE_CLASS_PARTS: tuple[str, ...] = (
    "sidebar",
    "widget",
    "related",
    "comment",
    "footer",
    "ticker",
    "breaking",
    "marquee",
    "most-read",
    "mostread",
    "most_read",
    "popular",
    "trending",
    "card",
    "teaser",
    "promo",
    "recommend",
    "readmore",
    "read-more",
    "newsletter",
    "menu",
    "navbar",
    "topbar",
    "top-bar",
    "sitenav",
    # the site's "today" box: current date, clock, prayer times, weather (often with a Hijri date)
    "current-date",
    "currentdate",
    "current_date",
    "today",
    "clock",
    "prayer",
    "weather",
)
# Classes that hold a noise word and are none: Drupal marks every node promoted to the front
# page "node-promoted" ("promo"), the article itself.
NOT_NOISE_CLASSES: tuple[str, ...] = ("node-promoted", "promoted")
# (Not <form>: ASP.NET WebForms portals wrap the whole page in one.)
NOISE_TAGS: frozenset[str] = frozenset({"aside", "nav", "footer", "marquee", "button", "select"})

# ---------------------------------------------------------------------------------------------------
# 5. The body's leading lines: where a line ends, and what is no line of the story.
# ---------------------------------------------------------------------------------------------------
LEADING_LINES = 3
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "pre",
        "br",
        "hr",
        "dd",
        "dt",
    }
)
# Image captions and embeds at the head of a body are no dateline.
SKIP_TAGS: frozenset[str] = frozenset(
    {"script", "style", "noscript", "template", "figure", "figcaption", "iframe", "svg", "button", "form"}
)

# ---------------------------------------------------------------------------------------------------
# 6. Dates in the URL path, with the day (year-month alone is no publish date).
# ---------------------------------------------------------------------------------------------------
_Y = r"(?P<y>(?:19|20)[0-9]{2})"
# Separated forms: permalinks minted at first publication (WordPress /%year%/%monthnum%/%day%/,
# Drupal pathauto, portals' /story/2025/3/8/…, slugs ending or starting with 2025-03-08), and the
# year/section/month/day shape of older news portals (/2013/middle_east/8/3/…). These take part in
# the voter.
URL_DATES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"/{_Y}/(?P<m>[0-9]{{1,2}})/(?P<d>[0-9]{{1,2}})(?=[/\-_.]|$)"),
    re.compile(rf"(?<![0-9]){_Y}-(?P<m>[0-9]{{2}})-(?P<d>[0-9]{{2}})(?![0-9])"),
    re.compile(rf"(?<![0-9]){_Y}_(?P<m>[0-9]{{2}})_(?P<d>[0-9]{{2}})(?![0-9])"),
    re.compile(rf"/{_Y}/[a-z][a-z_\-]{{1,30}}/(?P<m>[0-9]{{1,2}})/(?P<d>[0-9]{{1,2}})/"),
)
# The compact form (/20250308/, -20250308-): also what a numeric article id can look like, so it
# is a candidate of its own only, never one that overrules the page's metadata.
URL_COMPACT_DATE = re.compile(rf"(?<=[/\-_]){_Y}(?P<m>[01][0-9])(?P<d>[0-3][0-9])(?=[/\-_.]|$)")
