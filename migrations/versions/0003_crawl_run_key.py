"""crawl_runs.run_key: the rows of the processes of one distributed run share it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:17:36.953152

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("run_key", sa.String(length=64), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_crawl_runs_run_key"), ["run_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_runs_run_key"))
        batch_op.drop_column("run_key")
