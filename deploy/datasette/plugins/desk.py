"""Datasette plugin for the harvester's store (loaded by ``scrapy browse`` from this directory).

* SQL functions for the canned queries: ``search_match(q)`` and ``search_snippet(body, q)``
  (the search index holds normalised words, so a query is normalised the same way before
  MATCH: crawler/search), ``actor_name(text)`` (an actor in any spelling the actor list
  knows, as ``scrapy export --actor`` reads it).
* Cells: Arabic text is shown right-to-left (``dir="auto"``: Datasette's pages are
  left-to-right, and a headline that starts with a Latin acronym or a number would
  otherwise be laid out backwards); ids in views and canned queries link to the article's
  page (its URLs, that is its duplicates, and its story) and to the story's page, as the
  tables' foreign keys do; the search snippet's matches are marked.
* Facets of type ``listed`` (metadata.yml): the values of an article's list (topics, actors)
  counted from the table that holds them one row each (``article_topics``, migration 0012;
  ``article_actors``). Datasette's array facet reads every row's JSON list and keeps each
  row whole to count it once per value: at 100,000 articles it took seconds, and facets
  past the time limit were left out (docs/benchmarks.md). The counts are the same
  (articles holding the value, each once), and a click filters as the array facet's does
  (``column__arraycontains``), on the JSON list the row shows.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import path_with_added_args, path_with_removed_args
from markupsafe import Markup, escape

from crawler.lens.actors import find_actors
from crawler.search import fts5_query, snippet

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# Private-use characters around a match in search_snippet's text: never in an article, and
# turned into <mark> after the text is escaped.
MARKS = ("\ue000", "\ue001")
# Columns that name an article or a story. Datasette links a table's foreign keys on its
# table pages (the value comes here as a dict, and is left to it), not in views, canned
# queries or a row's own page, where the value is a plain id.
ARTICLE_COLUMNS = frozenset({"article_id", "first_article_id"})
STORY_COLUMNS = frozenset({"story_id"})
# A list column of the articles (articles, articles_v: the article is the row's ``id``) and
# the table holding its values one row each, by article_id: (table, value column).
LISTED = {
    "topics": ("article_topics", "topic"),
    "topic_list": ("article_topics", "topic"),
    "actor_list": ("article_actors", "name"),
}


def search_snippet(body: str | None, query: str | None) -> str:
    return snippet(body or "", query or "", marks=MARKS)


def actor_name(text: str | None) -> str:
    """The canonical name of the actor the analyst wrote (موسكو → روسيا), else the text as written."""
    text = (text or "").strip()
    found = find_actors(text, "") if text else []
    return found[0].name if len(found) == 1 else text


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("search_match", 1, lambda q: fts5_query(q or ""), deterministic=True)
    conn.create_function("search_snippet", 2, search_snippet, deterministic=True)
    conn.create_function("actor_name", 1, actor_name, deterministic=True)


def _link(datasette: Any, database: str, table: str, value: int) -> Markup:
    return Markup('<a href="{}">{}</a>').format(datasette.urls.row(database, table, str(value)), value)


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if isinstance(value, int) and not isinstance(value, bool):
        if column in ARTICLE_COLUMNS or (column == "id" and table == "articles_v"):
            return _link(datasette, database, "articles", value)
        if column in STORY_COLUMNS or (column == "id" and table == "stories_v"):
            return _link(datasette, database, "stories", value)
    if not isinstance(value, str) or not ARABIC.search(value) or value.startswith(("http://", "https://")):
        return None
    # Not cut short here: the article's own page shows the whole text; lists clamp it (desk.css).
    shown = str(escape(value)).replace(MARKS[0], "<mark>").replace(MARKS[1], "</mark>")
    return Markup(f'<span class="ar" dir="auto" lang="ar">{shown}</span>')


class ListedFacet(Facet):  # type: ignore[misc]  # Datasette is untyped
    """An array facet counted from the narrow table of :data:`LISTED` (the module says why)."""

    type = "listed"

    async def suggest(self) -> list[dict[str, Any]]:
        return []  # only where metadata.yml asks for it

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        for configured in self.get_configs():
            column = configured["config"].get("column") or configured["config"]["simple"]
            if column not in LISTED:
                continue  # only a known table and column go into the SQL
            table, value = LISTED[column]
            sql = (
                f"select l.{value} as value, count(distinct l.article_id) as count from {table} l"
                f" where l.article_id in (select id from ({self.sql}))"
                f" group by l.{value} order by count desc, value limit {size + 1}"
            )
            try:
                found = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            contains = f"{column}__arraycontains"
            values = []
            for row in found.rows[:size]:
                shown = str(row["value"])
                selected = (contains, shown) in pairs
                toggle = (path_with_removed_args if selected else path_with_added_args)(
                    self.request, {contains: shown}
                )
                values.append(
                    {
                        "value": shown,
                        "label": shown,
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, toggle),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": "array",  # what the page calls it: the values of a list
                    "results": values,
                    "hideable": configured["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {f"_facet_{self.type}": column})
                    ),
                    "truncated": len(found.rows) > size,
                }
            )
        return results, timed_out


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [ListedFacet]
