"""``nudgebot stats``: how the bot is doing, as tables in the terminal and, on request, a PNG.

The plot is for the admin who would rather look than read: daily deliveries as bars and
the answer rate as a line over the same days. matplotlib is an optional extra
(``nudgebot[plot]``) and is drawn through its Agg canvas, never pyplot, so it needs no
display and never opens a window; without the extra, ``--plot`` says how to get it,
before anything is printed. A window without deliveries still gets a chart, one that
says "no nudges delivered" instead of an empty grid with a meaningless axis.

The first line names the database that was read (without its password): a ``stats``
pointed at the wrong file looks exactly like a bot nobody uses.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime, timedelta
from math import nan
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from nudgebot.core.capacity import Forecast
from nudgebot.engine.capacity import backlog, capacity_today, platform_rates
from nudgebot.errors import InputError
from nudgebot.settings import Settings
from nudgebot.store.db import open_store, shown_url
from nudgebot.store.stats import (
    Answered,
    answered_by_day,
    answered_by_item,
    answered_by_kind,
    bucket_names,
    streak_distribution,
    subscribers_by,
)
from nudgebot.store.tables import utc_now

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SHOWN_ITEMS = 5


def stats_command(settings: Settings, out: Console, *, days: int, plot: Path | None) -> int:
    if days < 1 or days > 3660:
        raise InputError("stats_bad_days", days=days)
    if plot is not None and plot.suffix.lower() != ".png":
        raise InputError("stats_bad_plot", path=plot)
    if plot is not None:
        _matplotlib_present()
    return asyncio.run(_stats(settings, out, days=days, plot=plot))


async def _stats(settings: Settings, out: Console, *, days: int, plot: Path | None) -> int:
    today = utc_now().date()
    windows = sorted({min(7, days), days})
    async with open_store(settings.database_url) as sessions:
        async with sessions() as session:
            subscribers = await subscribers_by(session)
            by_kind = {
                w: await answered_by_kind(session, today - timedelta(days=w)) for w in windows
            }
            by_item = await answered_by_item(session, today - timedelta(days=days))
            streaks = await streak_distribution(session)
            daily = await answered_by_day(session, today - timedelta(days=days))
        now = utc_now()
        forecasts = await capacity_today(
            sessions,
            rates=platform_rates(settings),
            grace=timedelta(minutes=settings.grace_minutes),
            now_utc=now,
        )
    shown = shown_url(settings.database_url)
    out.print(f"database: {shown}", markup=False, highlight=False, soft_wrap=True)
    out.print(_subscribers_table(subscribers))
    out.print(_kinds_table(by_kind))
    out.print(_streaks_table(streaks))
    out.print(_items_table(by_item, days))
    for day in forecasts:
        out.print(_capacity_table(day, now))
    if plot is not None:
        draw_daily(daily, first=today - timedelta(days=days), last=today, path=plot)
        out.print(f"plot written to {plot}")
    return 0


def _subscribers_table(counts: Counter[tuple[str, str, str]]) -> Table:
    statuses = ("active", "paused", "stopped")
    table = Table(title=f"Subscribers ({sum(counts.values())})")
    table.add_column("platform")
    table.add_column("language")
    for status in statuses:
        table.add_column(status, justify="right")
    for platform, lang in sorted({(p, lang) for p, lang, _ in counts}):
        table.add_row(platform, lang, *(str(counts[(platform, lang, s)]) for s in statuses))
    return table


def _rate(answered: Answered | None) -> str:
    if answered is None or not answered.delivered:
        return "-"
    return f"{answered.delivered} · {answered.rate:.0%}"


def _kinds_table(by_kind: dict[int, dict[str, Answered]]) -> Table:
    table = Table(title="Nudges delivered · answer rate")
    table.add_column("kind")
    for window in by_kind:
        table.add_column(f"last {window} days", justify="right")
    kinds = sorted({kind for counts in by_kind.values() for kind in counts})
    for kind in kinds:
        table.add_row(kind, *(_rate(counts.get(kind)) for counts in by_kind.values()))
    totals = [
        Answered(sum(a.delivered for a in c.values()), sum(a.answered for a in c.values()))
        for c in by_kind.values()
    ]
    table.add_row("all", *(_rate(total) for total in totals), style="bold")
    return table


def _streaks_table(streaks: Counter[str]) -> Table:
    table = Table(title="Current streaks (subscribers not stopped)")
    table.add_column("days")
    table.add_column("subscribers", justify="right")
    for name in bucket_names():
        table.add_row(name, str(streaks[name]))
    return table


def _items_table(by_item: dict[str, Answered], days: int) -> Table:
    ranked = sorted(by_item.items(), key=lambda pair: (-pair[1].rate, -pair[1].delivered))
    table = Table(title=f"Items answered most and least (last {days} days)")
    table.add_column("")
    table.add_column("item")
    table.add_column("delivered · answered", justify="right")
    for label, rows in (("most", ranked[:SHOWN_ITEMS]), ("least", ranked[-SHOWN_ITEMS:][::-1])):
        for item_id, answered in rows:
            table.add_row(label, item_id, _rate(answered))
    return table


def _capacity_table(day: Forecast, now: datetime) -> Table:
    """The next 24 hours per UTC hour: due, queued ahead, the last nudge's lateness, lost."""
    worst = day.worst
    table = Table(
        title=f"Capacity, {day.platform}, next 24 hours at {day.rate:g} messages/s: "
        f"{day.due} due, {backlog(day, now)} waiting now, "
        f"worst lateness {_span(worst.lateness) if worst else '-'}, "
        f"{day.skipped} to be skipped (grace {_span(day.grace)})"
    )
    for name in ("hour (UTC)", "due", "queued ahead", "last one late by", "skipped"):
        table.add_column(name, justify="left" if name.startswith("hour") else "right")
    for hour in day.hourly():
        table.add_row(
            f"{hour.due_utc:%Y-%m-%d %H}:00",
            str(hour.count),
            str(hour.waiting),
            _span(hour.lateness),
            str(hour.skipped),
            style="bold red" if hour.skipped else None,
        )
    return table


def _span(span: timedelta) -> str:
    minutes, seconds = divmod(round(span.total_seconds()), 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m{seconds:02d}s"


def _matplotlib_present() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InputError("stats_no_matplotlib") from None


def draw_daily(daily: dict[date, Answered], *, first: date, last: date, path: Path) -> None:
    """Daily deliveries (bars) and answer rate (line, right axis) as a PNG."""
    figure = daily_figure(daily, first=first, last=last)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)


def daily_figure(daily: dict[date, Answered], *, first: date, last: date) -> Figure:
    """The chart :func:`draw_daily` saves: a "no data" text instead of an empty grid."""
    _matplotlib_present()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    delivered = [daily[d].delivered if d in daily else 0 for d in days]
    answered = [daily[d].answered if d in daily else 0 for d in days]
    # NaN breaks the line on a day without deliveries instead of drawing across it.
    rates = [daily[d].rate * 100 if d in daily and daily[d].delivered else nan for d in days]
    figure = Figure(figsize=(10, 5), dpi=120, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    x: list[float] = list(date2num(days))  # type: ignore[no-untyped-call]
    axes.bar(x, delivered, color="#9ecae1", label="delivered")
    axes.bar(x, answered, color="#3182bd", label="answered")
    axes.set_ylabel("nudges per day")
    if not any(delivered):
        # Without this the axis runs from -0.04 to 0.04 and the chart says nothing.
        axes.set_ylim(0, 1)
        axes.text(
            0.5,
            0.5,
            "no nudges delivered in this window",
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=16,
            color="#636363",
        )
    axes.set_title(f"nudgebot: daily deliveries and answer rate, {first} to {last}")
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    rate_axes = axes.twinx()
    rate_axes.plot(x, rates, color="#e6550d", marker="o", label="answer rate")
    rate_axes.set_ylim(0, 100)
    rate_axes.yaxis.set_major_formatter(PercentFormatter())
    rate_axes.set_ylabel("answer rate")
    figure.legend(loc="outside lower center", ncols=3)
    return figure
