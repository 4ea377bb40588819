"""Every registered channel through the same checks, with the bodies its messenger really
sends (``adapters/<name>/fixtures/``, with ``expected.json`` saying what each must become):

* each body, posted to the channel's real inbound route, is stored as the expected event
  (kind, text or payload), or as nothing (and never answered with a 5xx);
* a photo goes through the intake: kept once, content-addressed, named by the event;
* a delivery with a wrong secret is refused and nothing is stored;
* a repeated delivery is stored once.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse, FormData
from pydantic_settings import BaseSettings
from sqlalchemy import select

from adapters.plugin import ChannelPlugin, Conformance
from adapters.registry import plugins
from core.storage.tables import InboxItem
from tests.support.harness import FakeClock, Harness, make_harness, png
from tests.telegram.fake_api import FakeTelegram

#: The fake server of each messenger whose channel calls out (to fetch a photo...).
FAKE_APIS: dict[str, Callable[[BaseSettings], FakeTelegram]] = {
    "telegram": lambda settings: FakeTelegram(token=settings.bot_token),
}

CHANNELS = [name for name, plugin in plugins().items() if plugin.conformance is not None]


def fixtures_of(plugin: ChannelPlugin[Any]) -> Path:
    return Path(inspect.getfile(plugin.build)).with_name("fixtures")


def expectations(name: str) -> dict[str, dict[str, str] | None]:
    data: dict[str, dict[str, str] | None] = json.loads(
        (fixtures_of(plugins()[name]) / "expected.json").read_text(encoding="utf-8")
    )
    return data


CASES = [(name, fixture) for name in CHANNELS for fixture in expectations(name)]


@dataclass
class Driven:
    name: str
    conformance: Conformance
    h: Harness
    fake: FakeTelegram | None

    def body(self, fixture: str) -> dict[str, Any]:
        path = fixtures_of(plugins()[self.name]) / fixture
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    async def post(
        self, fixture: str, headers: dict[str, str] | None = None, photo: bytes = b""
    ) -> ClientResponse:
        sent = dict(self.conformance.headers if headers is None else headers)
        body = self.body(fixture)
        if photo and self.conformance.photo_field is not None:
            form = FormData()
            for key, value in body.items():
                form.add_field(key, str(value))
            form.add_field(self.conformance.photo_field, photo, filename="photo.png")
            return await self.h.client.post(self.conformance.path, data=form, headers=sent)
        raw = json.dumps(body).encode()
        if self.conformance.sign is not None:
            sent = {**self.conformance.sign(raw), **sent}
        sent.setdefault("Content-Type", "application/json")
        return await self.h.client.post(self.conformance.path, data=raw, headers=sent)

    async def stored(self) -> list[dict[str, Any]]:
        async with self.h.app.db.reading() as session:
            rows = await session.scalars(
                select(InboxItem.event).where(InboxItem.channel == self.name).order_by(InboxItem.id)
            )
            return list(rows)


@pytest.fixture
async def driven(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[Driven]:
    name = request.param
    conformance = plugins()[name].conformance
    assert conformance is not None
    fake = FAKE_APIS[name](conformance.settings("")) if name in FAKE_APIS else None
    api = ""
    if fake is not None:
        await fake.start()
        assert fake.server is not None
        api = str(fake.server.make_url("")).rstrip("/")
    url = f"sqlite+aiosqlite:///{tmp_path}/conformance.db"
    channels = {name: conformance.settings(api)}
    try:
        async with make_harness(url, tmp_path, clock, channels=channels) as h:
            yield Driven(name, conformance, h, fake)
    finally:
        if fake is not None:
            await fake.close()


@pytest.mark.parametrize(("driven", "fixture"), CASES, indirect=["driven"])
async def test_a_body_becomes_the_expected_event(driven: Driven, fixture: str) -> None:
    expected = expectations(driven.name)[fixture]
    photo = png(7, (120, 90))
    if expected is not None and "media" in expected:
        assert driven.fake is not None, "the body names a file: the fake messenger serves it"
        driven.fake.files[expected["media"]] = photo
    is_photo = expected is not None and expected["kind"] == "photo"
    response = await driven.post(fixture, photo=photo if is_photo else b"")
    assert response.status < 500, await response.text()
    stored = await driven.stored()
    if expected is None:
        assert stored == [], stored
        return
    assert response.status < 300, await response.text()
    [event] = stored
    assert event["kind"] == expected["kind"]
    for key in ("text", "payload"):
        if key in expected:
            assert event[key] == expected[key]
    if is_photo:
        [sha] = event["photos"]
        kept = await driven.h.app.media.load(sha)
        assert kept is not None and hashlib.sha256(kept[0]).hexdigest() == sha
    else:
        assert event["photos"] == []


@pytest.mark.parametrize("driven", CHANNELS, indirect=True)
async def test_a_wrong_secret_is_refused_with_nothing_stored(driven: Driven) -> None:
    if driven.conformance.wrong_headers is None:
        pytest.skip(f"{driven.name} has no secret to check")
    response = await driven.post("text.json", dict(driven.conformance.wrong_headers))
    assert 400 <= response.status < 500
    assert await driven.stored() == []
    # The same body with the right secret is taken: the refusal was the secret's.
    assert (await driven.post("text.json")).status < 300
    assert len(await driven.stored()) == 1


@pytest.mark.parametrize("driven", CHANNELS, indirect=True)
async def test_a_repeated_delivery_is_stored_once(driven: Driven) -> None:
    headers = {**driven.conformance.headers, **driven.conformance.repeatable}
    first = await driven.post("text.json", headers)
    again = await driven.post("text.json", headers)
    assert first.status < 300 and again.status < 300
    assert len(await driven.stored()) == 1
