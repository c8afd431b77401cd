"""subscriber comfort settings: the set-up question waiting, kinds kept, quiet hours

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 15:30:00

``setup_step`` is the guided set-up's open question (NULL once it is done), so a typed
answer can be read as that answer on any instance. ``kinds`` lists the kinds of nudge a
subscriber dropped (empty: all kinds come). Quiet hours are wall times in the
subscriber's zone; new subscribers get 22:00-07:00. An existing subscriber whose nudge
time lies inside that window gets none (NULL, off): their chosen time must keep coming.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("setup_step", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "dropped_kinds",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column("quiet_start", sa.String(length=5), nullable=True, server_default="22:00")
        )
        batch_op.add_column(
            sa.Column("quiet_end", sa.String(length=5), nullable=True, server_default="07:00")
        )
    op.execute(
        "UPDATE subscriber SET quiet_start = NULL, quiet_end = NULL"
        " WHERE local_time >= '22:00' OR local_time < '07:00'"
    )


def downgrade() -> None:
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        for name in ("quiet_end", "quiet_start", "dropped_kinds", "setup_step"):
            batch_op.drop_column(name)
