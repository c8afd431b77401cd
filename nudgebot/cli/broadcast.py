"""The ``nudgebot broadcast`` commands: the operator's way in to broadcasts.

The operator reaches everyone. Every refusal is one line from the catalogue and exit
code 2, with nothing stored: the text files and every option are read and checked
before the store is opened for writing. ``create`` ends with the new id alone on its
last line, so scripts can take it with ``tail -n 1``.

The CLI only fills the outbox: a running ``nudgebot run`` sends it. ``send`` says so, and
says whether one is running, from what the database shows: on SQLite the run lock beside
the file, on PostgreSQL the Telegram poller's lock (held by one running instance).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from nudgebot.commands.broadcasts import Broadcasts, Preview, describe_audience
from nudgebot.commands.broadcasts import Progress as BroadcastProgress
from nudgebot.core.broadcast import Audience, BroadcastText
from nudgebot.core.content import LANGUAGES, Lang, as_lang
from nudgebot.core.numbers import MAX_ID, parse_number
from nudgebot.core.subscription import Status
from nudgebot.errors import InputError
from nudgebot.settings import Settings
from nudgebot.store.db import Sessions, open_store
from nudgebot.store.election import held_elsewhere, poller_lock_name
from nudgebot.store.single import run_lock_held
from nudgebot.store.tables import Broadcast, BroadcastState, OutboxStatus, utc_now

STATUSES = tuple(OutboxStatus)


def broadcast_command(args: argparse.Namespace, settings: Settings, out: Console) -> int:
    """Run one ``broadcast`` subcommand; :class:`InputError` is turned into exit 2 by the CLI."""
    if args.broadcast_command == "create":
        text, audience, due_utc = _create_input(args, settings)
        return asyncio.run(_create(settings, out, text, audience, due_utc, args.dry_run))
    if args.broadcast_command == "list":
        return asyncio.run(_list(settings, out))
    broadcast_id = _id(args.id)
    return asyncio.run(
        _by_id(settings, out, args.broadcast_command, broadcast_id, getattr(args, "wait", False))
    )


def _id(value: str) -> int:
    number = parse_number(value, maximum=MAX_ID)
    if number is None:
        raise InputError("broadcast_not_found", id=value[:20])
    return number


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise InputError("broadcast_missing_file", path=path) from None


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("broadcast_bad_date", value=value) from None


def _create_input(
    args: argparse.Namespace, settings: Settings
) -> tuple[BroadcastText, Audience, datetime | None]:
    texts: dict[Lang, str] = {}
    for lang in LANGUAGES:
        path = getattr(args, f"text_{lang}")
        if path is not None:
            texts[lang] = _read(path)
    if args.status is not None and args.status not in (Status.ACTIVE, Status.PAUSED):
        raise InputError("broadcast_bad_status", status=args.status)
    language = as_lang(args.language)
    if args.language is not None and language is None:
        raise InputError("broadcast_bad_language", language=args.language)
    min_streak = None
    if args.min_streak is not None:
        min_streak = parse_number(args.min_streak, maximum=MAX_ID)
        if min_streak is None:
            raise InputError("broadcast_bad_streak")
    audience = Audience(
        platform=args.platform,
        language=language,
        workspace=args.workspace,
        status=None if args.status is None else Status(args.status),
        min_streak=min_streak,
        subscribed_after=_date(args.subscribed_after),
        subscribed_before=_date(args.subscribed_before),
    )
    text = BroadcastText(texts=texts, link=args.link)
    # Checked here, before the store is opened, so that refused input touches nothing.
    text.check(settings.default_language)
    audience.check()
    return text, audience, _due(args.at, settings)


def _due(value: str | None, settings: Settings) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError("broadcast_bad_time", value=value) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.default_timezone))
    if parsed <= utc_now():
        raise InputError("broadcast_in_past", value=value)
    return parsed


def _service(settings: Settings, sessions: Sessions) -> Broadcasts:
    return Broadcasts(
        sessions=sessions,
        default_language=settings.default_language,
        clock=utc_now,
    )


async def _create(
    settings: Settings,
    out: Console,
    text: BroadcastText,
    audience: Audience,
    due_utc: datetime | None,
    dry_run: bool,
) -> int:
    async with open_store(settings.database_url) as sessions:
        service = _service(settings, sessions)
        preview = await service.preview(text, audience)
        out.print(f"Audience: {preview.total} subscriber(s)")
        out.print(_audience_table(preview))
        if dry_run:
            for lang, message in preview.messages.items():
                out.rule(f"text for {lang} subscribers")
                out.print(message.plain(), markup=False)
            out.print("dry run: nothing stored")
            return 0
        broadcast = await service.create(
            text, audience, created_by=f"cli:{getpass.getuser()}", due_utc=due_utc
        )
    when = broadcast.due_utc.isoformat() if broadcast.due_utc else "on `broadcast send`"
    out.print(f"broadcast {broadcast.id} stored as {broadcast.state}; starts {when}")
    out.print(str(broadcast.id), markup=False, highlight=False)
    return 0


def _audience_table(preview: Preview) -> Table:
    table = Table()
    table.add_column("platform")
    for lang in LANGUAGES:
        table.add_column(lang, justify="right")
    for platform in sorted({platform for platform, _ in preview.audience}):
        table.add_row(platform, *(str(preview.audience[(platform, lang)]) for lang in LANGUAGES))
    return table


async def _by_id(
    settings: Settings, out: Console, command: str, broadcast_id: int, wait: bool
) -> int:
    async with open_store(settings.database_url) as sessions:
        service = _service(settings, sessions)
        if command == "cancel":
            broadcast = await service.cancel(broadcast_id)
            out.print(f"broadcast {broadcast_id} cancelled: pending rows will not be sent")
        elif command == "show":
            _show(await service.get(broadcast_id), out)
        elif command == "send":
            broadcast = await service.send(broadcast_id)
            out.print(f"broadcast {broadcast_id} is {broadcast.state}")
            out.print(await _who_sends(settings), markup=False, soft_wrap=True)
            if wait:
                await _follow(service, broadcast_id, out)
        out.print(_status_table(await service.status(broadcast_id)))
    return 0


async def _who_sends(settings: Settings) -> str:
    """Who will send the outbox: a running bot, and whether one runs now."""
    url = settings.database_url
    running = run_lock_held(url)
    if running is None and settings.telegram is not None:
        name = poller_lock_name(settings.telegram.token.get_secret_value())
        running = await held_elsewhere(url, name)
    if running is None:
        return (
            "a running `nudgebot run` sends it; whether one is running here cannot be told "
            "from this database (PostgreSQL without Telegram)"
        )
    if running:
        return "a running `nudgebot run` is serving this database: it sends it now"
    return (
        "no `nudgebot run` is serving this database right now: "
        "the broadcast goes out once one starts"
    )


def _show(broadcast: Broadcast, out: Console) -> None:
    """Everything about one broadcast: the record, and each language's full text."""
    table = Table(title=f"Broadcast {broadcast.id}: {broadcast.state}", show_header=False)
    table.add_column("field")
    table.add_column("value")

    def when(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"

    for name, value in (
        ("audience", describe_audience(broadcast)),
        ("created", f"{when(broadcast.created_utc)} by {broadcast.created_by}"),
        ("due", when(broadcast.due_utc) if broadcast.due_utc else "on `broadcast send`"),
        ("started", when(broadcast.started_utc)),
        ("finished", when(broadcast.finished_utc)),
        ("link", broadcast.link or "-"),
    ):
        table.add_row(name, value)
    out.print(table)
    for lang in LANGUAGES:
        text = getattr(broadcast, f"text_{lang}")
        out.rule(f"text {lang}")
        out.print(text or "(none: these subscribers get the default language's)", markup=False)


async def _follow(service: Broadcasts, broadcast_id: int, out: Console) -> None:
    """A progress bar until the running bot has worked through the outbox."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out) as bar:
        task = bar.add_task(f"broadcast {broadcast_id}", total=None)
        while True:
            progress = await service.status(broadcast_id)
            totals = progress.by_status()
            open_rows = totals[OutboxStatus.PENDING] + totals[OutboxStatus.SENDING]
            bar.update(task, total=sum(totals.values()), completed=sum(totals.values()) - open_rows)
            if progress.broadcast.state in (BroadcastState.DONE, BroadcastState.CANCELLED):
                return
            await asyncio.sleep(0.5)


def _status_table(progress: BroadcastProgress) -> Table:
    broadcast = progress.broadcast
    table = Table(title=f"Broadcast {broadcast.id}: {broadcast.state}")
    table.add_column("platform")
    for status in STATUSES:
        table.add_column(status.value, justify="right")
    platforms = sorted({platform for platform, _ in progress.counts})
    for platform in platforms:
        table.add_row(platform, *(str(progress.counts[(platform, s)]) for s in STATUSES))
    totals = progress.by_status()
    table.add_row("all", *(str(totals[s]) for s in STATUSES), style="bold")
    return table


async def _list(settings: Settings, out: Console) -> int:
    async with open_store(settings.database_url) as sessions:
        broadcasts = await _service(settings, sessions).list()
    table = Table(title=f"{len(broadcasts)} broadcast(s)")
    for column in ("id", "state", "created", "by", "due", "audience", "text"):
        table.add_column(column)
    for broadcast in broadcasts:
        table.add_row(
            str(broadcast.id),
            broadcast.state,
            broadcast.created_utc.strftime("%Y-%m-%d %H:%M"),
            broadcast.created_by,
            broadcast.due_utc.strftime("%Y-%m-%d %H:%M") if broadcast.due_utc else "",
            describe_audience(broadcast),
            _first_words(broadcast.text_en or broadcast.text_nl),
        )
    out.print(table)
    return 0


def _first_words(text: str, width: int = 40) -> str:
    """The text's start; an ellipsis says there is more (`broadcast show` has it all)."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
