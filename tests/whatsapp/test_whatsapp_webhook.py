"""The webhook's two doors: Meta's GET verification (the challenge echoed only for the
right verify token) and signed POSTs (a missing or wrong X-Hub-Signature-256 refused
before anything is read into the service)."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.webhooks import IngestRetry
from adapters.whatsapp.parsing import Notification
from adapters.whatsapp.webhook import MAX_BODY, PATH, WhatsAppWebhook
from tests.whatsapp.fake_api import APP_SECRET, PHONE_NUMBER_ID, FakeCloudApi

VERIFY = "verify-me-please"
FIXTURES = Path(__file__).parents[2] / "adapters" / "whatsapp" / "fixtures"


class Taken:
    """The ingest port as the webhook sees it: what reached it, or a failure on demand."""

    def __init__(self) -> None:
        self.notifications: list[Notification] = []
        self.fail = False

    async def __call__(self, notification: Notification) -> None:
        if self.fail:
            raise IngestRetry("database unavailable")
        self.notifications.append(notification)


@pytest.fixture
def taken() -> Taken:
    return Taken()


@pytest.fixture
async def client(taken: Taken) -> AsyncIterator[TestClient[Any, Any]]:
    hook = WhatsAppWebhook(
        APP_SECRET, VERIFY, PHONE_NUMBER_ID, taken, lambda: datetime(2026, 12, 2, tzinfo=UTC)
    )
    app = web.Application()
    app.add_routes(hook.routes())
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def text_body() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "text.json").read_text(encoding="utf-8"))
    return data


async def test_the_right_verify_token_gets_the_challenge_back(client: TestClient[Any, Any]) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}
    response = await client.get(PATH, params=query)
    assert response.status == 200 and await response.text() == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "verify-me-pleasE", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY + VERIFY, "hub.challenge": "1"},
    ],
)
async def test_a_wrong_verify_token_is_refused(
    client: TestClient[Any, Any], query: dict[str, str]
) -> None:
    response = await client.get(PATH, params=query)
    assert response.status == 403 and "1" not in await response.text()


async def test_without_a_configured_verify_token_nothing_verifies(taken: Taken) -> None:
    hook = WhatsAppWebhook(APP_SECRET, "", PHONE_NUMBER_ID, taken, lambda: datetime.now(UTC))
    app = web.Application()
    app.add_routes(hook.routes())
    async with TestClient(TestServer(app)) as client:
        query = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "5"}
        assert (await client.get(PATH, params=query)).status == 403


async def test_a_signed_notification_is_taken_in(
    client: TestClient[Any, Any], taken: Taken
) -> None:
    raw, headers = FakeCloudApi().sign(text_body())
    response = await client.post(PATH, data=raw, headers=headers)
    assert response.status == 200
    [notification] = taken.notifications
    assert notification.messages[0].event.text == "Ленина 5, кв 12 — течёт кран на кухне"


@pytest.mark.parametrize(
    ("signature", "status"),
    [
        (None, 401),
        ("", 403),
        ("sha256=", 403),
        ("sha1=0123", 403),
        ("sha256=" + "0" * 64, 403),
        ("sha256=ä", 403),
    ],
)
async def test_a_missing_or_wrong_signature_is_refused_and_nothing_taken(
    client: TestClient[Any, Any], taken: Taken, signature: str | None, status: int
) -> None:
    raw = json.dumps(text_body()).encode()
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    response = await client.post(PATH, data=raw, headers=headers)
    assert response.status == status and taken.notifications == []


async def test_a_signature_of_another_body_or_secret_is_refused(
    client: TestClient[Any, Any], taken: Taken
) -> None:
    _, headers = FakeCloudApi().sign(text_body())
    other = json.dumps(text_body() | {"object": "whatsapp_business_account "}).encode()
    assert (await client.post(PATH, data=other, headers=headers)).status == 403
    raw, forged = FakeCloudApi(app_secret="another-secret").sign(text_body())
    assert (await client.post(PATH, data=raw, headers=forged)).status == 403
    assert taken.notifications == []


async def test_a_signed_body_that_is_no_json_is_acknowledged_and_dropped(
    client: TestClient[Any, Any], taken: Taken
) -> None:
    raw, headers = FakeCloudApi().sign(b'{"object": [[[')
    response = await client.post(PATH, data=raw, headers=headers)
    assert response.status == 200 and taken.notifications == []


async def test_a_notification_not_stored_is_answered_503_for_meta_to_send_again(
    client: TestClient[Any, Any], taken: Taken
) -> None:
    taken.fail = True
    raw, headers = FakeCloudApi().sign(text_body())
    assert (await client.post(PATH, data=raw, headers=headers)).status == 503


async def test_an_oversized_body_is_refused_unread(
    client: TestClient[Any, Any], taken: Taken
) -> None:
    raw, headers = FakeCloudApi().sign(b" " * (MAX_BODY + 1))
    response = await client.post(PATH, data=io.BytesIO(raw), headers=headers)
    assert response.status == 413
    assert taken.notifications == []
