"""Telegram's edge: photos checked like the web chat's, and refused webhook calls logged
without flooding the log."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.telegram.webhook import SECRET_HEADER, webhook_handler
from adapters.webhooks import RefusalLog
from tests.support.harness import png
from tests.telegram.harness import SECRET, TgHarness
from tests.telegram.test_telegram_transcript import RESIDENT


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (png(size=(12, 12)), "слишком маленькое"),
        (png(size=(2100, 100)), "слишком вытянутое"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<html></html>", "не получилось открыть"),
    ],
)
async def test_a_photo_that_cannot_be_taken_gets_a_polite_reason(
    tg: TgHarness, data: bytes, words: str
) -> None:
    h, fake = tg, tg.fake
    await h.send(fake.photo(RESIDENT, data))
    replies = fake.read(RESIDENT)
    assert any(words in r.text.lower() for r in replies), [r.text for r in replies]
    assert not any(p.is_file() for p in h.app.settings.media_dir.rglob("*"))
    await h.send(fake.photo(RESIDENT, png(5), caption="Ленина 5, кв 12 — течёт кран"))
    assert not any(words in r.text.lower() for r in fake.read(RESIDENT))


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_wrong_secrets_are_logged_once_a_minute_with_a_count(
    tg_webhook: TgHarness, caplog: pytest.LogCaptureFixture
) -> None:
    ticks = Ticks()
    app = web.Application()
    app.router.add_post(
        "/hook", webhook_handler(tg_webhook.channel, SECRET, RefusalLog("telegram", 60, ticks))
    )
    async with TestClient(TestServer(app)) as client:

        async def knock(secret: str | None) -> int:
            headers = {} if secret is None else {SECRET_HEADER: secret}
            return (await client.post("/hook", json={}, headers=headers)).status

        caplog.set_level(logging.INFO, logger="adapters.webhooks")
        statuses = [await knock(f"guess-{i}") for i in range(50)] + [await knock(None)]
        assert statuses == [403] * 50 + [401]
        lines = [r.getMessage() for r in caplog.records]
        assert len(lines) == 1 and "wrong secret token" in lines[0] and "(1 refused" in lines[0]
        ticks.now += 59
        await knock("guess-x")
        assert len(caplog.records) == 1
        ticks.now += 1
        await knock("guess-y")
        assert len(caplog.records) == 2
        assert "(52 refused since the last such line)" in caplog.records[1].getMessage()
        assert await knock(SECRET) == 200
        logged = caplog.text
        assert SECRET not in logged and "guess-" not in logged
