"""The service in Viber, end to end against the fake Viber API: a resident files a request
starting with a photo, a technician on Viber accepts it and closes it with a photo report,
the resident confirms and rates; deep links, redeliveries, receipts, unsubscriptions and
everything odd Viber (or anyone else) may post."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from adapters.plugin import ChannelRefused
from adapters.viber.settings import ViberSettings
from bot.app import start_links
from bot.settings import load_channel_settings, load_settings
from core.storage.tables import Identity, InboxItem, OutboxItem, Request
from tests.support.harness import FakeClock, number_in, photos_of_request, png
from tests.support.waiting import wait_until
from tests.viber.fake_api import FakeViber
from tests.viber.harness import Sent, ViberHarness, make_viber_harness

RESIDENT = "res+Viber/1=="
TECH = "tech+Viber/2=="


@pytest.fixture
async def vh(tmp_path: Path, clock: FakeClock) -> AsyncIterator[ViberHarness]:
    url = f"sqlite+aiosqlite:///{tmp_path}/viber.db"
    async with make_viber_harness(url, tmp_path, clock, auto_assign=True) as h:
        yield h


@pytest.fixture
async def any_vh(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[ViberHarness]:
    async with make_viber_harness(database_url, tmp_path, clock, auto_assign=True) as h:
        yield h


def texts(messages: list[Sent]) -> str:
    return " | ".join(m.text for m in messages)


async def to_summary(h: ViberHarness, replies: list[Sent]) -> Sent:
    """Answer the resident's questions (the water type, no photos, no phone) up to the
    summary to confirm."""
    question = last_with_buttons(replies)
    for _ in range(6):
        labels = " ".join(text for text, _, _ in question.buttons)
        if "Подтвердить" in labels:
            return question
        label = next(x for x in ("Водоснабжение", "Пропустить", "Готово") if x in labels)
        question = last_with_buttons(await h.tap(RESIDENT, question, label))
    raise AssertionError(question.text)


def last_with_buttons(messages: list[Sent]) -> Sent:
    return next(m for m in reversed(messages) if m.buttons)


async def count(h: ViberHarness, model: type, *where: object) -> int:
    async with h.app.db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def file_starting_with_a_photo(h: ViberHarness) -> int:
    replies = await h.photo(RESIDENT, png(7), caption="Ленина 5, кв 12 — течёт кран на кухне")
    assert "Здравствуйте" in replies[0].text, texts(replies)
    question = last_with_buttons(replies)
    assert "тип проблемы" in question.text, texts(replies)
    replies = await h.tap(RESIDENT, question, "Водоснабжение")
    assert "Фото добавлено (1)" in texts(replies), texts(replies)
    replies = await h.tap(RESIDENT, last_with_buttons(replies), "Готово")
    phone = last_with_buttons(replies)
    assert "share-phone" in {action for _, action, _ in phone.buttons}
    replies = await h.tap(RESIDENT, phone, "Пропустить")
    summary = last_with_buttons(replies)
    assert "Фото: 1" in summary.text and "ул. Ленина, д. 5" in summary.text, summary.text
    replies = await h.tap(RESIDENT, summary, "Подтвердить")
    assert "принята" in texts(replies), texts(replies)
    return number_in(replies)


async def test_a_resident_and_a_technician_do_the_whole_job_in_viber(any_vh: ViberHarness) -> None:
    h, fake = any_vh, any_vh.fake
    told = await h.bind_staff("tech-1", TECH)
    assert "Сергей Иванов" in texts(told), texts(told)

    number = await file_starting_with_a_photo(h)
    assert await photos_of_request(h.app, number) == 1

    # Assigned automatically to the plumber, who gets the job in Viber with the photo.
    job = h.read(TECH)
    assert any(m.kind == "picture" for m in job), texts(job)
    card = last_with_buttons(job)
    assert f"№{number}" in card.text, texts(job)
    replies = await h.tap(TECH, card, "Принять")
    assert "принял" in texts(h.read(RESIDENT))
    replies = await h.tap(TECH, last_with_buttons(replies), "Начать")
    replies = await h.tap(TECH, last_with_buttons(replies), "Выполнено")
    assert "фотоотчёт" in texts(replies), texts(replies)
    await h.photo(TECH, png(99), caption="заменил прокладку")
    replies = await h.say(TECH, "готово")
    assert "выполнена" in texts(replies), texts(replies)

    # The resident sees the report photo (fetched by Viber through a signed .jpg link).
    done = h.read(RESIDENT)
    pictures = [m for m in done if m.kind == "picture"]
    assert pictures and all(p.body["media"].endswith(".jpg") for p in pictures), texts(done)
    assert all(fake.fetched[p.body["media"]].startswith(b"\xff\xd8") for p in pictures)
    replies = await h.tap(RESIDENT, last_with_buttons(done), "Да")
    closed = last_with_buttons(replies)
    assert "закрыта" in closed.text, texts(replies)
    replies = await h.tap(RESIDENT, closed, "★★★★★")
    assert "Спасибо за оценку" in texts(replies), texts(replies)

    # Everything went out once, within Viber's limits.
    statuses = {s for s in await _statuses(h)}
    assert statuses == {"sent"}
    assert not [c.body.get("_problem") for c in fake.calls if c.body.get("_problem")]


async def _statuses(h: ViberHarness) -> list[str]:
    async with h.app.db.reading() as session:
        return list(await session.scalars(select(OutboxItem.status)))


async def test_a_deep_link_welcome_pre_fills_the_building(vh: ViberHarness) -> None:
    h, fake = vh, vh.fake
    response = await h.post(fake.conversation_started(RESIDENT, context="b-len5-apartment12"))
    assert response.status == 200
    welcome = Sent(await response.json())
    assert welcome.kind == "text" and "Начать" in welcome.buttons[0][0]
    assert len(welcome.body["sender"]["name"]) <= 28
    assert "receiver" not in welcome.body
    # Nothing is stored or sent before the person writes (Viber allows only the welcome).
    assert await count(h, InboxItem) == 0
    replies = await h.tap(RESIDENT, welcome, "Начать")
    assert "что случилось" in texts(replies), texts(replies)
    # No address asked: the QR code's building and apartment are in the summary.
    question = await to_summary(h, await h.say(RESIDENT, "течёт кран на кухне"))
    summary = question.text.lower()
    assert "ул. ленина, д. 5" in summary and "квартира 12" in summary, question.text


async def test_a_welcome_without_a_deep_link_starts_plainly(vh: ViberHarness) -> None:
    response = await vh.post(vh.fake.conversation_started(RESIDENT))
    welcome = Sent(await response.json())
    assert welcome.button("Начать") == "/start"
    replies = await vh.tap(RESIDENT, welcome, "Начать")
    assert "Здравствуйте" in texts(replies)


async def test_a_redelivered_callback_makes_one_request(vh: ViberHarness) -> None:
    h, fake = vh, vh.fake
    question = await to_summary(h, await h.say(RESIDENT, "Ленина 5, кв 12 — течёт кран на кухне"))
    # Viber thinks the confirmation failed and delivers it again and again.
    confirm = fake.text(RESIDENT, question.button("Подтвердить"))
    for _ in range(3):
        assert (await h.post(confirm)).status == 200
    replies = await h.send(fake.text(RESIDENT, "/my"))  # runs the workers
    assert await count(h, Request) == 1
    assert len([m for m in replies if "принята" in m.text]) == 1, texts(replies)


@pytest.mark.parametrize(
    "headers",
    [{"X-Viber-Content-Signature": "0" * 64}, {"X-Viber-Content-Signature": ""}],
)
async def test_a_bad_signature_is_refused_with_nothing_stored(
    vh: ViberHarness, headers: dict[str, str]
) -> None:
    body = vh.fake.text(RESIDENT, "Ленина 5 течёт кран")
    response = await vh.post(body, **headers)
    assert response.status == 403
    raw, _ = vh.fake.sign(body)
    unsigned = await vh.client.post("/viber/webhook", data=raw)
    assert unsigned.status == 403
    welcome = await vh.post(vh.fake.conversation_started(RESIDENT), **headers)
    assert welcome.status == 403 and "Начать" not in await welcome.text()
    assert await count(vh, InboxItem) == 0


async def test_a_body_signed_for_other_bytes_is_refused(vh: ViberHarness) -> None:
    body = vh.fake.text(RESIDENT, "Ленина 5 течёт кран")
    _, headers = vh.fake.sign(body)
    raw, _ = vh.fake.sign({**body, "message_token": 1})
    response = await vh.client.post("/viber/webhook", data=raw, headers=headers)
    assert response.status == 403
    assert await count(vh, InboxItem) == 0


async def test_a_huge_body_is_refused_before_it_is_read(vh: ViberHarness) -> None:
    body = vh.fake.text(RESIDENT, "x" * 300_000)
    response = await vh.post(body)
    assert response.status == 413
    assert await count(vh, InboxItem) == 0


async def test_a_huge_body_without_a_length_is_refused_past_the_limit(vh: ViberHarness) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(64):
            yield b"x" * 8192

    response = await vh.client.post(
        "/viber/webhook", data=chunks(), headers={"X-Viber-Content-Signature": "0" * 64}
    )
    assert response.status == 413
    assert await count(vh, InboxItem) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"event": "client_status", "timestamp": 1, "message_token": 5, "user_id": "u="},
        {"event": "webhook", "timestamp": 1, "message_token": 5},
        {"event": "subscribed", "user": {"id": RESIDENT, "name": "Анна"}},
        b"not json",
        b'{"event": "message", "sender": {"id": 1}}',
        b"[" * 100 + b"]" * 100,
    ],
)
async def test_unknown_or_odd_callbacks_are_acknowledged_and_nothing_stored(
    vh: ViberHarness, body: dict[str, object] | bytes
) -> None:
    response = await vh.post(body)
    assert response.status == 200
    assert await count(vh, InboxItem) == 0


async def test_a_sticker_gets_a_polite_answer(vh: ViberHarness) -> None:
    vh.fake.subscribed.add(RESIDENT)
    replies = await vh.send(vh.fake.message(RESIDENT, {"type": "sticker", "sticker_id": 46105}))
    assert "не умею читать такие сообщения" in texts(replies), texts(replies)


async def test_an_expired_media_link_asks_for_the_photo_again(vh: ViberHarness) -> None:
    h, fake = vh, vh.fake
    fake.subscribed.add(RESIDENT)
    body = fake.picture(RESIDENT, png(5))
    fake.expired.add(body["message"]["file_name"])
    replies = await h.send(body)
    assert "ещё раз" in texts(replies), texts(replies)
    async with h.app.db.reading() as session:
        stored = await session.scalar(select(InboxItem.event))
    assert stored is not None and stored["kind"] == "unsupported" and stored["photos"] == []


async def test_media_server_trouble_is_retried_by_viber(vh: ViberHarness) -> None:
    h, fake = vh, vh.fake
    fake.subscribed.add(RESIDENT)
    body = fake.picture(RESIDENT, png(5))
    name = body["message"]["file_name"]
    data = fake.media.pop(name)
    assert (await h.post(body)).status == 200  # 404: gone for good, answered politely
    body = fake.picture(RESIDENT, png(6))
    await fake.close()  # Viber's media server out of reach
    assert (await h.post(body)).status == 503
    assert await count(h, InboxItem, InboxItem.event_id == str(body["message_token"])) == 0
    assert data


async def test_a_callback_the_database_cannot_take_is_a_503_for_viber_to_retry(
    vh: ViberHarness,
) -> None:
    async with vh.app.db.transaction() as session:
        await session.execute(text(f"DROP TABLE {InboxItem.__tablename__}"))
    vh.fake.subscribed.add(RESIDENT)
    response = await vh.post(vh.fake.picture(RESIDENT, png(4), caption="течёт"))
    assert response.status == 503
    assert vh.fake.sends(RESIDENT) == []


async def test_receipts_are_recorded_on_the_outbox_row(vh: ViberHarness) -> None:
    h, fake = vh, vh.fake
    await h.say(RESIDENT, "/start")
    async with h.app.db.reading() as session:
        row = await session.scalar(select(OutboxItem).order_by(OutboxItem.id.desc()).limit(1))
    assert row is not None and row.delivery_id
    for kind in ("delivered", "seen"):
        assert (await h.post(fake.receipt(kind, row.delivery_id, RESIDENT))).status == 200
    async with h.app.db.reading() as session:
        again = await session.get(OutboxItem, row.id)
    assert again is not None and again.receipt == "seen" and again.receipt_at == h.clock()


async def test_an_unsubscribed_technician_is_unreachable_and_the_dispatchers_are_told(
    vh: ViberHarness,
) -> None:
    h, fake = vh, vh.fake
    await h.bind_staff("tech-1", TECH)
    assert (await h.post(fake.unsubscribed(TECH))).status == 200
    async with h.app.db.reading() as session:
        unreachable = await session.scalar(
            select(Identity.unreachable).where(
                Identity.channel == "viber", Identity.external_id == TECH
            )
        )
    assert unreachable is True
    await h.say(RESIDENT, "/start")  # runs the workers
    async with h.app.db.reading() as session:
        notices = list(
            await session.scalars(select(OutboxItem.body).where(OutboxItem.channel == "web"))
        )
    assert any("Сергей Иванов" in n["text"] and "viber" in n["text"] for n in notices), notices
    # Writing again makes them reachable.
    await h.say(TECH, "/help")
    async with h.app.db.reading() as session:
        unreachable = await session.scalar(
            select(Identity.unreachable).where(Identity.external_id == TECH)
        )
    assert unreachable is False


async def test_the_webhook_is_registered_at_start_and_viber_checks_it(vh: ViberHarness) -> None:
    for hook in vh.app.on_start:
        await hook()
    await wait_until(lambda: bool(vh.fake.webhook_url), what="the webhook to be registered")
    assert vh.fake.webhook_url == str(vh.client.make_url("/viber/webhook"))
    [call] = [c for c in vh.fake.calls if c.method == "set_webhook"]
    assert set(call.body["event_types"]) >= {"delivered", "seen", "failed", "unsubscribed"}


async def test_start_links_are_viber_deep_links(vh: ViberHarness) -> None:
    link = vh.app.built["viber"].start_link("inv-abc")
    assert link == "viber://pa?chatURI=romashka-uk&context=inv-abc"


async def test_a_token_viber_refuses_stops_the_start(tmp_path: Path, clock: FakeClock) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/refused.db"
    with pytest.raises(ChannelRefused, match="VIBER_AUTH_TOKEN") as caught:
        async with make_viber_harness(url, tmp_path, clock, token="wrong-token"):
            pass
    assert "wrong-token" not in str(caught.value)


async def test_admin_invite_links_include_viber_with_the_uri_viber_gives(tmp_path: Path) -> None:
    fake = FakeViber()
    api = await fake.start()
    try:
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/links.db",
            public_url="https://dispatch.example.org",
            _env_file=None,
        )
        viber = ViberSettings(auth_token=fake.token, api_base=api, _env_file=None)
        channels = load_channel_settings({"viber": viber}, env_file=None)
        links = await start_links(settings, channels, "inv-A_b")
    finally:
        await fake.close()
    assert links["viber"] == "viber://pa?chatURI=romashka-uk&context=inv-A_b"
