"""Places as residents write them: ordinals, glued abbreviations, a lift's entrance."""

from __future__ import annotations

from core.storage.tables import Building
from tests.support.harness import Harness, Message, number_in

GROUP = "dispatch"


async def summary_after(
    h: Harness, user: str, question: Message, category: str, skip: str = "Пропустить"
) -> Message:
    """The summary, once the type is chosen and the photos and the phone are skipped."""
    replies = await h.press(user, question.button(category))
    replies = await h.press(user, replies[-1].button(skip))
    return (await h.press(user, replies[-1].button(skip)))[-1]


async def test_entrance_and_floor_in_words(harness: Harness) -> None:
    h = harness
    replies = await h.say(
        "visitor-1", "Садовая 12, в третьем подъезде на седьмом этаже не горит свет"
    )
    assert "тип проблемы" in replies[-1].text  # nothing asked again
    summary = await summary_after(h, "visitor-1", replies[-1], "Электричество")
    assert "Место: подъезд 3, этаж 7" in summary.text


async def test_glued_abbreviations_name_the_building_and_flat(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-2", "ул Ленина д5 кв12 течёт кран на кухне")
    assert "тип проблемы" in replies[-1].text
    summary = await summary_after(h, "visitor-2", replies[-1], "Водоснабжение")
    assert "ул. Ленина, д. 5" in summary.text and "Место: квартира 12" in summary.text


async def test_a_lift_keeps_its_entrance(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-3", "Мира 101 к2 не работает лифт, внутри никого нет")
    assert "номер подъезда (1–3)" in replies[-1].text
    replies = await h.say("visitor-3", "5")
    assert "подъезды с 1 по 3" in replies[-1].text
    replies = await h.say("visitor-3", "2-й подъезд")
    assert "тип проблемы" in replies[-1].text
    summary = await summary_after(h, "visitor-3", replies[-1], "Лифт")
    assert "Место: лифт, подъезд 2" in summary.text, summary.text
    replies = await h.press("visitor-3", summary.button("Подтвердить"))
    number = number_in(replies)
    card = next(m for m in await h.read(GROUP) if f"№{number}" in m.text)
    # The type says «Лифт»; the place does not say it again, and keeps the entrance.
    assert "Адрес: пр. Мира, д. 101, корп. 2, подъезд 2\n" in card.text, card.text


async def test_a_lift_chosen_by_button_asks_the_entrance(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-4", "лифт застревает между этажами")
    replies = await h.press("visitor-4", replies[-1].button("Садовая"))
    assert "номер подъезда (1–6)" in replies[-1].text
    replies = await h.say("visitor-4", "4")
    summary = await summary_after(h, "visitor-4", replies[-1], "Лифт")
    assert "Место: лифт, подъезд 4" in summary.text


async def test_a_floor_without_its_entrance_asks_the_entrance(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-5", "Садовая 12, на пятом этаже не горит свет")
    assert "номер подъезда (1–6)" in replies[-1].text
    replies = await h.say("visitor-5", "7")
    assert "подъезды с 1 по 6" in replies[-1].text
    replies = await h.say("visitor-5", "3")
    summary = await summary_after(h, "visitor-5", replies[-1], "Электричество")
    assert "Место: подъезд 3, этаж 5" in summary.text, summary.text


async def test_a_lift_keeps_the_floor_named_before_its_entrance(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-6", "Мира 101 к2 лифт стоит на 9 этаже, внутри никого")
    assert "номер подъезда (1–3)" in replies[-1].text
    replies = await h.say("visitor-6", "во втором подъезде")
    summary = await summary_after(h, "visitor-6", replies[-1], "Лифт")
    assert "Место: лифт, подъезд 2, этаж 9" in summary.text, summary.text


async def test_a_floor_in_a_one_entrance_house_is_not_asked_about(harness: Harness) -> None:
    h = harness
    async with h.app.db.transaction() as session:
        session.add(
            Building(code="sh3", address="ул. Школьная, д. 3", entrances=1, floors=5, apartments=20)
        )
    replies = await h.say("visitor-7", "Школьная 3, на третьем этаже не горит свет")
    assert "тип проблемы" in replies[-1].text, replies[-1].text
    summary = await summary_after(h, "visitor-7", replies[-1], "Электричество")
    assert "Место: этаж 3" in summary.text, summary.text


async def test_a_forged_floor_button_changes_nothing(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-8", "перегорела лампочка, темно")
    replies = await h.press("visitor-8", replies[-1].button("Садовая"))
    forged = replies[-1].button("Подъезд").replace("entrance", "floor")
    replies = await h.press("visitor-8", forged)
    assert "кнопка устарела" in replies[0].text
    assert "Подъезд" in replies[-1].labels
    replies = await h.press("visitor-8", replies[-1].button("Подъезд"))
    assert "номер подъезда (1–6)" in replies[-1].text
