"""What each discovery document (feed, sitemap, listing front page) said when a run last read it.

One row per spider and URL (table ``http_validators``, migration 0007): the HTTP
validators of the answer (``ETag``, ``Last-Modified``), sent back as
``If-None-Match`` / ``If-Modified-Since`` so that an unchanged document costs a
304 and no body; for a sitemap that an index lists, the index that listed it
and the ``<lastmod>`` it gave, so that an unchanged child is not fetched at all;
when it was last read in full (``read_at``), so that sitemap entries dated well
before then are known to have been read; and the last lasting failure, so that a
child sitemap that is a gzip bomb is not decompressed again every run.

Validators are written only for a document whose every listed article is stored
or failed for good (crawler/spiders/discovery.py decides): a 304 must never hide
an article the store does not have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from crawler.store.models import Base
from crawler.store.repository import ArticleStore


class HttpValidatorRow(Base):
    """A discovery document of one spider, as the last run that read it left it."""

    __tablename__ = "http_validators"

    spider: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    etag: Mapped[str] = mapped_column(String(1024), default="", server_default="")
    last_modified: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # the sitemap index that listed this sitemap, and the <lastmod> it gave it then
    parent_url: Mapped[str] = mapped_column(String(2048), default="", server_default="")
    listed_lastmod: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # when a run last read the whole document and every article it lists was done
    read_at: Mapped[datetime | None]
    # the last lasting failure (too_large, http_404 …) and when
    failure: Mapped[str] = mapped_column(String(64), default="", server_default="")
    failed_at: Mapped[datetime | None]


@dataclass(frozen=True)
class DocumentState:
    """A row of ``http_validators``, detached from the database."""

    etag: str = ""
    last_modified: str = ""
    parent_url: str = ""
    listed_lastmod: str = ""
    read_at: datetime | None = None
    failure: str = ""
    failed_at: datetime | None = None

    def values(self) -> dict[str, Any]:
        return {
            "etag": self.etag[:1024],
            "last_modified": self.last_modified[:64],
            "parent_url": self.parent_url[:2048],
            "listed_lastmod": self.listed_lastmod[:64],
            "read_at": self.read_at,
            "failure": self.failure,
            "failed_at": self.failed_at,
        }


def load_documents(store: ArticleStore, spider: str) -> dict[str, DocumentState]:
    """Every document ``spider`` remembers, by URL (one query: a site has few)."""
    with store.sessions() as session:
        rows = session.scalars(select(HttpValidatorRow).where(HttpValidatorRow.spider == spider)).all()
        return {
            row.url: DocumentState(
                row.etag,
                row.last_modified,
                row.parent_url,
                row.listed_lastmod,
                row.read_at,
                row.failure,
                row.failed_at,
            )
            for row in rows
        }


def save_documents(
    store: ArticleStore,
    spider: str,
    documents: Mapping[str, DocumentState],
    dropped_children: Iterable[tuple[str, set[str]]] = (),
) -> None:
    """Write ``documents`` (insert or replace, so concurrent workers of one run cannot collide),
    and forget the children an index no longer lists (``(index URL, URLs it lists now)``)."""
    table = HttpValidatorRow.__table__
    assert isinstance(table, Table)
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    with store.writing() as session:
        for url, state in documents.items():
            values = state.values()
            statement = insert(table).values(spider=spider, url=url, **values)
            session.execute(statement.on_conflict_do_update(index_elements=["spider", "url"], set_=values))
        for parent, listed in dropped_children:
            session.execute(
                delete(HttpValidatorRow).where(
                    HttpValidatorRow.spider == spider,
                    HttpValidatorRow.parent_url == parent,
                    HttpValidatorRow.url.not_in(listed),
                )
            )
