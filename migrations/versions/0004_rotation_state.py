"""rotation state per subscriber and kind, computed from the existing deliveries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 21:30:00

Choosing today's item used to read a subscriber's whole delivery history; the rotation
row holds where they stand in each kind's round instead. Existing rows are
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
_SUBSCRIBERS_PER_PAGE = 1000


def _replayed(rows: Iterator[tuple[int, str, str]]) -> Iterator[dict[str, object]]:
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
    chunk: list[dict[str, object]] = []
    for row in _replayed(_history()):
        chunk.append(row)
        if len(chunk) == _CHUNK:
            op.bulk_insert(rotation, chunk)
            chunk = []
    if chunk:
        op.bulk_insert(rotation, chunk)


def _history() -> Iterator[tuple[int, str, str]]:
    """Every sent item, by subscriber, kind and date, read a range of subscribers at a time.

    A year of a million subscribers' deliveries need not fit in memory. Ranges of ids
    rather than a server-side cursor: on PostgreSQL such a cursor stays open until the
    migration's one transaction ends, and a later revision could not index the table.
    """
    bind = op.get_bind()
    low, high = bind.execute(
        sa.text("SELECT min(subscriber_id), max(subscriber_id) FROM delivery")
    ).one()
    if low is None:
        return
    page = sa.text(
        "SELECT subscriber_id, kind, item_id FROM delivery WHERE item_id != '' "
        "AND subscriber_id >= :low AND subscriber_id < :high "
        "ORDER BY subscriber_id, kind, local_date"
    )
    for start in range(low, high + 1, _SUBSCRIBERS_PER_PAGE):
        rows = bind.execute(page, {"low": start, "high": start + _SUBSCRIBERS_PER_PAGE})
        yield from ((subscriber_id, kind, item_id) for subscriber_id, kind, item_id in rows)


def downgrade() -> None:
    op.drop_table("rotation")
