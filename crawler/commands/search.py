"""``scrapy search "الدفاع الجوي" [--since DATE] [--until DATE] [--topic T] [--actor A] [--site S]``
``[--source S] [--limit N]``

Searches the stored titles and bodies in Arabic (crawler/search): hamza and
alef forms, ta marbuta, alef maqsura, tashkeel, tatweel and attached clitics
(و ف ب ل ك ال …) do not hide a match. Words must all occur; ``"a phrase"``
must occur as written; ``-word`` must not. Results are ranked (titles weigh
more than bodies) and printed best first, each with its date, site, title, a
snippet of the body with the matches marked, and its URL. On a terminal the
matches are in bold, otherwise in [brackets].

Filters are those of ``scrapy export``. ``scrapy export --query "…"`` writes
every match as CSV or JSON lines. A database that does not exist is refused
(crawler/store/db.py require_existing_database).
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands.errors import reported_errors
from crawler.commands.export import _actor_option, _date_option
from crawler.lens.topics import TOPICS
from crawler.search.query import parse, snippet
from crawler.search.searcher import EmptyQuery, Hit, search
from crawler.store import ArticleStore, ExportFilter, database_url, make_engine, redact
from crawler.store.db import require_existing_database

BOLD = ("\x1b[1m", "\x1b[0m")
BRACKETS = ("[", "]")


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The article filters ``scrapy search`` shares with ``scrapy export``."""
    parser.add_argument("--since", help="published at or after this date (UTC)")
    parser.add_argument("--until", help="published before this date (UTC)")
    parser.add_argument("--site", help="only articles harvested by this spider")
    parser.add_argument("--source", help="only articles credited to this source")
    parser.add_argument("--topic", choices=TOPICS, help="only articles on this topic")
    parser.add_argument("--actor", help="only articles naming this actor (any spelling: موسكو finds روسيا)")


def format_hits(hits: list[Hit], query: str, marks: tuple[str, str]) -> str:
    """The results as a readable list: rank, date, site and title on one line, snippet and URL below."""
    parsed = parse(query)
    lines = []
    for rank, hit in enumerate(hits, 1):
        date = hit.published_at.strftime("%Y-%m-%d %H:%M") if hit.published_at else "-" * 16
        lines.append(f"{rank:>3}. {date}  {hit.site:<18} {snippet(hit.title, parsed, 40, marks)}")
        lines.append(f"     {hit.snippet}")
        lines.append(f"     {hit.url}")
    return "\n".join(lines)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return '"QUERY" [options]'

    def short_desc(self) -> str:
        return "Search the stored articles in Arabic (ranked, with snippets)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_filter_options(parser)
        parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N results (20)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        with reported_errors(self, "search"):
            self.search(args, opts)

    def search(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError('what to search for: scrapy search "الدفاع الجوي"')
        if opts.limit < 1:
            raise UsageError("--limit: at least 1")
        query = " ".join(args)
        where = ExportFilter(
            since=_date_option(opts.since, "since"),
            until=_date_option(opts.until, "until"),
            site=opts.site,
            source=opts.source,
            topic=opts.topic,
            actor=_actor_option(opts.actor),
        )
        url = database_url(self.settings)
        require_existing_database(url)
        store = ArticleStore(make_engine(url)).prepare()
        marks = BOLD if sys.stdout.isatty() else BRACKETS
        try:
            hits = search(store.engine, query, where, opts.limit, marks)
        except EmptyQuery:
            raise UsageError(f"nothing to search for in {query!r}: give a word or a phrase") from None
        finally:
            store.engine.dispose()
        if hits:
            print(format_hits(hits, query, marks))
        print(f"{len(hits)} article{'s' if len(hits) != 1 else ''} in {redact(url)}", file=sys.stderr)
