"""The composition root: ``bootstrap(settings)`` wires storage, dialogues, channels, workers."""

from __future__ import annotations

import asyncio
import csv
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from pydantic_settings import BaseSettings
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from adapters.plugin import BuiltChannel, ChannelRefused, Ports
from adapters.registry import plugins
from bot import admin
from bot.classifier_port import load_classifier
from bot.conversations.turn import Services
from bot.field_words import load_field_words
from bot.greeting import greeting
from bot.scheduler import Sweeper
from bot.settings import Settings, load_channel_settings
from bot.workers import POLLING_BATCH_BUDGET, InboxWorker, OutboxWorker
from core.channel import Channel
from core.classification import TextClassifier
from core.intake import InboxIntake
from core.sla import SlaPolicy, parse_calendar, parse_hours, parse_norms
from core.storage.channel_data import StoredDirectory, StoredMailbox
from core.storage.database import Database
from core.storage.media import MediaStore
from core.storage.media_library import MediaLibrary, open_media_library
from core.storage.migrate import upgrade
from core.storage.tables import Building

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"


def utc_now() -> datetime:
    return datetime.now(UTC)


#: How long the database may take to answer at start before the start is refused.
DATABASE_TIMEOUT = 10.0
#: The shortest SECRET_KEY accepted: about as much entropy as the generated demo key.
MIN_SECRET_CHARS = 32
#: aiohttp's own limit on a request body, kept when no channel asks for more.
DEFAULT_BODY_LIMIT = 1024**2
#: The demo's generated SECRET_KEY, in the folder above MEDIA_DIR (``var/`` by default).
DEMO_KEY_FILE = "secret_key"


class ConfigProblem(Exception):
    """A setting, or what it points at, is unusable: the service must not start.

    The message is one line naming the setting and the cause (never a secret)."""


def with_signing_key(
    settings: Settings, channel_settings: Mapping[str, BaseSettings] | None = None
) -> Settings:
    """Settings whose ``SECRET_KEY`` signs media links the same way in every process.

    With real data a fixed key is required; the demo gets one generated once and kept in
    a file, so links survive restarts and work across processes sharing ``MEDIA_DIR``.
    Channel settings not given are read from the environment.
    """
    if settings.secret_key:
        if len(settings.secret_key) < MIN_SECRET_CHARS:
            raise ConfigProblem(
                f"SECRET_KEY is too short: use at least {MIN_SECRET_CHARS} random characters"
            )
        return settings
    if settings.real_data(load_channel_settings(channel_settings)):
        raise ConfigProblem(
            "SECRET_KEY is required with DEMO_DATA=0 or a messenger on: set at least "
            f"{MIN_SECRET_CHARS} random characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')"
        )
    path = settings.media_dir.parent / DEMO_KEY_FILE
    try:
        key = demo_key(path)
    except OSError as exc:
        raise ConfigProblem(f"SECRET_KEY: cannot keep the demo key in {path}: {exc}") from None
    return settings.model_copy(update={"secret_key": key})


def demo_key(path: Path) -> str:
    """The key in ``path``; a new one (mode 0600) when there is none yet.

    The key is written to a temporary file and linked into place, so two processes
    starting together read the same complete key, whichever wrote it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its key is the one
        finally:
            draft.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_SECRET_CHARS:
        raise OSError(f"{path} holds no usable key; delete it to make a new one")
    return key


def listen_socket(host: str, port: int) -> socket.socket:
    """The listening socket, taken before anything else starts so a busy port stops the start
    with nothing changed.  Connections wait in its backlog until the server takes them."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except OSError as exc:
        raise ConfigProblem(f"HOST {host!r} cannot be resolved: {exc.strerror or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        # Like aiohttp's own sites: a restart may reuse the port while old connections close.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ConfigProblem(
            f"Cannot listen on HOST {host} PORT {port}: {exc.strerror or exc} "
            "(another process there? set PORT)"
        ) from None
    sock.setblocking(False)
    return sock


def database_problem(exc: BaseException) -> ConfigProblem:
    """One line for a database that cannot be used: the driver's own words, not the
    SQL or the URL (which may hold a password)."""
    cause = exc
    while cause.__cause__ is not None:
        cause = cause.__cause__
    words = " ".join(str(cause).split()) or type(cause).__name__
    return ConfigProblem(f"Cannot use the database (DATABASE_URL): {words}")


def _csv_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigProblem(f"{path}: {exc}") from None


def load_sla(settings: Settings) -> SlaPolicy:
    """The shipped norms, overridden row by row by ``NORMS_FILE``; holidays; working hours."""
    try:
        norms = parse_norms(_csv_rows(DATA / "norms.csv"))
        if settings.norms_file is not None:
            norms.update(parse_norms(_csv_rows(settings.norms_file)))
        days = parse_calendar(_csv_rows(settings.holidays_file or DATA / "holidays.csv"))
    except ValueError as exc:
        raise ConfigProblem(str(exc)) from None
    start, end = parse_hours(settings.work_hours)
    first = {"emergency": settings.reminder_first_minutes_emergency}
    first |= {urgency: settings.reminder_first_minutes for urgency in ("urgent", "normal")}
    cap = timedelta(minutes=settings.reminder_max_minutes)
    return SlaPolicy(norms, settings.tz, days.holidays, start, end, days, first, cap)


@dataclass
class App:
    settings: Settings
    db: Database
    services: Services
    channels: dict[str, Channel]
    inbox: InboxWorker
    outbox: OutboxWorker
    http: web.Application
    clock: Callable[[], datetime]
    media: MediaLibrary
    #: What each enabled channel built: its routes, hooks and start links.
    built: dict[str, BuiltChannel] = field(default_factory=dict)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    runner: web.AppRunner | None = None
    #: Hooks of the channels (a poller, a webhook registration): run after the workers
    #: start / before the database closes.
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    #: Checks of the channels (a token the messenger refuses...): run before anything is
    #: changed; each raises ChannelRefused.
    checks: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    #: Reminders, escalation, auto-close and the digest (bot/scheduler.py).
    sweeper: Sweeper | None = None
    listener: socket.socket | None = None

    async def prepare(self) -> None:
        """Migrate the schema and, when asked, load the demo data into an empty database."""
        await asyncio.to_thread(upgrade, self.settings.database_url)
        if self.settings.demo_data:
            await load_demo(self.db, self.clock())

    async def check_database(self) -> None:
        """Refuse the start at once when the database cannot be reached or logged into."""
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT), self.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except TimeoutError:
            raise ConfigProblem(
                f"Cannot use the database (DATABASE_URL): no answer in {DATABASE_TIMEOUT:.0f} s"
            ) from None
        except (SQLAlchemyError, OSError, ValueError) as exc:
            log.debug("database check failed", exc_info=True)
            raise database_problem(exc) from None

    async def start(self) -> None:
        """Port, database and channels checked first; then migrate, load, serve and work.
        A check that fails leaves nothing changed; :meth:`stop` undoes a partial start."""
        self.listener = listen_socket(self.settings.host, self.settings.port)
        await self.check_database()
        for check in self.checks:
            try:
                await check()
            except ChannelRefused as exc:
                raise ConfigProblem(str(exc)) from None
        try:
            await self.prepare()
        except (SQLAlchemyError, OSError) as exc:
            log.debug("migration or demo data failed", exc_info=True)
            raise database_problem(exc) from None
        self.runner = web.AppRunner(self.http, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        await web.SockSite(self.runner, self.listener).start()
        if self.settings.run_workers:
            self.start_workers()
        for hook in self.on_start:
            await hook()
        log.info("serving on http://%s:%s", self.settings.host, self.settings.port)

    def start_workers(self) -> None:
        self.tasks.append(asyncio.create_task(self.inbox.run()))
        self.tasks.append(asyncio.create_task(self.outbox.run()))
        if self.sweeper is not None:
            self.sweeper.start()

    async def stop(self) -> None:
        # Workers first: nothing may still be sending while a channel closes its session.
        if self.sweeper is not None:
            self.sweeper.stop()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks.clear()
        for hook in self.on_stop:
            await hook()
        if self.runner is not None:
            await self.runner.cleanup()
        if self.listener is not None:
            self.listener.close()
        await self.db.close()


def open_database(settings: Settings) -> Database:
    """The database of these settings, with their connection pool (PostgreSQL)."""
    return Database(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )


def public_url(settings: Settings) -> str:
    """The base URL people open: ``PUBLIC_URL``, else where the service listens."""
    return settings.public_url.rstrip("/") or f"http://{settings.host}:{settings.port}"


def bootstrap(
    settings: Settings,
    *,
    channel_settings: Mapping[str, BaseSettings] | None = None,
    clock: Callable[[], datetime] = utc_now,
    classifier: TextClassifier | str | None = "load",
) -> App:
    """The app with every enabled channel; channel settings not given are read from the
    environment and ``.env``."""
    configured = load_channel_settings(channel_settings)
    db = open_database(settings)
    model = load_classifier(settings.classifier_model) if classifier == "load" else classifier
    assert not isinstance(model, str)
    services = Services(
        settings=settings, sla=load_sla(settings), classifier=model, words=load_field_words()
    )
    channels: dict[str, Channel] = {}
    inbox = InboxWorker(db, services, clock, settings.inbox_max_attempts)
    outbox = OutboxWorker(
        db,
        channels,
        clock,
        settings.delivery_max_attempts,
        linked_first=settings.window_fallback == "linked",
    )
    inbox.after_commit = outbox.wake.set
    media = open_media_library(
        settings.media_store,
        MediaStore(settings.media_dir, settings.max_photo_bytes, settings.max_photo_pixels),
        db,
        clock,
    )
    services.media = media
    secret = settings.secret_key.encode() or secrets.token_bytes(32)
    ports = Ports(
        intake=InboxIntake(db, media, inbox.wake.set),
        media=media,
        clock=clock,
        mailbox=StoredMailbox(db, clock),
        directory=StoredDirectory(db),
        public_url=public_url(settings),
        secret=secret,
        max_text=settings.max_text_chars,
        deliveries=outbox,
        greeting=greeting,
    )
    built = {
        name: plugin.build_from(configured[name], ports)
        for name, plugin in plugins().items()
        if plugin.enabled_by(configured[name])
    }
    body_limit = max((b.client_max_size for b in built.values()), default=0)
    application = web.Application(client_max_size=max(body_limit, DEFAULT_BODY_LIMIT))
    application.router.add_get("/healthz", _health)
    app = App(settings, db, services, channels, inbox, outbox, application, clock, media, built)
    app.sweeper = Sweeper(db, services, clock, outbox.wake.set)
    for name, channel in built.items():
        channels[name] = channel.channel
        application.add_routes(channel.routes)
        app.checks += channel.checks
        app.on_start += channel.on_start
        app.on_stop += channel.on_stop
        if channel.polls:
            # Nobody waits on the inbox's commits to be answered: longer batches, fewer
            # commits, each batch written once.
            inbox.batch_budget = POLLING_BATCH_BUDGET
            inbox.flush_every = 0
    # The dialogues shape their replies by what each channel can do (press toasts...).
    services.capabilities = {name: c.capabilities for name, c in channels.items()}
    if settings.console:
        from bot.console import mount

        mount(app, secret)
    return app


async def start_links(
    settings: Settings, channel_settings: Mapping[str, BaseSettings], payload: str
) -> dict[str, str]:
    """Each enabled channel's start link for ``payload`` ("" when it cannot tell one).

    The channels' checks run first: they learn what a link needs (a bot's username)."""
    app = bootstrap(settings, channel_settings=channel_settings, classifier=None)
    try:
        for check in app.checks:
            try:
                await check()
            except ChannelRefused as exc:
                raise ConfigProblem(str(exc)) from None
        return {name: built.start_link(payload) for name, built in app.built.items()}
    finally:
        await app.stop()


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def load_demo(db: Database, now: datetime) -> bool:
    """Demo buildings, staff, residents and the web dispatchers' group, into an empty database."""
    async with db.reading() as session:
        if await session.scalar(select(func.count()).select_from(Building)):
            return False
    demo = DATA / "demo"
    await admin.import_buildings(db, demo / "buildings.csv")
    await admin.import_staff(db, demo / "staff.csv", now)
    await admin.import_residents(db, demo / "residents.csv", now)
    await admin.bind_group(db, "web", "dispatch", now)
    await admin.import_matrix(db, demo / "matrix.csv")
    await admin.import_shifts(db, demo / "shifts.csv", now.date())
    log.info("demo data loaded")
    return True
