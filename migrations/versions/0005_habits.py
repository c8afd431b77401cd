"""habits: frequency and summary day, streak freezes and re-engagement, challenge series

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 21:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "frequency",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="daily",
            )
        )
        batch_op.add_column(
            sa.Column("summary_day", sa.Integer(), nullable=False, server_default="6")
        )
    with op.batch_alter_table("streak", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settled_day", sa.Date(), nullable=True))
        for name in ("freezes", "run", "milestone", "unanswered", "version"):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column(
                "reengage",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("notes_day", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "notes",
                sqlmodel.sql.sqltypes.AutoString(length=1000),
                nullable=False,
                server_default="",
            )
        )
    # Existing streaks: their last answered nudge counts as the last one settled.
    op.execute("UPDATE streak SET settled_day = last_day")
    op.create_table(
        "series_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("series_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("steps_done", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["subscriber_id"], ["subscriber.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("series_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_series_progress_subscriber_id"), ["subscriber_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("series_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_series_progress_subscriber_id"))
    op.drop_table("series_progress")
    with op.batch_alter_table("streak", schema=None) as batch_op:
        for name in (
            "notes",
            "notes_day",
            "reengage",
            "version",
            "unanswered",
            "milestone",
            "run",
            "freezes",
            "settled_day",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.drop_column("summary_day")
        batch_op.drop_column("frequency")
