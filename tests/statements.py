"""Counting what reaches the database, for tests that guard how few statements a path runs.

Counts, never times: the machine is shared, and a statement count is what a regression
changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from nudgebot.store.db import Sessions


class Statements:
    """Every statement sent (its SQL) and every commit, while counting."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.commits = 0

    def touching(self, *tables: str) -> list[str]:
        """The statements that name any of these tables."""
        return [sql for sql in self.sent if any(table in sql for table in tables)]


@contextmanager
def counting(sessions: Sessions) -> Iterator[Statements]:
    """Count the statements and commits of this store's engine inside the block."""
    engine = sessions.kw["bind"].sync_engine
    seen = Statements()

    def statement(*args: Any) -> None:
        seen.sent.append(args[2])

    def commit(_connection: Any) -> None:
        seen.commits += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
