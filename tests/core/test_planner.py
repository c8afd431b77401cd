from datetime import date, timedelta

from nudgebot.core.content import Kind
from nudgebot.core.planner import Rotation, kind_for, pick_item


def test_the_week_has_three_tips_two_challenges_and_two_myths():
    monday = date(2026, 6, 1)
    kinds = [kind_for(monday + timedelta(days=i)) for i in range(7)]
    assert kinds.count(Kind.TIP) == 3
    assert kinds.count(Kind.CHALLENGE) == 2
    assert kinds.count(Kind.MYTH) == 2


def test_no_item_repeats_before_its_kind_ran_out(pack):
    history: list[str] = []
    rotation = Rotation()
    day = date(2026, 6, 2)  # a Tuesday: a challenge day
    challenges = len(pack.of_kind(Kind.CHALLENGE))
    for _ in range(challenges * 2):
        item, rotation = pick_item(pack=pack, local_date=day, seed="42", rotation=rotation)
        history.append(item.id)
    first_round, second_round = history[:challenges], history[challenges:]
    assert len(set(first_round)) == challenges
    assert len(set(second_round)) == challenges


def test_the_choice_is_deterministic_and_differs_between_subscribers(pack):
    day = date(2026, 6, 1)
    first = pick_item(pack=pack, local_date=day, seed="1", rotation=Rotation())
    assert pick_item(pack=pack, local_date=day, seed="1", rotation=Rotation()) == first
    others = {
        pick_item(pack=pack, local_date=day, seed=str(n), rotation=Rotation())[0].id
        for n in range(20)
    }
    assert len(others) > 1
