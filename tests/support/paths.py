"""The checkout the tests run from (the package itself never looks outside its install)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
