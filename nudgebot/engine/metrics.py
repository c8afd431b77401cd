"""Prometheus counters of what the engine did, served on ``/metrics``.

Counted per platform and outcome, so an operator sees at once when deliveries start
failing on one platform, and how many sends ended ``unknown`` (died inside the call:
invariant 1 of docs/architecture.md allows those at most once, and they are worth watching).
"""

from __future__ import annotations

import re

from prometheus_client import Counter, Gauge

DELIVERY_OUTCOMES = Counter(
    "nudgebot_delivery_outcomes",
    "Outcomes of nudge deliveries by the engine",
    ["platform", "outcome"],
)
TICKS = Counter("nudgebot_ticks", "Due ticks run by this instance")


def count_outcome(platform: str, outcome: str) -> None:
    DELIVERY_OUTCOMES.labels(platform=platform, outcome=outcome).inc()


def outcome_label(result: object) -> str:
    """``RecipientGone(...)`` -> ``recipient_gone``: label values in Prometheus' style."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(result).__name__).lower()


BROADCAST_OUTCOMES = Counter(
    "nudgebot_broadcast_outcomes",
    "Outcomes of broadcast sends (sent, gone, failed, unknown, retried) by the outbox",
    ["platform", "outcome"],
)
OUTBOX_BACKLOG = Gauge(
    "nudgebot_outbox_backlog",
    "Broadcast outbox rows still pending, as this instance last counted them",
)

CAPACITY_RATE = Gauge(
    "nudgebot_capacity_rate",
    "Messages per second the platform takes from this bot, as the capacity forecast counts",
    ["platform"],
)
CAPACITY_DUE = Gauge(
    "nudgebot_capacity_due",
    "Active subscribers due within the next 24 hours (those waiting now included)",
    ["platform"],
)
CAPACITY_BACKLOG = Gauge(
    "nudgebot_capacity_backlog",
    "Subscribers due now and not yet sent (the queue), at the last forecast",
    ["platform"],
)
CAPACITY_LATENESS = Gauge(
    "nudgebot_capacity_worst_lateness_seconds",
    "How late the last nudge of the worst time slot of the next 24 hours will leave",
    ["platform"],
)
CAPACITY_SKIPPED = Gauge(
    "nudgebot_capacity_expected_skipped",
    "Nudges of the next 24 hours that will be later than the grace window at this rate",
    ["platform"],
)
