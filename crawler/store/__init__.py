"""The article store: SQLAlchemy models, engines and the upserting repository."""

from crawler.store.db import database_url, make_engine, redact
from crawler.store.repository import ArticleStore, ExportFilter, SaveResult

__all__ = ["ArticleStore", "ExportFilter", "SaveResult", "database_url", "make_engine", "redact"]
