"""The database tables, one module per area.

Their schema changes only through Alembic revisions in ``migrations/``.

Everything is re-exported here, so the rest of the store imports tables from
``nudgebot.store.tables`` without knowing which module holds which.
"""

from nudgebot.store.tables.admin import AdminAudit, AdminLink
from nudgebot.store.tables.broadcasts import Broadcast, BroadcastState, OutboxRow, OutboxStatus
from nudgebot.store.tables.columns import PERSON_ID, utc_column, utc_now
from nudgebot.store.tables.learning import AudienceTally, TasteRow
from nudgebot.store.tables.slack import SlackInstallation, SlackOAuthState
from nudgebot.store.tables.subscribers import (
    Delivery,
    DeliveryStatus,
    Engagement,
    RotationRow,
    SeriesProgress,
    Status,
    StreakRow,
    Subscriber,
)

__all__ = [
    "PERSON_ID",
    "AdminAudit",
    "AdminLink",
    "AudienceTally",
    "Broadcast",
    "BroadcastState",
    "Delivery",
    "DeliveryStatus",
    "Engagement",
    "OutboxRow",
    "OutboxStatus",
    "RotationRow",
    "SeriesProgress",
    "SlackInstallation",
    "SlackOAuthState",
    "Status",
    "StreakRow",
    "Subscriber",
    "TasteRow",
    "utc_column",
    "utc_now",
]
