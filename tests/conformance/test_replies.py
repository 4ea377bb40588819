"""Typed replies handled several to a transaction (SQLite batches) are recognised from
menus read once for the batch, and a menu answered early in a batch is not answered
again later in it."""

from __future__ import annotations

import logging

import pytest

from bot.texts import ru
from core.channel import EventKind, InboundEvent
from core.storage import queues
from tests.conformance.narrow import NAME, NarrowChannel, plug_in, type_in
from tests.support.harness import Harness, settle


async def test_replies_in_one_batch(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    h = harness
    narrow = plug_in(h.app, NarrowChannel())
    for user in ("r1", "r2"):
        await type_in(h.app, h.clock(), user, "не работает кран, Ленина 5 кв 12")
        assert "1. Водоснабжение" in narrow.read(user)[-1].text
    # r1 answers and at once sends another number; r2 answers too.
    for n, (user, text) in enumerate([("r1", "3"), ("r1", "2"), ("r2", "первый")]):
        event = InboundEvent(NAME, f"batch-{n}", user, user, EventKind.TEXT, h.clock(), text=text)
        await queues.accept_inbound(h.app.db, event)
    with caplog.at_level(logging.INFO, "bot.workers"):
        assert await h.app.inbox.drain() == 3
    assert "one event per transaction" not in caplog.text  # handled as one batch
    await settle(h.app)
    photos = ru.TEXTS["ask_photos"]
    assert [m.text for m in narrow.read("r2")] == [photos]
    # r1's "3" took the third type; the menu was answered, so "2" is just a message at
    # the photo question, not a second type.
    assert [m.text for m in narrow.read("r1")] == [photos, f"{ru.TEXTS['use_buttons']}\n\n{photos}"]
    for user, category in (("r1", "Отопление"), ("r2", "Водоснабжение")):
        await type_in(h.app, h.clock(), user, "пропустить")
        await type_in(h.app, h.clock(), user, "пропустить")
        assert f"Тип: {category}" in narrow.read(user)[-1].text
