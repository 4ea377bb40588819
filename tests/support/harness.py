"""Drive the real service through its web chat API, with the workers run step by step.

Tests read like a conversation: ``await h.say("res-1", "...")`` posts a message the
way the page does, runs the inbox and outbox until quiet, and ``h.read(chat)``
returns what the service sent to that chat since the last read.
"""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from aiohttp import FormData
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image
from pydantic_settings import BaseSettings
from sqlalchemy import func, select

from bot.app import App, bootstrap
from bot.settings import Settings, load_channel_settings, load_settings
from core.classification import TextClassifier
from core.storage.tables import Identity, Person, Request, RequestPhoto
from tests.support.waiting import run_until_idle


def png(shade: int = 0, size: tuple[int, int] = (64, 48)) -> bytes:
    """A valid PNG of one colour, big enough to be taken as a photo; photos are stored
    re-encoded, so only a different picture (another ``shade``) is a different photo."""
    out = io.BytesIO()
    colour = (200, (shade * 53) % 256, (shade * 101) % 256)
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


PNG = png()


class FakeClock:
    """Injected time: starts on a Tuesday morning in Moscow, moves only when told."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Message:
    id: int
    text: str
    buttons: list[list[dict[str, str]]]
    photos: list[str]

    def button(self, label: str) -> str:
        """The payload of the button whose text contains ``label``."""
        for row in self.buttons:
            for button in row:
                if label in button["text"]:
                    return button["payload"]
        raise AssertionError(f"no button {label!r} in {self.labels} under {self.text!r}")

    @property
    def labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


async def settle(app: App) -> None:
    """Run inbox and outbox until nothing is left to do (failing if that never comes)."""

    async def step() -> bool:
        handled = await app.inbox.drain()
        sent = await app.outbox.drain()
        return bool(handled or sent)

    await run_until_idle(step, what="the inbox and outbox")


@dataclass
class Harness:
    app: App
    client: TestClient[Any, Any]
    clock: FakeClock
    cursors: dict[str, int] = field(default_factory=dict)

    async def settle(self) -> None:
        await settle(self.app)

    async def post(self, body: dict[str, Any]) -> Any:
        return await self.client.post("/api/web/messages", json=body)

    async def say(self, user: str, text: str, chat: str | None = None) -> list[Message]:
        response = await self.post({"chat": chat or user, "user": user, "text": text})
        assert response.status == 202, await response.text()
        await self.settle()
        return await self.read(chat or user)

    async def press(self, user: str, payload: str, chat: str | None = None) -> list[Message]:
        response = await self.post({"chat": chat or user, "user": user, "button": payload})
        assert response.status == 202, await response.text()
        await self.settle()
        return await self.read(chat or user)

    async def photo(
        self, user: str, data: bytes = PNG, caption: str = "", chat: str | None = None
    ) -> list[Message]:
        form = FormData()
        form.add_field("chat", chat or user)
        form.add_field("user", user)
        if caption:
            form.add_field("text", caption)
        form.add_field("photo", data, filename="p.png", content_type="image/png")
        response = await self.client.post("/api/web/messages", data=form)
        assert response.status == 202, await response.text()
        await self.settle()
        return await self.read(chat or user)

    async def read(self, chat: str) -> list[Message]:
        after = self.cursors.get(chat, 0)
        response = await self.client.get(f"/api/web/messages?chat={chat}&after={after}")
        assert response.status == 200
        messages = [
            Message(m["id"], m["text"], m["buttons"], m["photos"])
            for m in (await response.json())["messages"]
        ]
        if messages:
            self.cursors[chat] = messages[-1].id
        return messages

    async def skip(self, *chats: str) -> None:
        for chat in chats:
            await self.read(chat)


async def web_person(h: Harness, user: str) -> Person:
    """The person a web-chat user id belongs to."""
    async with h.app.db.reading() as session:
        found = await session.scalar(
            select(Person)
            .join(Identity, Identity.person_id == Person.id)
            .where(Identity.channel == "web", Identity.external_id == user)
        )
    assert found is not None
    return found


LEAK = "Ленина 5, кв 12 — течёт кран на кухне"


class Filed(NamedTuple):
    number: int
    summary: str
    confirmation: str


async def file_request(
    h: Harness, user: str = "res-1", text: str = LEAK, category: str = "Водоснабжение"
) -> Filed:
    """File a request as a resident who answers each question (the type, photos, phone)
    and confirms; returns the number, the summary and the confirmation they got."""
    question = (await h.say(user, text))[-1]
    for _ in range(8):
        labels = " ".join(question.labels)
        if "Подтвердить" in labels:
            confirmed = await h.press(user, question.button("Подтвердить"))
            return Filed(number_in(confirmed), question.text, confirmed[-1].text)
        label = next(lb for lb in ("Да, верно", category, "Пропустить") if lb in labels)
        question = (await h.press(user, question.button(label)))[-1]
    raise AssertionError(question.text)


async def photos_of_request(app: App, number: int) -> int:
    """How many photos request ``number`` keeps."""
    async with app.db.reading() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        photos = await session.scalar(
            select(func.count())
            .select_from(RequestPhoto)
            .where(RequestPhoto.request_id == request.id)
        )
    return int(photos or 0)


def number_in(messages: list[Message]) -> int:
    for message in messages:
        match = re.search(r"№(\d+)", message.text)
        if match:
            return int(match.group(1))
    raise AssertionError(f"no request number in {[m.text for m in messages]}")


@asynccontextmanager
async def make_harness(
    database_url: str,
    tmp_path: Path,
    clock: FakeClock,
    classifier: TextClassifier | None = None,
    channels: Mapping[str, BaseSettings] | None = None,
    **overrides: object,
) -> AsyncIterator[Harness]:
    settings = service_settings(database_url, tmp_path, **overrides)
    async with serve(settings, clock, classifier, channels) as h:
        yield h


def service_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """The settings every test service starts from: the demo data, media under
    ``tmp_path``, no ``.env``."""
    values: dict[str, Any] = {"secret_key": "test-secret", **overrides}
    return load_settings(
        database_url=database_url,
        media_dir=tmp_path / "media",
        demo_data=True,
        _env_file=None,
        **values,
    )


def channel_settings(given: Mapping[str, BaseSettings] | None = None) -> dict[str, BaseSettings]:
    """Every channel's settings: ``given``, the others from the environment (no ``.env``)."""
    return load_channel_settings(given, env_file=None)


@asynccontextmanager
async def serve(
    settings: Settings,
    clock: FakeClock,
    classifier: TextClassifier | None = None,
    channels: Mapping[str, BaseSettings] | None = None,
) -> AsyncIterator[Harness]:
    """The app these settings build, served on a test server, driven as a harness."""
    app = bootstrap(
        settings, channel_settings=channel_settings(channels), clock=clock, classifier=classifier
    )
    await app.prepare()
    client = TestClient(TestServer(app.http))
    await client.start_server()
    try:
        yield Harness(app, client, clock)
    finally:
        await client.close()
        await app.stop()
