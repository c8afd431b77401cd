"""The repository itself: what a careless merge could leave in a file that CI would not see.

A conflict marker in README.md or a YAML file breaks no import and no type check, so only
a test finds it (one reached main this way).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)


def test_no_file_in_the_repository_holds_a_merge_conflict_marker():
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    marked = [
        name
        for name in listed
        if (ROOT / name).is_file()
        and MARKER.search((ROOT / name).read_text(encoding="utf-8", errors="replace"))
    ]
    assert marked == []


def test_what_a_run_from_the_checkout_leaves_behind_is_ignored_by_git():
    left = ["nudgebot.db", "nudgebot.db.run-lock", "nudgebot-console-data-2026-12-07.json"]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *left], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert ignored == left
