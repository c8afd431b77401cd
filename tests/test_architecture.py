"""The layers of docs/architecture.md, held by import-linter's contracts in pyproject.toml.

import-linter is in the ``dev`` extra that the README's test command installs; without
it this test fails rather than skips, so a run that cannot check the layers is never
mistaken for one that did.
"""

from __future__ import annotations

from importlinter import cli

from tests.support.paths import REPO_ROOT


def test_every_module_sits_in_a_layer_and_imports_only_downwards(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    assert cli.lint_imports(config_filename=str(REPO_ROOT / "pyproject.toml")) == 0
