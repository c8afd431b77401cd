"""``nudgebot admin link``: an operator's one-time sign-in link to the web console.

Printed once, alone on its last line (``URL=$(nudgebot admin link | tail -n 1)``); only
its hash is stored. ``--workspace`` makes a link that sees one Slack workspace, as a
workspace admin's from ``/gutnudge admin`` does.
"""

from __future__ import annotations

import asyncio
import getpass

from rich.console import Console

from nudgebot.commands.admin import console_base, mint_link
from nudgebot.errors import InputError
from nudgebot.settings import Settings
from nudgebot.store.db import open_store
from nudgebot.store.tables import utc_now


def link_command(
    settings: Settings, out: Console, *, workspace: str | None, minutes: int | None
) -> int:
    if settings.admin is None:
        raise InputError("admin_console_off")
    if minutes is not None and not 1 <= minutes <= 60:
        raise InputError("admin_bad_minutes", minutes=minutes)
    return asyncio.run(_link(settings, out, workspace=workspace, minutes=minutes))


async def _link(
    settings: Settings, out: Console, *, workspace: str | None, minutes: int | None
) -> int:
    base = console_base(settings)
    assert settings.admin is not None and base is not None
    async with open_store(settings.database_url) as sessions:
        link = await mint_link(
            sessions,
            settings.admin,
            base,
            who=f"cli:{getpass.getuser()}",
            workspace=workspace or None,
            now_utc=utc_now(),
            minutes=minutes,
        )
    life = minutes or settings.admin.link_minutes
    scope = f"Slack workspace {workspace}" if workspace else "everything"
    out.print(f"one-time sign-in link, valid {life} minutes, sees {scope}:", markup=False)
    out.print(link, markup=False, highlight=False, soft_wrap=True)
    return 0
