"""Fixtures: the fake Cloud API server, and a channel pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from adapters.whatsapp.api import CloudApi
from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.sender import Template
from core.channel import InboundEvent
from core.ports import Accepted
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


class Photos:
    """The media port: the photos the service keeps."""

    async def load(self, sha: str) -> tuple[bytes, str] | None:
        return PHOTOS.get(sha)


class Taken:
    """The intake port: what the channel handed in, or a refusal on demand."""

    max_photo_bytes = 1024 * 1024

    def __init__(self) -> None:
        self.events: list[tuple[InboundEvent, list[bytes]]] = []
        self.failure: Exception | None = None

    async def accept(
        self, event: InboundEvent, media: Sequence[bytes] = (), *, exact: bool = False
    ) -> Accepted:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure
        self.events.append((event, list(media)))
        return Accepted(len(self.events), True, event)


@pytest.fixture
def taken() -> Taken:
    return Taken()


@pytest.fixture
async def channel(fake: FakeCloudApi, taken: Taken) -> AsyncIterator[WhatsAppChannel]:
    api = CloudApi(TOKEN, PHONE_NUMBER_ID, fake.base, timeout=5)
    built = WhatsAppChannel(api, taken, Photos(), Template("request_update", "ru"))
    try:
        yield built
    finally:
        await built.close()
