"""A neighbour's request is offered only for the same problem in a compatible place."""

from __future__ import annotations

from tests.support.harness import Harness, file_request


async def test_a_flats_socket_is_not_offered_the_stairwell_lighting(harness: Harness) -> None:
    h = harness
    await file_request(
        h, "guest-a", "Ленина 5, на лестнице 2 подъезда не горит свет", "Электричество"
    )
    replies = await h.say("guest-b", "Ленина 5 кв 30 не работает розетка в комнате")
    replies = await h.press("guest-b", replies[-1].button("Электричество"))
    assert "Это та же проблема" not in replies[-1].text
    assert "фото" in replies[-1].text.lower()


async def test_the_same_lift_is_offered_with_nothing_of_its_author(harness: Harness) -> None:
    h = harness
    number = (
        await file_request(
            h, "guest-a", "Мира 101 к2, 2 подъезд, лифт стоит. Иван Петров 8 999 111-22-33", "Лифт"
        )
    ).number
    replies = await h.say("guest-b", "Мира 101 к2 во втором подъезде не работает лифт")
    offer = (await h.press("guest-b", replies[-1].button("Лифт")))[-1]
    assert f"заявка №{number}" in offer.text and "Это та же проблема" in offer.text
    assert "Лифт, пр. Мира, д. 101, корп. 2, подъезд 2, подана" in offer.text, offer.text
    for private in ("Иван", "Петров", "999", "стоит"):
        assert private not in offer.text


async def test_a_leaking_roof_in_other_words_is_offered(harness: Harness) -> None:
    h = harness
    number = (await file_request(h, "guest-a", "Ленина 5, течёт крыша", "Крыша и фасад")).number
    replies = await h.say("guest-b", "Ленина 5, протекает кровля")
    offer = (await h.press("guest-b", replies[-1].button("Крыша и фасад")))[-1]
    assert f"заявка №{number}" in offer.text and "Это та же проблема" in offer.text
    assert "течёт" not in offer.text


async def test_a_cold_radiator_in_other_words_is_offered_only_for_the_same_flat(
    harness: Harness,
) -> None:
    h = harness
    number = (
        await file_request(h, "guest-a", "Ленина 5 кв 12, батарея холодная", "Отопление")
    ).number
    replies = await h.say("guest-b", "Ленина 5 кв 12, не греет радиатор")
    offer = (await h.press("guest-b", replies[-1].button("Отопление")))[-1]
    assert f"заявка №{number}" in offer.text and "Это та же проблема" in offer.text
    replies = await h.say("guest-c", "Ленина 5 кв 40, не греет радиатор")
    question = (await h.press("guest-c", replies[-1].button("Отопление")))[-1]
    assert "Это та же проблема" not in question.text


async def test_a_person_stuck_in_the_lift_is_not_offered_a_stopped_lifts_request(
    harness: Harness,
) -> None:
    h = harness
    await file_request(h, "guest-a", "Мира 101 к2, 2 подъезд, лифт не работает", "Лифт")
    replies = await h.say("guest-b", "Мира 101 к2, 2 подъезд, лифт не работает, внутри люди")
    asked = (await h.press("guest-b", replies[-1].button("Лифт")))[-1]
    assert "Это та же проблема" not in asked.text
    assert "фото" in asked.text.lower()
