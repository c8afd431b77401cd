"""The hostile-input review's inputs, shared by the regression tests on every platform."""

from __future__ import annotations

import pytest

from nudgebot.core.numbers import MAX_ID

FORGED_NUDGE_BUTTONS = [
    pytest.param("n:²:ok", id="superscript-two"),
    pytest.param("n:①:ok", id="circled-one"),
    pytest.param("n:" + "9" * 4997 + ":ok", id="4997-digits"),
    pytest.param("n:99999999999999999999:ok", id="past-sqlite-integers"),
    pytest.param(f"n:{MAX_ID + 1}:myth", id="past-32-bit-ids"),
    pytest.param("n:-1:ok", id="negative"),
]
"""Button data that ``str.isdigit()`` let through to ``int()`` or to the database."""
