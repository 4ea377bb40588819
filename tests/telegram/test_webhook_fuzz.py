"""Property test of the Telegram webhook route: no body or header gets a 500, and a
real update is still taken in afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.telegram.webhook import SECRET_HEADER
from tests.support.harness import FakeClock
from tests.support.own_loop import OwnLoop, own_loop
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.harness import SECRET, WEBHOOK_PATH, make_tg_harness
from tests.telegram.test_telegram_transcript import RESIDENT

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=15,
)
KEYS = st.sampled_from(
    [
        "update_id",
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
        "chat",
        "from",
        "id",
        "text",
        "photo",
        "data",
        "date",
        "message_id",
        "caption",
        "contact",
        "location",
        "file_id",
        "width",
        "height",
        "type",
        "migrate_to_chat_id",
        "media_group_id",
    ]
)
UPDATE_SHAPED = st.recursive(
    SCALARS,
    lambda inner: st.dictionaries(KEYS, inner, max_size=5) | st.lists(inner, max_size=3),
    max_leaves=25,
)


class Service:
    def __init__(self, loop: OwnLoop, tmp_path: Path) -> None:
        self.run = loop.run
        fake = FakeTelegram()
        loop.run(fake.start())
        loop.on_close(fake.close)
        url = f"sqlite+aiosqlite:///{tmp_path}/fuzz.db"
        self.h = loop.enter(make_tg_harness(url, tmp_path, FakeClock(), fake, "webhook"))

    def post(self, body: bytes, headers: dict[str, str]) -> int:
        async def go() -> int:
            response = await self.h.client.post(WEBHOOK_PATH, data=body, headers=headers)
            text = await response.text()
            assert response.status < 500, (response.status, text[:300])
            return response.status

        return self.run(go())


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    with own_loop() as loop:
        yield Service(loop, tmp_path)


def test_webhook_bodies_and_headers_of_any_shape(service: Service) -> None:
    bodies = st.one_of(
        st.builds(lambda v: json.dumps(v).encode(), st.one_of(UPDATE_SHAPED, JSON_VALUES)),
        st.builds(
            lambda v, i: json.dumps({"update_id": i, "message": v}).encode(),
            UPDATE_SHAPED,
            st.integers(),
        ),
        st.binary(max_size=200),
        st.builds(lambda n: b"[" * n + b"]" * n, st.integers(0, 100_000)),
        st.builds(lambda n: b'{"update_id":' + b"1" * n + b"}", st.integers(1, 9000)),
    )
    secrets = st.one_of(
        st.just(SECRET),
        st.none(),
        st.text(
            st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
            max_size=80,
        ),
    )
    content_types = st.one_of(
        st.sampled_from(["application/json", "application/json; charset=bogus", "text/plain"]),
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40),
    )
    statuses: list[int] = []

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(bodies, secrets, content_types)
    def run(body: bytes, secret: str | None, content_type: str) -> None:
        headers = {"Content-Type": content_type}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        statuses.append(service.post(body, headers))

    run()
    assert {200, 401, 403} <= set(statuses)

    async def still_works() -> None:
        h = service.h
        await h.settle()
        await h.send(h.fake.text(RESIDENT, "Ленина 5, кв 12 — течёт кран на кухне"))
        assert h.fake.read(RESIDENT), "no answer after the fuzzing"

    service.run(still_works())
