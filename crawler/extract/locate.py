"""Find the article's body container on a template nobody described.

A page is scored the way readability scores it, on the original DOM: every
paragraph-like element gives its parent (in full) and grandparent (in half) a
score for its text mass and its commas; a candidate's score is then scaled by
the share of its text that is not link text, and nudged by the words of its
class and id. Headline proximity counts too: the body of an article follows
its headline, so a candidate before the ``h1`` (a teaser strip, a ticker) loses
half its score.

Written by hand because no maintained library returns the *node*:
readability-lxml and trafilatura both return cleaned text or a rebuilt tree
with exactly the parts this project keeps (read-also cards, source boxes,
embeds) stripped out. Locating the node and then walking it with the
project's own block walker (crawler/extract/blocks.py) keeps everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extract.selectors import (
    BODY_NEGATIVE_WORDS,
    BODY_POSITIVE_WORDS,
    PARAGRAPH_XPATH,
    REGION_TAGS,
    REGION_WORDS,
    class_words,
)

_SPACE_RE = re.compile(r"\s+")
_COMMA_RE = re.compile("[,،]")
_INLINE = frozenset({"a", "b", "strong", "em", "i", "span", "u", "font", "small", "mark", "q"})
# A paragraph shorter than this is a caption, a label or a link, not article text.
MIN_PARAGRAPH_CHARS = 25
# Class/id words move a candidate's score by this much (readability uses 25).
CLASS_WEIGHT = 25.0
# A candidate before the headline in document order keeps this share of its score.
BEFORE_HEADLINE = 0.5
# A parent replaces the best node when it holds this much more paragraph text at
# a similar link density: bodies split into sibling wrappers (an inline ad or a
# related box between two ``div``s of paragraphs) are taken whole.
PARENT_GAIN = 1.3
# Levels _widen climbs, and how much more link-heavy an ancestor may be.
WIDEN_LEVELS = 4
DENSITY_SLACK = 0.15
# A wrapper holding the headline is stepped down into a child holding this share of the
# paragraph text after the headline's own child, outside furniture (_narrow): the header's
# standfirst is not the body, and a body split around an inline box stays whole.
NARROW_SHARE = 0.9
# Candidates given the full (costlier) scoring: the strongest by paragraph score.
SHORTLIST = 8


@dataclass(slots=True)
class _Candidate:
    element: HtmlElement
    score: float = 0.0
    chars: int = 0


def _text(element: HtmlElement) -> str:
    return _SPACE_RE.sub(" ", element.text_content()).strip()


def _link_density(element: HtmlElement, total: int) -> float:
    if total <= 0:
        return 1.0
    linked = sum(len(_SPACE_RE.sub(" ", a.text_content()).strip()) for a in element.iter("a"))
    return min(1.0, linked / total)


def _class_weight(element: HtmlElement) -> float:
    value = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    if not value:
        return 0.0
    words = set(class_words(value))
    weight = 0.0
    if words & BODY_POSITIVE_WORDS:
        weight += CLASS_WEIGHT
    if words & BODY_NEGATIVE_WORDS:
        weight -= CLASS_WEIGHT
    return weight


def _is_region(element: HtmlElement) -> bool:
    """Page furniture itself: a header, footer, aside ..., or a comment list or sidebar by class."""
    tag = element.tag if isinstance(element.tag, str) else ""
    value = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    return tag in REGION_TAGS or bool(value and set(class_words(value)) & REGION_WORDS)


def _in_region(element: HtmlElement, headline_line: frozenset[HtmlElement]) -> bool:
    """Inside page furniture (header, footer, nav, aside, a comment list, a sidebar): never the body.

    A furniture word on an ancestor that also holds the headline does not count: that is
    a wrapper of the main column ("content-sidebar-wrap"), not the sidebar itself.
    """
    for ancestor in element.iterancestors():
        if ancestor in headline_line:
            return False
        if _is_region(ancestor):
            return True
    return False


class Paragraphs:
    """The page's paragraphs, measured once: each with its texts, and the paragraph text
    held under every element (what the scorer, the widening and the named-container
    check compare), so no subtree is searched twice."""

    def __init__(self, tree: HtmlElement) -> None:
        self.nodes: list[tuple[HtmlElement, list[str]]] = []
        self._mass: dict[HtmlElement, int] = {}
        for node in tree.xpath(PARAGRAPH_XPATH):
            texts = [_text(node)] if node.tag == "p" else _own_paragraphs(node)
            texts = [text for text in texts if len(text) >= MIN_PARAGRAPH_CHARS]
            if not texts:
                continue
            self.nodes.append((node, texts))
            chars = sum(len(text) for text in texts)
            self._mass[node] = self._mass.get(node, 0) + chars
            for ancestor in node.iterancestors():
                self._mass[ancestor] = self._mass.get(ancestor, 0) + chars

    def chars(self, element: HtmlElement) -> int:
        """Paragraph text in an element and under it."""
        return self._mass.get(element, 0)


def _own_paragraphs(element: HtmlElement) -> list[str]:
    """Text directly in an element (its text, inline children, tails), cut at each ``<br>``.

    Portals that separate paragraphs with ``<br><br>`` inside one div or table cell
    have no ``<p>`` at all: each run between breaks is scored as a paragraph.
    """
    paragraphs: list[str] = []
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            paragraphs.append("".join(parts))
            parts = []
        elif tag in _INLINE:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    paragraphs.append("".join(parts))
    return [text for text in (_SPACE_RE.sub(" ", raw).strip() for raw in paragraphs) if text]


def locate_body(
    tree: HtmlElement, headline: HtmlElement | None = None, paragraphs: Paragraphs | None = None
) -> HtmlElement | None:
    """The element that holds the article's paragraphs, or None when nothing looks like one."""
    paragraphs = paragraphs if paragraphs is not None else Paragraphs(tree)
    headline_line = frozenset(headline.iterancestors()) if headline is not None else frozenset()
    candidates: dict[HtmlElement, _Candidate] = {}
    for node, texts in paragraphs.nodes:
        if _in_region(node, headline_line):
            continue
        is_p = node.tag == "p"
        score = sum(1.0 + len(_COMMA_RE.findall(text)) + min(len(text) / 100.0, 3.0) for text in texts)
        chars = sum(len(text) for text in texts)
        # a <p> scores its parent and grandparent; a div or td whose own text is a
        # paragraph (<br>-separated bodies) scores itself and its parent
        first = node.getparent() if is_p else node
        targets = [first, first.getparent() if first is not None else None]
        for level, target in enumerate(targets):
            if target is None or not isinstance(target.tag, str) or target.tag in ("html", "body"):
                continue
            candidate = candidates.setdefault(target, _Candidate(target))
            candidate.score += score / (level + 1)
            candidate.chars += chars
    if not candidates:
        return None
    # link density and headline position only for the strongest few: text_content()
    # of a page-wide wrapper is the costly part of scoring
    shortlist = sorted(candidates.values(), key=lambda c: c.score + _class_weight(c.element), reverse=True)[
        :SHORTLIST
    ]
    order = {element: index for index, element in enumerate(tree.iter())} if headline is not None else {}
    best: HtmlElement | None = None
    best_score = 0.0
    for candidate in shortlist:
        element = candidate.element
        density = _link_density(element, len(_text(element)))
        score = (candidate.score + _class_weight(element)) * (1.0 - density)
        if (
            headline is not None
            and order.get(element, 0) < order.get(headline, 0)
            and headline not in element.iterdescendants()
        ):
            score *= BEFORE_HEADLINE
        if score > best_score:
            best, best_score = element, score
    if best is None:
        return None
    return _narrow(_widen(best, paragraphs), headline, paragraphs)


def _narrow(element: HtmlElement, headline: HtmlElement | None, paragraphs: Paragraphs) -> HtmlElement:
    """The child that holds the body when the chosen element also holds the headline.

    The body follows the headline; an element around both is the article's whole wrapper, with
    its header (section label, standfirst, byline) and the modules after the body. A wrapper's
    class words ("article", "post") can outscore a body split into many small blocks (Umbraco's
    block grid, page builders' columns), so the chosen node is stepped down into the one child
    that holds nearly all its paragraph text, as long as it holds the headline.
    """
    if headline is None:
        return element
    headline_line = frozenset(headline.iterancestors())
    node = element
    while node in headline_line:
        # the text after the headline's own child, outside comment threads and sidebars (a
        # short story with a long thread must not step into the thread)
        children = [
            child
            for child in node
            if isinstance(child, HtmlElement)
            and child not in headline_line
            and child is not headline
            and not _is_region(child)
        ]
        total = sum(paragraphs.chars(child) for child in children)
        best = max(children, key=paragraphs.chars, default=None)
        # nearly all of it: a body split around an inline box keeps its tail
        if best is None or not total or paragraphs.chars(best) < total * NARROW_SHARE:
            break
        # a paragraph printed straight in the wrapper after it ("المصدر: …", a closing
        # note) is the article's own text: the wrapper stays the body
        if any(
            isinstance(sibling, HtmlElement) and sibling.tag == "p" and sibling.text_content().strip()
            for sibling in best.itersiblings()
        ):
            break
        node = best
    return node


def _widen(element: HtmlElement, paragraphs: Paragraphs) -> HtmlElement:
    """The ancestor that holds the whole body when the best node holds only part of it.

    Climbs a few levels, over wrappers that add nothing (one ``div`` per paragraph,
    as some CMSs print), and takes an ancestor that holds markedly more paragraph
    text at a similar link density: a body split into sibling parts (two halves
    around an inline box) is taken whole. A one-paragraph standfirst beside the
    body adds too little to count: it is a summary, not the article's text.
    """
    best, best_chars = element, paragraphs.chars(element)
    best_density = _link_density(element, len(_text(element)))
    node = element
    for _ in range(WIDEN_LEVELS):
        parent = node.getparent()
        if parent is None or not isinstance(parent.tag, str) or parent.tag in ("html", "body"):
            break
        if parent.tag in REGION_TAGS:
            break
        chars = paragraphs.chars(parent)
        density = _link_density(parent, len(_text(parent)))
        if density > best_density + DENSITY_SLACK:
            break
        if chars >= best_chars * PARENT_GAIN:
            best, best_chars, best_density = parent, chars, density
        node = parent
    return best
