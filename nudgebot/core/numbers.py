"""The one way user-supplied text becomes a number: in commands, button data and headers.

``str.isdigit()`` accepts "²" and "①", which ``int()`` then refuses, and ``int()`` refuses
strings of more than 4,300 digits (Python's int-string limit): both crashed handlers
(a hostile-input review found both). Here only ASCII digits count, the length is
checked before converting, and the value must fit the caller's range, so no input can raise.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1
"""The largest id a button may carry: ids are 32-bit columns on PostgreSQL."""


def parse_number(text: str, *, maximum: int, minimum: int = 0) -> int | None:
    """``text`` as an int in ``minimum..maximum``, or None for anything else.

    Signs, spaces, underscores and non-ASCII digits are refused, although ``int()``
    takes some of them: a count typed by a user or carried by a button has none.
    """
    if not 0 < len(text) <= len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


__all__ = ["MAX_ID", "parse_number"]
