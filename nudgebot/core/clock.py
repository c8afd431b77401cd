"""What "now" is: a function every layer is handed, so tests and the simulator set time.

Nothing reads the system clock behind a caller's back: the commands, the engine and the
retention job take a :data:`Clock`, the application passes :func:`utc_clock`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current instant, timezone-aware, in UTC."""


def utc_clock() -> datetime:
    """The system's clock, in UTC."""
    return datetime.now(UTC)


__all__ = ["Clock", "utc_clock"]
