"""Conditional-request validators (ETag, Last-Modified) and sitemap lastmod per URL.

``http_validators`` holds, per spider and discovery document (feed, sitemap,
listing front page), what the last run that read the document in full left:
the validators it sends back as If-None-Match / If-Modified-Since, the sitemap
index that listed it and the ``<lastmod>`` given there, when it was read, and
its last lasting failure (crawler/store/validators.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 03:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "http_validators",
        sa.Column("spider", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("etag", sa.String(length=1024), server_default="", nullable=False),
        sa.Column("last_modified", sa.String(length=64), server_default="", nullable=False),
        sa.Column("parent_url", sa.String(length=2048), server_default="", nullable=False),
        sa.Column("listed_lastmod", sa.String(length=64), server_default="", nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure", sa.String(length=64), server_default="", nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("spider", "url", name=op.f("pk_http_validators")),
    )


def downgrade() -> None:
    op.drop_table("http_validators")
