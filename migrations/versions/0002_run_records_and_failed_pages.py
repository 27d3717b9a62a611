"""Run records (crawl_runs), pages that gave no article (failed_pages), and per-URL fetch counts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 04:37:36.926462

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spider", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finish_reason", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("pages_fetched", sa.Integer(), nullable=False),
        sa.Column("articles_new", sa.Integer(), nullable=False),
        sa.Column("articles_updated", sa.Integer(), nullable=False),
        sa.Column("articles_duplicate", sa.Integer(), nullable=False),
        sa.Column("dropped", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("monitors_failed", sa.JSON(), nullable=False),
        sa.Column("feed_path", sa.String(length=1024), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_runs_spider"), ["spider"], unique=False)
        batch_op.create_index(batch_op.f("ix_crawl_runs_started_at"), ["started_at"], unique=False)

    op.create_table(
        "failed_pages",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("spider", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_failed_pages")),
    )
    with op.batch_alter_table("failed_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_failed_pages_last_failed_at"), ["last_failed_at"], unique=False)

    with op.batch_alter_table("article_urls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fetches", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("article_urls", schema=None) as batch_op:
        batch_op.drop_column("fetches")

    with op.batch_alter_table("failed_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_failed_pages_last_failed_at"))

    op.drop_table("failed_pages")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_runs_started_at"))
        batch_op.drop_index(batch_op.f("ix_crawl_runs_spider"))

    op.drop_table("crawl_runs")
