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
    """Every statement sent (its SQL), every transaction begun and every commit.

    ``BEGIN IMMEDIATE`` goes to the driver directly (:mod:`nudgebot.store.db`), so it is
    counted in ``begins``, not in ``sent``.
    """

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.begins = 0
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

    def begin(_connection: Any) -> None:
        seen.begins += 1

    def commit(_connection: Any) -> None:
        seen.commits += 1

    listeners = {"before_cursor_execute": statement, "begin": begin, "commit": commit}
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)
