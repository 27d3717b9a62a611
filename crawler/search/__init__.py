"""Arabic full-text search over the store's titles and bodies (docs: README, "Searching the store").

* normalise.py: the search form of a word (matching form without attached clitics);
* query.py: what the user typed, parsed (words, "phrases", -exclusions), as an FTS5 or
  tsquery expression, and a highlighted snippet of display text;
* index.py: the index tables (SQLite FTS5 ``article_search``, PostgreSQL ``article_search``
  with a tsvector and a GIN index), kept in step by the store's writer;
* searcher.py: ranked results with the export filters.
"""

from crawler.search.normalise import search_form, search_tokens
from crawler.search.query import SearchQuery, fts5_query, parse, snippet, tsquery

__all__ = ["SearchQuery", "fts5_query", "parse", "search_form", "search_tokens", "snippet", "tsquery"]
