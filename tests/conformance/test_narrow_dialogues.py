"""Every dialogue completes on a narrow channel (3 buttons of 20 characters, no edits,
no lists, a 24-hour window), driven only by typed replies: numbers, letters, words.

The narrow channel fails any send beyond its limits, so each step also proves that
what the service showed fitted."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from bot.texts import ru
from core.channel import OutboundMessage
from core.storage.tables import GroupBinding, Identity, OutboxItem, Request
from tests.conformance.narrow import NAME, NarrowChannel, plug_in, type_in
from tests.support.harness import Harness

GROUP = "narrow-dispatch"


@dataclass
class Narrow:
    h: Harness
    channel: NarrowChannel

    async def say(self, user: str, text: str, chat: str = "") -> list[OutboundMessage]:
        """``user`` types ``text``; what that chat was sent in answer."""
        await type_in(self.h.app, self.h.clock(), user, text, chat)
        return self.channel.read(chat or user)

    def read(self, chat: str) -> list[OutboundMessage]:
        return self.channel.read(chat)


def option(message: OutboundMessage, title: str) -> str:
    """What the message shows before the option whose title holds ``title`` ("2", "б")."""
    for line in message.text.splitlines():
        found = re.match(r"^(\w+)[.)] (.*)$", line)
        if found and title in found.group(2):
            return found.group(1)
    raise AssertionError(f"no option {title!r} in {message.text!r}")


@pytest.fixture
async def narrow(harness: Harness) -> AsyncIterator[Narrow]:
    """The demo service with the narrow channel next to the web chat: the technician
    Сергей Иванов and the dispatcher Ольга Васильева write from it, and its group is
    bound as a dispatchers' group."""
    h = harness
    channel = plug_in(h.app, NarrowChannel())
    async with h.app.db.transaction() as session:
        await session.execute(
            update(Identity)
            .where(Identity.external_id.in_(["tech-1", "disp-1"]))
            .values(channel=NAME, last_seen_at=h.clock())
        )
        session.add(
            GroupBinding(channel=NAME, chat=GROUP, purpose="dispatch", created_at=h.clock())
        )
    yield Narrow(h, channel)


async def file_by_typing(n: Narrow, user: str = "r1") -> int:
    """A resident files a request answering every question by typing."""
    replies = await n.say(user, "не работает кран")
    assert "Здравствуйте" in replies[0].text
    building = replies[-1]
    assert "По какому адресу" in building.text and not building.buttons
    place = (await n.say(user, option(building, "Ленина")))[-1]
    # Numbers are answers here (a flat), so the places are lettered, not numbered.
    assert option(place, "Квартира") == "а" and option(place, "Подвал") == "в"
    category = (await n.say(user, "кв 12"))[-1]
    assert "тип проблемы" in category.text
    photos = (await n.say(user, "первый"))[-1]  # the first type: water
    assert "фото" in photos.text.lower()
    phone = (await n.say(user, "Пропустить"))[-1]
    # The channel cannot ask for the contact: the message asks to type it.
    assert "Напишите номер телефона сообщением" in phone.text
    summary = (await n.say(user, "+7 912 000-11-22"))[-1]
    assert "квартира 12" in summary.text and "Водоснабжение" in summary.text
    assert "+79120001122" in summary.text
    filed = (await n.say(user, "подтвердить"))[-1]
    found = re.search(r"№(\d+) принята", filed.text)
    assert found, filed.text
    return int(found.group(1))


async def test_a_request_from_filing_to_rating_by_typed_replies(narrow: Narrow) -> None:
    n = narrow
    number = await file_by_typing(n)
    card = n.read(GROUP)[-1]
    assert f"№{number}" in card.text and "1. 👷 Назначить" in card.text
    # The dispatcher changes the type (a number, then words) and the urgency.
    types = (await n.say("disp-1", option(card, "Тип"), GROUP))[-1]
    assert "Новый тип" in types.text
    card = (await n.say("disp-1", "канализация", GROUP))[-1]
    assert "Канализация · Обычная" in card.text
    urgencies = (await n.say("disp-1", option(card, "Срочность"), GROUP))[-1]
    assert [b.text for row in urgencies.buttons for b in row] == ["🚨 Авария", "Срочная", "Обычная"]
    card = (await n.say("disp-1", "срочная", GROUP))[-1]
    assert "Канализация · Срочная" in card.text
    asked = (await n.say("disp-1", "комментарий", GROUP))[-1]
    assert "комментарий" in asked.text
    noted = await n.say("disp-1", "Жильца нет дома до 18:00", GROUP)
    assert "Жильца нет дома до 18:00" in noted[-1].text
    assert "Жильца нет дома" in n.read("r1")[-1].text
    # After the note the card is shown again to act on it.
    card = (await n.say("disp-1", f"/show {number}", GROUP))[0]
    picker = (await n.say("disp-1", option(card, "Назначить"), GROUP))[-1]
    assert "Кого назначить" in picker.text
    card = (await n.say("disp-1", "Сергей Иванов", GROUP))[-1]
    assert "Исполнитель: Сергей Иванов" in card.text

    job = n.read("tech-1")[-1]
    assert f"№{number}" in job.text
    job = (await n.say("tech-1", "принять"))[-1]
    assert "принята в работу" in job.text
    assert "принял" in n.read("r1")[-1].text
    asked = (await n.say("tech-1", option(job, "Отложить")))[-1]
    assert "Почему откладываете" in asked.text
    asked = (await n.say("tech-1", "нет нужной прокладки"))[-1]
    assert "На когда" in asked.text
    job = (await n.say("tech-1", "послезавтра 10:00"))[-1]
    assert "отложена" in job.text
    assert "перенесены" in n.read("r1")[-1].text
    job = (await n.say("tech-1", "начать"))[-1]
    assert "выполняется" in job.text
    asked = (await n.say("tech-1", option(job, "Выполнено")))[-1]
    assert "фотоотчёт" in asked.text
    await n.say("tech-1", "заменил прокладку, течи нет")
    finished = (await n.say("tech-1", "готово"))[-1]
    assert "выполнена" in finished.text

    done = n.read("r1")[-1]
    assert "выполнены" in done.text
    rate = (await n.say("r1", "да, всё сделано"))[-1]
    assert "Оцените" in rate.text
    thanks = (await n.say("r1", option(rate, "★★★★★")))[-1]
    assert "Спасибо за оценку ★★★★★" in thanks.text
    async with n.h.app.db.reading() as session:
        failed = await session.scalars(
            select(OutboxItem.last_error).where(OutboxItem.status == "failed")
        )
        assert list(failed) == []


async def test_the_dispatcher_closes_a_request_by_typed_replies(narrow: Narrow) -> None:
    n = narrow
    number = await file_by_typing(n, "r2")
    card = n.read(GROUP)[-1]
    closed = (await n.say("disp-1", option(card, "Закрыть"), GROUP))[-1]
    assert f"№{number} · закрыта" in closed.text and "Закрыта диспетчером" in closed.text
    # A closed card has nothing left to choose: a number typed now is just a message.
    assert "Назначить" not in closed.text
    assert await n.say("disp-1", "1", GROUP) == []


async def test_the_dispatcher_sets_a_deadline_by_typed_replies(narrow: Narrow) -> None:
    n = narrow
    number = await file_by_typing(n)
    card = n.read(GROUP)[-1]
    asked = (await n.say("disp-1", option(card, "Срок"), GROUP))[-1]
    assert f"Новый срок для заявки №{number}" in asked.text
    card = (await n.say("disp-1", "28.11 10:00", GROUP))[-1]
    assert "Срок изменён: 28.11.2026 10:00" in card.text
    assert "28.11.2026 10:00" in n.read("r1")[-1].text


async def test_a_typed_option_of_a_job_taken_away_meanwhile_changes_nothing(
    narrow: Narrow,
) -> None:
    n = narrow
    number = await file_by_typing(n, "r3")
    # A dispatcher in the web group assigns the job to Сергей Иванов (on the narrow channel)...
    card = (await n.h.read("dispatch"))[-1]
    picker = (await n.h.press("disp-2", card.button("Назначить"), chat="dispatch"))[-1]
    card = (await n.h.press("disp-2", picker.button("Сергей Иванов"), chat="dispatch"))[-1]
    job = n.read("tech-1")[-1]
    assert f"№{number}" in job.text and "✅ Принять" in [b.text for r in job.buttons for b in r]
    # ... and, before he answers, to someone else.
    picker = (await n.h.press("disp-2", card.button("Назначить"), chat="dispatch"))[-1]
    await n.h.press("disp-2", picker.button("Алексей Смирнов"), chat="dispatch")
    assert "передана другому технику" in n.read("tech-1")[-1].text
    # His typed "accept" is checked like a press of the old button: refused.
    refused = await n.say("tech-1", "принять")
    assert [m.text for m in refused] == [ru.TEXTS["stale"]]
    async with n.h.app.db.reading() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
    assert request is not None and request.status == "assigned"
