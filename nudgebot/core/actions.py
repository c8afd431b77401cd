"""Every button's action as typed data: the one place its text is built and read.

A button can carry only a short string (Telegram's ``callback_data`` holds 64 bytes), so
an action travels as ``<prefix>:<fields>`` and comes back, possibly forged, on a later
press. :func:`encode` writes each action; :func:`parse_action` reads any string back
into one, or None for anything it does not recognise: it never raises, whatever the
bytes. The commands route a parsed action by its type (``Commands.press``).

========================  ==========================================================
``n:<id>:<answer>``       :class:`NudgeAnswer`: a nudge's button (the day row's id)
``set:<command>:<value>`` :class:`SetupStep`: a guided set-up answer, run as that command
``ch:join:<series>``      :class:`JoinSeries`; ``ch:leave``: :class:`LeaveSeries`
``re:keep|3x|stop``       :class:`ReengageAnswer`: the re-engagement question's answer
``b:send|cancel:<id>``    :class:`BroadcastDecision`: an operator's broadcast preview
``privacy:erase:<date>``  :class:`ConfirmErase` (``YYYYMMDD``); ``privacy:keep``: :class:`KeepData`
``cfg:<setting>``         :class:`AskSetting`: a ``/settings`` button, asking how to change one
``h:<id>``                :class:`Reread`: a ``/history`` button, a past nudge shown again
========================  ==========================================================

The texts are stored in sent messages, so they never change: a button sent months ago
still means what it meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal, get_args

from nudgebot.core.numbers import MAX_ID, parse_number

Answer = Literal["done", "myth", "fact", "ok"]
"""What a nudge's button says: ✅ done, 👍 got it (``ok``), myth or fact."""
ANSWERS: tuple[Answer, ...] = get_args(Answer)


@dataclass(frozen=True, slots=True)
class NudgeAnswer:
    """A tap on a nudge's button: which day row, and what it answers."""

    delivery_id: int
    answer: Answer


@dataclass(frozen=True, slots=True)
class SetupStep:
    """A guided set-up button: run ``command`` (a registry name or alias) with ``value``."""

    command: str
    value: str


@dataclass(frozen=True, slots=True)
class JoinSeries:
    series_id: str


@dataclass(frozen=True, slots=True)
class LeaveSeries:
    pass


class Reengage(StrEnum):
    """The re-engagement question's answers: keep the frequency, three times a week, stop."""

    KEEP = "keep"
    THRICE = "3x"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class ReengageAnswer:
    choice: Reengage


class Decision(StrEnum):
    SEND = "send"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class BroadcastDecision:
    """A broadcast preview's button: send or cancel the draft ``broadcast_id``."""

    decision: Decision
    broadcast_id: int


@dataclass(frozen=True, slots=True)
class ConfirmErase:
    """``/delete``'s confirmation, offered on ``offered`` (it expires a day later)."""

    offered: date


@dataclass(frozen=True, slots=True)
class KeepData:
    pass


SETTINGS = ("language", "tz", "time", "often", "summary", "kinds", "quiet")
"""What ``/settings`` offers to change, each by the command of that name."""


@dataclass(frozen=True, slots=True)
class AskSetting:
    """A ``/settings`` button: ask how to change ``setting`` (one of :data:`SETTINGS`)."""

    setting: str


@dataclass(frozen=True, slots=True)
class Reread:
    """A ``/history`` button: show the nudge of day row ``delivery_id`` again."""

    delivery_id: int


Action = (
    NudgeAnswer
    | SetupStep
    | JoinSeries
    | LeaveSeries
    | ReengageAnswer
    | BroadcastDecision
    | ConfirmErase
    | KeepData
    | AskSetting
    | Reread
)

_DATE = "%Y%m%d"
_COMMAND = re.compile(r"[a-z][a-z0-9_]{0,31}")  # the registry's names


def encode(action: Action) -> str:
    """The text a button carries for ``action``; :func:`parse_action` reads it back."""
    match action:
        case NudgeAnswer(delivery_id=delivery_id, answer=answer):
            return f"n:{delivery_id}:{answer}"
        case SetupStep(command=command, value=value):
            return f"set:{command}:{value}"
        case JoinSeries(series_id=series_id):
            return f"ch:join:{series_id}"
        case LeaveSeries():
            return "ch:leave"
        case ReengageAnswer(choice=choice):
            return f"re:{choice}"
        case BroadcastDecision(decision=decision, broadcast_id=broadcast_id):
            return f"b:{decision}:{broadcast_id}"
        case ConfirmErase(offered=offered):
            return f"privacy:erase:{offered.strftime(_DATE)}"
        case KeepData():
            return "privacy:keep"
        case AskSetting(setting=setting):
            return f"cfg:{setting}"
        case Reread(delivery_id=delivery_id):
            return f"h:{delivery_id}"


def _nudge(rest: str) -> Action | None:
    delivery, _, answer = rest.partition(":")
    delivery_id = parse_number(delivery, minimum=1, maximum=MAX_ID)
    for known in ANSWERS:
        if answer == known and delivery_id is not None:
            return NudgeAnswer(delivery_id, known)
    return None


def _setup(rest: str) -> Action | None:
    command, found, value = rest.partition(":")
    return SetupStep(command, value) if found and _COMMAND.fullmatch(command) else None


def _series(rest: str) -> Action | None:
    verb, _, series_id = rest.partition(":")
    if rest == "leave":
        return LeaveSeries()
    return JoinSeries(series_id) if verb == "join" and series_id else None


def _reengage(rest: str) -> Action | None:
    for choice in Reengage:
        if rest == choice.value:
            return ReengageAnswer(choice)
    return None


def _broadcast(rest: str) -> Action | None:
    verb, _, value = rest.partition(":")
    broadcast_id = parse_number(value, minimum=1, maximum=MAX_ID)
    for decision in Decision:
        if verb == decision.value and broadcast_id is not None:
            return BroadcastDecision(decision, broadcast_id)
    return None


def _privacy(rest: str) -> Action | None:
    if rest == "keep":
        return KeepData()
    verb, _, offered = rest.partition(":")
    if verb != "erase" or not (len(offered) == 8 and offered.isascii() and offered.isdigit()):
        return None
    try:
        return ConfirmErase(datetime.strptime(offered, _DATE).date())
    except ValueError:  # 20261399: digits, but no date
        return None


def _setting(rest: str) -> Action | None:
    return AskSetting(rest) if rest in SETTINGS else None


def _reread(rest: str) -> Action | None:
    delivery_id = parse_number(rest, minimum=1, maximum=MAX_ID)
    return Reread(delivery_id) if delivery_id is not None else None


_READERS: dict[str, Callable[[str], Action | None]] = {
    "n": _nudge,
    "set": _setup,
    "ch": _series,
    "re": _reengage,
    "b": _broadcast,
    "privacy": _privacy,
    "cfg": _setting,
    "h": _reread,
}


def parse_action(text: str) -> Action | None:
    """The action ``text`` carries, or None if it is none of ours. Never raises."""
    prefix, _, rest = text.partition(":")
    reader = _READERS.get(prefix)
    return reader(rest) if reader is not None else None


__all__ = [
    "ANSWERS",
    "SETTINGS",
    "Action",
    "Answer",
    "AskSetting",
    "BroadcastDecision",
    "ConfirmErase",
    "Decision",
    "JoinSeries",
    "KeepData",
    "LeaveSeries",
    "NudgeAnswer",
    "Reengage",
    "ReengageAnswer",
    "Reread",
    "SetupStep",
    "encode",
    "parse_action",
]
