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
from rich.text import Text

from nudgebot.core.content import LANGUAGES, Kind, Lang
from nudgebot.core.render import render_item
from nudgebot.errors import ContentError
from nudgebot.pack.diff import diff_packs
from nudgebot.pack.loading import check_pack, load_pack, read_pack_as_is
from nudgebot.pack.quotes import read_article_text


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
    """Print one item as a subscriber sees it, beside the article sentences it quotes.

    An editor checks a text against its evidence by reading both at once, so the
    message (with its button labels) and the quotes, each with the markers the article
    puts on it, stand in two columns.
    """
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
    labels = "  ".join(f"[ {button.label} ]" for button in message.buttons)
    table = Table(show_lines=False, expand=True)
    table.add_column(
        f"{item.id} v{item.version}, as a subscriber sees it ({language})", ratio=1, overflow="fold"
    )
    table.add_column("what it rests on: the article's words (nl)", ratio=1, overflow="fold")
    table.add_row(
        Text(f"{message.plain()}\n\n{labels}"),
        Text("\n\n".join(_quoted(directory, quote) for quote in item.quotes)),
    )
    console.print(table)
    return 0


def _quoted(directory: Path, quote: str) -> str:
    """A quote with the markers the article puts on it, or a note that it is not there."""
    article = read_article_text(directory)
    found = article.find(quote) if article is not None else None
    if found is None:
        return f"“{quote}” (NOT IN THE ARTICLE)"
    markers = "".join(f"【{number}】" for number in found.markers) or " (no marker: article)"
    return f"“{quote}”{markers}"


def diff_command(old: Path, new: Path, console: Console) -> int:
    """Print what changed from the pack in ``old`` to the one in ``new``.

    0 when every changed text also has a new version, 1 when one does not (its readers
    would never hear of the change) or when a directory holds no pack. An old pack is
    compared as it loads: it may predate today's rules.
    """
    packs = []
    for directory in (old, new):
        if not directory.is_dir():
            console.print(f"No content directory at {directory}.", markup=False)
            return 1
        pack, report = read_pack_as_is(directory)
        if report.problems:
            console.print(
                f"({directory}: {len(report.problems)} problem(s) under today's rules; "
                "compared as it loads)",
                markup=False,
                style="yellow",
            )
        packs.append(pack)
    changes = diff_packs(packs[0], packs[1])
    if not changes:
        console.print(f"No item differs between {old} and {new}.", markup=False)
        return 0
    for change in changes:
        console.print(str(change), markup=False, highlight=False)
    silent = [change for change in changes if change.unversioned]
    console.print(
        f"{len(changes)} item(s) differ; {len(silent)} changed without a new version.",
        markup=False,
    )
    return 1 if silent else 0
