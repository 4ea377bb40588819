"""The whole service with the Viber channel on, against the fake Viber API: callbacks are
signed and posted to ``/viber/webhook`` as Viber does, the workers run until quiet, and
``read(user)`` returns what the service sent that user since the last read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer, unused_port

from adapters.viber.settings import ViberSettings
from adapters.viber.webhook import PATH
from bot import admin
from bot.app import App, bootstrap
from tests.support.harness import FakeClock, channel_settings, service_settings, settle
from tests.viber.fake_api import FakeViber


@dataclass
class Sent:
    """A ``send_message`` Viber took, as the person sees it."""

    body: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))

    @property
    def kind(self) -> str:
        return str(self.body.get("type", ""))

    @property
    def buttons(self) -> list[tuple[str, str, str]]:
        """(Text, ActionType, ActionBody) of the keyboard's buttons."""
        keyboard = self.body.get("keyboard") or {}
        return [(b["Text"], b["ActionType"], b["ActionBody"]) for b in keyboard.get("Buttons", [])]

    def button(self, label: str) -> str:
        """What a tap on the button labelled ``label`` sends back: its ActionBody."""
        for text, action, body in self.buttons:
            if label in text and action == "reply":
                return body
        raise AssertionError(f"no button {label!r} in {self.buttons} under {self.text!r}")


@dataclass
class ViberHarness:
    app: App
    client: TestClient[Any, Any]
    clock: FakeClock
    fake: FakeViber
    cursors: dict[str, int] = field(default_factory=dict)

    async def post(self, body: dict[str, Any] | bytes, **headers: str) -> ClientResponse:
        """Post a callback signed as Viber signs it (``headers`` replace the signature)."""
        raw, signed = self.fake.sign(body)
        return await self.client.post(PATH, data=raw, headers={**signed, **headers})

    async def send(self, body: dict[str, Any]) -> list[Sent]:
        """Deliver a callback, run the workers until quiet, return what the user got."""
        response = await self.post(body)
        assert response.status == 200, await response.text()
        await settle(self.app)
        user = body.get("sender", {}).get("id", "")
        return self.read(user) if user else []

    async def say(self, user: str, text: str) -> list[Sent]:
        self.fake.subscribed.add(user)  # a person's message subscribes them
        return await self.send(self.fake.text(user, text))

    async def tap(self, user: str, message: Sent, label: str) -> list[Sent]:
        return await self.say(user, message.button(label))

    async def photo(self, user: str, data: bytes, caption: str = "") -> list[Sent]:
        self.fake.subscribed.add(user)
        return await self.send(self.fake.picture(user, data, caption))

    def read(self, user: str) -> list[Sent]:
        sent = self.fake.sends(user)
        start = self.cursors.get(user, 0)
        self.cursors[user] = len(sent)
        return [Sent(b) for b in sent[start:]]

    async def bind_staff(self, code: str, user: str) -> list[Sent]:
        token = await admin.create_invite(self.app.db, self.clock(), person_code=code, group=False)
        return await self.say(user, f"/start inv-{token}")


@asynccontextmanager
async def make_viber_harness(
    database_url: str, tmp_path: Path, clock: FakeClock, token: str = "", **overrides: object
) -> AsyncIterator[ViberHarness]:
    """The service with Viber on (``token``: the bot's, unless another is given)."""
    fake = FakeViber()
    api = await fake.start()
    port = unused_port()
    base = f"http://127.0.0.1:{port}"
    settings = service_settings(
        database_url,
        tmp_path,
        secret_key="test-secret-test-secret-test-secret",
        public_url=base,
        **overrides,
    )
    viber = ViberSettings(auth_token=token or fake.token, api_base=api, _env_file=None)
    channels = channel_settings({"viber": viber})
    app = bootstrap(settings, channel_settings=channels, clock=clock, classifier=None)
    await app.prepare()
    client = TestClient(TestServer(app.http, port=port))
    await client.start_server()
    try:
        for check in app.checks:
            await check()
        yield ViberHarness(app, client, clock, fake)
    finally:
        await client.close()
        await app.stop()
        await fake.close()
