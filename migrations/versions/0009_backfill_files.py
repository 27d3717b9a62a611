"""Backfill progress: how far ``scrapy backfill`` got in each WARC file.

``backfill_files`` has one row per file and scope (which records a backfill keeps):
its state (running, done, failed), the offset before which every record was
processed and its articles stored (a killed backfill goes on from there), the
records scanned and kept before it, and why and where a failed file stopped
(crawler/archive/backfill.py).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-12 12:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "backfill_files",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("next_offset", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("records_scanned", sa.BigInteger(), nullable=False),
        sa.Column("records_kept", sa.BigInteger(), nullable=False),
        sa.Column("records_damaged", sa.Integer(), nullable=False),
        sa.Column("articles_new", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("error_offset", sa.BigInteger(), nullable=True),
        sa.Column("worker", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_backfill_files")),
    )
    with op.batch_alter_table("backfill_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_backfill_files_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("backfill_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backfill_files_state"))
    op.drop_table("backfill_files")
