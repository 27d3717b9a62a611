"""The publisher beside the credited source, and the publish date's precision.

``articles.source`` now holds only what the page credits (empty when nothing does), so the
outlet that published the page is its own column, ``publisher``. ``published_precision`` is
"day" for a date printed without a time (``published_at`` is then that calendar day at 00:00
UTC) and "minute" for a date with a time. Existing rows keep their values: their precision
is unknown (empty) and their publisher is filled from the source they were stored with,
which before this revision fell back to the publisher.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 00:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publisher", sa.String(length=255), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("published_precision", sa.String(length=8), nullable=False, server_default="")
        )
    op.execute("UPDATE articles SET publisher = source WHERE publisher = ''")


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("published_precision")
        batch_op.drop_column("publisher")
