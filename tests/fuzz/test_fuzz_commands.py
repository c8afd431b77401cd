"""Fuzz: arbitrary Unicode after every command, arbitrary strings as button data.

Properties, for every input: an answer comes (text or a notice), no exception escapes,
and an answer that refuses left every table as it was. Examples share one store, so
valid input found on the way (a /stop, a set-up button) moves the state the later ones
meet, as a real chat would.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nudgebot.commands import REGISTRY, Commands
from nudgebot.core.chats import Chat, Recipient
from tests.fuzz.refusals import is_refusal, text_of
from tests.support.store_dump import dump_tables

ANN = Chat(recipient=Recipient("fake", "ann"), language_hint="en")
READ_ONLY = {"help", "about", "streak"}

any_text = st.text(st.characters(codec="utf-8"), max_size=80)
digits_and_marks = st.text(st.sampled_from("0123456789²³①٣:+-_ .hH/"), max_size=12)
numberish = st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=6)
arguments = st.one_of(any_text, digits_and_marks, numberish, st.just("9" * 5000))


@pytest.fixture
async def commands(sessions, pack, settings, clock) -> Commands:
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)
    await commands.handle(ANN, "/start 07:30 Europe/London")
    await commands.handle(ANN, "/today")  # a nudge whose buttons the taps can aim at
    return commands


@given(name=st.sampled_from(REGISTRY.names()), argument=arguments, slash=st.booleans())
@example(
    name="pause", argument="²", slash=True
)  # the hostile-input review's crashers, always tried
@example(name="pause", argument="①", slash=False)
@example(name="pause", argument="9" * 4301, slash=True)
async def test_every_command_answers_any_text_and_refusals_change_nothing(
    commands, sessions, name, argument, slash
):
    before = await dump_tables(sessions)
    reply = await commands.handle(ANN, f"{'/' if slash else ''}{name} {argument}")
    assert text_of(reply)
    if is_refusal(reply) or name in READ_ONLY:
        assert await dump_tables(sessions) == before


@given(text=any_text)
async def test_any_typed_text_is_answered(commands, sessions, text):
    before = await dump_tables(sessions)
    reply = await commands.handle(ANN, text)
    assert text_of(reply)
    if is_refusal(reply):
        assert await dump_tables(sessions) == before


actions = st.one_of(
    any_text,
    st.builds(
        "{}:{}:{}".format,
        st.sampled_from(["n", "set", "N", "", "n "]),
        st.one_of(arguments, st.sampled_from(["lang", "tz", "time", "stop", "1", "2"])),
        st.one_of(any_text, st.sampled_from(["ok", "done", "myth", "fact"])),
    ),
)


@given(action=actions)
@example(action="n:²:ok")
@example(action="n:" + "9" * 4997 + ":ok")
@example(action="n:99999999999999999999:ok")
async def test_any_button_data_is_answered_and_refusals_change_nothing(commands, sessions, action):
    before = await dump_tables(sessions)
    reply = await commands.press(ANN, action)
    assert text_of(reply)
    if is_refusal(reply):
        assert await dump_tables(sessions) == before
