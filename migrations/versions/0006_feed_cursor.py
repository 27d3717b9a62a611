"""The feed cursor: what the last written run feed covered.

Every change to an article's record takes the next value of a store-wide counter
(``change_sequence``, one row, taken last in the transaction so values follow commit
order) into ``articles.change_seq``. ``feed_cursors`` keeps, per site, the last value
its run feeds hold; a run feed covers every record of its site changed after it, and
moves it once the file is in place (crawler/extensions/feed.py). ``crawl_runs.outcome``
keeps what went wrong, in the words the run printed.

Existing rows: ``change_seq`` is their id (the order they were stored in), and each
site's cursor starts at the counter, so the first feed after the upgrade holds what
changes after it rather than the whole store. (Articles a killed run stored before the
upgrade were in no feed and stay so: nothing recorded which they were.)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 03:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), server_default="0", nullable=False))
    op.execute("UPDATE articles SET change_seq = id")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index("ix_articles_site_change_seq", ["site", "change_seq"], unique=False)

    op.create_table(
        "change_sequence",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_sequence")),
    )
    op.execute("INSERT INTO change_sequence (id, last_value) SELECT 1, COALESCE(MAX(id), 0) FROM articles")

    op.create_table(
        "feed_cursors",
        sa.Column("feed", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("feed", name=op.f("pk_feed_cursors")),
    )
    op.execute(
        "INSERT INTO feed_cursors (feed, last_seq, path, row_count)"
        " SELECT site, (SELECT last_value FROM change_sequence WHERE id = 1), '', 0"
        " FROM articles GROUP BY site"
    )

    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("outcome")
    op.drop_table("feed_cursors")
    op.drop_table("change_sequence")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_site_change_seq")
        batch_op.drop_column("change_seq")
