"""`pip install` of the built wheel gives a working nudgebot outside the checkout.

The wheel is built offline (``--no-build-isolation``: hatchling is a dev dependency) and
installed by pip into a fresh virtualenv in a temporary directory. Its dependencies are
the ones this environment already has (a ``.pth`` line puts our site-packages after the
new venv's own), so pip resolves them as present and needs no network; nudgebot itself
comes from the wheel only, because the editable install's path hook is not read from an
added directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import nudgebot
from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin directory of a fresh venv holding nudgebot from its wheel."""
    root = tmp_path_factory.mktemp("packaging")
    wheels = root / "dist"
    run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "-w", wheels, REPO_ROOT, cwd=root,
    )  # fmt: skip
    (wheel,) = wheels.glob("nudgebot-*.whl")
    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    site = Path(
        run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
            cwd=root).strip()
    )  # fmt: skip
    (site / "zz_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(
        sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
        "--no-index", wheel, cwd=root,
    )  # fmt: skip
    return venv / "bin"


def clean_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("NUDGEBOT_")}
    env.pop("PYTHONPATH", None)
    return {**env, **extra}


def test_the_wheel_carries_the_content_pack_and_the_migrations(installed):
    (wheel,) = (installed.parent.parent / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"nudgebot/content/tips.yaml", "nudgebot/migrations/env.py"} <= names
    assert not any("__pycache__" in name for name in names)


def test_the_installed_command_reads_its_own_copy(installed, tmp_path):
    where = run(
        installed / "python", "-c", "import nudgebot; print(nudgebot.__file__)",
        cwd=tmp_path, env=clean_env(),
    )  # fmt: skip
    assert str(installed.parent) in where
    version = run(installed / "nudgebot", "--version", cwd=tmp_path, env=clean_env())
    assert version.strip() == f"nudgebot {nudgebot.__version__}"


def test_content_check_db_upgrade_and_simulate_work_outside_the_checkout(installed, tmp_path):
    env = clean_env(NUDGEBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    checked = run(installed / "nudgebot", "content", "check", cwd=tmp_path, env=env)
    assert "missing" not in checked.lower()
    run(installed / "nudgebot", "db", "upgrade", cwd=tmp_path, env=env)
    assert (tmp_path / "bot.db").stat().st_size > 0
    report = run(
        installed / "nudgebot", "simulate", "--days", "2", "--subscribers", "10",
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert "duplicates: 0" in report
    assert "missed: 0" in report


def test_content_dir_still_points_at_an_editors_own_pack(installed, tmp_path):
    env = clean_env(NUDGEBOT_CONTENT_DIR=str(tmp_path / "nowhere"))
    result = subprocess.run(
        [installed / "nudgebot", "content", "check"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "nowhere" in result.stdout + result.stderr
