"""The whole lifecycle in Telegram, in polling and in webhook mode, against the fake Bot API:
a resident files a request with an album and a caption, the dispatchers assign from their
group, the technician accepts and completes with a photo report, the resident confirms
and rates."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot import admin
from core.storage.tables import OutboxItem
from tests.support.harness import photos_of_request, png
from tests.telegram.fake_api import Sent
from tests.telegram.harness import TgHarness

RESIDENT = 1001
TECH = 2001
DISPATCHER = 3001
GROUP = -100123


def texts(messages: list[Sent]) -> list[str]:
    return [m.text for m in messages]


def number_in(messages: list[Sent]) -> int:
    for message in messages:
        match = re.search(r"№(\d+)", message.text)
        if match:
            return int(match.group(1))
    raise AssertionError(f"no request number in {texts(messages)}")


async def setup_staff(h: TgHarness) -> None:
    await admin.bind_group(h.app.db, "telegram", str(GROUP), h.clock())
    told = await h.bind_staff("tech-1", TECH)
    assert "Сергей Иванов" in told[-1].text, texts(told)
    told = await h.bind_staff("disp-1", DISPATCHER)
    assert "Ольга Васильева" in told[-1].text, texts(told)


async def file_with_album(h: TgHarness) -> int:
    fake = h.fake
    caption = "Ленина 5, кв 12 — течёт кран на кухне"
    for i in range(3):
        text = caption if i == 0 else ""
        update = fake.photo(RESIDENT, png(i), caption=text, group="a1")
        await h.send(update, settle=False)
    await h.settle()
    assert fake.read(RESIDENT) == []  # the album is still being collected
    h.clock.advance(seconds=2)
    await h.settle()
    replies = fake.read(RESIDENT)
    assert "Здравствуйте" in replies[0].text
    assert "тип проблемы" in replies[-1].text, texts(replies)
    await h.send(fake.press(RESIDENT, replies[-1].button("Водоснабжение")))
    replies = fake.read(RESIDENT)
    assert "Фото добавлено (3)" in replies[-1].text, texts(replies)
    await h.send(fake.press(RESIDENT, replies[-1].button("Готово")))
    replies = fake.read(RESIDENT)
    await h.send(fake.press(RESIDENT, replies[-1].button("Пропустить")))  # phone
    summary = fake.read(RESIDENT)
    assert summary[-1].photos == 0
    text = " ".join(texts(summary))
    assert "Фото: 3" in text and "ул. Ленина, д. 5" in text and "течёт кран" in text, text
    await h.send(fake.press(RESIDENT, summary[-1].button("Подтвердить")))
    replies = fake.read(RESIDENT)
    assert "принята" in replies[-1].text, texts(replies)
    return number_in(replies)


async def test_lifecycle(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    await setup_staff(h)
    number = await file_with_album(h)
    assert await photos_of_request(h.app, number) == 3
    assert len(fake.methods("getFile")) == 3  # the largest size of each photo, once

    # The card in the group: the album, then the text with the buttons.
    group = fake.read(GROUP)
    assert sum(m.photos for m in group) == 3
    card = group[-1]
    assert f"№{number}" in card.text and "Назначить" in " ".join(t for t, _ in card.buttons)
    assert str(GROUP) in {c.chat for c in fake.methods("sendMediaGroup")}

    # The dispatcher assigns from the group.
    await h.send(fake.press(DISPATCHER, card.button("Назначить"), chat=GROUP))
    picker = fake.read(GROUP)[-1]
    await h.send(fake.press(DISPATCHER, picker.button("Сергей Иванов"), chat=GROUP))
    # The card is edited in place, not posted again.
    assert "Назначен: Сергей Иванов" in card.text and card.edited == 1
    edits = fake.methods("editMessageText")
    assert [(e.chat, e.params["message_id"]) for e in edits] == [(str(GROUP), card.message_id)]
    assert "назначен техник" in fake.read(RESIDENT)[-1].text

    # The technician accepts, starts and completes with a photo report.
    job = fake.read(TECH)[-1]
    assert f"№{number}" in job.text
    await h.send(fake.press(TECH, job.button("Принять")))
    job = fake.read(TECH)[-1]
    assert "принял" in fake.read(RESIDENT)[-1].text
    await h.send(fake.press(TECH, job.button("Начать")))
    job = fake.read(TECH)[-1]
    await h.send(fake.press(TECH, job.button("Выполнено")))
    assert "фотоотчёт" in fake.read(TECH)[-1].text
    await h.send(fake.photo(TECH, png(99), caption="заменил прокладку"))
    await h.send(fake.text(TECH, "готово"))
    assert "выполнена" in fake.read(TECH)[-1].text

    done = fake.read(RESIDENT)
    assert any(m.photos for m in done), done  # the report photo is uploaded to the resident
    assert "выполнены" in " ".join(texts(done))

    # The resident confirms and rates.
    await h.send(fake.press(RESIDENT, done[-1].button("Да")))
    closed = fake.read(RESIDENT)[-1]
    assert "закрыта" in closed.text
    await h.send(fake.press(RESIDENT, closed.button("★★★★★")))
    assert "Спасибо за оценку" in fake.read(RESIDENT)[-1].text

    # Every button press was answered, after it was stored.
    answered = [
        c.params["callback_query_id"] for c in fake.calls if c.method == "answerCallbackQuery"
    ]
    pressed = [u["callback_query"]["id"] for u in h.sent_updates if "callback_query" in u]
    assert pressed and sorted(answered) == sorted(pressed)
    # Nothing was sent twice and everything went out.
    async with h.app.db.reading() as session:
        statuses = set(await session.scalars(select(OutboxItem.status)))
    assert statuses == {"sent"}
