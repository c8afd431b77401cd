from datetime import date
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudgebot.core.actions import (
    ANSWERS,
    Action,
    AskSetting,
    BroadcastDecision,
    ConfirmErase,
    Decision,
    JoinSeries,
    KeepData,
    LeaveSeries,
    NudgeAnswer,
    Reengage,
    ReengageAnswer,
    Reread,
    SetupStep,
    encode,
    parse_action,
)
from nudgebot.core.numbers import MAX_ID

MAX_ACTION_BYTES = 64  # Telegram's callback_data limit

EVERY_ACTION: list[tuple[Action, str]] = [
    *((NudgeAnswer(MAX_ID, answer), f"n:{MAX_ID}:{answer}") for answer in ANSWERS),
    (NudgeAnswer(1, "ok"), "n:1:ok"),
    (SetupStep("lang", "nl"), "set:lang:nl"),
    (SetupStep("tz", "America/Argentina/Buenos_Aires"), "set:tz:America/Argentina/Buenos_Aires"),
    (SetupStep("time", "07:30"), "set:time:07:30"),
    (SetupStep("often", "weekdays"), "set:often:weekdays"),
    (JoinSeries("gut-week"), "ch:join:gut-week"),
    (LeaveSeries(), "ch:leave"),
    (ReengageAnswer(Reengage.KEEP), "re:keep"),
    (ReengageAnswer(Reengage.THRICE), "re:3x"),
    (ReengageAnswer(Reengage.STOP), "re:stop"),
    (BroadcastDecision(Decision.SEND, 7), "b:send:7"),
    (BroadcastDecision(Decision.CANCEL, MAX_ID), f"b:cancel:{MAX_ID}"),
    (ConfirmErase(date(2026, 6, 1)), "privacy:erase:20260601"),
    (KeepData(), "privacy:keep"),
    (AskSetting("quiet"), "cfg:quiet"),
    (Reread(MAX_ID), f"h:{MAX_ID}"),
]


@pytest.mark.parametrize(("action", "text"), EVERY_ACTION, ids=lambda value: str(value))
def test_every_action_is_written_as_it_always_was_and_reads_back(action, text):
    assert encode(action) == text
    assert parse_action(text) == action
    assert len(text.encode()) <= MAX_ACTION_BYTES


def test_every_kind_of_action_is_in_the_table():
    kinds = {type(action) for action, _ in EVERY_ACTION}
    assert kinds == set(get_args(Action))


@pytest.mark.parametrize(
    "junk",
    [
        "",
        ":",
        "n",
        "n:",
        "n:1",
        "n:1:",
        "n:0:ok",
        "n:-1:ok",
        "n:²:ok",
        "n: 1:ok",
        f"n:{MAX_ID + 1}:ok",
        "n:" + "9" * 5000 + ":ok",
        "n:1:yes",
        "n:1:OK",
        "N:1:ok",
        "set:",
        "set:lang",
        "set::nl",
        "set:LANG:nl",
        "set:drop table:x",
        "ch:",
        "ch:join",
        "ch:join:",
        "ch:leave:now",
        "ch:quit",
        "re:",
        "re:KEEP",
        "re:keep:1",
        "b:send",
        "b:send:",
        "b:send:0",
        "b:send:x",
        "b:resend:1",
        f"b:cancel:{MAX_ID + 1}",
        "privacy:",
        "privacy:erase:",
        "privacy:erase:2026-06-01",
        "privacy:erase:20261399",
        "privacy:erase:２０２６０６０１",
        "privacy:keep:1",
        "privacy:x",
        "drop table subscriber",
        "gutnudge:0",
    ],
)
def test_junk_parses_to_nothing(junk):
    assert parse_action(junk) is None


@given(st.text(max_size=80))
def test_any_text_parses_without_raising(text):
    found = parse_action(text)
    assert found is None or parse_action(encode(found)) == found
