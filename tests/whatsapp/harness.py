"""The real service with WhatsApp on beside the web chat, pointed at the fake Cloud API.

``WaHarness.send(notification)`` posts a notification to the webhook signed as Meta
signs it, checks it was acknowledged (committed), then runs the inbox and outbox until
quiet.  ``read(phone)`` gives what the person received since the last read.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientResponse

from adapters.limiter import Limits, RateLimiter
from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.settings import WhatsAppSettings
from adapters.whatsapp.webhook import PATH
from bot import admin
from tests.support.harness import FakeClock, Harness, make_harness
from tests.whatsapp.fake_api import APP_SECRET, PHONE_NUMBER_ID, TOKEN, FakeCloudApi

VERIFY_TOKEN = "verify-this-webhook"
#: A line of a numbered menu: "3. Водоснабжение".
_MENU_LINE = re.compile(r"^(\w{1,3})[.)] (.+)$", re.M)


def whatsapp_settings(api_base: str) -> WhatsAppSettings:
    return WhatsAppSettings(
        token=TOKEN,
        phone_number_id=PHONE_NUMBER_ID,
        app_secret=APP_SECRET,
        verify_token=VERIFY_TOKEN,
        api_base=api_base,
        _env_file=None,  # type: ignore[call-arg]
    )


@dataclass
class WaHarness:
    h: Harness
    fake: FakeCloudApi
    cursors: dict[str, int] = field(default_factory=dict)

    @property
    def channel(self) -> WhatsAppChannel:
        channel = self.h.app.channels["whatsapp"]
        assert isinstance(channel, WhatsAppChannel)
        return channel

    async def post(self, notification: dict[str, Any] | bytes) -> ClientResponse:
        raw, headers = self.fake.sign(notification)
        return await self.h.client.post(PATH, data=raw, headers=headers)

    async def send(self, notification: dict[str, Any]) -> None:
        response = await self.post(notification)
        assert response.status == 200, await response.text()
        await self.h.settle()

    def read(self, phone: str) -> list[dict[str, Any]]:
        """The bodies ``phone`` received since the last read."""
        bodies = self.fake.to(phone)
        seen = self.cursors.get(phone, 0)
        self.cursors[phone] = len(bodies)
        return bodies[seen:]

    def said(self, phone: str) -> str:
        """Everything ``phone`` read since the last read, as one text."""
        return "\n".join(FakeCloudApi.text_of(body) for body in self.read(phone))

    def options(self, phone: str) -> list[str]:
        """The titles of the options in the last message that offered some: its reply
        buttons or list rows, or the lines of a numbered menu."""
        for body in reversed(self.fake.to(phone)):
            if body["type"] == "interactive":
                return [title for title, _ in self.fake.choices(phone)]
            numbered = _MENU_LINE.findall(FakeCloudApi.text_of(body))
            if numbered:
                return [title for _, title in numbered]
        return []

    async def press(self, phone: str, label: str) -> None:
        """Tap the reply button or list row containing ``label``, or type the number of
        the numbered menu's line containing it."""
        for body in reversed(self.fake.to(phone)):
            if body["type"] == "interactive":
                for title, payload in self.fake.choices(phone):
                    if label in title:
                        kind = body["interactive"]["type"]
                        reply = self.fake.pick if kind == "list" else self.fake.press
                        await self.send(reply(phone, payload, title))
                        return
                break
            numbered = _MENU_LINE.findall(FakeCloudApi.text_of(body))
            for marker, title in numbered:
                if label in title:
                    await self.send(self.fake.text(phone, marker))
                    return
            if numbered:
                break
        raise AssertionError(f"no option {label!r} in {self.options(phone)}")

    async def bind_staff(self, code: str, phone: str) -> str:
        token = await admin.create_invite(
            self.h.app.db, self.h.clock(), person_code=code, group=False
        )
        await self.send(self.fake.text(phone, f"/start inv-{token}"))
        return self.said(phone)


@asynccontextmanager
async def make_wa_harness(
    database_url: str, tmp_path: Path, clock: FakeClock, fake: FakeCloudApi
) -> AsyncIterator[WaHarness]:
    channels = {"whatsapp": whatsapp_settings(fake.base)}
    async with make_harness(database_url, tmp_path, clock, channels=channels) as h:
        wa = WaHarness(h, fake)
        # The tests send faster than a real number would: no waiting on the rate.
        wa.channel.limiter = RateLimiter(Limits(10_000, 0.001, 10_000, 0.001, 10_000, 0.001, 0))
        yield wa
