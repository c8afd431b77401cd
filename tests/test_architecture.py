"""DESIGN.md's layering, held by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import pytest

from tests.paths import REPO_ROOT


def test_inner_layers_never_import_outer_ones(monkeypatch):
    cli = pytest.importorskip("importlinter.cli")
    monkeypatch.chdir(REPO_ROOT)
    assert cli.lint_imports(config_filename=str(REPO_ROOT / "pyproject.toml")) == 0
