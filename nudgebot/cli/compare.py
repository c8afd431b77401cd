"""``nudgebot simulate --compare``: the fixed rotation against the learning bandit.

Both arms face the same simulated people (drawn from one seed) and the same luck: each
person's rolls for answering and for opting out are drawn once per day and shared by
the arms, so a difference between them comes from the choice of items alone. Both
choose through the planner the bot runs (the weekly mix, no repeats inside a round);
the learning arm orders the round's fresh items with :mod:`nudgebot.core.bandit`, fed by
the answers of its own arm's audience as they come in. This runs the core's choice in
memory, not the engine and the store (``nudgebot simulate`` without ``--compare`` does
that), so thousands of people over months take seconds.

Each figure is a mean over the seeds with a 95% interval (Student's t), and so is the
difference between the arms, seed by seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import mean, stdev
from time import perf_counter

from rich.console import Console
from rich.table import Table

from nudgebot.cli.compare_people import DISTRIBUTIONS, Person, draw_people
from nudgebot.core.bandit import Audience, Tally, Taste, chooser
from nudgebot.core.content import ContentPack
from nudgebot.core.planner import Rotation, kind_for, pick_item
from nudgebot.core.streaks import replay

FIRST_DAY = date(2026, 3, 2)  # a Monday
MIN_SEEDS = 5

_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)
"""Two-sided 95% quantiles of Student's t for 1..10 degrees of freedom (then ~2.0)."""


def _still_answering(history: Sequence[tuple[int, bool]], upto: int) -> bool:
    """Answered at least one nudge in the week up to day ``upto`` (1-based)."""
    return any(answered for day, answered in history if upto - 7 <= day < upto)


def run_arm(
    pack: ContentPack,
    people: Sequence[Person],
    rolls: Sequence[Sequence[tuple[float, float]]],
    *,
    days: int,
    learn: bool,
) -> dict[str, float]:
    """One arm over ``days``: every person gets a nudge a day until they opt out."""
    items: dict[str, Tally] = {}
    kinds: dict[str, Tally] = {}
    rotations: list[dict[str, Rotation]] = [{} for _ in people]
    tastes = [Taste() for _ in people]
    tag_seen: list[dict[str, int]] = [{} for _ in people]
    histories: list[list[tuple[int, bool]]] = [[] for _ in people]
    opted_out = [False] * len(people)
    for day in range(days):
        local_date = FIRST_DAY + timedelta(days=day)
        kind = kind_for(local_date).value
        # A new Audience each day: it caches values, and the tallies move at the day's end.
        audience = Audience(items=items, kinds=kinds)
        answers = []
        for n, person in enumerate(people):
            if opted_out[n]:
                continue
            choose = (
                chooser(taste=tastes[n], audience=audience, local_date=local_date)
                if learn
                else None
            )
            item, rotations[n][kind] = pick_item(
                pack=pack,
                local_date=local_date,
                seed=str(n),
                rotation=rotations[n].get(kind, Rotation()),
                choose=choose,
            )
            answer_roll, quit_roll = rolls[n][day]
            answered = answer_roll < person.chance(item, day, tag_seen[n])
            for tag in item.tags:
                tag_seen[n][tag] = day
            histories[n].append((day, answered))
            if learn:
                tastes[n] = tastes[n].sent(item, local_date).answered(item, answered)
            answers.append((item, answered))
            if not answered and quit_roll < person.quits:
                opted_out[n] = True
        # Answers reach the audience's tallies once the day is over, as in the bot.
        for item, answered in answers:
            items[item.id] = items.get(item.id, Tally()).add(answered)
            kinds[item.kind.value] = kinds.get(item.kind.value, Tally()).add(answered)
    sent = sum(len(h) for h in histories)
    streaks = [
        replay((FIRST_DAY + timedelta(days=day), answered) for day, answered in history)
        for history in histories
    ]
    figures = {
        "answer rate": sum(a for h in histories for _, a in h) / max(sent, 1),
        "still answering at day 30": mean(_still_answering(h, 30) for h in histories),
        "still answering at day 60": mean(_still_answering(h, 60) for h in histories),
        "best streak (days)": mean(s.best for s in streaks),
        "current streak at the end": mean(s.current for s in streaks),
        "opted out": mean(opted_out),
    }
    if days < 60:
        del figures["still answering at day 60"]
    if days < 30:
        del figures["still answering at day 30"]
    return figures


def interval(values: Sequence[float]) -> tuple[float, float]:
    """Mean and half-width of its 95% interval (Student's t over the seeds)."""
    if len(values) < 2:
        return mean(values), math.nan
    t = _T95[len(values) - 2] if len(values) - 1 <= len(_T95) else 2.0
    return mean(values), t * stdev(values) / math.sqrt(len(values))


def compare(
    pack: ContentPack,
    *,
    days: int,
    subscribers: int,
    seeds: Sequence[int],
) -> dict[str, dict[str, list[float]]]:
    """Both arms for every seed: figure name -> arm -> one value per seed."""
    tags = sorted({tag for item in pack.items for tag in item.tags})
    table: dict[str, dict[str, list[float]]] = {}
    for seed in seeds:
        rng = random.Random(seed)
        people = draw_people(rng, subscribers, tags)
        rolls = [[(rng.random(), rng.random()) for _ in range(days)] for _ in people]
        for arm, learn in (("fixed rotation", False), ("learning", True)):
            for name, value in run_arm(pack, people, rolls, days=days, learn=learn).items():
                table.setdefault(name, {}).setdefault(arm, []).append(value)
    return table


def _shown(name: str, value: float, half: float) -> str:
    if name in {"answer rate", "opted out"} or name.startswith("still"):
        return f"{value:.1%} ± {half:.1%}"
    return f"{value:.2f} ± {half:.2f}"


def print_comparison(
    console: Console,
    table: dict[str, dict[str, list[float]]],
    *,
    days: int,
    subscribers: int,
    seeds: Sequence[int],
    elapsed: float,
) -> None:
    """Both arms and their difference, each a mean with its 95% interval, then the caveats."""
    result = Table(
        title=f"Fixed rotation against learning: {subscribers} simulated people, {days} days, "
        f"seeds {', '.join(map(str, seeds))} (mean ± 95% interval over the seeds)"
    )
    for column in ("figure", "fixed rotation", "learning", "learning - fixed", "verdict"):
        result.add_column(column, justify="left" if column in {"figure", "verdict"} else "right")
    for name, arms in table.items():
        fixed, learned = arms["fixed rotation"], arms["learning"]
        difference = [b - a for a, b in zip(fixed, learned, strict=True)]
        diff, half = interval(difference)
        better = diff < 0 if name == "opted out" else diff > 0
        verdict = "no clear difference" if abs(diff) <= half else ("better" if better else "worse")
        result.add_row(
            name,
            _shown(name, *interval(fixed)),
            _shown(name, *interval(learned)),
            _shown(name, diff, half),
            verdict,
        )
    console.print(result)
    console.print("The simulated people (fixed before the learner was tuned):")
    for line in DISTRIBUTIONS:
        console.print(f"  - {line}")
    console.print(
        "A lift among simulated people is not a measurement of real ones: it shows what the "
        "learner does if people are like this, nothing more. 'no clear difference' means the "
        "interval of the difference includes zero.",
        soft_wrap=True,
    )
    console.print(f"wall time: {elapsed:.1f} s")


def compare_command(
    pack: ContentPack, console: Console, *, days: int, subscribers: int, seed: int, seeds: int
) -> int:
    """Run and print the comparison; 2 (changing nothing) for arguments it cannot use."""
    if seeds < MIN_SEEDS or days < 1 or subscribers < 1:
        console.print(
            f"simulate --compare needs --seeds {MIN_SEEDS} or more, and --days and "
            "--subscribers of at least 1."
        )
        return 2
    chosen = [seed + n for n in range(seeds)]
    started = perf_counter()
    table = compare(pack, days=days, subscribers=subscribers, seeds=chosen)
    print_comparison(
        console,
        table,
        days=days,
        subscribers=subscribers,
        seeds=chosen,
        elapsed=perf_counter() - started,
    )
    return 0
