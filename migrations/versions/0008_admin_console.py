"""admin console: one-time sign-in links and the audit trail

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 16:00:00

Tokens are stored hashed; the audit holds admins' identities, never subscribers'.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("who", sa.String(length=96), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=True),
        sa.Column("created_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_utc", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "admin_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.String(length=96), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_admin_audit_workspace"), "admin_audit", ["workspace"])


def downgrade() -> None:
    op.drop_index(op.f("ix_admin_audit_workspace"), table_name="admin_audit")
    op.drop_table("admin_audit")
    op.drop_table("admin_link")
