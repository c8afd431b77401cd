"""an index on delivery.local_date for the retention job

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 22:15:00

The daily retention job deletes deliveries older than NUDGEBOT_RETENTION_DAYS; without
this index each run would read the whole delivery table to find none.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_delivery_local_date"), "delivery", ["local_date"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_delivery_local_date"), table_name="delivery")
