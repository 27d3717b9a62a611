"""The article's related module after its body, found by structure, confirmed by label.

A related module ("اقرأ أيضاً", "أخبار ذات صلة", or cards with no label at all)
is a run of links to the same site's articles with headline-like anchor text,
after the body and inside the article's own column. What is not one:
navigation and tag clouds (short anchor texts), pagination and previous/next
links (``rel=prev|next``, navigation classes), sidebars, footers and comment
threads (furniture between the link and the article's column), and lists that
say they are something else ("الأكثر قراءة", "آخر الأخبار").

A label that says "related" makes a module count wherever it sits after the
body; without one, the module must share a wrapper with the headline (the
article's column, not the page's), which is where themes print their own
related posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extract.blocks import absolute_href, collapse, element_words
from crawler.extract.selectors import (
    HEADLINE_ANCHORS_WITHIN,
    LINK_NAVIGATION_WORDS,
    MODULE_LABEL_XPATH,
    MODULE_NAVIGATION_WORDS,
    REGION_TAGS,
    REGION_WORDS,
    RELATED_ANCHORS_AFTER,
    SITE_LIST_WORDS,
)
from crawler.items import RelatedLink
from crawler.text.dates import looks_like_date
from crawler.text.lexicon import NOT_RELATED_RE, READ_ALSO_RE, is_not_related_label
from crawler.text.urls import looks_like_article, same_site

# A headline: a few words, not a sentence-long teaser or a one-word menu entry.
HEADLINE_MIN_WORDS = 3
HEADLINE_MIN_CHARS = 15
HEADLINE_MAX_WORDS = 30
# Anchors looked at after the body: a related module comes before the footer's link farm.
MAX_ANCHORS = 400
# Items of a module each read by their own heading (a walk over the module's short texts
# per item); past this many, a module is read by its first heading alone.
MAX_LABELLED_ITEMS = 40
# An unlabelled module needs this many distinct articles: one stray headline link
# after the body (an "up next" teaser) is not a list.
MIN_UNLABELLED_ITEMS = 2
_LABEL_MAX_CHARS = 40
# A previous/next navigation holds two article links at most.
PREV_NEXT_LINKS = 2
# How far above the body the article's column may reach: the body, the article, its
# column. Further up are the page's wrappers, where site-wide lists ("ربما فاتك") live.
COLUMN_LEVELS = 4
# A list in the body's own wrapper (or the one above) sits beside the body.
SIBLING_LEVELS = 2
_SPACE_RE = re.compile(r"\s+")


@dataclass(slots=True)
class _Item:
    anchor: HtmlElement
    title: str
    url: str


def is_headline(text: str) -> bool:
    """Anchor text that reads like an article's headline."""
    words = text.split()
    return (
        HEADLINE_MIN_WORDS <= len(words) <= HEADLINE_MAX_WORDS
        and len(text) >= HEADLINE_MIN_CHARS
        and not looks_like_date(text)
        and READ_ALSO_RE.match(text) is None
    )


def _furniture(element: HtmlElement, stop: HtmlElement) -> bool:
    """A sidebar, footer, comment thread or navigation between ``element`` and ``stop``.

    A card's own ``<header>`` and ``<footer>`` (an ``<article>`` teaser printing its title in
    ``header.entry-header``, its "read more" in ``footer.entry-footer``) are the card's, not
    the page's."""
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return False
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("header", "footer") and _in_card(ancestor, stop):
            continue
        if tag in REGION_TAGS:
            return True
        words = set(element_words(ancestor))
        if words & REGION_WORDS or words & SITE_LIST_WORDS:
            return True
        if words & LINK_NAVIGATION_WORDS and len(ancestor.xpath(HEADLINE_ANCHORS_WITHIN)) <= PREV_NEXT_LINKS:
            # previous/next article links; a list of three or more headlines under a
            # "next_prev" pager class (BetterStudio, JNews) is the list itself
            return True
    return False


def _in_card(element: HtmlElement, stop: HtmlElement) -> bool:
    """Inside an ``<article>`` teaser below ``stop``."""
    for ancestor in element.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag == "article":
            return True
    return False


def _in_article(module: HtmlElement, body: HtmlElement) -> bool:
    """Inside the ``<article>`` element that holds the body: the article's own foot."""
    return any(
        ancestor.tag == "article" and body in ancestor.iterdescendants()
        for ancestor in module.iterancestors()
    )


def _related_aside(module: HtmlElement, first: _Item, own: bool) -> bool:
    """An ``<aside>`` inside the article that a related label heads (Jekyll's and other static
    themes' ``aside.related`` after the post): the article's, not a sidebar."""
    if not own or module.tag != "aside":
        return False
    if set(element_words(module)) & (REGION_WORDS | MODULE_NAVIGATION_WORDS | SITE_LIST_WORDS):
        return False  # a sidebar beside the body, whatever its widget's title says
    label = _label(module, first.anchor)
    return bool(label) and READ_ALSO_RE.match(label) is not None and not is_not_related_label(label)


def _is_furniture_module(module: HtmlElement, own: bool = False) -> bool:
    """A module that is itself a sidebar, footer or previous/next navigation.

    Pagination words do not count here: themes put a pager class on their own
    related-posts block (a "more related" button), and its items are still related.
    A footer inside the article (``own``: WordPress's ``entry-footer``, Blogger's
    ``post-footer``) is the article's foot, where themes print their related posts,
    not the page's footer.
    """
    tag = module.tag if isinstance(module.tag, str) else ""
    words = set(element_words(module))
    if own:
        words.discard("footer")
        if tag == "footer":
            tag = ""
    return tag in REGION_TAGS or bool(words & (REGION_WORDS | MODULE_NAVIGATION_WORDS | SITE_LIST_WORDS))


def _common_ancestor(element: HtmlElement, other_line: list[HtmlElement]) -> HtmlElement | None:
    ancestors = set(element.iterancestors())
    return next((ancestor for ancestor in other_line if ancestor in ancestors), None)


def _child_towards(ancestor: HtmlElement, element: HtmlElement) -> HtmlElement:
    """The child of ``ancestor`` that holds ``element``."""
    node = element
    for parent in element.iterancestors():
        if parent is ancestor:
            return node
        node = parent
    return node


@dataclass(frozen=True, slots=True)
class _Text:
    """A short text of a module that may head a list, read once per module."""

    element: HtmlElement
    text: str
    named: bool  # says what a list is: related or another kind
    related: bool
    link: bool = False  # an anchor: it ends the search at an item, it heads nothing
    heading: bool = False  # a heading element (h2-h6, a heading or title class) holding no link


def _texts(module: HtmlElement) -> list[_Text]:
    found = []
    for element in module.xpath(MODULE_LABEL_XPATH):
        if element.tag == "a":
            label = collapse(element.text_content())
            if not (READ_ALSO_RE.match(label) or NOT_RELATED_RE.match(label)):
                # an item's link ends a run of headings; a tab's link holds a label of the run
                found.append(_Text(element, "", named=False, related=False, link=True))
            continue
        text = collapse(element.text_content())
        if not text or len(text) > _LABEL_MAX_CHARS or looks_like_date(text):
            continue
        read_also = READ_ALSO_RE.match(text) is not None
        named = read_also or NOT_RELATED_RE.match(text) is not None
        heading = _heading_like(element) and not element.xpath(".//a[@href]")
        found.append(
            _Text(element, text, named, read_also and not is_not_related_label(text), heading=heading)
        )
    return found


def _label(
    module: HtmlElement,
    first_anchor: HtmlElement,
    *,
    named_only: bool = False,
    texts: list[_Text] | None = None,
) -> str:
    """The heading of the list that starts at ``first_anchor``.

    The nearest label before it that says what the list is ("أخبار ذات صلة", "الأكثر
    قراءة"), else the nearest short text: a module of the article's foot may hold an
    author box, tags and then the related list, and a heading may carry a "close" button.
    """
    nearest, named, related = "", "", ""
    # the headings printed together before the item's list: the run of named headings since
    # the links before them (tab labels side by side, or one list's heading)
    run: list[_Text] = []
    last_run: list[_Text] = []
    anchor_line = set(first_anchor.iterancestors())
    for candidate in _texts(module) if texts is None else texts:
        element = candidate.element
        if element is first_anchor or first_anchor in element.iterancestors():
            break
        if candidate.link:
            if run:
                last_run, run = run, []
            continue
        if element in anchor_line:
            continue  # a wrapper of the anchor: its text is the list's, not a heading
        nearest = candidate.text
        if candidate.named:
            named = candidate.text
            if candidate.heading:
                run.append(candidate)
        if candidate.related:
            related = candidate.text
    heads = run or last_run
    heading = next((head.text for head in reversed(heads) if head.related), heads[-1].text if heads else "")
    # tabs without ARIA ("مقالات ذات صلة" | "المزيد من الكاتب"): the first pane, shown, is the
    # one whose items come first, and a related tab among the labels names the module.
    # ``named_only``: the headings printed together before the item's list (a related one among
    # tab labels names it), or none: a card's own short texts (a badge "عاجل", a view count, a
    # short headline) head no items after them
    found = heading if named_only else related or named or nearest
    return found or _heading_before(module)


_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _heading_like(element: HtmlElement) -> bool:
    """A heading element, or one whose class says heading or title (page builders' widgets)."""
    return element.tag in _HEADINGS or any(
        "heading" in word or "title" in word for word in element_words(element)
    )


def _heading_before(module: HtmlElement) -> str:
    """The heading printed just before a module that holds none: page builders (Bricks,
    Elementor, Gutenberg) put the heading widget beside the posts loop, not inside it."""
    previous = module.getprevious()
    while previous is not None and not (
        isinstance(previous, HtmlElement) and collapse(previous.text_content())
    ):
        previous = previous.getprevious()
    if previous is None:
        return ""
    text = collapse(previous.text_content())
    if not _heading_like(previous) or len(text) > _LABEL_MAX_CHARS or previous.xpath(".//a[@href]"):
        return ""
    return text


def _panel_label(anchor: HtmlElement, module: HtmlElement) -> str | None:
    """The label of the tab whose panel holds ``anchor`` inside ``module`` (WAI-ARIA tabs: the
    panel's ``aria-labelledby``, or the tab whose ``aria-controls`` names the panel's id);
    None outside a tab panel."""
    for ancestor in anchor.iterancestors():
        if ancestor is module:
            return None
        if ancestor.get("role") != "tabpanel" and not ancestor.get("aria-labelledby"):
            continue
        tabs: list[HtmlElement] = []
        labelled_by = (ancestor.get("aria-labelledby") or "").split()
        if labelled_by:
            tabs = [tab for name in labelled_by for tab in module.xpath(".//*[@id=$name]", name=name)]
        elif ancestor.get("id"):
            tabs = module.xpath(".//*[@aria-controls=$name]", name=ancestor.get("id"))
        if tabs:
            return collapse(" ".join(tab.text_content() for tab in tabs))
    return None


def _items(body: HtmlElement, page_url: str) -> list[_Item]:
    """Headline links to the same site's articles after the body, in document order."""
    items: list[_Item] = []
    page = page_url.split("#")[0]
    for anchor in body.xpath(RELATED_ANCHORS_AFTER)[:MAX_ANCHORS]:
        rel = (anchor.get("rel") or "").lower()
        if "prev" in rel or "next" in rel:
            continue
        # the text first: most anchors after a body are menus and footers, and a word count
        # is cheaper than resolving and parsing their URLs
        title = collapse(anchor.text_content())
        if len(title.split()) < HEADLINE_MIN_WORDS:
            continue
        url = absolute_href(anchor.get("href"), page_url)
        if not url or url.split("#")[0] == page:
            continue
        if not same_site(url, page_url) or not looks_like_article(url):
            continue
        title = READ_ALSO_RE.sub("", title, count=1).strip() if READ_ALSO_RE.match(title) else title
        if is_headline(title):
            items.append(_Item(anchor, title, url))
    return items


def related_after_body(body: HtmlElement, headline: HtmlElement | None, page_url: str) -> list[RelatedLink]:
    """The related modules after the body, as titled links (empty when there is none).

    Every module a read-also label heads counts (a theme may print its related
    posts and a "شاهد أيضاً" slide-in box); unlabelled ones count in the article's column.
    """
    found: list[_Item] = []
    items = _items(body, page_url)
    if not items:
        return []
    body_line = list(body.iterancestors())
    headline_line = set(headline.iterancestors()) if headline is not None else set()
    index = 0
    while index < len(items):
        first = items[index]
        wrapper = _common_ancestor(first.anchor, body_line)
        if wrapper is None:
            return []
        module = _child_towards(wrapper, first.anchor)
        members = [item for item in items[index:] if module in item.anchor.iterancestors()]
        index += max(1, len(members))
        members = [item for item in members if not _furniture(item.anchor, module)]
        # a tabbed module ("مقالات قد تهمك" | "المزيد من الكاتب"): each panel goes by its own tab
        panels = {id(item): _panel_label(item.anchor, module) for item in members}
        members = [item for item in members if not is_not_related_label(panels[id(item)] or "")]
        # the article's column: a wrapper of both the headline and the body, a few
        # levels above the body; a page-wide wrapper holds the site's own lists too
        # (page builders put the headline in a section of its own: there, a list that
        # shares the body's own wrapper is the article's all the same)
        in_column = wrapper.tag not in ("body", "html") and (
            (wrapper in headline_line and wrapper in body_line[:COLUMN_LEVELS])
            or wrapper in body_line[:SIBLING_LEVELS]
        )
        own = _in_article(module, body)
        if not members or (_is_furniture_module(module, own) and not _related_aside(module, members[0], own)):
            continue
        # each list of the module goes by its own heading: a theme's post-end area may print
        # "أحدث الأخبار" and then "قد يعجبك أيضاً" in one wrapper
        texts = _texts(module)  # once: every item's heading is among them
        label = panels[id(members[0])] or _label(module, members[0].anchor, texts=texts)
        labels = {
            id(item): panels[id(item)] or _label(module, item.anchor, named_only=True, texts=texts)
            for item in members[:MAX_LABELLED_ITEMS]
        }
        # a module of more items than that is a link farm, read by its first heading alone
        labels.update({id(item): "" for item in members[MAX_LABELLED_ITEMS:]})
        members = [item for item in members if not is_not_related_label(labels[id(item)] or label)]
        if not members:
            continue
        label = labels[id(members[0])] or label
        labelled = bool(label) and READ_ALSO_RE.match(label) is not None
        distinct = {item.url for item in members}
        if labelled or (in_column and len(distinct) >= MIN_UNLABELLED_ITEMS):
            found += members
    return _titled(found)


def _titled(items: list[_Item]) -> list[RelatedLink]:
    """One entry per article: a card links its picture and its title to the same URL."""
    best: dict[str, str] = {}
    for item in items:
        if len(item.title) > len(best.get(item.url, "")):
            best[item.url] = item.title
    return [RelatedLink(title=title, url=url) for url, title in best.items()]
