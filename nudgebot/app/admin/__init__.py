"""The web console for admins under ``/admin``: figures, broadcasts, content, the audit.

Off unless ``NUDGEBOT_ADMIN_SECRET`` is set. :mod:`.console` holds the routes and who may
enter, :mod:`.session` the signed cookie and CSRF tokens, :mod:`.charts` the SVG charts;
templates and the vendored CSS and JavaScript sit beside them and ship in the wheel.
"""

from nudgebot.app.admin.console import PUBLIC, admin_app

__all__ = ["PUBLIC", "admin_app"]
