"""The English twins of the duplicates transcripts: offers in English, in the right
place only, with nothing of the other resident's words."""

from __future__ import annotations

import re

from tests.support.harness import Harness, file_request


async def _type_chosen(h: Harness, user: str, text: str, category: str) -> str:
    replies = await h.say(user, text)
    return (await h.press(user, replies[-1].button(category)))[-1].text


async def test_a_flats_socket_is_not_offered_the_stairwell_lighting_in_english(
    harness: Harness,
) -> None:
    h = harness
    await file_request(
        h, "guest-a", "Ленина 5, на лестнице 2 подъезда не горит свет", "Электричество"
    )
    asked = await _type_chosen(
        h, "guest-en", "Lenina 5 apt 30, the socket in the bedroom is not working", "Electricity"
    )
    assert "Is it the same problem?" not in asked
    assert "photo" in asked.lower()


async def test_the_same_lift_is_offered_in_english_with_nothing_of_its_author(
    harness: Harness,
) -> None:
    h = harness
    number = (
        await file_request(
            h, "guest-a", "Мира 101 к2, 2 подъезд, лифт стоит. Иван Петров 8 999 111-22-33", "Лифт"
        )
    ).number
    offer = await _type_chosen(
        h, "guest-en", "Mira 101 k2, second entrance: the lift is not working", "Lift"
    )
    assert f"request #{number} — Lift" in offer and "Is it the same problem?" in offer
    assert "Lift, пр. Мира, д. 101, корп. 2, entrance 2, filed" in offer, offer
    for private in ("Иван", "Петров", "999", "стоит"):
        assert private not in offer
    # The building's official address is the only Russian in it.
    assert not re.search(r"[а-яё]", offer.replace("пр. Мира, д. 101, корп. 2", "")), offer


async def test_a_leaking_roof_in_other_words_is_offered_in_english(harness: Harness) -> None:
    h = harness
    number = (await file_request(h, "guest-a", "Ленина 5, течёт крыша", "Крыша и фасад")).number
    offer = await _type_chosen(
        h, "guest-en", "Lenina 5, water is dripping through the roof", "Roof and facade"
    )
    assert f"request #{number} — Roof and facade" in offer, offer
    assert "Is it the same problem?" in offer and "течёт" not in offer
