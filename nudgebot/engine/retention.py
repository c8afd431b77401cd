"""The retention job: once a day, history older than ``NUDGEBOT_RETENTION_DAYS`` goes.

Run by the process clock (:class:`~nudgebot.engine.scheduler.Ticker`) on every instance;
the deletes are idempotent, so two instances running it the same night only share the
work. The cutoff is a UTC date: a local date is never more than a day from it, which
does not matter at a retention of months.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from nudgebot.core.clock import Clock
from nudgebot.store.db import Sessions
from nudgebot.store.retention import delete_history

logger = logging.getLogger(__name__)


class Retention:
    def __init__(self, *, sessions: Sessions, days: int, clock: Clock) -> None:
        self._sessions = sessions
        self._days = days
        self._clock = clock

    async def run(self) -> dict[str, int]:
        """Delete what is older than the retention; returns the rows deleted per table."""
        before = self._clock().date() - timedelta(days=self._days)
        deleted = await delete_history(self._sessions, before=before)
        if deleted:
            logger.info(
                "retention: deleted history before %s (%s)",
                before.isoformat(),
                ", ".join(f"{table} {count}" for table, count in sorted(deleted.items())),
            )
        return deleted


__all__ = ["Retention"]
