"""Story placement compares what reports say as vectors: ``article_meanings``.

* ``article_meanings(article_id, text_key, vector)``: an article's headline and lead as
  a multilingual sentence vector (crawler/lens/meaning.py), with the key of the text and
  model it was computed from. Left empty here: the store computes a vector the first
  time an article is compared with another (crawler/store/placement.py), so a large
  store is not read through at upgrade for articles that may never be compared.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 05:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_meanings",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("text_key", sa.BigInteger(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_meanings_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_meanings")),
    )


def downgrade() -> None:
    op.drop_table("article_meanings")
