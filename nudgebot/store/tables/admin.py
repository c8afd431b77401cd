"""Tables of the admin console: one-time sign-in links and the audit trail.

Neither holds anything about a subscriber. A link is stored as the SHA-256 of its token,
never the token itself, so a copy of the database signs nobody in; it is used once
(``used_utc`` is set by a compare-and-set, so two instances cannot both accept it) and
dies after a few minutes. The audit says who did what when: the admin's identity
(``cli:<user>``, ``telegram:<id>``, ``slack:<team>/<user>``) and, for a Slack workspace
admin, the workspace, so that they see their own entries only.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from nudgebot.store.tables.columns import utc_column, utc_now


class AdminLink(SQLModel, table=True):
    __tablename__ = "admin_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, description="sha256 of the token")
    who: str = Field(max_length=96)
    workspace: str | None = Field(default=None, max_length=64, description="None: everything")
    created_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))
    expires_utc: datetime = Field(sa_column=utc_column(nullable=False))
    used_utc: datetime | None = Field(default=None, sa_column=utc_column())


class AdminAudit(SQLModel, table=True):
    __tablename__ = "admin_audit"

    id: int | None = Field(default=None, primary_key=True)
    at_utc: datetime = Field(default_factory=utc_now, sa_column=utc_column(nullable=False))
    who: str = Field(max_length=96)
    workspace: str | None = Field(default=None, max_length=64, index=True)
    action: str = Field(max_length=32)
    detail: str = Field(default="", max_length=500)


__all__ = ["AdminAudit", "AdminLink"]
