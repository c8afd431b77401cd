"""A rate limit as a value: at most ``count`` events in any ``seconds``-long window.

Pure, so that settings can parse ``"30/1"`` into one at start-up (a bad one stops
start-up with one line) and the Telegram limiter only ever sees valid limits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` messages in any ``seconds``-long window; parsed from ``"30/1"``."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if self.count < 1 or not self.seconds > 0:
            raise ValueError(f"a rate limit needs a count and seconds above zero: {self}")

    @classmethod
    def parse(cls, text: str) -> Limit:
        """``"30/1"`` -> ``Limit(30, 1.0)``; ``ValueError`` says what a limit looks like."""
        count, slash, seconds = text.strip().partition("/")
        try:
            return cls(int(count), float(seconds) if slash else 1.0)
        except ValueError:
            raise ValueError(
                f"{text!r} is not a rate limit: 'count/seconds' with both above zero, e.g. 30/1"
            ) from None

    @property
    def rate(self) -> float:
        """Messages a second at the limit, on average."""
        return self.count / self.seconds

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds:g}"


MARGIN = 0.04
"""The share of each window a limiter leaves unused, for jitter between our clock and the
platform's: a limiter paces at ``rate / (1 + MARGIN)``, and capacity is counted so."""

__all__ = ["MARGIN", "Limit"]
