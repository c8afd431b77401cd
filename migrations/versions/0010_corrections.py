"""corrections: the item version each delivery carried, and who was told of a correction

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 16:00:00

A correction (an item's text changed with its version) is told once, inside the next
nudge, to each subscriber who received an older version in the last 30 days. For that a
delivery remembers the version it carried (rows from before this revision carried
version 1, the only one there was), and ``correction_notice`` remembers who was told.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("item_version", sa.Integer(), nullable=False, server_default="1")
        )
    op.create_table(
        "correction_notice",
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["subscriber_id"], ["subscriber.id"]),
        sa.PrimaryKeyConstraint("subscriber_id", "item_id", "version"),
    )


def downgrade() -> None:
    op.drop_table("correction_notice")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("item_version")
