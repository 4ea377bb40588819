"""No message stops a Telegram chat: text the edge must refuse, and pictures Telegram
refuses, against the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.telegram.parsing import parse_update
from bot import texts
from bot.notices import queue_message
from core.channel import Button, EventKind, OutboundMessage
from core.storage.tables import OutboxItem
from tests.support.harness import PNG
from tests.telegram.fake_api import FakeTelegram, png
from tests.telegram.harness import TgHarness
from tests.telegram.test_telegram_transcript import GROUP, RESIDENT, TECH, setup_staff

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
BAD = ["a\x00b", "a\ud800b", "a\x1bb", "a\x85b"]
ACCEPT = (Button("Принять", "v1:j:ac:7:1"),)


@pytest.mark.parametrize("bad", BAD)
def test_text_that_cannot_be_stored_or_shown_is_unsupported(bad: str) -> None:
    fake = FakeTelegram()
    for update in (
        fake.text(RESIDENT, f"Ленина 5 {bad}"),
        fake.text(RESIDENT, f"/start {bad}"),
        fake.photo(RESIDENT, caption=f"течёт {bad}"),
        fake.press(RESIDENT, f"v1:{bad}"),
        fake.message(RESIDENT, contact={"phone_number": f"+7{bad}", "first_name": "А"}),
    ):
        parsed = parse_update(update, NOW)
        assert parsed.event is not None, parsed.note
        assert parsed.event.kind is EventKind.UNSUPPORTED
        assert parsed.event.text == parsed.event.payload == "" and not parsed.photo_file
        assert parsed.note and ("control character" in parsed.note or "surrogate" in parsed.note)
    press = parse_update(fake.press(RESIDENT, f"v1:{bad}"), NOW)
    assert press.callback_id  # answered by the adapter at once: the dialogue never sees it


@pytest.mark.parametrize("bad", BAD)
def test_a_display_name_is_cleaned(bad: str) -> None:
    update = FakeTelegram().text(RESIDENT, "Ленина 5, кв 12 — течёт кран")
    update["message"]["from"]["first_name"] = f"Ан{bad}на"
    parsed = parse_update(update, NOW)
    assert parsed.event is not None and parsed.event.kind is EventKind.TEXT
    assert parsed.event.user_name == f"Ан{bad}на".replace(bad[1], "")


async def test_the_resident_is_answered_politely_and_goes_on(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    await h.send(fake.text(RESIDENT, "Ленина 5, кв 12 a\ud800b"))
    assert fake.read(RESIDENT)[-1].text == texts.t("ru", "unsupported")
    await h.send(fake.text(RESIDENT, "Ленина 5, кв 12 — течёт кран на кухне"))
    assert "тип проблемы" in fake.read(RESIDENT)[-1].text


async def test_an_update_that_cannot_be_stored_holds_up_no_other(tg: TgHarness) -> None:
    """Acknowledged and dropped: retried, it would hold the poller (or Telegram's
    webhook queue) on it for good."""
    h, fake = tg, tg.fake
    await h.send(fake.text(10**70, "Ленина 5, кв 12 — течёт кран"))  # no chat id is that long
    assert fake.sent == {}
    await h.send(fake.text(RESIDENT, "Ленина 5, кв 12 — течёт кран на кухне"))
    assert "тип проблемы" in fake.read(RESIDENT)[-1].text


async def _queue(h: TgHarness, chat: int, *messages: OutboundMessage) -> None:
    async with h.app.db.transaction() as session:
        for message in messages:
            await queue_message(session, h.clock(), "telegram", str(chat), message)


async def _store(h: TgHarness, data: bytes) -> str:
    """Keep a picture as it is (one stored before any intake check that would refuse
    it: the point here is what Telegram makes of it)."""
    return (await h.app.media.keep(data)).sha


async def _statuses(h: TgHarness) -> list[str]:
    async with h.app.db.reading() as session:
        return list(await session.scalars(select(OutboxItem.status).order_by(OutboxItem.id)))


@pytest.mark.parametrize("pictures", [1, 2], ids=["photo", "album"])
async def test_a_refused_picture_does_not_hold_the_chat(
    tg_webhook: TgHarness, pictures: int
) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    await setup_staff(h)
    fake.read(TECH)
    thin = await _store(h, png(1, 40))  # a ratio of 40: Telegram takes at most 20
    photos = (thin, await _store(h, PNG))[:pictures]
    await _queue(
        h,
        TECH,
        OutboundMessage("Заявка №7: течёт кран", buttons=(ACCEPT,), photos=photos),
        OutboundMessage("Заявка №8: нет света", buttons=(ACCEPT,)),
    )
    await h.app.outbox.drain()  # the clock stands still: nothing may wait for a retry
    first, second = fake.read(TECH)
    assert first.text == "Заявка №7: течёт кран\n\n" + texts.t("ru", "photo_not_shown")
    assert first.buttons == [("Принять", "v1:j:ac:7:1")] and first.photos == 0
    assert second.text == "Заявка №8: нет света"
    refused = fake.methods("sendPhoto" if pictures == 1 else "sendMediaGroup")
    assert len(refused) == 1  # tried once, not retried as if temporary
    assert set(await _statuses(h)) == {"sent"}


async def test_a_temporary_failure_of_a_picture_is_retried_with_it(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    await setup_staff(h)
    fake.read(TECH)
    await _queue(h, TECH, OutboundMessage("Заявка №7", photos=(await _store(h, PNG),)))
    fake.fail("500", method="sendPhoto")
    await h.app.outbox.drain()
    assert fake.read(TECH) == []
    h.clock.advance(seconds=3)
    await h.app.outbox.drain()
    [card] = fake.read(TECH)
    assert card.photos == 1 and card.text == "Заявка №7"


async def test_a_message_refused_in_every_form_is_dead_lettered_at_once(
    tg_webhook: TgHarness,
) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    await setup_staff(h)
    fake.read(TECH)
    fake.fail(
        "400", method="sendMessage", chat=str(TECH), description="Bad Request: BUTTON_DATA_INVALID"
    )
    fake.fail("400", method="sendMessage", chat=str(TECH), description="Bad Request: TEXT_INVALID")
    await _queue(h, TECH, OutboundMessage("Заявка №7", buttons=(ACCEPT,)), OutboundMessage("№8"))
    await h.app.outbox.drain()
    assert [m.text for m in fake.read(TECH)] == ["№8"]
    assert len(fake.methods("sendMessage")) >= 3  # as it is, as plain text, then the next
    await h.send(fake.text(3001, "/failed", chat=GROUP))
    failed = fake.read(GROUP)[-1].text
    # Why the message as it was is refused.
    assert f"telegram/{TECH}: Telegram server says - Bad Request: BUTTON_DATA_INVALID" in failed
