"""One running instance per SQLite file.

SQLite is the one-instance store: two ``nudgebot run`` processes on one file would both
poll Telegram and fight over ``getUpdates``. The first holds an exclusive ``flock`` on a
lock file beside the database for as long as it runs (the kernel drops it when the
process ends, however it ends); a second finds it taken and stops with one line. Other
commands (``db upgrade``, ``broadcast``, ``stats``) still share the file, as SQLite allows.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from nudgebot.errors import AlreadyRunning


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).resolve()


def _lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".run-lock")


def run_lock_held(url: str) -> bool | None:
    """Whether a ``nudgebot run`` serves this SQLite file now; None when not SQLite.

    Tries the run lock without taking it for long (a shared lock, released at once): a
    running instance holds it exclusively, so the try fails exactly while one runs.
    """
    database = sqlite_file(url)
    if database is None:
        return None
    lock_path = _lock_path(database)
    if not lock_path.exists():
        return False
    descriptor = os.open(lock_path, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)  # also drops the shared lock if it was taken
    return False


@contextmanager
def only_instance(url: str) -> Iterator[None]:
    """Hold the SQLite file's run lock, or raise :class:`AlreadyRunning`."""
    database = sqlite_file(url)
    if database is None:
        yield
        return
    lock_path = _lock_path(database)
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(
                f"another `nudgebot run` is already serving {database}; on SQLite one "
                "instance runs (use PostgreSQL for several)"
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing drops the lock


__all__ = ["only_instance", "run_lock_held", "sqlite_file"]
