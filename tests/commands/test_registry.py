"""The command registry and the typed command API adapters call instead of building text."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from nudgebot.adapters.slack.blocks import to_slack_commands
from nudgebot.adapters.telegram.app import command_list
from nudgebot.commands import REGISTRY, Access, Command, Commands, Registry
from nudgebot.core.chats import Chat, Recipient
from nudgebot.core.content import LANGUAGES, Lang
from nudgebot.core.outbound import Reply
from nudgebot.core.subscription import Status
from nudgebot.store.tables import Subscriber

ANN = Chat(Recipient("fake", "ann"), language_hint="en")
CHANNEL = Recipient("fake", "C1")


async def _noop(cases, chat, args) -> Reply:
    return Reply()


HELP: dict[Lang, str] = {"nl": "iets", "en": "something"}


@pytest.fixture
def commands(sessions, pack, settings, clock) -> Commands:
    return Commands(sessions=sessions, pack=pack, settings=settings, clock=clock)


async def rows(sessions) -> list[tuple[object, ...]]:
    async with sessions() as session:
        found = (await session.exec(select(Subscriber))).all()
    return [tuple(r.model_dump().values()) for r in found]


@pytest.mark.parametrize(
    "entries",
    [
        pytest.param([Command("ping", _noop, HELP), Command("ping", _noop, HELP)], id="twice"),
        pytest.param([Command("a", _noop, HELP, aliases=("b",)), Command("b", _noop, HELP)],
                     id="alias-clash"),
        pytest.param([Command("Ping", _noop, HELP)], id="upper-case"),
        pytest.param([Command("ping", _noop, {"en": "only English"})], id="no-dutch"),
        pytest.param([Command("ping", _noop, {"nl": "x", "en": "two\nlines"})], id="two-lines"),
    ],
)  # fmt: skip
def test_a_bad_entry_stops_the_import(entries):
    with pytest.raises(ValueError):
        Registry(*entries)


def test_every_command_says_who_may_use_it():
    changing = {c.name for c in REGISTRY if c.changes_chat}
    assert changing == {
        "start",
        "time",
        "tz",
        "language",
        "pause",
        "resume",
        "stop",
        "mydata",
        "delete",
        "often",
        "challenge",
        "summary",
        "kinds",
        "quiet",
        "learning",
    }
    assert {c.name for c in REGISTRY if c.read_only} == {
        "today",
        "streak",
        "about",
        "help",
        "settings",
        "history",
    }
    assert {c.name for c in REGISTRY if c.operators_only} == {"broadcast", "admin"}


def test_operator_commands_are_in_no_menu_and_no_help():
    assert "broadcast" not in {c.name for c in REGISTRY.public()}
    for lang in LANGUAGES:
        assert not any("broadcast" in line for line in REGISTRY.help_lines(lang))


def test_the_telegram_menu_is_the_registry_in_each_language():
    for lang in LANGUAGES:
        menu = command_list(lang)
        assert [(m.command, m.description) for m in menu] == [
            (c.name, c.help[lang]) for c in REGISTRY.public()
        ]


@pytest.mark.parametrize("name", [n for c in REGISTRY for n in c.names])
def test_slack_rewrites_every_command_name_in_replies(name):
    rewritten = to_slack_commands(f"Send /{name} now")
    assert rewritten.startswith("Send /gutnudge ") and rewritten.endswith(" now")
    assert to_slack_commands(f"https://x.org/{name}") == f"https://x.org/{name}"


async def test_typed_subscribe_sets_time_and_zone_at_once(commands, sessions):
    reply = await commands.subscription.subscribe(
        ANN, time=time(6, 45), zone=ZoneInfo("Europe/Lisbon")
    )
    assert "every day at 06:45 (Europe/Lisbon)" in reply.messages[0].text
    view = await commands.subscription.status(ANN)
    assert view is not None
    assert (view.local_time, view.timezone, view.status) == (time(6, 45), "Europe/Lisbon", "active")
    assert view.streak.startswith("🔥 Streak: 0 days")


async def test_a_platform_zone_hint_skips_the_guided_set_up(commands):
    hinted = Chat(Recipient("fake", "u"), language_hint="en", zone_hint="Asia/Tokyo")
    reply = await commands.handle(hinted, "subscribe")
    assert "every day at 08:00 (Asia/Tokyo)" in reply.messages[0].text
    assert not reply.messages[0].buttons


async def test_status_of_a_stranger_is_none(commands):
    assert await commands.subscription.status(ANN) is None


async def test_typed_use_cases_before_subscribing_refuse_politely(commands, sessions):
    for reply in (
        await commands.subscription.pause(ANN, days=2),
        await commands.subscription.set_time(ANN, time(7, 0)),
        await commands.subscription.stop(ANN),
    ):
        assert reply.messages[0].text == "You're not subscribed yet. Send /start to begin."
    assert await rows(sessions) == []


async def test_a_refused_member_changes_nothing_by_text_or_button(commands, sessions):
    admin = Chat(CHANNEL, actor="UADMIN", language_hint="en")
    member = Chat(CHANNEL, actor="UMEMBER", language_hint="en")
    await commands.handle(admin, "/start")
    before = await rows(sessions)
    asked: list[Access] = []

    async def members_only_read(access: Access) -> str | None:
        asked.append(access)
        return None if access is Access.ANYONE else "group_admins_only"

    typed = await commands.handle(member, "/time 09:00", authorize=members_only_read)
    tapped = await commands.press(member, "set:lang:nl", authorize=members_only_read)
    bare = await commands.handle(member, "09:30", authorize=members_only_read)
    assert typed.messages[0].text.startswith("In a group, only admins")
    assert bare.messages[0].text.startswith("In a group, only admins")
    assert tapped.alert and tapped.notice and tapped.notice.startswith("In a group, only admins")
    assert await rows(sessions) == before
    assert asked == [Access.CHAT_ADMIN] * 3
    streak = await commands.handle(member, "/streak", authorize=members_only_read)
    assert streak.messages[0].text.startswith("🔥")


async def test_operators_commands_are_refused_in_a_private_chat_by_default(commands):
    from nudgebot.commands import private_chat

    assert await private_chat(Access.OPERATOR) == "operators_only"
    assert await private_chat(Access.CHAT_ADMIN) is None


async def test_a_channel_tap_answers_with_everyone_who_took_part(commands):
    admin = Chat(CHANNEL, actor="UADMIN", language_hint="en")
    await commands.handle(admin, "/start")
    nudge = (await commands.handle(admin, "/today")).messages[0]
    first = await commands.press(Chat(CHANNEL, actor="U1"), nudge.buttons[0].action)
    second = await commands.press(Chat(CHANNEL, actor="U2"), nudge.buttons[0].action)
    assert first.participants == ("U1",)
    assert second.participants == ("U1", "U2")
    alone = Chat(Recipient("fake", "solo"), language_hint="en")
    await commands.handle(alone, "/start")
    mine = (await commands.handle(alone, "/today")).messages[0]
    assert (await commands.press(alone, mine.buttons[0].action)).participants == ()


def test_status_values_are_the_stored_strings():
    assert [s.value for s in Status] == ["active", "paused", "stopped"]
