from typing import get_args

from nudgebot.commands.service import PRESSES
from nudgebot.core.actions import Action


def test_every_kind_of_button_action_has_one_rule_in_the_press_table():
    assert set(PRESSES) == set(get_args(Action))
