"""A parsed article page and one small method per field.

Each field tries, in order: JSON-LD (NewsArticle and kin), OpenGraph/meta
tags, the site profile's selectors, then generic selectors. The body tries the
profile's and generic containers, then trafilatura, then JSON-LD articleBody.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import cached_property
from typing import Any

import trafilatura
from extruct.jsonld import JsonLdExtractor
from lxml import etree
from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract import selectors as generic
from crawler.extract.blocks import (
    anchors,
    blocks_from_element,
    blocks_from_text,
    blocks_from_trafilatura_xml,
    collapse,
    element_words,
)
from crawler.extract.dating import find_published
from crawler.extract.locate import Paragraphs, locate_body
from crawler.extract.related import related_after_body
from crawler.items import Block, Link, RelatedLink
from crawler.profiles.base import SiteProfile
from crawler.text.arabic import matching_form
from crawler.text.lexicon import SOURCE_LABEL_RE, SOURCE_LINE_RE
from crawler.text.urls import bare_host, join_url

_ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "blogposting",
        "backgroundnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "liveblogposting",
    }
)
_TITLE_SUFFIX_RE = re.compile(r"\s*[-|–—:«»]\s*[^-|–—:«»]{2,40}$")
_TITLE_PREFIX_RE = re.compile(r"^[^-|–—:«»]{2,40}\s[-|–—:«»]\s*")
# A body shorter than this is not a body: a container selector that matched a
# teaser or an empty wrapper falls through to the next method.
MIN_BODY_CHARS = 120
# A container found by its generic name keeps the body unless the scorer's node holds
# more than this many times its paragraph text (the name matched a teaser or one part).
NAMED_CONTAINER_SHARE = 2
_MIN_RELATED_TITLE = 12
# A heading that replaces a page-title-bar h1 reads like a headline: this many words at least.
_HEADLINE_MIN_WORDS = 4
# An h2/h3 is the headline only when it prints (nearly) the whole title, not a word of it.
_WHOLE_TITLE_SHARE = 0.6
# The printed headline replaces a declared title it extends, up to this many times its length.
_PRINTED_TITLE_GROWTH = 2.5
_PRINTED_TITLE_MAX = 250
# The class names a CSS query needs (".a-b.c" → a-b, c), read with attribute values and
# quoted strings taken out first ('a[href*=".com"]' needs no class "com").
_CLASS_IN_QUERY_RE = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)  # plain strings: no element objects made
_QUOTED_RE = re.compile(r"\[[^\]]*\]|\([^)]*\)|'[^']*'|\"[^\"]*\"")


def _label_apart(element: HtmlElement, text: str) -> re.Match[str] | None:
    """A source label in an element of its own ("<span>المصدر</span><a>رويترز</a>"): no colon
    is needed when the markup, not punctuation, separates the label from the name."""
    match = SOURCE_LABEL_RE.match(text)
    if match is None:
        return None
    label = collapse(match.group(0)).rstrip(" :：-–—")
    for child in element.iterdescendants():
        if isinstance(child.tag, str) and collapse(child.text_content()).rstrip(" :：-–—") == label:
            return match
    first = collapse(element.text or "").rstrip(" :：-–—")
    return match if first == label else None


def _source_box_candidates(tree: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """Short elements of the body holding a source label, with their collapsed text, in
    document order.

    Found by climbing from the text nodes that hold a label while the element stays short:
    the elements that asking every element for its whole text (an XPath string test) would
    give, for one pass over the page's text instead of one per element.
    """
    boxes: dict[HtmlElement, str] = {}
    for node in tree.xpath(generic.SOURCE_LABEL_TEXTS):
        element = node.getparent()
        if element is not None and node.is_tail:
            element = element.getparent()
        chain: list[tuple[HtmlElement, str]] = []
        while isinstance(element, HtmlElement) and element.tag not in ("body", "html"):
            text = collapse(element.text_content())
            if len(text) > generic.SOURCE_BOX_MAX_TEXT:
                break
            if element.tag == "p":
                chain.clear()  # a paragraph's source line is the attribution stage's, with all inside it
            elif element.tag not in generic.SOURCE_BOX_SKIP_TAGS and (
                sum(1 for child in element if isinstance(child.tag, str)) <= generic.SOURCE_BOX_MAX_CHILDREN
            ):
                chain.append((element, text))
            element = element.getparent()
        for box, text in chain:
            boxes.setdefault(box, text)
    if len(boxes) <= 1:
        return list(boxes.items())
    order = {element: index for index, element in enumerate(tree.iter())}
    return sorted(boxes.items(), key=lambda item: order[item[0]])


def _in_furniture(element: HtmlElement, headline_line: set[HtmlElement]) -> bool:
    """Inside a header, footer, sidebar or comment area of the page.

    A wrapper that also holds the headline is the article's own, and so are a
    ``<header>`` or ``<footer>`` inside it (HTML5 articles have both).
    """
    for ancestor in element.iterancestors():
        if ancestor in headline_line:
            return False
        tag = ancestor.tag
        if tag in ("header", "footer") and any(a in headline_line for a in ancestor.iterancestors()):
            continue
        if tag in generic.REGION_TAGS or set(element_words(ancestor)) & generic.REGION_WORDS:
            return True
    return False


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type", "")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _first_text(value: Any) -> str:
    """A JSON-LD value as text: first of a list, ``name`` of an object."""
    if isinstance(value, list):
        for entry in value:
            text = _first_text(entry)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        for key in ("name", "url", "@id", "@value", "@list"):
            if key in value:
                return _first_text(value[key])
        return ""
    if value is None:
        return ""
    return collapse(html_lib.unescape(str(value)))


class ArticlePage:
    """One HTML page of a site, parsed once, read field by field."""

    def __init__(self, tree: HtmlElement, html: str, url: str, profile: SiteProfile | None) -> None:
        self.tree = tree
        self.html = html
        self.url = url
        self.profile = profile
        self.sel = Selector(root=tree, type="html")
        self.body_element: HtmlElement | None = None
        self.body_method = ""

    # -- structured metadata -------------------------------------------------

    @cached_property
    def jsonld(self) -> dict[str, Any]:
        """The page's article object from JSON-LD, flattened out of ``@graph``."""
        try:
            items = JsonLdExtractor().extract_items(self.tree)
        except Exception:  # extruct raises on some malformed scripts; metadata is optional
            return {}
        stack: list[Any] = list(items)
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack[:0] = list(item["@graph"]) if isinstance(item["@graph"], list) else [item["@graph"]]
                if _types(item) & _ARTICLE_TYPES:
                    return item
        return {}

    @cached_property
    def _meta_tags(self) -> dict[tuple[str, str], str]:
        """Every ``<meta>``'s content by (attribute, name), the first non-empty one of each:
        one pass over the page where a query per field name walked it a dozen times."""
        tags: dict[tuple[str, str], str] = {}
        for element in self.tree.iter("meta"):
            content = element.get("content")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop"):
                name = element.get(attr)
                if name is not None:
                    tags.setdefault((attr, name), content)
        return tags

    def meta(self, *names: str) -> str:
        """The first non-empty ``<meta property|name=…>`` content."""
        for name in names:
            for attr in ("property", "name", "itemprop"):
                value = self._meta_tags.get((attr, name))
                if value is not None:
                    return collapse(html_lib.unescape(value))
        return ""

    @cached_property
    def _classes(self) -> frozenset[str]:
        """Every class name on the page."""
        return frozenset(" ".join(_CLASS_VALUES(self.tree)).split())

    def _css(self, query: str) -> list[Selector]:
        """The matches of a CSS query; none, without a walk of the page, when each of its
        alternatives needs a class that no element has (most profile and generic queries
        on most pages: listing them all costs less than one selector walk)."""
        if all(
            any(name not in self._classes for name in _CLASS_IN_QUERY_RE.findall(part))
            for part in _QUOTED_RE.sub("", query).split(",")
        ):
            return []
        return list(self.sel.css(query))

    def css_text(self, queries: tuple[str, ...]) -> str:
        """First non-empty match of CSS queries; ``::attr``/``::text`` or element text."""
        for query in queries:
            for match in self._css(query):
                if "::" in query:
                    value = match.get()
                else:
                    root = match.root
                    value = (
                        root.get("datetime") or root.get("content") or root.text_content()
                        if isinstance(root, HtmlElement)
                        else match.get()
                    )
                if value and collapse(value):
                    return collapse(value)
        return ""

    def _profile(self, field: str) -> tuple[str, ...]:
        if self.profile is None:
            return ()
        value: tuple[str, ...] = getattr(self.profile.selectors, field)
        return value

    # -- fields ---------------------------------------------------------------

    def site_name(self) -> str:
        return self.meta("og:site_name") or (self.profile.publisher if self.profile else "")

    def title(self) -> str:
        """The headline as the page prints it: the declared title (OpenGraph, JSON-LD, the
        profile's selectors), or the printed headline when it is that title and more (sites give
        social networks a shorter headline than the one above the article)."""
        declared = self._declared_title()
        if self.headline is None or not declared:
            return declared
        printed = collapse(self.headline.text_content())
        if len(declared) < len(printed) <= min(
            len(declared) * _PRINTED_TITLE_GROWTH, _PRINTED_TITLE_MAX
        ) and matching_form(printed).startswith(matching_form(declared)):
            return printed
        return declared

    def _declared_title(self) -> str:
        # OpenGraph before JSON-LD: og:title is what the publisher shows when the
        # story is shared, and some CMSs double-escape JSON-LD headlines.
        title = (
            self.meta("og:title", "twitter:title")
            or _first_text(self.jsonld.get("headline"))
            or self.css_text(self._profile("title"))
        )
        if not title:
            document = self._strip_site_suffix(collapse(self.sel.css("title::text").get() or ""))
            printed = self.css_text(generic.TITLE_SELECTORS)
            if printed and document and matching_form(printed) not in matching_form(document):
                # an h1 that the document's <title> does not hold may be a page-title bar (Avada
                # and other themes print the section's name there): a longer, headline-sized
                # heading that prints the <title> is the article's. A site-wide <title> (the
                # site's name on every page) is printed by a shorter heading, and changes nothing.
                heading = self._heading_printing(document)
                if len(heading.split()) >= _HEADLINE_MIN_WORDS and len(heading) > len(printed):
                    printed = heading
            title = printed or document
        title = self._strip_site_prefix(self._strip_site_suffix(title))
        # a page whose only "title" is the site's name has no headline
        site = self.site_name() or (self.profile.publisher if self.profile else "")
        names = {
            matching_form(name) for name in (site, self.profile.publisher if self.profile else "") if name
        }
        return "" if matching_form(title) in names else title

    def _heading_printing(self, title: str) -> str:
        """The text of an h1-h3 that prints (nearly) the whole of ``title``, or ""."""
        key = matching_form(title)
        for heading in self.tree.iter("h1", "h2", "h3"):
            if not isinstance(heading, HtmlElement):
                continue
            text = collapse(heading.text_content())
            form = matching_form(text)
            if form and form in key and len(form) >= len(key) * _WHOLE_TITLE_SHARE:
                return text
        return ""

    def _strip_site_prefix(self, title: str) -> str:
        """ "الموقع | عنوان الخبر" → "عنوان الخبر": some CMSs put the site's name first."""
        match = _TITLE_PREFIX_RE.match(title)
        if match is None or len(title) - match.end() < 10:
            return title
        prefix = match.group(0).strip(" -|–—:«»")
        names = [name for name in (self.site_name(), self.profile.publisher if self.profile else "") if name]
        names.append(bare_host(self.url).split(".")[0])
        key = matching_form(prefix).replace(" ", "")
        for name in names:
            other = matching_form(name).replace(" ", "")
            if key and other and (key in other or other in key):
                return title[match.end() :].strip()
        return title

    def _strip_site_suffix(self, title: str) -> str:
        site = self.site_name()
        match = _TITLE_SUFFIX_RE.search(title)
        if match and len(title) - len(match.group(0)) >= 10:
            suffix = match.group(0).strip(" -|–—:«»")
            h1 = collapse(self.sel.css("h1").xpath("string()").get() or "")
            if (site and suffix.lower() in site.lower()) or (site and site.lower() in suffix.lower()):
                return title[: match.start()].strip()
            if h1 and h1 == title[: match.start()].strip():
                return h1
        return title

    def published_raw(self) -> str:
        """The publish date as the page prints it: the strongest evidence the page gives
        (structured data, meta, microdata, the date under the headline, a dateline, the URL;
        crawler/extract/dating.py), else the profile's own date element. Read after the body
        is located: visible dates are looked for between the headline and the body."""
        found = find_published(
            self.tree,
            self.url,
            jsonld=self.jsonld,
            headline=self.headline,
            body=self.body_element,
            tz=self.profile.timezone if self.profile else "UTC",
        )
        return found.raw if found is not None else self.css_text(self._profile("published"))

    def modified_raw(self) -> str:
        return _first_text(self.jsonld.get("dateModified")) or self.css_text(generic.MODIFIED_META)

    def author(self) -> str:
        author = (
            _first_text(self.jsonld.get("author"))
            or self.css_text(self._profile("author"))
            or self.css_text(generic.AUTHOR_META)
        )
        # Author fields sometimes hold a URL (article:author) rather than a name.
        return "" if author.startswith("http") else author

    def section(self) -> str:
        section = self.jsonld.get("articleSection")
        if isinstance(section, list) and section:
            section = section[-1]  # the most specific of a breadcrumb-like list
        return (
            _first_text(section)
            or self.meta("article:section")
            or self.css_text(self._profile("section"))
            or self.css_text(generic.SECTION_META)
        )

    def image_url(self) -> str:
        image = self.meta("og:image", "twitter:image", "twitter:image:src") or _first_text(
            self.jsonld.get("image")
        )
        if not image:
            for query in self._profile("image"):
                image = self.sel.css(query).attrib.get("src", "")
                if image:
                    break
        return self.absolute(image) if image else ""

    def lang(self) -> str:
        lang = self.sel.xpath("/html/@lang").get() or _first_text(self.jsonld.get("inLanguage"))
        lang = lang or self.meta("og:locale")
        return (
            lang.split("-")[0].split("_")[0].lower() if lang else (self.profile.lang if self.profile else "")
        )

    def canonical_url(self) -> str:
        href = self.sel.css("link[rel=canonical]::attr(href)").get() or self.meta("og:url")
        return self.absolute(href.strip()) if href and href.strip() else ""

    def description(self) -> str:
        return self.meta("og:description", "description")

    @cached_property
    def _source_field(self) -> tuple[str, HtmlElement | None]:
        """A labelled source element and its name: the profile's and the generic class
        names first, then any short labelled box (crawler/extract/selectors.py)."""
        for query in (*self._profile("source_field"), *generic.SOURCE_FIELD):
            for element in self._css(query):
                root = element.root
                if not isinstance(root, HtmlElement):
                    continue
                text = collapse(root.text_content())
                text = SOURCE_LINE_RE.sub("", text, count=1).strip()
                if 0 < len(text) <= 80:
                    return text, root
        return self._labelled_source_box()

    def source_field(self) -> str:
        """A labelled source field ("المصدر: …" in a box of its own), read as metadata.

        Wherever the template prints it: under the headline, in a byline box, in
        the body's foot or after the body. Source lines that are paragraphs
        (``<p>المصدر: …</p>``) are the attribution stage's.
        """
        return self._source_field[0]

    def _labelled_source_box(self) -> tuple[str, HtmlElement | None]:
        headline_line = set(self.headline.iterancestors()) if self.headline is not None else set()
        found: list[tuple[HtmlElement, str]] = []
        for element, text in _source_box_candidates(self.tree):
            match = SOURCE_LINE_RE.match(text) or _label_apart(element, text)
            if match is None:
                continue
            name: str = text[match.end() :].strip()
            if not name or len(name) > generic.SOURCE_BOX_MAX_CHARS or _in_furniture(element, headline_line):
                continue
            found.append((element, name))
        # the innermost box: a label span and its name link share the smallest one
        for element, name in reversed(found):
            if not any(other is not element and element in other.iterancestors() for other, _ in found):
                return name, element
        return "", None

    def absolute(self, href: str) -> str:
        return join_url(self.url, href)

    # -- body: locate, then walk ---------------------------------------------------

    @cached_property
    def headline(self) -> HtmlElement | None:
        """The heading that prints the headline: an ``h1`` whose text is the title's, else an
        ``h2``/``h3`` that prints the whole title (Blogger, Joomla K2 and some portals keep their
        ``h1`` for the site's name), else the first ``h1``."""
        key = matching_form(self._declared_title())

        def prints_title(heading: HtmlElement, whole: bool) -> bool:
            text = matching_form(heading.text_content())
            if not (key and text and (text in key or key in text)):
                return False
            return not whole or len(text) >= len(key) * _WHOLE_TITLE_SHARE

        headings = [h for h in self.tree.iter("h1") if isinstance(h, HtmlElement)]
        for heading in headings:
            if prints_title(heading, whole=False):
                return heading
        for heading in self.tree.iter("h2", "h3"):
            if isinstance(heading, HtmlElement) and prints_title(heading, whole=True):
                return heading
        return headings[0] if headings else None

    def locate_body(self) -> tuple[HtmlElement | None, str]:
        """The body container and how it was found: the profile's selectors win when they
        match; a generic container name is kept unless the scorer finds markedly more
        article text elsewhere; otherwise the scorer's node (crawler/extract/locate.py)."""
        element = self._best_container(self._profile("body"))
        if element is not None:
            return element, "profile"
        named = self._best_container(generic.BODY_CONTAINERS)
        paragraphs = Paragraphs(self.tree)
        located = locate_body(self.tree, self.headline, paragraphs)
        if named is not None and (
            located is None
            or located is named
            or named in located.iterancestors()
            or located in named.iterancestors()
            or paragraphs.chars(named) * NAMED_CONTAINER_SHARE >= paragraphs.chars(located)
        ):
            return named, "generic"
        if located is not None and len(collapse(located.text_content())) >= MIN_BODY_CHARS:
            return located, "located"
        return None, ""

    def body_blocks(self) -> list[Block]:
        element, method = self.locate_body()
        if element is not None:
            self._drop_profile_noise(element)
            self._drop_source_field(element)
            blocks = blocks_from_element(element, self.url)
            if sum(len(block.text) for block in blocks) >= MIN_BODY_CHARS:
                self.body_element, self.body_method = element, method
                return blocks
        blocks = self._trafilatura_blocks()
        if blocks:
            self.body_method = "trafilatura"
            return blocks
        article_body = _first_text(self.jsonld.get("articleBody"))
        if len(article_body) >= MIN_BODY_CHARS:
            self.body_method = "jsonld"
            return blocks_from_text(article_body)
        return []

    def _best_container(self, queries: tuple[str, ...]) -> HtmlElement | None:
        """The match of the first query that finds one, largest text first."""
        for query in queries:
            matches = [m.root for m in self._css(query) if isinstance(m.root, HtmlElement)]
            if matches:
                best = max(matches, key=lambda element: len(element.text_content()))
                if len(collapse(best.text_content())) >= MIN_BODY_CHARS:
                    return best
        return None

    def _drop_profile_noise(self, element: HtmlElement) -> None:
        for query in self._profile("noise"):
            for match in element.cssselect(query):
                if match is not element:
                    match.drop_tree()

    def _drop_source_field(self, container: HtmlElement) -> None:
        """A source box inside the body container is metadata, not a paragraph."""
        element = self._source_field[1]
        if element is not None and element is not container and container in element.iterancestors():
            element.drop_tree()

    def _trafilatura_blocks(self) -> list[Block]:
        xml = trafilatura.extract(
            self.html,
            url=self.url,
            output_format="xml",
            include_links=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            deduplicate=False,
        )
        if not xml:
            return []
        # trafilatura keeps a photo's caption as the body's first paragraph: not article text
        captions = {collapse(node.text_content()) for node in self.tree.xpath(generic.CAPTION_XPATH)}
        return [block for block in blocks_from_trafilatura_xml(xml) if block.text not in captions]

    # -- related modules outside the body ---------------------------------------

    def related_outside_body(self) -> list[RelatedLink]:
        """The related module after the body: the profile's, else one found by structure
        (crawler/extract/related.py)."""
        links: list[Link] = []
        for query in self._profile("related"):
            for match in self._css(query):
                if isinstance(match.root, HtmlElement):
                    links += anchors(match.root, self.url)
        if links:
            seen: set[str] = set()
            related: list[RelatedLink] = []
            for link in links:
                if len(link.text) >= _MIN_RELATED_TITLE and link.href not in seen and link.href != self.url:
                    seen.add(link.href)
                    related.append(RelatedLink(title=link.text, url=link.href))
            return related
        if self.body_element is None:
            return []
        return related_after_body(self.body_element, self.headline, self.url)
