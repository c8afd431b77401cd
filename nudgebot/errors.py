"""The exceptions nudgebot raises itself.

Expected platform failures are not exceptions here: adapters return them as
:data:`nudgebot.core.sending.SendResult` values. What remains::

    NudgebotError
     ├── ConfigError     a NUDGEBOT_* setting is missing or malformed (start-up stops)
     ├── ContentError    the content pack is invalid; carries every problem found
     ├── InputError      a subscriber's input was refused; carries the catalogue key
     ├── AlreadyRunning  another `nudgebot run` serves this SQLite file (start-up stops)
     └── StartupError    a store or platform cannot be used at start-up: one line saying
                         what is wrong and what to do (no traceback, no secret)
"""

from __future__ import annotations

from collections.abc import Sequence


class NudgebotError(Exception):
    """Base of every nudgebot exception."""


class ConfigError(NudgebotError):
    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = tuple(lines)


class ContentError(NudgebotError):
    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


class InputError(NudgebotError):
    """Bad input from a subscriber; ``key`` names the catalogue text that explains it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class AlreadyRunning(NudgebotError):
    """One instance per SQLite file: a second ``run`` stops with this one line."""


class StartupError(NudgebotError):
    """Start-up cannot go on; ``str(error)`` is the one line an operator reads."""
