"""The real service with the Telegram channel on, pointed at the fake Bot API server.

``TgHarness.send(update)`` delivers an update the way Telegram would in the chosen mode
(a POST to the webhook with the secret header, or queued for the running poller), waits
until it is committed (webhook: the 200; polling: the poller moved its offset past it),
then runs the inbox and outbox until quiet.  ``fake.read(chat)`` shows what each chat got.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from adapters.limiter import NO_LIMITS, RateLimiter
from adapters.telegram.channel import TelegramChannel
from adapters.telegram.settings import TelegramSettings
from adapters.telegram.webhook import SECRET_HEADER
from bot import admin
from bot.app import App, bootstrap
from tests.support.harness import FakeClock, channel_settings, service_settings, settle
from tests.support.waiting import wait_until
from tests.telegram.fake_api import TOKEN, FakeTelegram, Sent

WEBHOOK_PATH = "/tg/hook"
SECRET = "s3cret-Token_value"


@dataclass
class TgHarness:
    app: App
    client: TestClient[Any, Any]
    clock: FakeClock
    fake: FakeTelegram
    mode: str
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    sent_updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def channel(self) -> TelegramChannel:
        channel = self.app.channels["telegram"]
        assert isinstance(channel, TelegramChannel)
        return channel

    async def settle(self) -> None:
        await settle(self.app)

    async def deliver(self, update: dict[str, Any]) -> int:
        """Hand the update to the service; returns the webhook status (200 when polling)."""
        self.sent_updates.append(update)
        if self.mode == "webhook":
            response = await self.client.post(
                WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET}
            )
            return response.status
        self.fake.push(update)
        update_id = update["update_id"]
        await wait_until(
            lambda: all(u["update_id"] != update_id for u in self.fake._updates),
            what=f"the poller to take update {update_id}",
        )
        return 200

    async def send(self, update: dict[str, Any], *, settle: bool = True) -> None:
        status = await self.deliver(update)
        assert status == 200, status
        if settle:
            await self.settle()

    async def bind_staff(self, code: str, user: int) -> list[Sent]:
        token = await admin.create_invite(self.app.db, self.clock(), person_code=code, group=False)
        await self.send(self.fake.text(user, f"/start inv-{token}"))
        return self.fake.read(user)


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@asynccontextmanager
async def make_tg_harness(
    database_url: str, tmp_path: Path, clock: FakeClock, fake: FakeTelegram, mode: str
) -> AsyncIterator[TgHarness]:
    api = str(fake.server.make_url("")).rstrip("/") if fake.server else ""
    settings = service_settings(database_url, tmp_path)
    telegram = TelegramSettings(
        bot_token=TOKEN,
        api_base=api,
        webhook_url=f"https://example.test{WEBHOOK_PATH}" if mode == "webhook" else "",
        webhook_secret=SECRET if mode == "webhook" else "",
        _env_file=None,
    )
    channels = channel_settings({"telegram": telegram})
    app = bootstrap(settings, channel_settings=channels, clock=clock, classifier=None)
    channel = app.channels["telegram"]
    assert isinstance(channel, TelegramChannel)
    channel.limiter = RateLimiter(NO_LIMITS)
    await app.prepare()
    client = TestClient(TestServer(app.http))
    await client.start_server()
    h = TgHarness(app, client, clock, fake, mode)
    try:
        if mode == "polling":
            h.tasks.append(asyncio.create_task(channel.poll(long_poll=1)))
        else:
            await channel.set_webhook(f"https://example.test{WEBHOOK_PATH}", SECRET)
        yield h
    finally:
        for task in h.tasks:
            await _stop(task)
        await client.close()
        await app.stop()
