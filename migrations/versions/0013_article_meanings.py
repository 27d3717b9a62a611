"""Sentence vectors of stored articles: the story matcher's second reading (crawler/lens/meaning.py).

``article_meanings(article_id, text_key, vector)``: one row an article, its headline
and lead as a float16 vector and the key of the model and text it was made from.
Left empty here: a stored article's vector is made the first time a new report is
compared with it (crawler/store/placement.py), so a store migrates in no time and
articles outside every later story window never cost one.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 09:00:00

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
