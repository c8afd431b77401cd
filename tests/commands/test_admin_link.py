"""`/admin` in a chat: an operator's link sees everything, a Slack admin's their workspace."""

from __future__ import annotations

from pydantic import SecretStr
from sqlmodel import col, select

from nudgebot.commands import Commands, private_chat
from nudgebot.core.chats import Chat, Recipient
from nudgebot.settings import AdminSettings
from nudgebot.store.tables import AdminLink, utc_now
from tests.app.admin.console_client import SECRET


async def operator(access):
    return None


async def test_an_operator_gets_a_link_and_anyone_else_the_unknown_answer(sessions, pack, settings):
    configured = settings.model_copy(update={"admin": AdminSettings(secret=SecretStr(SECRET))})
    commands = Commands(sessions=sessions, pack=pack, settings=configured, clock=utc_now)
    telegram = Chat(Recipient("telegram", "42"), actor="42")
    [message] = (await commands.handle(telegram, "/admin", authorize=operator)).messages
    assert "http://127.0.0.1:8080/admin/login?token=" in message.text
    assert "valid 10 minutes" in message.text
    slack = Chat(Recipient("slack", "U7", "T1"), actor="U7")
    await commands.handle(slack, "/admin", authorize=operator)
    refused = await commands.handle(telegram, "/admin", authorize=private_chat)
    assert all("token=" not in m.text for m in refused.messages)
    async with sessions() as db:
        links = (await db.exec(select(AdminLink).order_by(col(AdminLink.id)))).all()
    assert [(link.who, link.workspace) for link in links] == [
        ("telegram:42", None),
        ("slack:T1/U7", "T1"),
    ]


async def test_without_the_console_configured_an_operator_is_told_how(sessions, pack, settings):
    commands = Commands(sessions=sessions, pack=pack, settings=settings, clock=utc_now)
    chat = Chat(Recipient("telegram", "42"), actor="42")
    [message] = (await commands.handle(chat, "/admin", authorize=operator)).messages
    assert "NUDGEBOT_ADMIN_SECRET" in message.text
