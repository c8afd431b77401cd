"""The admin console's queries: sign-in links, the audit trail, a broadcast's misses.

A link is accepted by one ``UPDATE ... WHERE used_utc IS NULL AND expires_utc > now``:
the row count says whether this request used it, so a link opened twice, or on two
instances at once, signs in once. Nothing here reads a subscriber's address in full:
:func:`missed_recipients` masks them before they leave the store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from nudgebot.store.tables import AdminAudit, AdminLink, OutboxRow, OutboxStatus, Subscriber

MISSED = (OutboxStatus.FAILED, OutboxStatus.GONE, OutboxStatus.UNKNOWN)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a used link signed in: an operator (workspace None) or a workspace admin."""

    who: str
    workspace: str | None


async def store_link(
    session: AsyncSession, token: str, *, who: str, workspace: str | None, expires_utc: datetime
) -> None:
    session.add(
        AdminLink(
            token_hash=token_hash(token), who=who[:96], workspace=workspace, expires_utc=expires_utc
        )
    )
    await session.commit()


async def use_link(session: AsyncSession, token: str, *, now_utc: datetime) -> SignedIn | None:
    """Mark the link used and say whom it signs in; None if unknown, used or expired."""
    hashed = token_hash(token)
    result = await session.exec(
        update(AdminLink)
        .where(
            col(AdminLink.token_hash) == hashed,
            col(AdminLink.used_utc).is_(None),
            col(AdminLink.expires_utc) > now_utc,
        )
        .values(used_utc=now_utc)
    )
    if result.rowcount != 1:
        await session.rollback()
        return None
    link = (await session.exec(select(AdminLink).where(AdminLink.token_hash == hashed))).one()
    await session.commit()
    return SignedIn(who=link.who, workspace=link.workspace)


async def record(
    session: AsyncSession,
    *,
    who: str,
    workspace: str | None,
    action: str,
    detail: str = "",
    now_utc: datetime,
) -> None:
    """One audit entry: committed with the caller's session."""
    session.add(
        AdminAudit(
            at_utc=now_utc, who=who[:96], workspace=workspace, action=action, detail=detail[:500]
        )
    )
    await session.commit()


async def audit_entries(
    session: AsyncSession, *, workspace: str | None, limit: int = 200
) -> list[AdminAudit]:
    """Newest first; a workspace admin sees their workspace's entries only."""
    statement = select(AdminAudit).order_by(col(AdminAudit.id).desc()).limit(limit)
    if workspace is not None:
        statement = statement.where(AdminAudit.workspace == workspace)
    return list((await session.exec(statement)).all())


def mask(address: str) -> str:
    """``12…89``: enough to tell two recipients apart, not enough to reach one."""
    if len(address) <= 4:
        return "…"
    return f"{address[:2]}…{address[-2:]}"


async def missed_recipients(
    session: AsyncSession, broadcast_id: int, limit: int = 50
) -> list[tuple[str, str, str]]:
    """(platform, masked address, status) of recipients a broadcast did not reach."""
    statement = (
        select(col(OutboxRow.platform), col(Subscriber.address), col(OutboxRow.status))
        .join(Subscriber, col(Subscriber.id) == col(OutboxRow.subscriber_id))
        .where(col(OutboxRow.broadcast_id) == broadcast_id, col(OutboxRow.status).in_(MISSED))
        .order_by(col(OutboxRow.id))
        .limit(limit)
    )
    rows = (await session.exec(statement)).all()
    return [(platform, mask(address), str(status)) for platform, address, status in rows]


__all__ = [
    "SignedIn",
    "audit_entries",
    "mask",
    "missed_recipients",
    "record",
    "store_link",
    "token_hash",
    "use_link",
]
