"""Every button press is answered once (answerCallbackQuery); a refused press is answered
with its reason as a toast over the chat instead of a chat message."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.limiter import RateLimiter
from bot import texts
from bot.notices import queue_message
from core.channel import DeliveryError, OutboundMessage
from core.storage.tables import InboxItem, OutboxItem, Request
from tests.telegram.fake_api import Call
from tests.telegram.harness import TgHarness
from tests.telegram.test_telegram_transcript import (
    DISPATCHER,
    GROUP,
    RESIDENT,
    file_with_album,
    setup_staff,
)

STALE = texts.t("ru", "stale")
RESIDENT_CHAT = str(RESIDENT)
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


async def assign_pressed_on_a_new_card(h: TgHarness, user: int = DISPATCHER) -> dict[str, Any]:
    """A request is filed; ``user`` presses «Назначить» on its card in the group (the
    press is built, not yet sent)."""
    await setup_staff(h)
    await file_with_album(h)
    card = h.fake.read(GROUP)[-1]
    return h.fake.press(user, card.button("Назначить"), chat=GROUP)


def answers(h: TgHarness, update: dict[str, Any]) -> list[Call]:
    """The answerCallbackQuery calls for this press."""
    query_id = update["callback_query"]["id"]
    return [
        c
        for c in h.fake.methods("answerCallbackQuery")
        if c.params.get("callback_query_id") == query_id
    ]


async def count(h: TgHarness, table: type) -> int:
    async with h.app.db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_a_forged_press_gets_a_toast_and_no_message(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    await h.send(fake.text(RESIDENT, "/start"))
    fake.read(RESIDENT)
    forged = fake.press(RESIDENT, "v9:nonsense")
    await h.send(forged)
    [answer] = answers(h, forged)
    assert answer.params.get("text") == STALE
    assert not answer.params.get("show_alert")
    assert fake.read(RESIDENT) == []


async def test_an_accepted_press_is_answered_once_without_text(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    pressed = await assign_pressed_on_a_new_card(h)
    start = len(fake.calls)
    await h.send(pressed)
    [answer] = answers(h, pressed)
    assert not answer.params.get("text")
    assert "Сергей Иванов" in " ".join(t for t, _ in fake.read(GROUP)[-1].buttons)
    # The answer goes out first, ahead of the chat messages its turn queued.
    calls = [c.method for c in fake.calls[start:] if c.method != "getUpdates"]
    assert calls == ["answerCallbackQuery", "sendMessage"], calls
    # Every press of the filing was answered exactly once, none with a toast.
    for update in h.sent_updates:
        if "callback_query" in update:
            [answer] = answers(h, update)
            assert not answer.params.get("text")


async def test_a_stale_card_button_is_a_toast_and_changes_nothing(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    await setup_staff(h)
    number = await file_with_album(h)
    card = fake.read(GROUP)[-1]
    await h.send(fake.press(DISPATCHER, card.button("Назначить"), chat=GROUP))
    picker = fake.read(GROUP)[-1]
    assign = picker.button("Сергей Иванов")
    await h.send(fake.press(DISPATCHER, assign, chat=GROUP))
    fake.read(GROUP)
    edits = card.edited
    async with h.app.db.reading() as session:
        before = await session.scalar(select(Request.version).where(Request.number == number))

    # The same picker button again: the request has moved on since it was drawn.
    again = fake.press(DISPATCHER, assign, chat=GROUP)
    await h.send(again)
    [answer] = answers(h, again)
    assert answer.params.get("text") == texts.t("ru", "refused_stale")
    assert fake.read(GROUP) == [] and card.edited == edits
    async with h.app.db.reading() as session:
        after = await session.scalar(select(Request.version).where(Request.number == number))
    assert after == before


async def test_a_stranger_pressing_a_group_button_gets_a_toast(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    stranger = await assign_pressed_on_a_new_card(h, user=4242)
    await h.send(stranger)
    [answer] = answers(h, stranger)
    assert answer.params.get("text") == texts.t("ru", "group_not_staff")
    assert fake.read(GROUP) == []


async def test_a_repeated_press_is_answered_once_and_changes_nothing(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    pressed = await assign_pressed_on_a_new_card(h)
    await h.send(pressed)
    assert len(fake.read(GROUP)) == 1  # the technician picker
    inbox, outbox = await count(h, InboxItem), await count(h, OutboxItem)

    await h.send(pressed)  # Telegram delivers the same update again
    assert [bool(a.params.get("text")) for a in answers(h, pressed)] == [False]
    assert fake.read(GROUP) == []
    assert (await count(h, InboxItem), await count(h, OutboxItem)) == (inbox, outbox)


async def test_a_press_delivered_again_before_its_turn_keeps_its_toast(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    await h.send(fake.text(RESIDENT, "/start"))
    fake.read(RESIDENT)
    forged = fake.press(RESIDENT, "v9:nonsense")
    await h.send(forged, settle=False)
    await h.send(forged, settle=False)  # not acknowledged in time: Telegram sends it again
    await h.settle()
    assert [a.params.get("text") for a in answers(h, forged)] == [STALE]
    assert fake.read(RESIDENT) == []


async def test_a_press_whose_turn_fails_is_still_answered(
    tg_webhook: TgHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    await h.send(fake.text(RESIDENT, "/start"))
    fake.read(RESIDENT)

    async def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.workers.handle_event", broken)
    pressed = fake.press(RESIDENT, "v9:nonsense")
    await h.send(pressed)
    [answer] = answers(h, pressed)
    assert not answer.params.get("text")
    [apology] = fake.read(RESIDENT)
    assert apology.text == texts.t("ru", "error")


async def test_sending_an_answer(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    channel = h.channel
    long = OutboundMessage("й" * 300, answer_to="cb-1")
    assert (await channel.send(RESIDENT_CHAT, long)).delivery_id == ""
    [call] = fake.methods("answerCallbackQuery")
    assert call.params["text"] == "й" * 200 and call.params["callback_query_id"] == "cb-1"
    assert fake.read(RESIDENT) == []

    # Too late, or answered already: done, nothing to retry.
    fake.fail("400", method="answerCallbackQuery", description=TOO_OLD)
    await channel.send(RESIDENT_CHAT, OutboundMessage("", answer_to="cb-2"))
    # Anything else is retried like any delivery.
    fake.fail("500", method="answerCallbackQuery")
    with pytest.raises(DeliveryError) as failed:
        await channel.send(RESIDENT_CHAT, OutboundMessage("", answer_to="cb-3"))
    assert not failed.value.permanent
    fake.fail("400", method="answerCallbackQuery", description="Bad Request: something else")
    with pytest.raises(DeliveryError):
        await channel.send(RESIDENT_CHAT, OutboundMessage("", answer_to="cb-4"))


async def test_an_answer_is_not_held_by_the_send_limits(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    channel = h.channel
    channel.limiter = RateLimiter()  # Telegram's real limits: one message a second here
    await channel.send(RESIDENT_CHAT, OutboundMessage("first"))
    assert channel.ready_in(RESIDENT_CHAT) > 0
    async with h.app.db.transaction() as session:
        await queue_message(
            session, h.clock(), "telegram", RESIDENT_CHAT, OutboundMessage("", answer_to="cb-0")
        )
    assert await h.app.outbox.drain() == 1  # the worker does not hold it for the chat
    for i in range(1, 5):
        await channel.send(RESIDENT_CHAT, OutboundMessage("", answer_to=f"cb-{i}"))
    assert channel.limiter.waited == 0
    assert len(fake.methods("answerCallbackQuery")) == 5
