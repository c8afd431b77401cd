"""The recovering, sleeping bandit: each rule as a row of a table, on made-up items."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nudgebot.core.bandit import Audience, Tally, Taste, choose, chooser, score
from nudgebot.core.content import Item, Kind
from nudgebot.core.planner import Rotation, pick_item

TODAY = date(2026, 6, 10)


def _tip(item_id: str, *tags: str) -> Item:
    words = {"title": item_id, "body": "Something small to try today."}
    return Item(id=item_id, kind=Kind.TIP, refs=("article",), tags=tags, text={"nl": words})


FERMENTED = _tip("tip-kefir", "fermented")
FIBRE = _tip("tip-oats", "fibre")
SLEEP = _tip("tip-sleep", "sleep")
BARE = _tip("tip-bare")


def _taste(**tags: tuple[int, int]) -> Taste:
    tallies = {tag: Tally(sent, answered) for tag, (sent, answered) in tags.items()}
    overall = Tally(
        sum(t.sent for t in tallies.values()), sum(t.answered for t in tallies.values())
    )
    return Taste(overall=overall, tags=tallies)


def _audience(**items: tuple[int, int]) -> Audience:
    tallies = {f"tip-{name}": Tally(sent, answered) for name, (sent, answered) in items.items()}
    kind = Tally(sum(t.sent for t in tallies.values()), sum(t.answered for t in tallies.values()))
    return Audience(items=tallies, kinds={"tip": kind})


CASES = [
    pytest.param(
        Taste(),
        _audience(kefir=(100, 80), oats=(100, 40)),
        (FERMENTED, FIBRE),
        FERMENTED,
        id="a new subscriber gets what the audience answers most",
    ),
    pytest.param(
        _taste(fibre=(10, 9), fermented=(10, 1)),
        _audience(kefir=(100, 80), oats=(100, 40)),
        (FERMENTED, FIBRE),
        FIBRE,
        id="a regular gets what they answer, against the audience",
    ),
    pytest.param(
        _taste(fibre=(1, 1), fermented=(1, 0)),
        _audience(kefir=(1000, 800), oats=(1000, 400)),
        (FERMENTED, FIBRE),
        FERMENTED,
        id="two answers do not outweigh a thousand",
    ),
    pytest.param(
        Taste(
            overall=Tally(20, 18),
            tags={"fermented": Tally(10, 9), "fibre": Tally(10, 9)},
            last_tag={"fermented": TODAY - timedelta(days=1)},
        ),
        Audience(),
        (FERMENTED, FIBRE),
        FIBRE,
        id="a tag sent yesterday rests",
    ),
    pytest.param(
        Taste(last_item={"tip-kefir": TODAY - timedelta(days=2)}),
        Audience(),
        (FERMENTED, FIBRE),
        FIBRE,
        id="an item sent recently rests",
    ),
    pytest.param(
        _taste(fermented=(30, 15), fibre=(30, 15)),
        Audience(),
        (FERMENTED, FIBRE, SLEEP),
        SLEEP,
        id="a tag never tried gets the exploration bonus",
    ),
    pytest.param(
        Taste(),
        _audience(kefir=(1000, 900), oats=(100, 60)),
        (FIBRE, SLEEP),
        SLEEP,
        id="sleeping: the best arm is not offered today; an untried one is worth its kind's rate",
    ),
]


@pytest.mark.parametrize(("taste", "audience", "candidates", "expected"), CASES)
def test_the_choice(
    taste: Taste, audience: Audience, candidates: tuple[Item, ...], expected: Item
) -> None:
    chosen = choose(
        candidates, taste=taste, audience=audience, local_date=TODAY, seed="7", round_no=0
    )
    assert chosen.id == expected.id


def test_ties_go_to_the_subscribers_shuffle_and_the_choice_is_pinned() -> None:
    """Same state, same item; with no evidence at all, subscribers differ by their shuffle."""
    candidates = (FERMENTED, FIBRE, SLEEP, BARE)
    picks = {
        seed: choose(
            candidates, taste=Taste(), audience=Audience(), local_date=TODAY, seed=seed, round_no=0
        ).id
        for seed in map(str, range(12))
    }
    assert len(set(picks.values())) > 1
    again = choose(
        candidates, taste=Taste(), audience=Audience(), local_date=TODAY, seed="3", round_no=0
    )
    assert again.id == picks["3"]


@pytest.mark.parametrize(
    ("days_ago", "at_least", "at_most"),
    [(1, 0.49, 0.51), (3, 0.74, 0.76), (15, 0.99, 1.0), (None, 1.0, 1.0)],
)
def test_a_tag_recovers_with_rest(days_ago: int | None, at_least: float, at_most: float) -> None:
    fresh = score(FERMENTED, taste=Taste(), audience=Audience(), local_date=TODAY)
    last = {} if days_ago is None else {"fermented": TODAY - timedelta(days=days_ago)}
    rested = score(FERMENTED, taste=Taste(last_tag=last), audience=Audience(), local_date=TODAY)
    assert at_least <= rested / fresh <= at_most


def test_learning_moves_the_taste_and_the_audience() -> None:
    taste = Taste().sent(FERMENTED, TODAY).answered(FERMENTED, True).answered(FIBRE, False)
    assert taste.overall == Tally(2, 1)
    assert taste.tags == {"fermented": Tally(1, 1), "fibre": Tally(1, 0)}
    assert taste.last_tag == {"fermented": TODAY} and taste.last_item == {"tip-kefir": TODAY}
    audience = Audience().after(FERMENTED, True).after(FIBRE, False)
    assert audience.items["tip-kefir"] == Tally(1, 1) and audience.kinds["tip"] == Tally(2, 1)


def test_the_rotation_holds_whatever_the_bandit_prefers(pack) -> None:
    """A round still sends every item once before any repeats, series steps never."""
    day, rotation, seen = date(2026, 6, 2), Rotation(), []  # a Tuesday: challenges
    taste, audience = Taste(), Audience()
    challenges = pack.of_kind(Kind.CHALLENGE)
    for offset in range(len(challenges)):
        today = day + timedelta(days=7 * offset)

        item, rotation = pick_item(
            pack=pack,
            local_date=today,
            seed="9",
            rotation=rotation,
            choose=chooser(taste=taste, audience=audience, local_date=today),
        )
        seen.append(item.id)
        taste = taste.sent(item, today).answered(item, offset % 2 == 0)
        audience = audience.after(item, offset % 2 == 0)
    assert sorted(seen) == sorted(item.id for item in challenges)
    assert not any(pack.step_of(item_id) for item_id in seen)


def test_a_chooser_cannot_smuggle_in_an_item_the_rotation_did_not_offer(pack) -> None:
    with pytest.raises(ValueError, match="may not come today"):
        pick_item(
            pack=pack,
            local_date=date(2026, 6, 2),
            seed="1",
            rotation=Rotation(),
            choose=lambda candidates, seed, round_no: FERMENTED,
        )


def test_nothing_to_choose_from_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="nothing to choose"):
        choose((), taste=Taste(), audience=Audience(), local_date=TODAY, seed="1", round_no=0)


def test_a_subscriber_with_no_answers_gets_the_same_scores_by_the_short_path(pack) -> None:
    """The shortcut for empty tastes gives exactly what scoring in full gives."""
    tips = pack.of_kind(Kind.TIP)
    audience = Audience(
        items={item.id: Tally(10 + n, n % 9) for n, item in enumerate(tips)},
        kinds={"tip": Tally(500, 240)},
    )
    for seed in map(str, range(20)):
        quick = choose(
            tips, taste=Taste(), audience=audience, local_date=TODAY, seed=seed, round_no=0
        )
        full = max(
            tips, key=lambda item: score(item, taste=Taste(), audience=audience, local_date=TODAY)
        )
        assert score(quick, taste=Taste(), audience=audience, local_date=TODAY) == score(
            full, taste=Taste(), audience=audience, local_date=TODAY
        )
