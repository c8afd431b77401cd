"""What every adapter's error boundary logs and says when a handler raises.

Telegram, Slack and the console each have one place that catches whatever escapes a
handler: the member gets an apology from the catalogue (or the platform a 4xx), and the
log gets exactly one line naming the subscriber and where our code broke. The line never
holds the exception's message or the update: messages such as ``int()``'s "invalid
literal ... '²'" quote the input, input may be personal, and a client that can provoke a
failure must not be able to fill the log with tracebacks. The traceback
follows at DEBUG only, for the developer who asks for it.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import nudgebot

_PACKAGE = Path(nudgebot.__file__).resolve().parent


def where(error: BaseException) -> str:
    """``nudgebot/commands.py:187``: the innermost frame of ours, else the innermost one."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(_PACKAGE)]
    if not frames:
        return "unknown place"
    frame = (ours or frames)[-1]
    path = Path(frame.filename).resolve()
    shown = path.relative_to(_PACKAGE.parent) if path.is_relative_to(_PACKAGE) else path.name
    return f"{shown}:{frame.lineno}"


def log_failure(logger: logging.Logger, *, platform: str, who: str, error: BaseException) -> None:
    """The one line for a handler that raised; ``who`` is the subscriber's address."""
    logger.error(
        "%s: handling an update for %s failed: %s at %s",
        platform,
        who,
        type(error).__name__,
        where(error),
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s: traceback of that failure", platform, exc_info=error)


__all__ = ["log_failure", "where"]
