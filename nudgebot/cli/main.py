"""The ``nudgebot`` command: run, simulate, db upgrade, content check / show.

Settings are loaded here and only here; a bad ``NUDGEBOT_*`` value ends the program
with one line per variable and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from nudgebot import __version__
from nudgebot.app.logs import configure_logging
from nudgebot.core.content import LANGUAGES
from nudgebot.core.texts import say
from nudgebot.errors import AlreadyRunning, ConfigError, ContentError, InputError
from nudgebot.settings import Settings, load_settings


class _Parser(argparse.ArgumentParser):
    """Bad arguments end with one line naming the problem (and exit code 2), no usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nudgebot", description="Daily, evidence-based gut-health nudges.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="serve subscribers (console chat when no platform is configured)")
    simulate = sub.add_parser("simulate", help="run the real engine on a simulated clock")
    simulate.add_argument("--days", type=int, default=30)
    simulate.add_argument("--subscribers", type=int, default=500)
    simulate.add_argument("--seed", type=int, default=7)
    simulate.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    simulate.add_argument(
        "--compare",
        action="store_true",
        help="the fixed rotation against learning, on the same simulated people",
    )
    simulate.add_argument(
        "--seeds", type=int, default=5, help="with --compare: seeds from --seed on (at least 5)"
    )
    db = sub.add_parser("db", help="database schema")
    db.add_subparsers(dest="db_command", required=True).add_parser(
        "upgrade", help="apply pending migrations"
    )
    content = sub.add_parser("content", help="the content pack")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser("check", help="validate the pack")
    check.add_argument("--dir", type=Path, help="content directory (default: the setting)")
    show = content_sub.add_parser("show", help="render one item as a subscriber sees it")
    show.add_argument("item_id")
    show.add_argument("--lang", default=None, help="nl or en (default: the setting)")
    show.add_argument("--dir", type=Path)
    diff = content_sub.add_parser("diff", help="list what changed between two packs")
    diff.add_argument("old", type=Path, help="the older content directory")
    diff.add_argument("new", type=Path, help="the newer content directory")
    _add_broadcast_parser(sub)
    stats = sub.add_parser("stats", help="how the bot is doing, in numbers (and a plot)")
    stats.add_argument("--days", type=int, default=30, help="the longer window (default 30)")
    stats.add_argument("--plot", type=Path, help="also draw daily deliveries to this PNG")
    return parser


def _add_broadcast_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    broadcast = sub.add_parser("broadcast", help="send an update to a chosen audience")
    commands = broadcast.add_subparsers(dest="broadcast_command", required=True)
    create = commands.add_parser("create", help="store a broadcast (or --dry-run it)")
    for lang in LANGUAGES:
        create.add_argument(f"--text-{lang}", type=Path, help=f"file with the {lang} text")
    create.add_argument("--link", help="an optional http(s) link shown under the text")
    create.add_argument("--platform", help="telegram, slack or console")
    create.add_argument("--language", help="nl or en")
    create.add_argument("--workspace", help="a Slack workspace (team) id")
    create.add_argument("--status", help="active (default) or paused")
    create.add_argument("--min-streak", help="at least this current streak")
    create.add_argument("--subscribed-after", help="subscribed on or after this date")
    create.add_argument("--subscribed-before", help="subscribed before this date")
    create.add_argument("--at", help="start at this time (ISO; no offset: default time zone)")
    create.add_argument("--dry-run", action="store_true", help="show audience and text only")
    for name, text in (
        ("send", "start sending now (the running bot sends)"),
        ("status", "counts per state and platform"),
        ("cancel", "stop sending: pending rows are not sent"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("id")
        if name == "send":
            command.add_argument("--wait", action="store_true", help="follow it until done")
    commands.add_parser("list", help="every broadcast, newest first")


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
    except InputError as error:
        err.print(
            say(settings.default_language, error.key, **error.values), markup=False, soft_wrap=True
        )
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
        from nudgebot.cli.simulate import simulate

        return asyncio.run(
            simulate(
                settings,
                days=args.days,
                subscribers=args.subscribers,
                seed=args.seed,
                database_url=args.database,
                console=out,
            )
        )
    if args.command == "db":
        from nudgebot.store.db import upgrade_sync

        upgrade_sync(settings.database_url)
        out.print("database is up to date")
        return 0
    if args.command == "broadcast":
        from nudgebot.cli.broadcast import broadcast_command

        return broadcast_command(args, settings, out)
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


if __name__ == "__main__":
    sys.exit(main())
