"""The README's main command with VIBER_AUTH_TOKEN set serves Viber beside the other
channels: the real service as a subprocess, against the fake Viber API."""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import ClientSession

from tests.support.live import LiveService
from tests.support.waiting import wait_until
from tests.viber.fake_api import FakeViber

USER = "live+User/1=="


async def test_the_main_command_serves_viber(tmp_path: Path) -> None:
    fake = FakeViber(subscribed={USER})
    api = await fake.start()
    service = LiveService(
        tmp_path,
        ("-m", "bot"),
        VIBER_AUTH_TOKEN=fake.token,
        VIBER_API_BASE=api,
        SECRET_KEY="live-test-secret-live-test-secret-live",
    )
    service.env["PUBLIC_URL"] = service.url
    try:
        # The service asks the fake at its start: the fake must answer meanwhile.
        await asyncio.to_thread(service.start)
        await wait_until(
            lambda: bool(fake.webhook_url), timeout=60, what="the webhook to be registered"
        )
        assert fake.webhook_url == f"{service.url}/viber/webhook"
        raw, headers = fake.sign(fake.text(USER, "Ленина 5, кв 12 — течёт кран на кухне"))
        async with ClientSession() as session:
            async with session.post(fake.webhook_url, data=raw, headers=headers) as resp:
                assert resp.status == 200
            async with session.get(f"{service.url}/healthz") as resp:
                assert resp.status == 200  # the web chat's side is served as before
        await wait_until(
            lambda: any("Здравствуйте" in s.get("text", "") for s in fake.sends(USER)),
            timeout=60,
            what="the answer in Viber",
        )
    finally:
        await asyncio.to_thread(service.stop)
        await fake.close()
