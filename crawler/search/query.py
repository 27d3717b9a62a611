"""What a user typed into a search, parsed once and written for each index.

The syntax is the one search boxes taught everyone: words (all must occur, in
any order), ``"a phrase"`` (its words in that order, next to each other: « »
and “ ” quote too) and ``-word`` or ``-"a phrase"`` (must not occur). Every
word is put in its search form (crawler/search/normalise.py) before it meets
the index, which holds the same forms. A word that is several tokens (إس-400)
is a phrase of them, as it is in the index.

The snippet is highlighted in Python over the display text, with the same
normalisation, rather than by FTS5's snippet() or PostgreSQL's ts_headline:
those see only the search form the index stores (no hamza, ha for ta marbuta,
no article), and an analyst should read what the outlet wrote. One highlighter
also makes both databases show the same snippet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from crawler.search.normalise import search_tokens, word_spans

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"'})
_CLAUSE_RE = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


@dataclass(frozen=True)
class Clause:
    """Tokens that must occur next to each other, in order (one word, or a phrase)."""

    tokens: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class SearchQuery:
    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if not clause.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if clause.negated)

    def __bool__(self) -> bool:
        """Something to look for: a query of exclusions alone, or of punctuation, is not."""
        return bool(self.positive)


def parse(text: str) -> SearchQuery:
    """The clauses of a query as typed (words, "phrases", -exclusions)."""
    clauses: list[Clause] = []
    for match in _CLAUSE_RE.finditer(text.translate(_QUOTES)):
        quoted_minus, quoted, minus, word = match.groups()
        negated = bool(quoted_minus if quoted is not None else minus)
        tokens = tuple(search_tokens(quoted if quoted is not None else word))
        if tokens:
            clauses.append(Clause(tokens, negated))
    return SearchQuery(tuple(clauses))


def fts5_query(text: str) -> str:
    """An FTS5 MATCH expression for ``text`` ('' when there is nothing to look for).

    Each clause is a quoted FTS5 phrase: its tokens are letters and digits only, so
    nothing the user typed can be read as FTS5 syntax (AND, NEAR, a column filter).
    """
    query = parse(text)
    if not query:
        return ""
    expression = " AND ".join(f'"{" ".join(clause.tokens)}"' for clause in query.positive)
    for clause in query.negative:
        expression = f'({expression}) NOT "{" ".join(clause.tokens)}"'
    return expression


def tsquery(text: str) -> str:
    """A PostgreSQL tsquery (text form, to cast with ``CAST(… AS tsquery)``) for ``text``.

    Lexemes are written quoted, as they are: the index holds our search forms, no
    dictionary of PostgreSQL's rewrites them. Phrases use the followed-by operator.
    """
    query = parse(text)
    if not query:
        return ""

    def phrase(clause: Clause) -> str:
        return "(" + " <-> ".join(f"'{token}'" for token in clause.tokens) + ")"

    parts = [phrase(clause) for clause in query.positive]
    parts += ["!" + phrase(clause) for clause in query.negative]
    return " & ".join(parts)


def any_prefix(words: Iterable[str], dialect: str) -> str:
    """A match expression for documents holding a word that starts with any of ``words``
    (FTS5 on SQLite, a tsquery's text form on PostgreSQL; '' when none is left).

    For the story lookup (crawler/store/placement.py, crawler/lens/stories.lookup_words):
    its words are terms, matching forms with their clitics and endings cut (نبط), so they
    meet the index's forms (نبطيه) as prefixes, and the same words in the index's own form
    without their endings, where it cuts clitics another way (وستيانتينيفكا). Only words
    of letters are written: nothing else can be read as syntax.
    """
    prefixes = sorted({word for word in words if word.isalpha()})
    if not prefixes:
        return ""
    if dialect == "sqlite":
        return " OR ".join(f'"{prefix}" *' for prefix in prefixes)
    return " | ".join(f"'{prefix}':*" for prefix in prefixes)


def _occurs(tokens: list[str], clause: Clause) -> list[int]:
    """Where the clause's tokens start, next to each other, in ``tokens``."""
    size = len(clause.tokens)
    first = clause.tokens[0]
    return [
        i for i, token in enumerate(tokens) if token == first and tuple(tokens[i : i + size]) == clause.tokens
    ]


def matches(query: SearchQuery, text: str) -> bool:
    """Whether ``text`` answers ``query``, as the indexes decide (tests measure the normalisation with it)."""
    tokens = search_tokens(text)
    return (
        bool(query)
        and all(_occurs(tokens, clause) for clause in query.positive)
        and not any(_occurs(tokens, clause) for clause in query.negative)
    )


def snippet(text: str, query: str | SearchQuery, width: int = 30, marks: tuple[str, str] = ("[", "]")) -> str:
    """About ``width`` words of display text around the query's matches, each match marked.

    The window holds the most matched words; "…" says that text was left out before or after.
    """
    if isinstance(query, str):
        query = parse(query)
    spans = word_spans(text)
    if not spans:
        return ""
    tokens = [token for _, _, token in spans]
    hit = [False] * len(spans)
    for clause in query.positive:
        for start in _occurs(tokens, clause):
            for i in range(start, start + len(clause.tokens)):
                hit[i] = True
    first = _best_window(hit, width)
    last = min(len(spans), first + width)
    out: list[str] = ["…"] if first > 0 else []
    position = spans[first][0]
    for i in range(first, last):
        start, end, _ = spans[i]
        out.append(text[position:start])
        out.append(f"{marks[0]}{text[start:end]}{marks[1]}" if hit[i] else text[start:end])
        position = end
    if last < len(spans):
        out.append(" …")
    else:
        out.append(text[position:])
    return " ".join("".join(out).split())


def _best_window(hit: list[bool], width: int) -> int:
    """The first word of the ``width``-word window with the most hits, a few words before the first."""
    if len(hit) <= width:
        return 0
    best, best_count, count = 0, -1, 0
    for end in range(len(hit)):
        count += hit[end]
        if end >= width:
            count -= hit[end - width]
        start = max(0, end - width + 1)
        if count > best_count:
            best, best_count = start, count
    first_hit = next((i for i in range(best, len(hit)) if hit[i]), best)
    return max(0, min(best, first_hit - 3))
