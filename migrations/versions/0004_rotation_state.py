"""rotation state per subscriber and kind, computed from the existing deliveries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 21:30:00

Choosing today's item used to read a subscriber's whole delivery history; the rotation
row holds where they stand in each kind's round instead (issue 9). Existing rows are
replayed here in date order: a round restarts when an item comes again, which is
exactly when the old rule had seen every item of the kind.
"""

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 5000


def _replayed(rows: Iterator[sa.Row[tuple[int, str, str]]]) -> Iterator[dict[str, object]]:
    """One rotation row per (subscriber, kind) from its sent ids, oldest first."""
    key: tuple[int, str] | None = None
    round_no, seen = 0, set[str]()
    for subscriber_id, kind, item_id in rows:
        if (subscriber_id, kind) != key:
            if key is not None:
                yield _row(key, round_no, seen)
            key, round_no, seen = (subscriber_id, kind), 0, set()
        if item_id in seen:
            round_no, seen = round_no + 1, set()
        seen.add(item_id)
    if key is not None:
        yield _row(key, round_no, seen)


def _row(key: tuple[int, str], round_no: int, seen: set[str]) -> dict[str, object]:
    return {
        "subscriber_id": key[0],
        "kind": key[1],
        "round_no": round_no,
        "seen": ",".join(sorted(seen)),
    }


def upgrade() -> None:
    rotation = op.create_table(
        "rotation",
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("seen", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["subscriber_id"], ["subscriber.id"]),
        sa.PrimaryKeyConstraint("subscriber_id", "kind"),
    )
    # Streamed (a server-side cursor on PostgreSQL): a year of a million subscribers'
    # deliveries need not fit in memory at once.
    history = op.get_bind().execute(
        sa.text(
            "SELECT subscriber_id, kind, item_id FROM delivery WHERE item_id != '' "
            "ORDER BY subscriber_id, kind, local_date"
        ).execution_options(stream_results=True, yield_per=_CHUNK)
    )
    chunk: list[dict[str, object]] = []
    for row in _replayed(iter(history)):
        chunk.append(row)
        if len(chunk) == _CHUNK:
            op.bulk_insert(rotation, chunk)
            chunk = []
    if chunk:
        op.bulk_insert(rotation, chunk)


def downgrade() -> None:
    op.drop_table("rotation")
