"""The technician and the resident talk through the bot, neither seeing the other's account."""

from __future__ import annotations

from tests.support.harness import Harness, file_request

GROUP = "dispatch"


async def test_technician_and_resident_exchange_messages(harness: Harness) -> None:
    h = harness
    await file_request(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    job = (await h.read("tech-1"))[-1]
    await h.skip("res-1")

    asked = await h.press("tech-1", job.button("Написать жителю"))
    assert "Напишите сообщение жителю" in asked[-1].text
    assert "Передал" in (await h.say("tech-1", "буду в 15:00, откройте подвал"))[-1].text
    message = (await h.read("res-1"))[-1]
    assert "Сообщение от техника" in message.text and "в 15:00" in message.text
    assert "tech-1" not in message.text

    await h.press("res-1", message.button("Ответить"))
    await h.say("res-1", "хорошо, буду дома")
    answer = (await h.read("tech-1"))[-1]
    assert "Сообщение от жителя" in answer.text and "буду дома" in answer.text
    assert "res-1" not in answer.text
    # The technician answers again from that message, though the job changed meanwhile.
    await h.press("tech-1", job.button("Принять"))
    await h.press("tech-1", answer.button("Ответить"))
    assert "Передал" in (await h.say("tech-1", "выезжаю"))[-1].text
    assert "выезжаю" in (await h.read("res-1"))[-1].text
    # The resident answers from the first message too, though the request changed since.
    await h.press("res-1", message.button("Ответить"))
    assert "Добавлено" in (await h.say("res-1", "спасибо"))[-1].text
