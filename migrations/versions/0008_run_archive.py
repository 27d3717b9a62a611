"""The web archive of a run: its first file and its size.

``crawl_runs.archive_path`` names the first WARC file the run wrote
(``archive/<spider>/<spider>-<UTC time>-00001.warc.gz``; files rotated at
``ARCHIVE_MAX_BYTES`` share its name up to the number), set when the run
starts, so that a killed run's row names its archive too. ``archive_bytes`` is
the size of all its files, filled when the run closes (crawler/extensions/archive.py).
Rows of earlier runs had no archive: empty path, 0 bytes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-12 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archive_path", sa.String(length=1024), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("archive_bytes", sa.BigInteger(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("archive_bytes")
        batch_op.drop_column("archive_path")
