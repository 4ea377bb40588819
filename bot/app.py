"""The composition root: ``bootstrap(settings)`` wires storage, dialogues, channels, workers."""

from __future__ import annotations

import asyncio
import csv
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, select

from adapters.web.channel import WebChannel
from adapters.web.routes import WebChat, WebChatConfig
from bot import admin
from bot.classifier_port import load_classifier
from bot.conversations.turn import Services
from bot.scheduler import Sweeper
from bot.settings import Settings
from bot.workers import InboxWorker, OutboxWorker
from core.channel import Channel
from core.classification import TextClassifier
from core.sla import SlaPolicy, parse_holidays, parse_hours, parse_norms
from core.storage.database import Database
from core.storage.media import MediaStore
from core.storage.media_library import MediaLibrary, open_media_library
from core.storage.migrate import upgrade
from core.storage.tables import Building

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"


def utc_now() -> datetime:
    return datetime.now(UTC)


class ConfigProblem(Exception):
    """A norms or holidays file is unreadable or invalid; the message names the row."""


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
        holidays = parse_holidays(_csv_rows(settings.holidays_file or DATA / "holidays.csv"))
    except ValueError as exc:
        raise ConfigProblem(str(exc)) from None
    start, end = parse_hours(settings.work_hours)
    return SlaPolicy(norms, settings.tz, holidays, start, end)


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
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    runner: web.AppRunner | None = None
    #: Hooks of optional channels (Telegram...): run after the workers start / before stop.
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    #: Reminders, escalation, auto-close and the digest (bot/scheduler.py).
    sweeper: Sweeper | None = None

    async def prepare(self) -> None:
        """Migrate the schema and, when asked, load the demo data into an empty database."""
        await asyncio.to_thread(upgrade, self.settings.database_url)
        if self.settings.demo_data:
            await load_demo(self.db, self.clock())

    async def start(self) -> None:
        await self.prepare()
        self.runner = web.AppRunner(self.http, access_log=None, shutdown_timeout=1.0)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.settings.host, self.settings.port)
        await site.start()
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
        await self.db.close()


def bootstrap(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    classifier: TextClassifier | str | None = "load",
) -> App:
    db = Database(settings.database_url)
    model = load_classifier(settings.classifier_model) if classifier == "load" else classifier
    assert not isinstance(model, str)
    services = Services(settings=settings, sla=load_sla(settings), classifier=model)
    web_channel = WebChannel(db, clock)
    channels: dict[str, Channel] = {"web": web_channel}
    inbox = InboxWorker(db, services, clock)
    outbox = OutboxWorker(db, channels, clock, settings.delivery_max_attempts)
    inbox.after_commit = outbox.wake.set
    media = open_media_library(
        settings.media_store, MediaStore(settings.media_dir, settings.max_photo_bytes), db, clock
    )
    secret = settings.secret_key.encode() or secrets.token_bytes(32)
    chat = WebChat(
        db,
        web_channel,
        media,
        WebChatConfig(settings.max_text_chars, settings.max_photo_bytes, secret),
        clock,
        inbox.wake.set,
    )
    application = web.Application(client_max_size=chat.client_max_size)
    if settings.web_chat:
        application.add_routes(chat.routes())
    application.router.add_get("/healthz", _health)
    app = App(settings, db, services, channels, inbox, outbox, application, clock, media)
    app.sweeper = Sweeper(db, services, clock, outbox.wake.set)
    if settings.telegram_bot_token:
        from bot.telegram_runtime import attach_telegram

        attach_telegram(app)
    # The dialogues shape their replies by what each channel can do (press toasts...).
    services.capabilities = {name: c.capabilities for name, c in channels.items()}
    return app


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
