"""nudgebot: one short, evidence-based gut-health nudge a day."""

__version__ = "0.1.0"
