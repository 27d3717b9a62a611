"""The article store: SQLAlchemy models, engines, and the store's jobs (writer, placement, reader).

``ArticleStore`` (repository.py) is the one object callers use; crawler/store/crawl.py
gives each crawl one, on one engine.
"""

from crawler.store.db import database_url, make_engine, redact
from crawler.store.reader import ExportFilter
from crawler.store.repository import ArticleStore
from crawler.store.writer import SaveResult

__all__ = ["ArticleStore", "ExportFilter", "SaveResult", "database_url", "make_engine", "redact"]
