"""Who is doing which challenge series, and how far they got.

A subscriber runs at most one series at a time: joining another leaves the running
one. ``steps_done`` moves by compare-and-set, so a double tap, a second member or a
second instance cannot skip a step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Table, and_, bindparam, update
from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.core.content import ContentPack, Item
from nudgebot.store.tables import SeriesProgress


async def running_series(session: AsyncSession, subscriber_id: int) -> SeriesProgress | None:
    statement = select(SeriesProgress).where(
        col(SeriesProgress.subscriber_id) == subscriber_id,
        col(SeriesProgress.finished_on).is_(None),
        col(SeriesProgress.left_on).is_(None),
    )
    return (await session.exec(statement.execution_options(populate_existing=True))).first()


_PROGRESS: Table = SeriesProgress.__table__  # type: ignore[attr-defined]
_AMONG = _PROGRESS.c.subscriber_id.in_(bindparam("ids", expanding=True))
_RUNNING = and_(_AMONG, _PROGRESS.c.finished_on.is_(None), _PROGRESS.c.left_on.is_(None))
# Built once: every batch of nudges runs these, and building one costs more than running it.
_RUNNING_STEPS = select_columns(
    _PROGRESS.c.subscriber_id, _PROGRESS.c.series_id, _PROGRESS.c.steps_done
).where(_RUNNING)
_FINISHED_ON = select_columns(
    _PROGRESS.c.subscriber_id, _PROGRESS.c.series_id, _PROGRESS.c.finished_on
).where(_AMONG, _PROGRESS.c.finished_on.is_not(None))
_RUNNING_AMONG = select_columns(_PROGRESS.c.subscriber_id).where(_RUNNING)


async def running_steps(
    session: AsyncSession, subscriber_ids: list[int], pack: ContentPack
) -> dict[int, Item]:
    """The waiting step of each of these subscribers' running series, in one query."""
    if not subscriber_ids:
        return {}
    steps = {}
    rows = await (await session.connection()).execute(_RUNNING_STEPS, {"ids": subscriber_ids})
    for subscriber_id, series_id, steps_done in rows.all():
        series = pack.get_series(series_id)
        if series is not None and steps_done < len(series.steps):
            steps[subscriber_id] = series.steps[steps_done]
    return steps


async def finished_series(session: AsyncSession, subscriber_id: int) -> set[str]:
    statement = select(SeriesProgress.series_id).where(
        col(SeriesProgress.subscriber_id) == subscriber_id,
        col(SeriesProgress.finished_on).is_not(None),
    )
    return set((await session.exec(statement)).all())


async def finished_on(
    session: AsyncSession, subscriber_ids: Sequence[int]
) -> dict[int, list[tuple[str, date]]]:
    """Each subscriber's finished series and the day each was finished, in one query."""
    found: dict[int, list[tuple[str, date]]] = {
        subscriber_id: [] for subscriber_id in subscriber_ids
    }
    if not subscriber_ids:
        return found
    rows = await (await session.connection()).execute(_FINISHED_ON, {"ids": list(subscriber_ids)})
    for subscriber_id, series_id, day in rows.all():
        assert day is not None
        found[subscriber_id].append((series_id, day))
    return found


async def running_among(session: AsyncSession, subscriber_ids: Sequence[int]) -> set[int]:
    """Which of these subscribers are in a series now, in one query."""
    if not subscriber_ids:
        return set()
    rows = await (await session.connection()).execute(_RUNNING_AMONG, {"ids": list(subscriber_ids)})
    return set(rows.scalars().all())


async def leave_series(session: AsyncSession, subscriber_id: int, today: date) -> str | None:
    """Leave the running series, if any; its id. Does not commit."""
    running = await running_series(session, subscriber_id)
    if running is None:
        return None
    running.left_on = today
    session.add(running)
    return running.series_id


async def join_series(
    session: AsyncSession, subscriber_id: int, series_id: str, today: date
) -> None:
    """Start ``series_id`` from day 1, leaving any other running series. Does not commit."""
    await leave_series(session, subscriber_id, today)
    session.add(SeriesProgress(subscriber_id=subscriber_id, series_id=series_id, joined_on=today))


async def advance_series(
    session: AsyncSession,
    *,
    subscriber_id: int,
    series_id: str,
    step_index: int,
    steps: int,
    local_date: date,
) -> bool:
    """Mark step ``step_index`` done if it is the one waiting; True if this call did it.

    The last step finishes the series on ``local_date``. Does not commit: the tap that
    did the step commits it with the engagement and the streak.
    """
    finished = local_date if step_index + 1 >= steps else None
    result = await session.exec(
        update(SeriesProgress)
        .where(
            col(SeriesProgress.subscriber_id) == subscriber_id,
            col(SeriesProgress.series_id) == series_id,
            col(SeriesProgress.steps_done) == step_index,
            col(SeriesProgress.finished_on).is_(None),
            col(SeriesProgress.left_on).is_(None),
        )
        .values(steps_done=step_index + 1, finished_on=finished)
    )
    return result.rowcount == 1
