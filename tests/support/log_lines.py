"""What a flood of hostile input may leave in the log: a few short lines, no traceback."""

from __future__ import annotations

import logging

SHORT = 200


def assert_quiet(records: list[logging.LogRecord], *, at_most: int) -> None:
    """At most ``at_most`` records, each one short line, none with a traceback."""
    assert len(records) <= at_most, [r.getMessage() for r in records[:5]]
    for record in records:
        message = record.getMessage()
        assert record.exc_info is None and record.exc_text is None, message
        assert "\n" not in message and len(message) <= SHORT, message
        assert "Traceback" not in message
