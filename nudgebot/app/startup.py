"""Start-up failures of the store, as one line that says what is wrong and what to do.

``nudgebot run`` meets most operator mistakes in its first second: a database that is
not running, a role that does not exist, a SQLite path whose directory is missing, a file
that is not a database. The libraries answer with tracebacks that name sockets and
driver internals; an operator needs the setting to fix. Every message names
``NUDGEBOT_DATABASE_URL`` with the password blanked, never the raw URL.
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from nudgebot.errors import StartupError
from nudgebot.store.db import Sessions


def shown(url: str) -> str:
    """The database URL as it may appear in a message: the password blanked."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def database_problem(url: str, error: BaseException) -> StartupError:
    """The one line for a store that cannot be opened (see the module docstring)."""
    where = f"NUDGEBOT_DATABASE_URL={shown(url)}"
    path = _sqlite_path(url)
    text = str(getattr(error, "orig", None) or error)
    first = text.splitlines()[0] if text else type(error).__name__
    if path is not None:
        if isinstance(error, FileNotFoundError) or not path.parent.exists():
            return StartupError(
                f"database: the directory {path.parent} does not exist: create it, "
                f"or point {where} elsewhere"
            )
        read_only = getattr(error, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM)
        if read_only or isinstance(error, PermissionError) or "readonly" in text:
            return StartupError(
                f"database: {path} cannot be written (read-only file or directory): "
                f"fix its permissions, or point {where} elsewhere"
            )
        if "not a database" in text or "malformed" in text:
            return StartupError(
                f"database: {path} is not a SQLite database (corrupt or another kind of "
                f"file): move it aside, or point {where} elsewhere"
            )
        return StartupError(f"database: {path} cannot be opened ({first}); check {where}")
    if "read-only" in text or "readonly" in text or "permission denied" in text:
        return StartupError(f"database: this role may not write ({first}); check {where}")
    if isinstance(error, socket.gaierror):
        return StartupError(f"database: the host name does not resolve; check {where}")
    if isinstance(error, ConnectionRefusedError) or getattr(error, "errno", None) in (
        errno.ECONNREFUSED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
    ):
        return StartupError(
            f"database: nothing answers at {where} (connection refused): is PostgreSQL "
            "running, and are the host and port right?"
        )
    if isinstance(error, TimeoutError):
        return StartupError(f"database: no answer in time from {where}: check the host")
    if isinstance(error, SQLAlchemyError | OSError):
        # PostgreSQL's own words: 'role "x" does not exist', 'database "y" does not
        # exist', 'password authentication failed for user "z"'. They name no secret.
        return StartupError(f"database: {first}; check {where}")
    return StartupError(f"database: cannot be opened ({type(error).__name__}); check {where}")


_NO_OP_WRITE = text("UPDATE alembic_version SET version_num = version_num")


async def check_writable(url: str, sessions: Sessions) -> None:
    """Fail now, not at the first nudge, if the store can be read but not written.

    A SQLite file that is read-only (or immutable), or a PostgreSQL role that may only
    read, opens and migrates fine when nothing is left to migrate. One write that changes
    nothing, rolled back, tells.
    """
    try:
        async with sessions() as session:
            await (await session.connection()).execute(_NO_OP_WRITE)
            await session.rollback()
    except (OSError, SQLAlchemyError) as error:
        raise database_problem(url, error) from error


__all__ = ["check_writable", "database_problem", "shown"]
