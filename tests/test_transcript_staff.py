"""Staff: invites, the dispatchers' commands, English, and delivery failures."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot import admin
from core.channel import Capabilities, Delivered, DeliveryError, OutboundMessage
from core.storage.tables import Identity, Person
from tests.support.harness import Harness, file_request, number_in

GROUP = "dispatch"


async def test_invite_binds_a_new_technician_once(harness: Harness, tmp_path: Path) -> None:
    h = harness
    staff = tmp_path / "staff.csv"
    staff.write_text("code,name,role,trade\ntech-9,Павел Орлов,technician,Сантехник\n", "utf-8")
    await admin.import_staff(h.app.db, staff, h.clock())
    # Before the invite the account is an ordinary resident.
    replies = await h.say("pavel", "/jobs")
    assert "Здравствуйте" in replies[0].text
    token = await admin.create_invite(h.app.db, h.clock(), person_code="tech-9", group=False)
    replies = await h.say("pavel", f"/start inv-{token}")
    assert "Павел Орлов" in replies[-1].text and "техник" in replies[-1].text
    assert "нет открытых заданий" in (await h.say("pavel", "/jobs"))[-1].text
    # The invite works once.
    replies = await h.say("someone-else", f"/start inv-{token}")
    assert "недействительна" in replies[-1].text
    # An expired invite does not work.
    late = await admin.create_invite(h.app.db, h.clock(), person_code="tech-9", group=False, days=1)
    h.clock.advance(days=2)
    assert "недействительна" in (await h.say("late", f"/start inv-{late}"))[-1].text


async def test_group_invite_binds_a_new_dispatch_group(harness: Harness) -> None:
    h = harness
    token = await admin.create_invite(h.app.db, h.clock(), person_code=None, group=True)
    # Only a dispatcher can bind a group with it.
    replies = await h.say("res-1", f"/start inv-{token}", chat="new-group")
    assert "недействительна" in replies[-1].text  # and the invite is not used up
    replies = await h.say("disp-2", f"/start inv-{token}", chat="new-group")
    assert "группа диспетчеров" in replies[-1].text
    replies = await h.say("res-2", "Садовая 12 кв 45 не работает домофон")
    replies = await h.press("res-2", replies[-1].button("Двери и домофон"))
    replies = await h.press("res-2", replies[-1].button("Пропустить"))
    number = number_in(await h.press("res-2", replies[-1].button("Подтвердить")))
    cards = await h.read("new-group")
    assert any(f"№{number}" in c.text for c in cards)


async def test_dispatcher_commands(harness: Harness) -> None:
    h = harness
    number = (await file_request(h)).number
    await h.skip(GROUP)
    listing = (await h.say("disp-1", "/open", chat=GROUP))[-1]
    assert f"№{number}" in listing.text and "не назначен" in listing.text
    shown = await h.say("disp-2", f"/show {number}", chat=GROUP)
    assert f"Заявка №{number}" in shown[0].text and "История" in shown[-1].text
    assert (await h.say("disp-1", "просто разговор в группе", chat=GROUP)) == []
    assert "Не знаю такой команды" in (await h.say("disp-1", "/nonsense", chat=GROUP))[-1].text
    # A dispatcher's comment reaches the resident.
    card = shown[0]
    await h.press("disp-1", card.button("Комментарий"), chat=GROUP)
    await h.say("disp-1", "мастер будет завтра с 9 до 12", chat=GROUP)
    told = (await h.read("res-1"))[-1]
    assert "Сообщение от диспетчера" in told.text and "с 9 до 12" in told.text


async def test_resident_can_switch_to_english(harness: Harness) -> None:
    h = harness
    replies = await h.say("guest-en", "здравствуйте")
    greeting = replies[0]
    replies = await h.press("guest-en", greeting.button("English"))
    assert replies[0].text == "Language: English."
    replies = await h.say("guest-en", "Lenina 5 apt 12 the tap is leaking")
    assert "problem" in replies[-1].text.lower()
    assert not any("\u0400" <= ch <= "\u04ff" for ch in replies[-1].text.replace("ё", ""))


class FlakyChannel:
    """A channel whose first sends fail the way messengers fail."""

    name = "flaky"
    capabilities = Capabilities()

    def __init__(self, failures: list[DeliveryError]) -> None:
        self.failures = failures
        self.sent: list[tuple[str, str]] = []

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat, message.text))
        return Delivered(str(len(self.sent)))


async def test_delivery_retries_in_order_and_dead_letters(harness: Harness) -> None:
    h = harness
    flaky = FlakyChannel([DeliveryError("429", retry_after=3), DeliveryError("500")])
    h.app.channels["flaky"] = flaky
    from bot.notices import queue_message

    async with h.app.db.transaction() as session:
        for text in ("one", "two", "three"):
            await queue_message(session, h.clock(), "flaky", "c1", OutboundMessage(text))
        await queue_message(session, h.clock(), "flaky", "gone", OutboundMessage("x"))
    await h.app.outbox.drain()
    assert flaky.sent == []  # "one" waits 3 s as told; "two" and "three" wait behind it
    h.clock.advance(seconds=3)
    await h.app.outbox.drain()  # the 500 now: back off
    h.clock.advance(seconds=5)
    await h.app.outbox.drain()
    assert [t for c, t in flaky.sent if c == "c1"] == ["one", "two", "three"]
    # A technician who blocked the bot: dead-lettered, marked unreachable, dispatchers told.
    async with h.app.db.transaction() as session:
        tech = await session.scalar(select(Person).where(Person.code == "tech-2"))
        assert tech is not None
        session.add(
            Identity(
                person_id=tech.id,
                channel="flaky",
                external_id="77",
                chat="77",
                last_seen_at=h.clock(),
            )
        )
        await queue_message(session, h.clock(), "flaky", "77", OutboundMessage("job"))
    flaky.failures = [DeliveryError("blocked", permanent=True)]
    await h.settle()
    assert "Алексей Смирнов недоступен в канале flaky" in (await h.read(GROUP))[-1].text
    failed = (await h.say("disp-1", "/failed", chat=GROUP))[-1]
    assert "flaky/77: blocked" in failed.text
    async with h.app.db.reading() as session:
        identity = await session.scalar(select(Identity).where(Identity.channel == "flaky"))
        assert identity is not None and identity.unreachable
