"""The admin console: an aiohttp sub-application mounted at ``/admin`` on the bot's server.

Who may enter is decided here, before any page: :func:`guard` lets through only the
sign-in page and the vendored static files (:data:`PUBLIC`); every other route needs a
valid session cookie (GET: a redirect to the sign-in page; anything else: 401), and
every POST needs its form's CSRF token (403). A Slack workspace admin's session sees
that workspace's subscribers, broadcasts and audit entries only: each handler asks
:meth:`Scope.may_see` or narrows its query, and a broadcast of another workspace is
"not found". Every action is audited (store/admin.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp_jinja2
import jinja2
from aiohttp import web

from nudgebot.app.admin.charts import buckets, daily_bars
from nudgebot.app.admin.session import COOKIE, AdminSession, Signer
from nudgebot.commands.broadcasts import Broadcasts, describe_audience
from nudgebot.core.broadcast import PLATFORMS, Audience, BroadcastText
from nudgebot.core.content import LANGUAGES, ContentPack, Lang, as_lang
from nudgebot.core.numbers import MAX_ID, parse_number
from nudgebot.core.subscription import Status
from nudgebot.core.texts import say
from nudgebot.errors import InputError
from nudgebot.pack.loading import PackReport, check_pack
from nudgebot.settings import AdminSettings, Settings
from nudgebot.store.admin import audit_entries, missed_recipients, record, use_link
from nudgebot.store.db import Sessions, shown_url
from nudgebot.store.stats import (
    answered_by_day,
    answered_by_kind,
    bucket_names,
    fan_out,
    streak_distribution,
    subscribers_by,
)
from nudgebot.store.tables import Broadcast, BroadcastState, OutboxStatus

Clock = Callable[[], datetime]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PUBLIC = frozenset({"login", "static"})
"""Route names reachable without a session: the sign-in page and the CSS/JS files."""
DAYS = 30
STATUSES = tuple(OutboxStatus)
STATIC = {"admin.css": "text/css", "progress.js": "text/javascript"}


@dataclass(frozen=True, slots=True)
class Scope:
    """What a session may see: everything (an operator) or one Slack workspace."""

    workspace: str | None

    def may_see(self, broadcast: Broadcast) -> bool:
        if self.workspace is None:
            return True
        return (broadcast.platform, broadcast.workspace) == ("slack", self.workspace)

    def narrow(self, audience: Audience) -> Audience:
        """A workspace admin's audience is their workspace's Slack subscribers, always."""
        if self.workspace is None:
            return audience
        return Audience(
            platform="slack",
            language=audience.language,
            workspace=self.workspace,
            status=audience.status,
            min_streak=audience.min_streak,
            subscribed_after=audience.subscribed_after,
            subscribed_before=audience.subscribed_before,
        )


class Console:
    def __init__(
        self,
        *,
        settings: Settings,
        admin: AdminSettings,
        sessions: Sessions,
        pack: ContentPack,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.admin = admin
        self.sessions = sessions
        self.pack = pack
        self.clock = clock
        self.signer = Signer(admin.secret.get_secret_value())
        self.secure = (admin.url or "").startswith("https://")
        self._check: tuple[datetime, PackReport] | None = None
        self.broadcasts = Broadcasts(
            sessions=sessions, default_language=settings.default_language, clock=clock
        )

    def content_check(self) -> tuple[datetime, PackReport]:
        """The pack's check, run once per process on first view: the pack is fixed."""
        if self._check is None:
            self._check = (self.clock(), check_pack(self.settings.content_dir))
        return self._check

    async def audit(self, session: AdminSession, action: str, detail: str = "") -> None:
        async with self.sessions() as db:
            await record(
                db,
                who=session.who,
                workspace=session.workspace,
                action=action,
                detail=detail,
                now_utc=self.clock(),
            )


_console_key = web.AppKey("console", Console)
_session_key = web.RequestKey("admin_session", AdminSession)
_static_key = web.AppKey("static", dict[str, str])


def _console(request: web.Request) -> Console:
    return request.app[_console_key]


def _session(request: web.Request) -> AdminSession:
    return request[_session_key]  # guard() put it there


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No session, no page; no CSRF token, no action. Nothing else decides entry."""
    route = request.match_info.route
    if route.name in PUBLIC:
        return await handler(request)
    console = _console(request)
    session = console.signer.read(request.cookies.get(COOKIE), now=console.clock())
    if session is None:
        if request.method == "GET":
            raise web.HTTPSeeOther(request.app.router["login"].url_for())
        raise web.HTTPUnauthorized(text="sign in first: ask for a link")
    if request.method == "POST":
        form = await request.post()
        token = form.get("csrf")
        if not console.signer.csrf_ok(session, token if isinstance(token, str) else None):
            raise web.HTTPForbidden(text="this form has expired or did not come from the console")
    request[_session_key] = session
    response = await handler(request)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    session = _session(request)
    console = _console(request)
    values |= {
        "me": session,
        "csrf": console.signer.csrf(session),
        "database": shown_url(console.settings.database_url),
    }
    response = aiohttp_jinja2.render_template(template, request, values, status=status)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    return response


# --- signing in ---------------------------------------------------------------------


async def login_page(request: web.Request) -> web.Response:
    """The link's landing page: a button, so that link previews cannot use the link."""
    token = request.query.get("token", "")
    return aiohttp_jinja2.render_template("login.html", request, {"token": token[:100]})


async def login(request: web.Request) -> web.Response:
    console = _console(request)
    form = await request.post()
    token = form.get("token")
    signed = None
    if isinstance(token, str) and 0 < len(token) <= 100:
        async with console.sessions() as db:
            signed = await use_link(db, token, now_utc=console.clock())
    if signed is None:
        return aiohttp_jinja2.render_template(
            "login.html",
            request,
            {"token": "", "refused": True},
            status=403,
        )
    life = timedelta(hours=console.admin.session_hours)
    cookie = console.signer.issue(signed.who, signed.workspace, now=console.clock(), life=life)
    session = console.signer.read(cookie, now=console.clock())
    assert session is not None
    await console.audit(session, "signed in")
    response = web.HTTPSeeOther(request.app.router["overview"].url_for())
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(life.total_seconds()),
        path="/admin",
        httponly=True,
        samesite="Strict",
        secure=console.secure,
    )
    raise response


async def logout(request: web.Request) -> web.Response:
    await _console(request).audit(_session(request), "signed out")
    response = web.HTTPSeeOther(request.app.router["login"].url_for())
    response.del_cookie(COOKIE, path="/admin")
    raise response


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    files = request.app[_static_key]
    if name not in files:
        raise web.HTTPNotFound()
    return web.Response(text=files[name], content_type=STATIC[name])


# --- overview -------------------------------------------------------------------------


async def _daily(console: Console, workspace: str | None) -> list[tuple[date, int, int]]:
    today = console.clock().date()
    first = today - timedelta(days=DAYS - 1)
    async with console.sessions() as db:
        daily = await answered_by_day(db, first, workspace=workspace)
    days = [first + timedelta(days=i) for i in range(DAYS)]
    return [
        (d, daily[d].delivered if d in daily else 0, daily[d].answered if d in daily else 0)
        for d in days
    ]


async def overview(request: web.Request) -> web.Response:
    console, session = _console(request), _session(request)
    ws = session.workspace
    today = console.clock().date()
    async with console.sessions() as db:
        subscribers = await subscribers_by(db, workspace=ws)
        kinds = {
            window: await answered_by_kind(db, today - timedelta(days=window), workspace=ws)
            for window in (7, DAYS)
        }
        streaks = await streak_distribution(db, workspace=ws)
        today_fan_out = await fan_out(db, now_utc=console.clock(), workspace=ws)
    daily = await _daily(console, ws)
    names = bucket_names()
    groups = sorted({(p, lang) for p, lang, _ in subscribers})
    return _page(
        request,
        "overview.html",
        subscribers=[
            (p, lang, *(subscribers[(p, lang, s)] for s in ("active", "paused", "stopped")))
            for p, lang in groups
        ],
        subscriber_total=sum(subscribers.values()),
        kinds=kinds,
        kind_names=sorted({k for counts in kinds.values() for k in counts}),
        streaks=[(name, streaks[name]) for name in names],
        streak_chart=buckets(names, [streaks[name] for name in names]),
        daily=daily,
        daily_chart=daily_bars(
            [d for d, _, _ in daily], [n for _, n, _ in daily], [a for _, _, a in daily]
        ),
        fan_out=today_fan_out,
    )


async def export_daily(request: web.Request) -> web.Response:
    """The daily figures as CSV: date, delivered, answered, answer rate."""
    console, session = _console(request), _session(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["date", "delivered", "answered", "answer_rate"])
    for day, delivered, answered in await _daily(console, session.workspace):
        rate = f"{answered / delivered:.3f}" if delivered else ""
        writer.writerow([day.isoformat(), delivered, answered, rate])
    await console.audit(session, "exported", "daily figures (CSV)")
    return web.Response(
        text=buffer.getvalue(),
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="nudgebot-daily.csv"'},
    )


# --- broadcasts -----------------------------------------------------------------------


def _form_text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _form_date(form: Any, name: str) -> date | None:
    value = _form_text(form, name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("broadcast_bad_date", value=value[:20]) from None


def _read_form(console: Console, scope: Scope, form: Any) -> tuple[BroadcastText, Audience]:
    """The compose form as the same checked values the CLI builds."""
    texts: dict[Lang, str] = {}
    for lang in LANGUAGES:
        if words := _form_text(form, f"text_{lang}"):
            texts[lang] = words
    platform = _form_text(form, "platform") or None
    language_text = _form_text(form, "language")
    language = as_lang(language_text) if language_text else None
    if language_text and language is None:
        raise InputError("broadcast_bad_language", language=language_text[:10])
    status_text = _form_text(form, "status")
    if status_text and status_text not in (Status.ACTIVE, Status.PAUSED):
        raise InputError("broadcast_bad_status", status=status_text[:10])
    streak_text = _form_text(form, "min_streak")
    min_streak = parse_number(streak_text, maximum=MAX_ID) if streak_text else None
    if streak_text and min_streak is None:
        raise InputError("broadcast_bad_streak")
    audience = Audience(
        platform=platform,
        language=language,
        workspace=_form_text(form, "workspace") or None,
        status=Status(status_text) if status_text else None,
        min_streak=min_streak,
        subscribed_after=_form_date(form, "subscribed_after"),
        subscribed_before=_form_date(form, "subscribed_before"),
    )
    text = BroadcastText(texts=texts, link=_form_text(form, "link") or None)
    return text, scope.narrow(audience)


def _due(console: Console, form: Any) -> datetime | None:
    value = _form_text(form, "at")
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError("broadcast_bad_time", value=value[:30]) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(console.settings.default_timezone))
    return parsed


async def _visible(console: Console, scope: Scope) -> list[Broadcast]:
    return [b for b in await console.broadcasts.list(200) if scope.may_see(b)]


async def broadcasts_page(
    request: web.Request, *, form: Any = None, error: str | None = None
) -> web.Response:
    console, session = _console(request), _session(request)
    scope = Scope(session.workspace)
    return _page(
        request,
        "broadcasts.html",
        broadcasts=[(b, describe_audience(b)) for b in await _visible(console, scope)],
        form=form or {},
        error=error,
        platforms=PLATFORMS,
        languages=LANGUAGES,
        status=400 if error else 200,
    )


async def broadcasts(request: web.Request) -> web.Response:
    return await broadcasts_page(request)


async def preview(request: web.Request) -> web.Response:
    """The dry run: the audience's size and each language's text; nothing stored."""
    console, session = _console(request), _session(request)
    form = await request.post()
    try:
        text, audience = _read_form(console, Scope(session.workspace), form)
        _due(console, form)
        shown = await console.broadcasts.preview(text, audience)
    except InputError as refusal:
        return await broadcasts_page(
            request, form=form, error=say("en", refusal.key, **refusal.values)
        )
    per_platform: dict[str, int] = {}
    for (platform, _lang), count in shown.audience.items():
        per_platform[platform] = per_platform.get(platform, 0) + count
    return _page(
        request,
        "preview.html",
        form=form,
        total=shown.total,
        per_platform=sorted(per_platform.items()),
        messages={lang: message.plain() for lang, message in shown.messages.items()},
        fields=[(k, v) for k, v in form.items() if k != "csrf" and isinstance(v, str)],
    )


async def create(request: web.Request) -> web.Response:
    """Store the broadcast and start it now, or at its time: what the preview showed."""
    console, session = _console(request), _session(request)
    form = await request.post()
    try:
        text, audience = _read_form(console, Scope(session.workspace), form)
        due = _due(console, form)
        broadcast = await console.broadcasts.create(
            text, audience, created_by=f"console:{session.who}", due_utc=due
        )
        assert broadcast.id is not None
        if due is None:
            await console.broadcasts.send(broadcast.id)
    except InputError as refusal:
        return await broadcasts_page(
            request, form=form, error=say("en", refusal.key, **refusal.values)
        )
    when = f"scheduled for {due.isoformat()}" if due else "sent now"
    await console.audit(
        session, "broadcast created", f"#{broadcast.id} {when}; {describe_audience(broadcast)}"
    )
    raise web.HTTPSeeOther(request.app.router["broadcast"].url_for(id=str(broadcast.id)))


async def _broadcast_of(request: web.Request) -> Broadcast:
    console, session = _console(request), _session(request)
    broadcast_id = parse_number(request.match_info["id"], minimum=1, maximum=MAX_ID)
    if broadcast_id is None:
        raise web.HTTPNotFound(text="no such broadcast")
    try:
        broadcast = await console.broadcasts.get(broadcast_id)
    except InputError:
        raise web.HTTPNotFound(text="no such broadcast") from None
    if not Scope(session.workspace).may_see(broadcast):
        raise web.HTTPNotFound(text="no such broadcast")  # not "forbidden": it is not theirs
    return broadcast


async def _progress(console: Console, broadcast: Broadcast) -> dict[str, Any]:
    assert broadcast.id is not None
    progress = await console.broadcasts.status(broadcast.id)
    totals = progress.by_status()
    return {
        "state": progress.broadcast.state,
        "total": sum(totals.values()),
        "counts": {status.value: totals[status] for status in STATUSES},
        "done": progress.broadcast.state in (BroadcastState.DONE, BroadcastState.CANCELLED),
    }


async def broadcast(request: web.Request) -> web.Response:
    console = _console(request)
    shown = await _broadcast_of(request)
    assert shown.id is not None
    async with console.sessions() as db:
        missed = await missed_recipients(db, shown.id)
    return _page(
        request,
        "broadcast.html",
        b=shown,
        audience=describe_audience(shown),
        progress=await _progress(console, shown),
        statuses=[s.value for s in STATUSES],
        missed=missed,
        texts={lang: getattr(shown, f"text_{lang}") for lang in LANGUAGES},
    )


async def progress(request: web.Request) -> web.Response:
    """Short polling: the page asks every second until ``done``."""
    return web.json_response(await _progress(_console(request), await _broadcast_of(request)))


async def cancel(request: web.Request) -> web.Response:
    console, session = _console(request), _session(request)
    shown = await _broadcast_of(request)
    assert shown.id is not None
    try:
        await console.broadcasts.cancel(shown.id)
    except InputError:
        pass  # already done or cancelled: the page says which
    else:
        await console.audit(session, "broadcast cancelled", f"#{shown.id}")
    raise web.HTTPSeeOther(request.app.router["broadcast"].url_for(id=str(shown.id)))


# --- content and audit --------------------------------------------------------------


async def content(request: web.Request) -> web.Response:
    console = _console(request)
    checked, report = console.content_check()
    return _page(
        request,
        "content.html",
        items=[(item, console.pack.sources_of(item)) for item in console.pack.items],
        checked=checked,
        report=report,
    )


async def audit(request: web.Request) -> web.Response:
    console, session = _console(request), _session(request)
    async with console.sessions() as db:
        entries = await audit_entries(db, workspace=session.workspace)
    return _page(request, "audit.html", entries=entries)


def admin_app(
    *, settings: Settings, admin: AdminSettings, sessions: Sessions, pack: ContentPack, clock: Clock
) -> web.Application:
    """The console as a sub-application, to be mounted at ``/admin``."""
    app = web.Application(middlewares=[guard])
    folder = Path(__file__).parent / "static"
    app[_static_key] = {name: (folder / name).read_text("utf-8") for name in STATIC}
    app[_console_key] = Console(
        settings=settings, admin=admin, sessions=sessions, pack=pack, clock=clock
    )
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("nudgebot.app.admin", "templates"),
        autoescape=jinja2.select_autoescape(default=True),
    )
    router = app.router
    sign_in = router.add_resource("/login", name="login")
    sign_in.add_route("GET", login_page)
    sign_in.add_route("POST", login)
    router.add_get("/static/{name}", static, name="static")
    router.add_post("/logout", logout, name="logout")
    router.add_get("/", overview, name="overview")
    router.add_get("/export/daily.csv", export_daily, name="export")
    router.add_get("/broadcasts", broadcasts, name="broadcasts")
    router.add_post("/broadcasts/preview", preview, name="preview")
    router.add_post("/broadcasts", create, name="create")
    router.add_get("/broadcasts/{id}", broadcast, name="broadcast")
    router.add_get("/broadcasts/{id}/progress", progress, name="progress")
    router.add_post("/broadcasts/{id}/cancel", cancel, name="cancel")
    router.add_get("/content", content, name="content")
    router.add_get("/audit", audit, name="audit")
    return app


__all__ = ["PUBLIC", "Console", "Scope", "admin_app", "guard"]
