"""The console's session cookie and CSRF tokens, signed with ``NUDGEBOT_ADMIN_SECRET``.

The cookie carries who signed in, their scope (a Slack workspace, or everything), its
expiry and a random nonce, as base64url JSON followed by an HMAC-SHA256 of it; nothing
is stored server-side, so every instance sharing the secret accepts it, and a cookie
that was altered, made up, or has expired is refused like no cookie at all. It is
HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it) and
Secure when the console's URL is https.

Each form carries a CSRF token: an HMAC of the session's nonce, so it is worth nothing
with another session and cannot be made without the secret. SameSite=Strict already
keeps cross-site posts out in current browsers; the token is the defence that does not
depend on the browser.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

COOKIE = "nudgebot_admin"


@dataclass(frozen=True, slots=True)
class AdminSession:
    """A signed-in admin: ``workspace`` None is an operator, who sees everything."""

    who: str
    workspace: str | None
    expires: datetime
    nonce: str


class Signer:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"nudgebot admin console\0" + secret.encode()).digest()

    def _mac(self, purpose: str, data: bytes) -> str:
        return hmac.new(self._key, purpose.encode() + b"\0" + data, hashlib.sha256).hexdigest()

    def issue(self, who: str, workspace: str | None, *, now: datetime, life: timedelta) -> str:
        payload = {
            "who": who,
            "ws": workspace,
            "exp": int((now + life).timestamp()),
            "n": secrets.token_urlsafe(16),
        }
        data = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
        return f"{data.decode()}.{self._mac('session', data)}"

    def read(self, cookie: str | None, *, now: datetime) -> AdminSession | None:
        """The session in ``cookie``, or None when missing, forged, malformed or expired."""
        if not cookie or "." not in cookie:
            return None
        data, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, self._mac("session", data.encode())):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(data.encode()))
            expires = datetime.fromtimestamp(int(payload["exp"]), tz=now.tzinfo)
            session = AdminSession(
                who=str(payload["who"]),
                workspace=None if payload["ws"] is None else str(payload["ws"]),
                expires=expires,
                nonce=str(payload["n"]),
            )
        except (ValueError, KeyError, TypeError):
            return None
        return session if expires > now else None

    def csrf(self, session: AdminSession) -> str:
        return self._mac("csrf", session.nonce.encode())

    def csrf_ok(self, session: AdminSession, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(token, self.csrf(session))


__all__ = ["COOKIE", "AdminSession", "Signer"]
