"""The ``nudgebot`` command: run, simulate, db upgrade, content, broadcast, stats.

Settings are loaded here and only here; a bad ``NUDGEBOT_*`` value ends the program
with one line per variable and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console

from nudgebot import __version__
from nudgebot.app.logs import configure_logging
from nudgebot.cli.helptext import epilog
from nudgebot.core.content import LANGUAGES
from nudgebot.core.texts import say
from nudgebot.errors import AlreadyRunning, ConfigError, ContentError, InputError, StartupError
from nudgebot.settings import Settings, load_settings


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Examples and settings keep their lines; an option with a default says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    """Bad arguments end with one line naming the problem (and exit code 2), no usage dump."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def _command(sub: argparse._SubParsersAction[_Parser], name: str, about: str) -> _Parser:
    """A subcommand whose ``--help`` ends with an example (and ``run``'s with the settings)."""
    return sub.add_parser(name, help=about, description=about, epilog=epilog(name))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nudgebot", description="Daily, evidence-based gut-health nudges.", epilog=epilog()
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _command(sub, "run", "serve subscribers (console chat when no platform is configured)")
    simulate = _command(sub, "simulate", "run the real engine on a simulated clock")
    simulate.add_argument(
        "--days", type=int, default=30, help="days of nudges each simulated subscriber gets"
    )
    simulate.add_argument(
        "--subscribers", type=int, default=500, help="simulated subscribers signing up"
    )
    simulate.add_argument(
        "--seed", type=int, default=7, help="random seed: the same seed gives the same report"
    )
    simulate.add_argument(
        "--database",
        help="SQLAlchemy URL to keep the run in (default: a temporary SQLite file, on "
        "fixed dates from 2026-03-01); with it the run ends today, so `stats` shows it",
    )
    simulate.add_argument(
        "--compare",
        action="store_true",
        help="the fixed rotation against learning, on the same simulated people",
    )
    simulate.add_argument(
        "--seeds", type=int, default=5, help="with --compare: seeds from --seed on (at least 5)"
    )
    db = _command(sub, "db", "database schema")
    db.add_subparsers(dest="db_command", required=True).add_parser(
        "upgrade", help="apply pending migrations, naming each", formatter_class=_Formatter
    )
    content = _command(sub, "content", "the content pack")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate the pack", formatter_class=_Formatter)
    check.add_argument("--dir", type=Path, help="content directory (default: the setting)")
    show = content_sub.add_parser(
        "show", help="render one item as a subscriber sees it", formatter_class=_Formatter
    )
    show.add_argument("item_id", help="the item's id, e.g. tip-eat-the-rainbow")
    show.add_argument("--lang", default=None, help="nl or en (default: the setting)")
    show.add_argument("--dir", type=Path, help="content directory (default: the setting)")
    diff = content_sub.add_parser(
        "diff", help="list what changed between two packs", formatter_class=_Formatter
    )
    diff.add_argument("old", type=Path, help="the older content directory")
    diff.add_argument("new", type=Path, help="the newer content directory")
    _add_broadcast_parser(sub)
    admin = _command(sub, "admin", "the web console at /admin")
    link = admin.add_subparsers(dest="admin_command", required=True).add_parser(
        "link", help="print a one-time sign-in link", formatter_class=_Formatter
    )
    link.add_argument("--workspace", help="a Slack workspace id: the link sees only it")
    link.add_argument("--minutes", type=int, help="how long it is valid (default: the setting)")
    stats = _command(sub, "stats", "how the bot is doing, in numbers (and a plot)")
    stats.add_argument("--days", type=int, default=30, help="the longer window")
    stats.add_argument("--plot", type=Path, help="also draw daily deliveries to this PNG")
    return parser


def _add_broadcast_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    broadcast = _command(sub, "broadcast", "send an update to a chosen audience")
    commands = broadcast.add_subparsers(dest="broadcast_command", required=True)
    create = commands.add_parser(
        "create", help="store a broadcast (or --dry-run it)", formatter_class=_Formatter
    )
    for lang in LANGUAGES:
        create.add_argument(f"--text-{lang}", type=Path, help=f"file with the {lang} text")
    create.add_argument("--link", help="an optional http(s) link shown under the text")
    create.add_argument("--platform", help="telegram, slack or console (default: all)")
    create.add_argument("--language", help="nl or en (default: both)")
    create.add_argument("--workspace", help="a Slack workspace (team) id")
    create.add_argument("--status", help="active or paused (default: active)")
    create.add_argument("--min-streak", help="at least this current streak")
    create.add_argument("--subscribed-after", help="subscribed on or after this date (UTC)")
    create.add_argument("--subscribed-before", help="subscribed before this date (UTC)")
    create.add_argument("--at", help="start at this time (ISO; no offset: default time zone)")
    create.add_argument("--dry-run", action="store_true", help="show audience and text only")
    for name, text in (
        ("show", "the full text, the audience and the figures"),
        ("send", "start sending now (a running `nudgebot run` sends)"),
        ("status", "counts per state and platform"),
        ("cancel", "stop sending: pending rows are not sent"),
    ):
        command = commands.add_parser(name, help=text, formatter_class=_Formatter)
        command.add_argument("id", help="the broadcast's id (see `broadcast list`)")
        if name == "send":
            command.add_argument("--wait", action="store_true", help="follow it until done")
    commands.add_parser("list", help="every broadcast, newest first", formatter_class=_Formatter)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    err = Console(stderr=True, highlight=False)
    try:
        settings = load_settings()
    except ConfigError as error:
        for line in error.lines:
            err.print(f"[red]configuration:[/] {line}", markup=True, soft_wrap=True)
        return 2
    level = settings.log_level
    if settings.console_only and "log_level" not in settings.model_fields_set:
        level = "WARNING"  # the terminal is the chat: keep routine log lines out of it
    configure_logging(settings, level=level)
    try:
        return _dispatch(args, settings)
    except ConfigError as error:  # found only when connecting, e.g. a refused token
        for line in error.lines:
            err.print(f"[red]configuration:[/] {line}", markup=True, soft_wrap=True)
        return 2
    except ContentError as error:
        err.print("The content pack is invalid:", markup=False)
        for problem in error.problems:
            err.print(f"  {problem}", markup=False, soft_wrap=True)
        return 1
    except AlreadyRunning as error:
        err.print(str(error), markup=False, soft_wrap=True)
        return 1
    except StartupError as error:
        err.print(f"cannot start: {error}", markup=False, soft_wrap=True)
        return 2
    except InputError as error:
        # The catalogue speaks to subscribers in their language; an operator reads English.
        err.print(say("en", error.key, **error.values), markup=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    out = Console(highlight=False)
    if args.command == "run":
        missing = settings.missing_platform()
        if missing is not None:
            raise ConfigError([missing])
        from nudgebot.app.wiring import run  # keeps `content check` light

        asyncio.run(run(settings))
        return 0
    if args.command == "simulate" and args.compare:
        from nudgebot.cli.compare import compare_command
        from nudgebot.pack.loading import load_pack

        return compare_command(
            load_pack(settings.content_dir),
            out,
            days=args.days,
            subscribers=args.subscribers,
            seed=args.seed,
            seeds=args.seeds,
        )
    if args.command == "simulate":
        from nudgebot.cli.simulate import START_UTC, recent_start, simulate

        # A run kept for `stats` or the console ends today; a throw-away one keeps its
        # fixed dates (across the spring-forward days), so its report is reproducible.
        start = START_UTC if args.database is None else recent_start(args.days, datetime.now(UTC))
        return asyncio.run(
            simulate(
                settings,
                days=args.days,
                subscribers=args.subscribers,
                seed=args.seed,
                database_url=args.database,
                console=out,
                start_utc=start,
            )
        )
    if args.command == "db":
        return _db_upgrade(settings, out)
    if args.command == "broadcast":
        from nudgebot.cli.broadcast import broadcast_command

        return broadcast_command(args, settings, out)
    if args.command == "admin":
        from nudgebot.cli.admin import link_command

        return link_command(settings, out, workspace=args.workspace, minutes=args.minutes)
    if args.command == "stats":
        from nudgebot.cli.stats import stats_command

        return stats_command(settings, out, days=args.days, plot=args.plot)
    from nudgebot.cli.content import check_command, diff_command, show_command

    if args.content_command == "diff":
        return diff_command(args.old, args.new, out)
    directory = args.dir or settings.content_dir
    if args.content_command == "check":
        return check_command(directory, out)
    return show_command(directory, args.item_id, args.lang or settings.default_language, out)


def _db_upgrade(settings: Settings, out: Console) -> int:
    """Name the database (without its password) and every revision applied to it."""
    from nudgebot.store.db import shown_url, upgrade_reporting

    shown = shown_url(settings.database_url)
    out.print(f"database: {shown}", markup=False, highlight=False, soft_wrap=True)
    applied = asyncio.run(upgrade_reporting(settings.database_url))
    for revision, about in applied:
        out.print(f"applied {revision}: {about}", markup=False, highlight=False, soft_wrap=True)
    out.print(f"{len(applied)} revision(s) applied; the schema is up to date", markup=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
