"""An emergency card is pinned in the group until a technician takes the job."""

from __future__ import annotations

from sqlalchemy import select

from core.storage.tables import OutboxItem
from tests.support.harness import Harness, file_request

GROUP = "dispatch"


async def last_card_pin(h: Harness) -> object:
    async with h.app.db.reading() as session:
        rows = await session.scalars(
            select(OutboxItem).where(OutboxItem.chat == GROUP).order_by(OutboxItem.id.desc())
        )
        for row in rows:
            if row.body.get("edit_key", "").startswith("card:"):
                return row.body.get("pin")
    raise AssertionError("no card")


async def test_pinned_while_waiting_unpinned_when_taken(harness: Harness) -> None:
    h = harness
    await file_request(h)
    card = (await h.read(GROUP))[-1]
    assert await last_card_pin(h) is None  # an ordinary request: nothing to pin

    picker = (await h.press("disp-1", card.button("Срочность"), chat=GROUP))[-1]
    card = (await h.press("disp-1", picker.button("Авария"), chat=GROUP))[-1]
    assert await last_card_pin(h) is True
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    card = (await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP))[-1]
    assert await last_card_pin(h) is True  # assigned, not yet accepted
    job = (await h.read("tech-1"))[-1]
    await h.press("tech-1", job.button("Принять"))
    assert await last_card_pin(h) is False

    # A command's copy of the card is never pinned or edited in place.
    shown = await h.say("disp-2", "/show 1001", chat=GROUP)
    assert shown
    async with h.app.db.reading() as session:
        copy = await session.scalar(
            select(OutboxItem)
            .where(OutboxItem.chat == GROUP)
            .order_by(OutboxItem.id.desc())
            .offset(1)
        )
        assert copy is not None and copy.body.get("pin") is None and copy.body["edit_key"] == ""
