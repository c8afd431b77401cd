"""The ``nudgebot content`` commands: check the pack, and preview one item.

These are for content editors, so they print in plain words and never show a traceback
for a mistake in the pack: every problem comes out as one line that names file, item id
and field. They return an exit code instead of exiting, so ``cli.py`` stays in charge of
the process and tests can call them with a recording console.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from nudgebot.core.content import LANGUAGES, Kind, Lang
from nudgebot.core.render import render_item
from nudgebot.errors import ContentError
from nudgebot.pack.loading import check_pack, load_pack


def check_command(directory: Path, console: Console) -> int:
    """Print the item counts and warnings, or every problem; 0 if the pack is valid."""
    report = check_pack(directory)
    if report.problems:
        console.print(f"[bold red]{len(report.problems)} problem(s) in {directory}:[/]")
        for problem in report.problems:
            console.print(f"  ✗ {problem}", markup=False, highlight=False)
    else:
        table = Table(title=f"Content pack {directory}")
        table.add_column("kind")
        for lang in LANGUAGES:
            table.add_column(lang, justify="right")
        for kind in (*(k.value for k in Kind), "series step"):
            table.add_row(kind, *(str(report.counts.get((kind, lang), 0)) for lang in LANGUAGES))
        console.print(table)
    for warning in report.warnings:
        console.print(f"  ! {warning}", markup=False, highlight=False, style="yellow")
    if report.problems:
        return 1
    console.print("[green]The pack is valid.[/]")
    return 0


def _as_lang(lang: str) -> Lang | None:
    return next((known for known in LANGUAGES if known == lang), None)


def show_command(directory: Path, item_id: str, lang: str, console: Console) -> int:
    """Print one item as a subscriber sees it, with its button labels; 0 on success."""
    language = _as_lang(lang)
    if language is None:
        console.print(f"Unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}.")
        return 1
    try:
        pack = load_pack(directory)
    except ContentError as exc:
        console.print(
            f"The pack in {directory} has {len(exc.problems)} problem(s); "
            "run `nudgebot content check` first."
        )
        return 1
    item = pack.get(item_id)
    if item is None:
        close = [known.id for known in pack.items if item_id in known.id][:5]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        console.print(f"No item with id {item_id!r}.{hint}", markup=False)
        return 1
    message = render_item(pack, item, language, delivery_id=0)
    console.print(message.plain(), markup=False, highlight=False)
    labels = "  ".join(f"[ {button.label} ]" for button in message.buttons)
    console.print(f"\n{labels}", markup=False, highlight=False)
    return 0
