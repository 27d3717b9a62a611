"""The feed cursor: what the last written run feed covered.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 03:40:00

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
