"""Messaging windows, decided once at delivery: inside the window a message goes as
addressed; outside it through the channel's fallback, else to the person's other
identity, else it fails where staff see it.  And a message in parts, retried, does
not repeat the parts already sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update

from bot.notices import queue_message
from core.channel import Button, Delivered, DeliveryError, OutboundMessage
from core.storage.tables import GroupBinding, Identity, OutboxItem
from tests.conformance.narrow import NAME, AnyNarrow, NarrowChannel, plug_in, type_in
from tests.support.harness import Harness, settle

NOTE = "Работы по заявке перенесены на завтра."


async def _send_to(h: Harness, chat: str, message: OutboundMessage) -> OutboxItem:
    async with h.app.db.transaction() as session:
        await queue_message(session, h.clock(), NAME, chat, message)
    await settle(h.app)
    async with h.app.db.reading() as session:
        row = await session.scalar(select(OutboxItem).order_by(OutboxItem.id.desc()).limit(1))
    assert row is not None
    return row


async def _r1_wrote(h: Harness, channel: AnyNarrow) -> AnyNarrow:
    """``channel`` plugged in as the narrow channel, and r1 has written on it (what r1 was
    answered is read away): its window is open from now."""
    narrow = plug_in(h.app, channel)
    await type_in(h.app, h.clock(), "r1", "/help")
    narrow.read("r1")
    return narrow


async def _also_on_the_web(h: Harness, channel: AnyNarrow) -> AnyNarrow:
    """:func:`_r1_wrote`, then r1 writes from the web chat as r1-web too, and the two
    identities are linked to one person."""
    narrow = await _r1_wrote(h, channel)
    await h.say("r1-web", "/help")
    async with h.app.db.transaction() as session:
        mine = await session.scalar(select(Identity).where(Identity.channel == NAME))
        assert mine is not None
        await session.execute(
            update(Identity)
            .where(Identity.channel == "web", Identity.external_id == "r1-web")
            .values(person_id=mine.person_id)
        )
    return narrow


async def test_inside_the_window_a_message_goes_as_addressed(any_harness: Harness) -> None:
    h = any_harness
    narrow = await _r1_wrote(h, NarrowChannel())
    h.clock.advance(hours=23, minutes=59)
    row = await _send_to(h, "r1", OutboundMessage(NOTE))
    assert [m.text for m in narrow.read("r1")] == [NOTE]
    assert row.status == "sent"


@dataclass
class WithTemplates(NarrowChannel):
    outside: list[tuple[str, OutboundMessage]] = field(default_factory=list)

    async def send_outside_window(self, chat: str, message: OutboundMessage) -> Delivered:
        self.outside.append((chat, message))
        return Delivered("template-1")


async def test_outside_the_window_the_channels_fallback(any_harness: Harness) -> None:
    h = any_harness
    narrow = await _r1_wrote(h, WithTemplates())
    h.clock.advance(hours=24, minutes=1)
    row = await _send_to(h, "r1", OutboundMessage(NOTE))
    assert narrow.read("r1") == []
    assert narrow.outside == [("r1", OutboundMessage(NOTE))]
    assert row.status == "sent" and row.delivery_id == "template-1"


async def test_outside_the_window_the_persons_other_identity(any_harness: Harness) -> None:
    h = any_harness
    narrow = await _also_on_the_web(h, NarrowChannel())
    h.clock.advance(hours=30)
    many = OutboundMessage(NOTE, tuple((b,) for b in _buttons(5)))
    row = await _send_to(h, "r1", many)
    assert narrow.read("r1") == []
    (shown,) = await h.read("r1-web")
    # The web chat shows the message as it is (its keyboard fits there).
    assert shown.text == NOTE and shown.labels == [b.text for b in _buttons(5)]
    assert row.status == "sent"


async def test_outside_the_window_with_nowhere_to_go_the_row_fails_for_staff_to_see(
    any_harness: Harness,
) -> None:
    h = any_harness
    narrow = await _r1_wrote(h, NarrowChannel())
    h.clock.advance(days=2)
    row = await _send_to(h, "r1", OutboundMessage(NOTE))
    assert narrow.read("r1") == []
    assert row.status == "failed" and "24 ч" in row.last_error
    failed = (await h.say("disp-1", "/failed", chat="dispatch"))[-1]
    assert f"#{row.id} {NAME}/r1" in failed.text and "24 ч" in failed.text


async def test_a_group_chat_has_no_window(any_harness: Harness) -> None:
    h = any_harness
    narrow = plug_in(h.app, NarrowChannel())
    async with h.app.db.transaction() as session:
        session.add(
            GroupBinding(channel=NAME, chat="grp", purpose="dispatch", created_at=h.clock())
        )
    h.clock.advance(days=3)
    row = await _send_to(h, "grp", OutboundMessage(NOTE))
    assert [m.text for m in narrow.read("grp")] == [NOTE] and row.status == "sent"


def _buttons(count: int) -> list[Button]:
    return [Button(f"Вариант {i}", f"v1:q:x:{i}") for i in range(count)]


@dataclass
class Flaky(NarrowChannel):
    """Once armed, fails the second send from then on, once."""

    calls: int | None = None

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        if self.calls is not None:
            self.calls += 1
            if self.calls == 2:
                raise DeliveryError("network down", retry_after=5)
        return await super().send(chat, message, edit_of=edit_of)


async def test_a_retry_sends_only_the_parts_not_yet_sent(any_harness: Harness) -> None:
    h = any_harness
    narrow = await _r1_wrote(h, Flaky())
    narrow.calls = 0
    text = "\n\n".join(f"Часть {i}. " + "слово " * 150 for i in range(3))
    row = await _send_to(h, "r1", OutboundMessage(text, ((Button("Да", "v1:q:x:y"),),)))
    assert row.status == "pending"
    first = narrow.read("r1")
    assert [m.text.split(".")[0] for m in first] == ["Часть 0"]
    h.clock.advance(seconds=6)
    await settle(h.app)
    rest = narrow.read("r1")
    assert [m.text.split(".")[0] for m in rest] == ["Часть 1", "Часть 2"]
    assert rest[-1].buttons and not first[0].buttons


async def test_linked_first_prefers_the_persons_other_messenger_to_the_template(
    any_harness: Harness,
) -> None:
    h = any_harness
    h.app.outbox.linked_first = True  # WINDOW_FALLBACK=linked
    narrow = await _also_on_the_web(h, WithTemplates())
    h.clock.advance(hours=30)
    row = await _send_to(h, "r1", OutboundMessage(NOTE))
    assert narrow.outside == [] and narrow.read("r1") == []
    (shown,) = await h.read("r1-web")
    assert shown.text == NOTE and row.status == "sent"


async def test_linked_first_without_another_messenger_still_sends_the_template(
    any_harness: Harness,
) -> None:
    h = any_harness
    h.app.outbox.linked_first = True
    narrow = await _r1_wrote(h, WithTemplates())
    h.clock.advance(hours=30)
    row = await _send_to(h, "r1", OutboundMessage(NOTE))
    assert narrow.outside == [("r1", OutboundMessage(NOTE))]
    assert row.status == "sent" and row.delivery_id == "template-1"
