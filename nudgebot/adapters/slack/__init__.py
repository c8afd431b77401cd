"""Slack: slash command, Block Kit nudges, App Home and OAuth installs, over slack-bolt.

Only :class:`SlackAdapter` is meant for the app wiring; the modules are split by
concept (``app`` lifecycle, ``listeners``, ``blocks``, ``installations``, ``errors``,
``sender``) the way slack-bolt splits its own packages.
"""

from nudgebot.adapters.slack.app import SCOPES, Mode, SlackAdapter

__all__ = ["SCOPES", "Mode", "SlackAdapter"]
