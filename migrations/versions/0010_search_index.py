"""Arabic full-text search: the index of every article's title and body (crawler/search/index.py).

SQLite: an FTS5 table ``article_search`` (rowid = articles.id) holding the search
form of title and body, and a trigger removing an article's row when the article
goes. PostgreSQL: ``article_search(article_id, vector tsvector)`` with a GIN index.
Both are filled here from the stored articles; from then on the store's writer
keeps them in step.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 22:30:00

"""

from collections.abc import Sequence

from alembic import op

from crawler.search import index

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    index.create(connection)
    index.rebuild(connection)


def downgrade() -> None:
    index.drop(op.get_bind())
