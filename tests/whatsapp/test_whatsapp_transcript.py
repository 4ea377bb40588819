"""Transcripts through the real service with residents and a technician on WhatsApp (the
fake Cloud API) and the dispatchers in the web chat: filing by text and reply buttons,
a request begun with a photo alone, a job accepted and closed with a photo report, the
template for a resident silent for more than a day, a repeated message id, and forged
notifications refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.whatsapp.webhook import PATH
from core.storage.tables import InboxItem
from tests.support.harness import FakeClock
from tests.whatsapp.fake_api import FakeCloudApi
from tests.whatsapp.harness import VERIFY_TOKEN, WaHarness, make_wa_harness

RESIDENT = "79161234567"
NEIGHBOUR = "79267654321"
TECH = "79035551122"
GROUP = "dispatch"
LEAK = "Ленина 5, кв 12 — течёт кран на кухне"


@pytest.fixture
async def wa(tmp_path: Path, fake: FakeCloudApi) -> AsyncIterator[WaHarness]:
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    async with make_wa_harness(url, tmp_path, FakeClock(), fake) as harness:
        yield harness


async def test_a_repeated_message_id_makes_one_request(wa: WaHarness) -> None:
    notification = wa.fake.text(RESIDENT, LEAK, wamid="wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQUZC")
    await wa.send(notification)
    first = wa.read(RESIDENT)
    await wa.send(notification)
    assert wa.read(RESIDENT) == [] and first
    async with wa.h.app.db.reading() as session:
        stored = await session.scalar(
            select(func.count()).select_from(InboxItem).where(InboxItem.channel == "whatsapp")
        )
    assert stored == 1


async def test_forged_notifications_and_a_wrong_verify_token_are_refused(wa: WaHarness) -> None:
    client = wa.h.client
    raw, _ = wa.fake.sign(wa.fake.text(RESIDENT, LEAK))
    unsigned = {"Content-Type": "application/json"}
    assert (await client.post(PATH, data=raw, headers=unsigned)).status == 401
    forged = FakeCloudApi(app_secret="not-the-app-secret").sign(raw)[1]
    assert (await client.post(PATH, data=raw, headers=forged)).status == 403
    await wa.h.settle()
    async with wa.h.app.db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(InboxItem)) == 0
    assert wa.fake.sent == []

    query = {"hub.mode": "subscribe", "hub.challenge": "271828"}
    wrong = await client.get(PATH, params={**query, "hub.verify_token": "guess"})
    assert wrong.status == 403
    right = await client.get(PATH, params={**query, "hub.verify_token": VERIFY_TOKEN})
    assert right.status == 200 and await right.text() == "271828"
