"""How late each time slot's nudges will be, from the schedule and the platform's rate.

Telegram lets a bot send about 30 messages a second to different chats, whatever our
engine could do: 100,000 subscribers who chose 07:00 need 55 minutes, and those a
queue pushes past the grace window are skipped (invariant 2 of docs/architecture.md:
never a nudge hours late). Nothing told the operator before it happened; this model
does, from the due times in the database (``subscriber.next_due_utc``).

The engine leases the earliest due first, so the model is one queue served at
``rate`` in due order: a slot starts when it falls due or when the slots before it are
done, whichever is later, and its nudges that would leave more than ``grace`` after
their due time are skipped (they take no send). Pure: the query is in
:mod:`nudgebot.store.capacity`, the warning in :mod:`nudgebot.engine.capacity`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Slot:
    """Subscribers due at one instant (the minute they chose, in UTC today)."""

    due_utc: datetime
    count: int


@dataclass(frozen=True, slots=True)
class SlotForecast:
    """What the queue does to one slot: how late its last nudge leaves, how many are lost."""

    due_utc: datetime
    count: int
    waiting: int
    """Nudges of earlier slots still queued when this one falls due (the backlog)."""
    lateness: timedelta
    """How long after ``due_utc`` the slot's last nudge that is sent leaves."""
    skipped: int
    """Nudges that would leave later than the grace window: skipped, not sent."""


@dataclass(frozen=True, slots=True)
class Forecast:
    """A platform's day: its rate, and every slot as the queue will serve it."""

    platform: str
    rate: float
    """Messages per second the platform takes from this bot (all instances together)."""
    grace: timedelta
    slots: tuple[SlotForecast, ...]

    @property
    def due(self) -> int:
        return sum(slot.count for slot in self.slots)

    @property
    def skipped(self) -> int:
        return sum(slot.skipped for slot in self.slots)

    @property
    def worst(self) -> SlotForecast | None:
        """The slot whose last nudge is latest (None on a day without nudges)."""
        return max(self.slots, key=lambda slot: slot.lateness, default=None)

    @property
    def short(self) -> tuple[SlotForecast, ...]:
        """The slots that cannot all be served within the grace window."""
        return tuple(slot for slot in self.slots if slot.skipped)

    def hourly(self) -> list[SlotForecast]:
        """The slots summed per UTC hour (for a table): counts added, the worst lateness."""
        hours: dict[datetime, SlotForecast] = {}
        for slot in self.slots:
            hour = slot.due_utc.replace(minute=0, second=0, microsecond=0)
            seen = hours.get(hour)
            hours[hour] = (
                SlotForecast(hour, slot.count, slot.waiting, slot.lateness, slot.skipped)
                if seen is None
                else SlotForecast(
                    hour,
                    seen.count + slot.count,
                    max(seen.waiting, slot.waiting),
                    max(seen.lateness, slot.lateness),
                    seen.skipped + slot.skipped,
                )
            )
        return [hours[hour] for hour in sorted(hours)]


def forecast(
    platform: str,
    slots: Iterable[Slot],
    *,
    rate: float,
    grace: timedelta,
    now_utc: datetime,
) -> Forecast:
    """Serve ``slots`` in due order at ``rate`` messages a second, starting ``now_utc``.

    Slots already due count from ``now_utc`` (they wait now); a slot's nudges beyond
    what fits before its grace runs out are skipped and take no time of the queue.
    """
    if rate <= 0:
        raise ValueError(f"a platform rate must be above zero, not {rate}")
    free_at = now_utc
    served: list[SlotForecast] = []
    for slot in sorted(slots, key=lambda one: one.due_utc):
        if slot.count <= 0:
            continue
        start = max(slot.due_utc, free_at)
        # Queued ahead of it: what the slots before it still have to send when it falls
        # due (or now, for a slot already due).
        ahead = (free_at - max(slot.due_utc, now_utc)).total_seconds()
        waiting = round(max(0.0, ahead) * rate)
        room = (slot.due_utc + grace - start).total_seconds() * rate
        sent = min(slot.count, max(0, int(room)))
        finish = start + timedelta(seconds=sent / rate)
        free_at = max(free_at, finish)
        lateness = max(timedelta(0), finish - slot.due_utc) if sent else timedelta(0)
        served.append(SlotForecast(slot.due_utc, slot.count, waiting, lateness, slot.count - sent))
    return Forecast(platform, rate, grace, tuple(served))


def warning_text(forecast: Forecast) -> str:
    """The operator's one-line warning for a day that cannot be served, with the figures."""
    short = forecast.short
    first = short[0]
    return (
        f"{forecast.platform}: {forecast.skipped:,} of today's {forecast.due:,} nudges will be "
        f"later than the {_minutes(forecast.grace)} grace window and skipped, at "
        f"{forecast.rate:g} messages/s; first short slot {first.due_utc:%H:%M} UTC "
        f"({first.count:,} due, {first.waiting:,} still queued before it); "
        f"{len(short)} slot(s) short. Spread the audience's times, add the paid lane "
        "(NUDGEBOT_TELEGRAM_PAID_BROADCAST) or raise NUDGEBOT_GRACE_MINUTES."
    )


def _minutes(span: timedelta) -> str:
    return f"{span.total_seconds() / 60:g}-minute"


__all__ = ["Forecast", "Slot", "SlotForecast", "forecast", "warning_text"]
