"""The console's pages under ``/console``: a sub-application of the service's aiohttp app.

One middleware refuses every anonymous visitor (pages redirect to the sign-in, the JSON
and downloads answer 401) and checks the CSRF token of every form; handlers only see a
signed-in :class:`Visitor`.  Actions on requests go through the same use cases as the
buttons of the group card, in one transaction with the notices they cause.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp_jinja2
import jinja2
import pyotp
import segno
from aiohttp import web
from sqlalchemy import exists, select

from adapters.webhooks import photo_response
from bot import texts
from bot.admin import escape_cell
from bot.console import auth, charts, queries, reports, settings_pages
from bot.console.auth import Visitor
from bot.console.words import CONSOLE_TEXTS, ct
from bot.conversations.turn import Services
from bot.notices import deliver_notices, history_text
from bot.settings import Settings
from bot.views import format_location, format_time, load_view, person_name
from core import dispatching, incidents, services
from core.lifecycle import Action
from core.model import Category, Status, Urgency
from core.services import Outcome
from core.storage.database import Database
from core.storage.media_library import MediaLibrary
from core.storage.tables import (
    Building,
    ConsoleAccount,
    ConsoleRolePolicy,
    ConsoleSession,
    Person,
    Request,
    RequestPhoto,
    RequestReporter,
)
from core.text_safety import text_problem

PREFIX = "/console"
SESSION_COOKIE = "console_session"
#: An anonymous visitor's token: the CSRF token of the sign-in forms is derived from it.
PRE_COOKIE = "console_pre"
LANG_COOKIE = "console_lang"
#: Paths open to an anonymous visitor (the sign-in itself and its assets).
PUBLIC = ("/login", "/invite/", "/static/", "/lang/")
#: Paths open to a visitor who gave the password but still owes the second factor.
HALFWAY = ("/totp", "/logout")
ACTIONS = ("assign", "type", "urgency", "deadline", "comment", "reject", "close", "merge")
#: Actions on the request as it is, whatever its version (they change no field another
#: actor's button depends on, or check what they need themselves).
UNVERSIONED = ("comment", "reject", "merge")

#: The signed-in visitor of the request being handled (set by the guard for its task).
_VISITOR: ContextVar[Visitor | None] = ContextVar("console_visitor", default=None)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Console:
    db: Database
    services: Services
    clock: Callable[[], datetime]
    media: MediaLibrary
    #: Each enabled channel's start link maker (for the QR sheets).
    start_links: dict[str, Callable[[str], str]]
    secret: bytes
    wake_outbox: Callable[[], None]
    session_hours: int
    secure_cookies: bool

    # -- plumbing ---------------------------------------------------------------

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        env = aiohttp_jinja2.setup(
            app,
            loader=jinja2.PackageLoader("bot.console", "templates"),
            autoescape=jinja2.select_autoescape(default=True),
        )
        env.globals["prefix"] = PREFIX
        app.router.add_static("/static/", reports.STATIC, name="static")
        get, post = app.router.add_get, app.router.add_post
        get("/login", self.login_page)
        post("/login", self.login)
        get("/totp", self.totp_page)
        post("/totp", self.totp)
        get("/invite/{token}", self.invite_page)
        post("/invite/{token}", self.invite)
        get("/lang/{lang}", self.set_lang)
        post("/logout", self.logout)
        post("/logout-all", self.logout)
        get("", self.board_page)
        get("/", self.board_page)
        get("/api/board", self.board_json)
        get("/requests/{number}", self.request_page)
        post("/requests/{number}/{action}", self.act)
        get("/media/{sha}", self.photo)
        get("/export", self.export_page)
        get("/export.csv", self.export_csv)
        get("/export.xlsx", self.export_xlsx)
        get("/report", self.report_page)
        get("/report.xlsx", self.report_xlsx)
        get("/analytics", self.analytics_page)
        get("/analytics/problems.svg", self.problems_chart)
        get("/analytics/load.svg", self.load_chart)
        get("/qr", self.qr_index)
        get("/qr/{code}", self.qr_sheet)
        get("/settings", self.settings_page)
        post("/settings/policies", self.save_policies)
        post("/settings/sessions/{id}/revoke", self.revoke_session)
        settings_pages.register(self, app)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        token = request.cookies.get(SESSION_COOKIE, "")
        who = await auth.visitor(self.db, token, self.clock())
        reset = _VISITOR.set(who)
        try:
            return await self._checked(request, handler, who, token)
        finally:
            _VISITOR.reset(reset)

    async def _checked(
        self, request: web.Request, handler: Handler, who: Visitor | None, token: str
    ) -> web.StreamResponse:
        path = request.path.removeprefix(PREFIX) or "/"
        if request.method == "POST":
            cookie = token if who is not None else request.cookies.get(PRE_COOKIE, "")
            try:
                form = await request.post()
            except (ValueError, UnicodeDecodeError):
                return self._message(request, "bad_input", status=400, what="form")
            given = form.get("csrf")
            if not isinstance(given, str) or not auth.csrf_ok(self.secret, cookie, given):
                return self._message(request, "csrf_bad", status=403)
        if path.startswith(PUBLIC):
            return await handler(request)
        if who is None:
            if path.startswith(("/api/", "/media/")) or "." in path.rsplit("/", 1)[-1]:
                raise web.HTTPUnauthorized(text="sign in first")
            raise web.HTTPFound(f"{PREFIX}/login")
        if not who.complete and not path.startswith(HALFWAY):
            raise web.HTTPFound(f"{PREFIX}/totp")
        return await handler(request)

    def lang(self, request: web.Request) -> str:
        lang = request.cookies.get(LANG_COOKIE, texts.DEFAULT)
        return lang if lang in CONSOLE_TEXTS else texts.DEFAULT

    def render(
        self, name: str, request: web.Request, status: int = 200, **context: Any
    ) -> web.Response:
        lang = self.lang(request)
        who = _VISITOR.get()
        cookie = who.token if who is not None else request.cookies.get(PRE_COOKIE, "")
        fresh = ""
        if not cookie:
            cookie = fresh = secrets.token_urlsafe(24)
        response = aiohttp_jinja2.render_template(
            name,
            request,
            {
                "lang": lang,
                "t": lambda key, **values: ct(lang, key, **values),
                "status_name": lambda slug: texts.status(lang, slug),
                "category_name": lambda slug: texts.category(lang, slug),
                "urgency_name": lambda slug: texts.urgency(lang, slug),
                "place_name": lambda raw: format_location(lang, raw),
                "when": lambda moment: format_time(lang, moment, self.services.tz),
                "visitor": who,
                "csrf": auth.csrf_token(self.secret, cookie),
                **context,
            },
            status=status,
        )
        if fresh:
            self._cookie(response, PRE_COOKIE, fresh, max_age=None)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"
        )
        return response

    def _message(
        self, request: web.Request, key: str, status: int, **values: object
    ) -> web.Response:
        return self.render(
            "message.html", request, status=status, message=ct(self.lang(request), key, **values)
        )

    def _cookie(
        self, response: web.StreamResponse, name: str, value: str, max_age: int | None
    ) -> None:
        response.set_cookie(
            name,
            value,
            path=PREFIX,
            httponly=True,
            samesite="Lax",
            secure=self.secure_cookies,
            max_age=max_age,
        )

    @staticmethod
    def address(request: web.Request) -> str:
        return request.remote or ""

    @staticmethod
    def _visitor(request: web.Request) -> Visitor:
        who = _VISITOR.get()
        assert who is not None  # the guard lets no anonymous visitor reach a handler
        return who

    def _actor(self, request: web.Request) -> Visitor:
        who = self._visitor(request)
        if not who.acts:
            raise web.HTTPForbidden(text="read-only account")
        return who

    # -- sign-in ----------------------------------------------------------------

    async def login_page(self, request: web.Request) -> web.Response:
        return self.render("login.html", request)

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        login, password = str(form.get("login", ""))[:64], str(form.get("password", ""))
        now = self.clock()
        keys = auth.throttle_keys(login, self.address(request))
        async with self.db.transaction() as session:
            wait = await auth.blocked_for(session, keys, now)
            if wait:
                minutes = max(1, round(wait.total_seconds() / 60))
                return self.render(
                    "login.html",
                    request,
                    429,
                    error=ct(self.lang(request), "locked", minutes=minutes),
                )
            account = await session.scalar(
                select(ConsoleAccount).where(ConsoleAccount.login == login)
            )
            stored = account.password_hash if account is not None and account.active else ""
        if not await auth.password_matches(stored, password[: auth.MAX_PASSWORD]):
            async with self.db.transaction() as session:
                await auth.record_failure(session, keys, now)
            error = ct(self.lang(request), "bad_credentials")
            return self.render("login.html", request, 401, error=error, login=login)
        assert account is not None
        async with self.db.transaction() as session:
            await auth.clear_failures(session, login)
            second = bool(account.totp_secret) or await auth.totp_required(session, account.role)
            token = await auth.start_session(
                session,
                account,
                now,
                self.session_hours,
                complete=not second,
                address=self.address(request),
            )
        response = web.HTTPFound(f"{PREFIX}/totp" if second else f"{PREFIX}/")
        self._cookie(response, SESSION_COOKIE, token, self.session_hours * 3600)
        raise response

    async def _account(self, who: Visitor) -> ConsoleAccount:
        async with self.db.reading() as session:
            account = await session.get(ConsoleAccount, who.account_id)
        assert account is not None
        return account

    async def totp_page(self, request: web.Request, error: str = "") -> web.Response:
        who = self._visitor(request)
        if who.complete:
            raise web.HTTPFound(f"{PREFIX}/")
        account = await self._account(who)
        context: dict[str, Any] = {"error": error}
        if not account.totp_secret:
            # Enrolment: the secret waits in this session's row until a code proves it was
            # scanned; the page shows it (QR and text) but never sends it back in a form.
            async with self.db.transaction() as session:
                row = await session.get(ConsoleSession, who.session_id)
                assert row is not None
                if not row.totp_pending:
                    row.totp_pending = pyotp.random_base32()
                secret = row.totp_pending
            uri = pyotp.TOTP(secret).provisioning_uri(name=account.login, issuer_name="Dispatch")
            context |= {"secret": secret, "qr": segno.make(uri).svg_inline(scale=4)}
        return self.render("totp.html", request, 401 if error else 200, **context)

    async def totp(self, request: web.Request) -> web.StreamResponse:
        who = self._visitor(request)
        form = await request.post()
        now = self.clock()
        account = await self._account(who)
        if account.totp_secret:
            secret = account.totp_secret
        else:
            async with self.db.reading() as session:
                secret = (
                    await session.scalar(
                        select(ConsoleSession.totp_pending).where(
                            ConsoleSession.id == who.session_id
                        )
                    )
                    or ""
                )
        keys = auth.throttle_keys(account.login, self.address(request))
        async with self.db.transaction() as session:
            wait = await auth.blocked_for(session, keys, now)
        if wait:
            minutes = max(1, round(wait.total_seconds() / 60))
            return await self.totp_page(request, ct(self.lang(request), "locked", minutes=minutes))
        try:
            valid = len(secret) == 32 and auth.totp_ok(secret, str(form.get("code", "")), now)
        except (ValueError, TypeError):
            valid = False
        async with self.db.transaction() as session:
            if not valid:
                await auth.record_failure(session, keys, now)
            else:
                stored = await session.get(ConsoleAccount, who.account_id)
                row = await session.get(ConsoleSession, who.session_id)
                assert stored is not None and row is not None
                stored.totp_secret = secret
                row.complete = True
                row.totp_pending = ""
        if not valid:
            return await self.totp_page(request, ct(self.lang(request), "totp_bad"))
        raise web.HTTPFound(f"{PREFIX}/")

    async def invite_page(self, request: web.Request, error: str = "") -> web.Response:
        async with self.db.reading() as session:
            account = await auth.invited_account(
                session, request.match_info["token"][:100], self.clock()
            )
        if account is None:
            return self._message(request, "invite_bad", status=404)
        return self.render(
            "invite.html",
            request,
            400 if error else 200,
            account=account,
            error=error,
            minimum=auth.MIN_PASSWORD,
        )

    async def invite(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        password, again = str(form.get("password", "")), str(form.get("again", ""))
        lang = self.lang(request)
        if not auth.MIN_PASSWORD <= len(password) <= auth.MAX_PASSWORD or text_problem(password):
            return await self.invite_page(request, ct(lang, "password_short", n=auth.MIN_PASSWORD))
        if password != again:
            return await self.invite_page(request, ct(lang, "password_mismatch"))
        if not await auth.set_password(
            self.db, request.match_info["token"][:100], password, self.clock()
        ):
            return self._message(request, "invite_bad", status=404)
        return self.render("login.html", request, notice=ct(lang, "password_set"))

    async def set_lang(self, request: web.Request) -> web.StreamResponse:
        lang = request.match_info["lang"]
        response = web.HTTPFound(f"{PREFIX}/")
        if lang in CONSOLE_TEXTS:
            self._cookie(response, LANG_COOKIE, lang, 365 * 86400)
        raise response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        """Sign out this browser, or (``/logout-all``) every browser of the account."""
        who = self._visitor(request)
        if request.path.endswith("/logout-all"):
            await auth.revoke(self.db, self.clock(), account_id=who.account_id)
        else:
            await auth.revoke(self.db, self.clock(), session_id=who.session_id)
        response = web.HTTPFound(f"{PREFIX}/login")
        response.del_cookie(SESSION_COOKIE, path=PREFIX)
        raise response

    # -- the board --------------------------------------------------------------

    async def _choices(self, who: Visitor) -> dict[str, Any]:
        async with self.db.reading() as session:
            statement = select(Building).order_by(Building.address)
            if who.buildings is not None:
                statement = statement.where(Building.id.in_(who.buildings))
            buildings = list(await session.scalars(statement))
            technicians = await dispatching.active_technicians(session)
        return {"buildings": buildings, "technicians": technicians}

    def _labels(self, lang: str) -> dict[str, Any]:
        """What the board's script shows: names of statuses, types, urgencies, units."""
        return {
            "statuses": {s.value: texts.status(lang, s.value) for s in Status},
            "categories": {c.value: texts.category(lang, c.value) for c in Category},
            "urgencies": {u.value: texts.urgency(lang, u.value) for u in Urgency},
            "texts": {
                k: ct(lang, k)
                for k in (
                    "overdue",
                    "unit_d",
                    "unit_h",
                    "unit_m",
                    "no_deadline",
                    "nobody",
                    "total",
                    "total_more",
                )
            },
        }

    async def board_page(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        lang = self.lang(request)
        return self.render(
            "board.html",
            request,
            query=request.query,
            statuses=list(Status),
            categories=list(Category),
            urgencies=list(Urgency),
            incident_filters=queries.INCIDENT_FILTERS,
            # A "</script>" in a label must not end the script element.
            labels=json.dumps(self._labels(lang), ensure_ascii=False).replace("<", "\\u003c"),
            **await self._choices(who),
        )

    async def board_json(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        try:
            filters = queries.Filters.parse(request.query)
        except queries.BadFilter as exc:
            return web.json_response({"error": f"bad filter: {exc}"}, status=400)
        now = self.clock()
        async with self.db.reading() as session:
            page = await queries.board(session, filters, who.buildings, now, self.services.tz)
        lang = self.lang(request)
        for row in page.rows:
            row["location"] = format_location(lang, row["location"])
            if not who.acts:
                # The resident's own words may name them and their phone (see request_page).
                row["description"] = ""
        return web.json_response(
            {
                "now": now.isoformat(),
                "total": page.total,
                "more": page.more,
                "page": page.page,
                "pages": page.pages,
                "rows": page.rows,
            },
            headers={"Cache-Control": "no-store"},
        )

    # -- one request ------------------------------------------------------------

    async def _visible_request(self, session: Any, request: web.Request, who: Visitor) -> Request:
        raw = request.match_info["number"]
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
            raise web.HTTPNotFound(text="no such request")
        statement = queries.scoped(select(Request).where(Request.number == int(raw)), who.buildings)
        found = await session.scalar(statement)
        if found is None:
            raise web.HTTPNotFound(text="no such request")
        return found  # type: ignore[no-any-return]

    async def request_page(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        lang = self.lang(request)
        async with self.db.reading() as session:
            row = await self._visible_request(session, request, who)
            view = await load_view(session, row)
            # The customer's representative (an observer) sees the work: the request, its
            # photos, its statuses and the staff who did it; never who the residents are,
            # how to reach them or what they and the service wrote each other.
            for_staff = who.acts
            history = await history_text(session, row, lang, self.services.tz, for_staff=for_staff)
            said = await queries.conversation(session, row, self.clock()) if for_staff else []
            co = list(
                await session.scalars(
                    select(Person)
                    .join(RequestReporter, RequestReporter.person_id == Person.id)
                    .where(RequestReporter.request_id == row.id, Person.id != row.reporter_id)
                    .order_by(Person.name)
                )
            )
            technicians = await dispatching.active_technicians(session)
            linked = await queries.incident_links(session, row)
        refused = request.query.get("refused", "")
        message = ""
        if refused:
            key = f"refused_{refused}"
            message = (
                texts.t(lang, key, status=texts.status(lang, row.status))
                if key in texts.LANGUAGES[lang].TEXTS
                else ct(lang, "forbidden")
            )
        elif request.query.get("done"):
            message = ct(lang, "done_ok")
        return self.render(
            "request.html",
            request,
            view=view,
            r=row,
            history=history.split("\n")[1:],
            for_staff=for_staff,
            said=said,
            deadline_value=(
                row.deadline.astimezone(self.services.tz).strftime("%Y-%m-%dT%H:%M")
                if row.deadline
                else ""
            ),
            co_reporters=[person_name(p, lang) for p in co],
            incidents=linked,
            technicians=technicians,
            categories=list(Category),
            urgencies=list(Urgency),
            message=message,
            failed=bool(refused),
        )

    async def act(self, request: web.Request) -> web.StreamResponse:
        who = self._actor(request)
        action = request.match_info["action"]
        if action not in ACTIONS:
            raise web.HTTPNotFound(text="no such action")
        form = await request.post()
        now = self.clock()
        try:
            version = _form_int(form, "version") if action not in UNVERSIONED else None
            into = _form_int(form, "into") if action == "merge" else 0
            text = str(form.get("text", "")).strip()
            if action in ("comment", "reject"):
                if not text or len(text) > self.services.settings.max_text_chars:
                    raise ValueError("text")
                if text_problem(text):
                    raise ValueError("text")
        except ValueError as exc:
            return self._message(request, "bad_input", status=400, what=str(exc))
        deadline = None
        if action == "deadline":
            deadline = _local_moment(str(form.get("deadline", "")), self.services.tz)
            if deadline is None:
                return self._message(request, "bad_deadline", status=400)
        async with self.db.transaction() as session:
            row = await self._visible_request(session, request, who)
            person = await session.get(Person, who.person_id)
            if person is None:
                raise web.HTTPForbidden(text="no staff member behind this account")
            number = row.number
            try:
                if action == "deadline":
                    assert deadline is not None
                    outcome = await services.set_deadline(
                        session, now, person, row.id, version, deadline
                    )
                elif action == "merge":
                    # The chats' merge: it refuses the request itself, a closed one and
                    # another building's.
                    target = await session.scalar(
                        queries.scoped(select(Request).where(Request.number == into), who.buildings)
                    )
                    if target is None:
                        return self._message(request, "merge_missing", status=404, number=into)
                    outcome = await incidents.merge(session, now, person, target.id, row.id)
                else:
                    outcome = await self._use_case(session, now, person, row, action, version, form)
            except services.Refused as exc:
                refused = exc.reason
            except ValueError as exc:
                return self._message(request, "bad_input", status=400, what=str(exc))
            else:
                refused = ""
                notices = await dispatching.follow_up(
                    session, now, outcome.notices, self.services.assign
                )
                await deliver_notices(session, now, self.services.tz, notices)
                # A merge leads to the request the residents now follow.
                number = outcome.request.number
        if not refused:
            self.wake_outbox()
        outcome_query = f"refused={refused}" if refused else f"done={action}"
        raise web.HTTPFound(f"{PREFIX}/requests/{number}?{outcome_query}")

    async def _use_case(
        self,
        session: Any,
        now: datetime,
        person: Person,
        row: Request,
        action: str,
        version: int | None,
        form: Any,
    ) -> Outcome:
        text = str(form.get("text", "")).strip()
        if action == "assign":
            technician = await session.get(Person, _form_int(form, "technician"))
            return await services.transition(
                session, now, person, row.id, version, Action.ASSIGN, assignee=technician
            )
        if action in ("type", "urgency"):
            value = str(form.get("value", ""))
            try:
                category = Category(value) if action == "type" else None
                urgency = Urgency(value) if action == "urgency" else None
            except ValueError:
                raise ValueError("value") from None
            return await services.change_classification(
                session,
                now,
                person,
                row.id,
                version,
                self.services.sla,
                category=category,
                urgency=urgency,
            )
        if action == "comment":
            return await services.comment(session, now, person, row.id, text)
        if action == "reject":
            return await services.transition(
                session, now, person, row.id, None, Action.REJECT, reason=text
            )
        return await services.transition(session, now, person, row.id, version, Action.CLOSE)

    async def photo(self, request: web.Request) -> web.StreamResponse:
        who = self._visitor(request)
        sha = request.match_info["sha"]
        # Staff who see every request see every photo (those of the conversations too);
        # an observer only those of its buildings' requests.
        visible = who.buildings is None
        async with self.db.reading() as session:
            visible = visible or bool(
                await session.scalar(
                    select(
                        exists(
                            queries.scoped(
                                select(RequestPhoto.id)
                                .join(Request, Request.id == RequestPhoto.request_id)
                                .where(RequestPhoto.media_sha == sha),
                                who.buildings,
                            )
                        )
                    )
                )
            )
        stored = await self.media.load(sha) if visible else None
        if stored is None:
            raise web.HTTPNotFound(text="no such photo")
        return photo_response(stored)

    # -- exports and the report -------------------------------------------------

    def _period(self, request: web.Request) -> tuple[Any, Any]:
        today = self.clock().astimezone(self.services.tz).date()
        try:
            filters = queries.Filters.parse({k: request.query.get(k, "") for k in ("from", "to")})
        except queries.BadFilter as exc:
            raise web.HTTPBadRequest(text=f"bad {exc}") from None
        since = filters.since or today.replace(day=1)
        until = filters.until or today
        if until < since or (until - since) > timedelta(days=3660):
            raise web.HTTPBadRequest(text="bad period")
        return since, until

    async def export_page(self, request: web.Request) -> web.Response:
        since, until = self._period(request)
        today = self.clock().astimezone(self.services.tz).date()
        return self.render(
            "export.html",
            request,
            since=since,
            until=until,
            month=request.query.get("month", today.strftime("%Y-%m")),
        )

    async def export_csv(self, request: web.Request) -> web.StreamResponse:
        who = self._visitor(request)
        since, until = self._period(request)
        lang = self.lang(request)
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="requests-{since}-{until}.csv"',
            }
        )
        await response.prepare(request)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV as such only with the mark
        writer.writerow(reports.export_header(lang))
        async with self.db.reading() as session:
            async for line in reports.export_lines(
                session, since, until, who.buildings, lang, self.services.tz, for_staff=who.acts
            ):
                writer.writerow([escape_cell(v) for v in line])
                if buffer.tell() > 64 * 1024:
                    await response.write(buffer.getvalue().encode())
                    buffer.seek(0)
                    buffer.truncate()
        await response.write(buffer.getvalue().encode())
        await response.write_eof()
        return response

    async def export_xlsx(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        since, until = self._period(request)
        lang = self.lang(request)
        async with self.db.reading() as session:
            body = await reports.export_workbook(
                session, since, until, who.buildings, lang, self.services.tz, for_staff=who.acts
            )
        return _download(body, f"requests-{since}-{until}.xlsx")

    def _month(self, request: web.Request) -> str:
        today = self.clock().astimezone(self.services.tz).date()
        month = request.query.get("month", "") or today.strftime("%Y-%m")
        try:
            queries.month_bounds(month, self.services.tz)
        except queries.BadFilter:
            raise web.HTTPBadRequest(text="bad month: use YYYY-MM") from None
        return month

    async def report_page(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        month = self._month(request)
        async with self.db.reading() as session:
            lines, total = await queries.monthly_report(
                session, month, who.buildings, self.services.tz
            )
        return self.render("report.html", request, month=month, lines=lines, total=total)

    async def report_xlsx(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        month = self._month(request)
        async with self.db.reading() as session:
            lines, total = await queries.monthly_report(
                session, month, who.buildings, self.services.tz
            )
        body = reports.report_workbook(lines, total, month, self.lang(request))
        return _download(body, f"report-{month}.xlsx")

    # -- analytics --------------------------------------------------------------

    def _narrow(self, request: web.Request) -> tuple[queries.Filters, str]:
        """The analytics' building, type and technician (each optional) and breakdown."""
        try:
            narrow = queries.Filters.parse(
                {k: request.query.get(k, "") for k in ("building", "category", "technician")}
            )
        except queries.BadFilter as exc:
            raise web.HTTPBadRequest(text=f"bad {exc}") from None
        by = request.query.get("by", "") or queries.BREAKDOWNS[0]
        if by not in queries.BREAKDOWNS:
            raise web.HTTPBadRequest(text="bad by")
        return narrow, by

    async def _figures(self, request: web.Request) -> tuple[Any, Any, queries.Figures]:
        who = self._visitor(request)
        since, until = self._period(request)
        narrow, by = self._narrow(request)
        tz = self.services.tz
        start = queries.local_start(since, tz)
        end = queries.local_start(until + timedelta(days=1), tz)
        async with self.db.reading() as session:
            figures = await queries.period_report(
                session, start, end, who.buildings, narrow=narrow, by=by
            )
        return since, until, figures

    async def _load(self, request: web.Request) -> list[tuple[str, int]]:
        """Open jobs per active technician now, within the visitor's buildings and the
        building and technician chosen."""
        who = self._visitor(request)
        narrow, _by = self._narrow(request)
        buildings: Sequence[int] | None = who.buildings
        if narrow.building is not None:
            visible = buildings is None or narrow.building in buildings
            buildings = [narrow.building] if visible else []
        async with self.db.reading() as session:
            return await queries.technician_load(session, buildings, narrow.technician)

    async def analytics_page(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        since, until, figures = await self._figures(request)
        _narrow, by = self._narrow(request)
        lang = self.lang(request)
        problems = [
            (texts.category(lang, slug), count) for slug, count in figures.categories.most_common()
        ]
        chosen = {k: request.query.get(k, "") for k in ("building", "category", "technician", "by")}
        return self.render(
            "analytics.html",
            request,
            since=since,
            until=until,
            total=figures.total,
            lines=figures.lines,
            by=by,
            breakdowns=queries.BREAKDOWNS,
            categories=list(Category),
            chosen=chosen,
            chart_query=urlencode({"from": since, "to": until, **chosen}),
            problems=problems,
            load=await self._load(request),
            **await self._choices(who),
        )

    async def problems_chart(self, request: web.Request) -> web.Response:
        _since, _until, figures = await self._figures(request)
        lang = self.lang(request)
        top = figures.categories.most_common(10)
        svg = charts.bar_chart(
            [texts.category(lang, slug) for slug, _ in top],
            [count for _, count in top],
            ct(lang, "a_problems"),
        )
        return _svg(svg)

    async def load_chart(self, request: web.Request) -> web.Response:
        load = await self._load(request)
        lang = self.lang(request)
        svg = charts.bar_chart([n for n, _ in load], [c for _, c in load], ct(lang, "a_load"))
        return _svg(svg)

    # -- QR sheets --------------------------------------------------------------

    async def qr_index(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        return self.render("qr_index.html", request, **await self._choices(who))

    async def qr_sheet(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        lang = self.lang(request)
        async with self.db.reading() as session:
            statement = select(Building).where(Building.code == request.match_info["code"][:32])
            if who.buildings is not None:
                statement = statement.where(Building.id.in_(who.buildings))
            building = await session.scalar(statement)
        if building is None:
            raise web.HTTPNotFound(text="no such building")
        flats = request.query.get("flats", "") == "1"
        places = reports.qr_places(building, flats)
        cards = [
            {
                "place": format_location(lang, place.encode()),
                "payload": payload,
                "codes": reports.qr_codes(self.start_links, payload),
            }
            for place, payload in places
        ]
        return self.render(
            "qr_sheet.html",
            request,
            building=building,
            cards=cards,
            usable=reports.payload_ready(building.code),
        )

    # -- settings ---------------------------------------------------------------

    async def settings_page(self, request: web.Request) -> web.Response:
        who = self._visitor(request)
        if who.role != auth.ADMIN:
            return self._message(request, "forbidden", status=403)
        now = self.clock()
        async with self.db.reading() as session:
            policies = {
                p.role: p.totp_required for p in await session.scalars(select(ConsoleRolePolicy))
            }
            sessions = (
                await session.execute(
                    select(ConsoleSession, ConsoleAccount.login)
                    .join(ConsoleAccount, ConsoleAccount.id == ConsoleSession.account_id)
                    .where(ConsoleSession.revoked_at.is_(None), ConsoleSession.expires_at > now)
                    .order_by(ConsoleSession.last_seen_at.desc())
                    .limit(200)
                )
            ).all()
        return self.render(
            "settings.html", request, roles=auth.ROLES, policies=policies, sessions=sessions
        )

    async def save_policies(self, request: web.Request) -> web.StreamResponse:
        who = self._visitor(request)
        if who.role != auth.ADMIN:
            return self._message(request, "forbidden", status=403)
        form = await request.post()
        async with self.db.transaction() as session:
            for role in auth.ROLES:
                policy = await session.get(ConsoleRolePolicy, role)
                if policy is None:
                    policy = ConsoleRolePolicy(role=role)
                    session.add(policy)
                policy.totp_required = form.get(f"totp_{role}") == "1"
        raise web.HTTPFound(f"{PREFIX}/settings")

    async def revoke_session(self, request: web.Request) -> web.StreamResponse:
        who = self._visitor(request)
        if who.role != auth.ADMIN:
            return self._message(request, "forbidden", status=403)
        raw = request.match_info["id"]
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
            raise web.HTTPNotFound(text="no such session")
        await auth.revoke(self.db, self.clock(), session_id=int(raw))
        raise web.HTTPFound(f"{PREFIX}/settings")


def _form_int(form: Any, name: str) -> int:
    value = form.get(name, "")
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise ValueError(name)
    return int(value)


def _local_moment(raw: str, tz: Any) -> datetime | None:
    """A date-time picker's value (``YYYY-MM-DDTHH:MM``, the service's zone) as a moment;
    None for anything else."""
    raw = raw.strip()
    if not raw or len(raw) > 32 or text_problem(raw):
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _svg(body: bytes) -> web.Response:
    return web.Response(
        body=body,
        headers={
            "Content-Type": "image/svg+xml",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _download(body: bytes, filename: str) -> web.Response:
    return web.Response(
        body=body,
        headers={
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


def invite_link(settings: Settings, token: str) -> str:
    from bot.app import public_url

    return f"{public_url(settings)}{PREFIX}/invite/{token}"
