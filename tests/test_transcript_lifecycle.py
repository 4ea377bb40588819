"""Transcripts through the web chat API: a resident, a technician and the dispatchers."""

from __future__ import annotations

from tests.support.harness import Harness, number_in

GROUP = "dispatch"


async def file_leak(h: Harness, user: str = "res-1") -> int:
    replies = await h.say(user, "Ленина 5, кв 12 — течёт кран на кухне")
    assert "Здравствуйте" in replies[0].text
    question = replies[-1]
    assert "тип проблемы" in question.text
    replies = await h.press(user, question.button("Водоснабжение"))
    replies = await h.press(user, replies[-1].button("Пропустить"))  # photos
    replies = await h.press(user, replies[-1].button("Пропустить"))  # phone
    summary = replies[-1]
    assert "ул. Ленина, д. 5" in summary.text and "Место: квартира 12" in summary.text
    replies = await h.press(user, summary.button("Подтвердить"))
    assert "принята" in replies[-1].text
    return number_in(replies)


async def test_one_free_text_message_files_a_request(harness: Harness) -> None:
    number = await file_leak(harness)
    cards = await harness.read(GROUP)
    assert len(cards) == 1
    card = cards[0]
    assert f"№{number}" in card.text
    assert "Водоснабжение" in card.text and "течёт кран" in card.text
    assert "Анна Петровна" in card.text
    assert {"👷 Назначить", "🏷 Тип", "⚡ Срочность", "✖️ Отклонить"} <= set(card.labels)


async def test_full_lifecycle(any_harness: Harness) -> None:
    """Resident -> dispatcher assigns -> technician accepts, postpones, completes with a photo
    -> resident reopens -> technician completes -> resident confirms and rates; on both engines."""
    h = any_harness
    number = await file_leak(h)
    card = (await h.read(GROUP))[-1]

    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    assert "Сергей Иванов" in " ".join(picker.labels)
    updates = await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    assert "Назначен: Сергей Иванов" in updates[-1].text
    told = await h.read("res-1")
    assert "назначен техник: Сергей Иванов" in told[-1].text

    job = (await h.read("tech-1"))[-1]
    assert f"№{number}" in job.text and "течёт кран" in job.text
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    assert "принял" in (await h.read("res-1"))[-1].text

    asked = await h.press("tech-1", job.button("Отложить"))
    assert "Почему откладываете" in asked[-1].text
    asked = await h.say("tech-1", "нет нужной прокладки, заказал")
    assert "На когда" in asked[-1].text
    postponed = await h.say("tech-1", "26.11 12:00")
    assert "отложена" in postponed[-1].text, [m.text for m in postponed]
    told = (await h.read("res-1"))[-1].text
    assert "перенесены на 26.11.2026 12:00" in told and "прокладки" in told
    assert "Отложена до 26.11.2026 12:00" in (await h.read(GROUP))[-1].text

    h.clock.advance(days=2)
    job = (await h.say("tech-1", "/jobs"))[-1]
    job = (await h.press("tech-1", job.button("Начать")))[-1]
    assert "приступил" in (await h.read("res-1"))[-1].text
    asked = await h.press("tech-1", job.button("Выполнено"))
    assert "фотоотчёт" in asked[-1].text
    await h.photo("tech-1")
    await h.say("tech-1", "заменил прокладку, течи нет")
    finished = await h.say("tech-1", "готово")
    assert "выполнена" in finished[-1].text

    done = (await h.read("res-1"))[-1]
    assert "выполнены" in done.text and "заменил прокладку" in done.text
    assert len(done.photos) == 1
    photo = await h.client.get(done.photos[0])
    assert photo.status == 200 and photo.headers["Content-Type"] == "image/jpeg"  # re-encoded

    # The resident disputes: back to the technician and the group.
    asked = await h.press("res-1", done.button("Нет"))
    await h.say("res-1", "всё ещё капает под раковиной")
    reopened = (await h.read("tech-1"))[-1]
    assert "капает под раковиной" in reopened.text
    assert "вернул в работу" in (await h.read(GROUP))[-1].text

    job = (await h.press("tech-1", reopened.button("Начать")))[-1]
    await h.press("tech-1", job.button("Выполнено"))
    await h.say("tech-1", "подтянул соединение")
    await h.say("tech-1", "готово")
    done = (await h.read("res-1"))[-1]
    closed = (await h.press("res-1", done.button("Да")))[-1]
    assert "закрыта" in closed.text
    thanks = await h.press("res-1", closed.button("★★★★★"))
    assert "Спасибо за оценку" in thanks[-1].text
    assert "подтвердил" in (await h.read("tech-1"))[0].text

    history = await h.say("disp-1", f"/show {number}", chat=GROUP)
    log = history[-1].text
    for step in ("назначена", "принята", "отложена", "выполняется", "возвращена", "закрыта"):
        assert step in log, log
    # A second rating changes nothing.
    again = await h.press("res-1", closed.button("★"))
    assert "уже оценили" in again[-1].text
