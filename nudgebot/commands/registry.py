"""Every command, once: the registry each platform's parser, menu and help come from.

How to add a command (nothing else needs to change; tests/commands/test_registry.py and
tests/scenarios/test_every_command.py then check it on every platform):

1. Write its use case as a typed async method that takes parsed values and returns a
   :class:`Reply`, on the service of its area: :mod:`.subscription`, :mod:`.nudges`,
   :mod:`.challenges`, :mod:`.privacy` or :mod:`.admin` (broadcasts). A new area is a
   new service class, given only the settings it uses: build it in
   :class:`~.service.Commands` and name it in :class:`~.usecases.UseCases`.
2. Add one :class:`~.spec.Command` to :data:`REGISTRY` below: its ``name`` (and
   ``aliases``), ``usage`` (an argument example for help texts), ``help`` in every
   language (one line; it is also the Telegram menu entry), ``access`` (who may use it
   in a shared chat; operators-only commands say ``Access.OPERATOR``) and ``run``: a
   small function here that reads the arguments, raising ``InputError(key, ...)`` with a
   catalogue key (core/texts.py) for bad ones, and calls the use case
   (``cases.subscription.pause(chat, days=days)``).

A button is an action type in :mod:`nudgebot.core.actions` (built and parsed there
only) and one row of :data:`~.service.PRESSES`: who may press it and what it runs.

Telegram's handlers and ``/`` menu, Slack's ``/gutnudge`` subcommands, the command names
Slack rewrites in replies, and the help texts are all derived from this list. The
permission check lives in ``Commands`` and runs for typed commands and buttons alike.
"""

from __future__ import annotations

from typing import get_args
from zoneinfo import ZoneInfo

from nudgebot.commands.preferences import parse_kept, parse_quiet
from nudgebot.commands.spec import Access, Command, Registry
from nudgebot.commands.usecases import UseCases
from nudgebot.core.chats import Chat
from nudgebot.core.content import Lang
from nudgebot.core.frequency import parse_frequency
from nudgebot.core.numbers import parse_number
from nudgebot.core.outbound import Reply
from nudgebot.core.summary import parse_weekday
from nudgebot.core.texts import say
from nudgebot.core.timing import find_zone, join_time_words, parse_local_time, parse_zone
from nudgebot.errors import InputError

MAX_PAUSE_DAYS = 365
MAX_ZONE_TEXT = 64


async def _start(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    """``/start [07:45] [Europe/Amsterdam] [daily|weekdays|3x]``, in any order."""
    wanted_time = wanted_zone = wanted_frequency = None
    for arg in join_time_words(args):
        if (parsed := parse_local_time(arg)) is not None:
            wanted_time = parsed
        elif (frequency := parse_frequency(arg)) is not None:
            wanted_frequency = frequency
        elif (zone := parse_zone(arg)) is not None:
            wanted_zone = zone
        else:
            key = "bad_time" if any(c.isdigit() for c in arg) else "bad_tz"
            raise InputError(key, value=arg[:MAX_ZONE_TEXT])
    return await cases.subscription.subscribe(
        chat, time=wanted_time, zone=wanted_zone, frequency=wanted_frequency
    )


async def _often(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    frequency = parse_frequency(args[0]) if args else None
    if frequency is None:
        raise InputError("bad_often")
    return await cases.subscription.set_frequency(chat, frequency)


async def _summary(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    weekday = parse_weekday(args[0]) if args else None
    if weekday is None:
        raise InputError("bad_summary_day")
    return await cases.subscription.set_summary_day(chat, weekday)


async def _challenge(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.challenges.show(chat)


async def _stop(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.subscription.stop(chat)


async def _pause(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    if not args:
        return await cases.subscription.pause(chat)
    days = parse_number(args[0], minimum=1, maximum=MAX_PAUSE_DAYS)
    if days is None:
        raise InputError("bad_pause", value=args[0][:20])
    return await cases.subscription.pause(chat, days=days)


async def _resume(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.subscription.resume(chat)


async def _time(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    if not args:
        raise InputError("missing_argument", example="/time 07:45")
    wanted = " ".join(args)
    parsed = parse_local_time(wanted)
    if parsed is None:
        raise InputError("bad_time", value=wanted[:20])
    return await cases.subscription.set_time(chat, parsed)


async def _tz(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    """An exact zone name or city; anything less certain: offer the candidates as buttons."""
    if not args:
        raise InputError("missing_argument", example="/tz Europe/Amsterdam")
    wanted = " ".join(args)[:MAX_ZONE_TEXT]
    found = find_zone(wanted)
    if isinstance(found, ZoneInfo):
        return await cases.subscription.set_zone(chat, found)
    if not found:
        raise InputError("bad_tz", value=wanted)
    return await cases.subscription.offer_zones(chat, wanted, found)


async def _language(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    wanted = args[0].lower() if args else ""
    for lang in get_args(Lang):
        if wanted == lang:
            return await cases.subscription.set_language(chat, lang)
    raise InputError("bad_language")


async def _learning(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    wanted = {"on": True, "aan": True, "off": False, "uit": False}.get(
        args[0].lower() if args else ""
    )
    if wanted is None:
        raise InputError("bad_learning")
    return await cases.subscription.set_learning(chat, on=wanted)


async def _streak(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.subscription.streak(chat)


async def _today(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.nudges.today(chat)


async def _settings(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.preferences.show(chat)


async def _history(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.preferences.history(chat)


async def _kinds(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    """``/kinds`` shows them with buttons; ``/kinds tips myths`` keeps exactly those."""
    if not args:
        return await cases.preferences.show_kinds(chat)
    kept = parse_kept(args)
    if kept is None:
        raise InputError("bad_kinds")
    return await cases.preferences.set_kinds(chat, kept)


async def _quiet(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    """``/quiet 22:00-07:00`` or ``/quiet off``; alone, the choices as buttons."""
    if not args:
        return await cases.preferences.ask(chat, "quiet")
    quiet = parse_quiet("".join(args))
    if isinstance(quiet, str):
        raise InputError("bad_quiet")
    return await cases.preferences.set_quiet(chat, quiet)


async def _about(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.nudges.about(chat)


async def _mydata(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.privacy.my_data(chat)


async def _delete(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    return await cases.privacy.ask_delete(chat)


async def _broadcast(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    """``/broadcast <text>`` (or as a reply to the text): a preview to confirm or cancel."""
    return await cases.broadcasts.preview(chat, args[0] if args else "")


async def _admin(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    """``/admin``: a one-time sign-in link to the web console, sent privately."""
    return await cases.console.link(chat)


async def _help(cases: UseCases, chat: Chat, args: list[str]) -> Reply:
    lang = await cases.language_of(chat)
    return Reply.say("\n".join([say(lang, "help"), *REGISTRY.help_lines(lang)]))


REGISTRY = Registry(
    Command(
        "start",
        _start,
        {"nl": "aanmelden of terugkomen", "en": "subscribe or come back"},
        usage="[07:45] [Europe/Amsterdam] [daily|weekdays|3x]",
        aliases=("subscribe",),
        access=Access.CHAT_ADMIN,
    ),
    Command("today", _today, {"nl": "de nudge van vandaag nu", "en": "today's nudge right now"}),
    Command(
        "settings",
        _settings,
        {
            "nl": "al je instellingen in één bericht, met knoppen om ze te wijzigen",
            "en": "all your settings in one message, with buttons to change them",
        },
    ),
    Command(
        "history",
        _history,
        {
            "nl": "je laatste 14 nudges, met je antwoord, om terug te lezen",
            "en": "your last 14 nudges, with your answer, to read again",
        },
    ),
    Command(
        "streak",
        _streak,
        {
            "nl": "je reeks, bevriezingen en de laatste 14 dagen",
            "en": "your streak, freezes and the last 14 days",
        },
    ),
    Command(
        "often",
        _often,
        {
            "nl": "hoe vaak: elke dag, werkdagen of 3× per week (ma, wo, vr)",
            "en": "how often: every day, weekdays or 3× a week (Mon, Wed, Fri)",
        },
        usage="daily|weekdays|3x",
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "summary",
        _summary,
        {
            "nl": "op welke dag het weekoverzicht in je nudge staat (standaard zondag)",
            "en": "which day's nudge carries the weekly summary (Sunday by default)",
        },
        usage="sun",
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "challenge",
        _challenge,
        {
            "nl": "meerdaagse uitdagingen: meedoen of stoppen",
            "en": "multi-day challenges: join or leave",
        },
        aliases=("challenges",),
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "learning",
        _learning,
        {
            "nl": "nudges kiezen uit je antwoorden: aan of uit",
            "en": "choose nudges from your answers: on or off",
        },
        usage="off",
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "time",
        _time,
        {"nl": "tijdstip wijzigen", "en": "change the time"},
        usage="07:45",
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "tz",
        _tz,
        {"nl": "tijdzone wijzigen", "en": "change the time zone"},
        usage="Europe/Amsterdam",
        aliases=("timezone",),
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "language",
        _language,
        {"nl": "taal wijzigen", "en": "change the language"},
        usage="nl|en",
        aliases=("lang",),
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "pause",
        _pause,
        {
            "nl": "een paar dagen pauzeren (of tot /resume)",
            "en": "pause a few days (or until /resume)",
        },
        usage="3",
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "resume",
        _resume,
        {"nl": "verder na een pauze", "en": "carry on after a pause"},
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "kinds",
        _kinds,
        {
            "nl": "welke soorten je krijgt: tips, uitdagingen, mythes",
            "en": "which kinds you get: tips, challenges, myths",
        },
        usage="tips myths",
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "quiet",
        _quiet,
        {
            "nl": "stille uren, waarin ik niets uit mezelf stuur (standaard 22:00-07:00)",
            "en": "quiet hours, when I send nothing of my own accord (22:00-07:00 by default)",
        },
        usage="22:00-07:00|off",
        access=Access.CHAT_ADMIN,
    ),
    Command("stop", _stop, {"nl": "afmelden", "en": "unsubscribe"}, access=Access.CHAT_ADMIN),
    Command(
        "mydata",
        _mydata,
        {
            "nl": "alles wat ik over je bewaar, als bestand",
            "en": "everything I store about you, as a file",
        },
        access=Access.CHAT_ADMIN,
    ),
    Command(
        "delete",
        _delete,
        {
            "nl": "alles over je wissen (ik vraag het eerst)",
            "en": "erase everything about you (asks first)",
        },
        access=Access.CHAT_ADMIN,
    ),
    Command("about", _about, {"nl": "bronnen en disclaimer", "en": "sources and disclaimer"}),
    Command("help", _help, {"nl": "wat ik kan", "en": "what I can do"}),
    Command(
        "broadcast",
        _broadcast,
        {
            "nl": "een bericht aan alle abonnees (beheerders)",
            "en": "message every subscriber (operators)",
        },
        usage="<text>",
        access=Access.OPERATOR,
        free_text=True,
    ),
    Command(
        "admin",
        _admin,
        {
            "nl": "een aanmeldlink voor de webconsole (beheerders)",
            "en": "a sign-in link to the web console (operators)",
        },
        access=Access.OPERATOR,
    ),
)


__all__ = ["MAX_PAUSE_DAYS", "REGISTRY"]
