"""``nudgebot simulate --compare``: both arms on the same people, stated honestly."""

from __future__ import annotations

import random

from rich.console import Console

from nudgebot.cli.compare import compare, compare_command, interval, print_comparison, run_arm
from nudgebot.cli.compare_people import DISTRIBUTIONS, Person, draw_people
from tests.support.paths import REPO_ROOT


def _printed(pack, **arguments: int) -> tuple[int, str]:
    console = Console(record=True, width=200)
    code = compare_command(pack, console, **arguments)
    return code, console.export_text()


def test_the_report_shows_both_arms_with_intervals_and_its_caveats(pack) -> None:
    code, text = _printed(pack, days=30, subscribers=20, seed=3, seeds=5)
    assert code == 0
    for figure in ("answer rate", "still answering at day 30", "best streak", "opted out"):
        assert figure in text
    assert "fixed rotation" in text and "learning" in text and "±" in text
    assert "seeds 3, 4, 5, 6, 7" in text
    assert "is not a measurement of real ones" in text
    assert all(line.split(":")[0] in text for line in DISTRIBUTIONS)
    assert "wall time" in text


def test_the_same_seeds_give_the_same_figures(pack) -> None:
    first = compare(pack, days=10, subscribers=15, seeds=[1, 2])
    assert compare(pack, days=10, subscribers=15, seeds=[1, 2]) == first
    assert first["answer rate"]["fixed rotation"] != first["answer rate"]["learning"]


def test_people_for_whom_nothing_helps_show_no_lift(pack) -> None:
    """A learner cannot help someone who answers nothing: both arms agree to the digit."""
    people = [Person(0.0, {}, {}, 0.0, 1e9, 0.0) for _ in range(10)]
    rolls = [[(0.5, 0.5)] * 20 for _ in people]
    fixed = run_arm(pack, people, rolls, days=20, learn=False)
    learned = run_arm(pack, people, rolls, days=20, learn=True)
    assert fixed == learned
    assert fixed["answer rate"] == 0.0 and fixed["best streak (days)"] == 0.0


def test_a_learner_that_does_not_help_is_shown_so() -> None:
    """Equal arms read 'no clear difference'; a learner that loses people reads 'worse'."""
    table = {
        "answer rate": {"fixed rotation": [0.4, 0.5, 0.45], "learning": [0.4, 0.5, 0.45]},
        "opted out": {"fixed rotation": [0.1, 0.12, 0.11], "learning": [0.2, 0.21, 0.22]},
    }
    console = Console(record=True, width=200)
    print_comparison(console, table, days=30, subscribers=9, seeds=[1, 2, 3], elapsed=0.1)
    rows = {
        line.split("│")[1].strip(): line
        for line in console.export_text().splitlines()
        if "│" in line
    }
    assert "no clear difference" in rows["answer rate"]
    assert "worse" in rows["opted out"]


def test_too_few_seeds_is_a_clear_message(pack) -> None:
    code, text = _printed(pack, days=10, subscribers=10, seed=1, seeds=2)
    assert code == 2 and "--seeds 5 or more" in text


def test_the_population_is_drawn_the_same_for_the_same_seed() -> None:
    tags = ["fermented", "fibre"]
    assert draw_people(random.Random(4), 50, tags) == draw_people(random.Random(4), 50, tags)


def test_interval_is_students_t_over_the_seeds() -> None:
    middle, half = interval([1.0, 2.0, 3.0, 4.0, 5.0])
    assert middle == 3.0
    assert abs(half - 2.776 * (2.5**0.5) / 5**0.5) < 1e-9


def test_the_docs_state_the_same_population_as_the_report() -> None:
    text = " ".join((REPO_ROOT / "docs" / "learning.md").read_text().split())
    for line in DISTRIBUTIONS:
        assert line in text
