"""Fixtures: the fake Cloud API server, and a channel pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.whatsapp.api import CloudApi
from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.sender import Template
from tests.support.harness import png
from tests.whatsapp.fake_api import PHONE_NUMBER_ID, TOKEN, FakeCloudApi

#: Photos the channel's media reader knows, by media id (sha).
PHOTOS = {"a" * 64: (png(1), "image/jpeg"), "b" * 64: (png(2), "image/jpeg")}


@pytest.fixture
async def fake() -> AsyncIterator[FakeCloudApi]:
    server = FakeCloudApi()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


async def _load(sha: str) -> tuple[bytes, str] | None:
    return PHOTOS.get(sha)


@pytest.fixture
async def channel(fake: FakeCloudApi) -> AsyncIterator[WhatsAppChannel]:
    api = CloudApi(TOKEN, PHONE_NUMBER_ID, fake.base, timeout=5)
    built = WhatsAppChannel(api, _load, Template("request_update", "ru"))
    try:
        yield built
    finally:
        await built.close()
