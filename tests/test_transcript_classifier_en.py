"""The English twins of the classifier transcripts: emergencies and their advice for a
resident writing in English, through the shipped model."""

from __future__ import annotations

import pytest

from tests import test_transcript_classifier as russian
from tests.support.harness import FakeClock, Harness, Message
from tests.test_transcript_wording import advice_for

#: The service with the shipped model, as the Russian transcripts have it.
h = russian.h

GROUP = "dispatch"


async def summary_after_guess(h: Harness, user: str, replies: list[Message]) -> str:
    replies = await h.press(user, replies[-1].button("Yes, that's right"))
    replies = await h.press(user, replies[-1].button("Skip"))
    replies = await h.press(user, replies[-1].button("Skip"))
    return replies[-1].text


async def test_type_is_preselected_and_confirmed_with_one_tap_in_english(h: Harness) -> None:
    replies = await h.say("res-en1", "Lenina 5 apt 12, the kitchen tap is leaking")
    assert replies[-1].text == "Looks like: Water supply. Is that right?"
    summary = await summary_after_guess(h, "res-en1", replies)
    assert "Type: Water supply\n" in summary and "Place: flat 12" in summary


async def test_gas_smell_gets_safety_advice_before_anything_else_in_english(h: Harness) -> None:
    replies = await h.say("res-en2", "Mira 101 apt 7, strong smell of gas on the stairs!")
    assert replies[0].text.startswith("⚠️ Smell of gas")
    assert "104" in replies[0].text and "112" in replies[0].text
    replies = await h.press("res-en2", replies[-1].button("Yes, that's right"))
    replies = await h.press("res-en2", replies[-1].button("Skip"))
    summary = (await h.press("res-en2", replies[-1].button("Skip")))[-1]
    assert "Type: Gas (🚨 emergency)" in summary.text
    filed = (await h.press("res-en2", summary.button("Confirm")))[-1]
    assert "has been logged" in filed.text
    card = (await h.read(GROUP))[-1]
    assert card.text.startswith("🚨") and "Газ" in card.text  # the dispatchers read Russian


async def test_one_cold_radiator_is_no_emergency_in_english(h: Harness) -> None:
    replies = await h.say("res-en3", "Lenina 5 apt 12, the radiator in the bedroom is cold")
    assert not any("⚠️" in r.text for r in replies)
    assert replies[-1].text == "Looks like: Heating. Is that right?"
    assert "emergency" not in await summary_after_guess(h, "res-en3", replies)


async def test_a_stuck_lift_with_nobody_inside_is_no_emergency(h: Harness) -> None:
    text = "Lenina 5 apt 12, the lift is stuck on the ground floor, nobody inside"
    replies = await h.say("res-en4", text)
    assert not any("⚠️" in r.text for r in replies)
    assert "emergency" not in await summary_after_guess(h, "res-en4", replies)


@pytest.mark.parametrize(
    ("text", "advice", "not_advice"),
    [
        ("my neighbour is stuck in the lift between floors", "press the call button", "valve"),
        ("a radiator burst, boiling water is gushing", "shut off the valve", "call button"),
        (
            "no heating in the whole building, it is minus 25 outside",
            "looks like an emergency",
            "valve",
        ),
        ("raw sewage in the basement is up to our ankles", "don't drain", "valve"),
        ("my husband got locked in the elevator", "press the call button", "valve"),
    ],
)
async def test_emergency_advice_matches_the_hazard_in_english(
    h: Harness, text: str, advice: str, not_advice: str
) -> None:
    replies = await h.say("res-en5", f"Lenina 5 apt 12, {text}")
    assert advice in replies[0].text and not_advice not in replies[0].text, replies[0].text
    assert "(🚨 emergency)" in await summary_after_guess(h, "res-en5", replies)


async def test_flooded_from_above_is_not_told_to_warn_the_neighbours_below(
    tmp_path, clock: FakeClock
) -> None:
    text = "Lenina 5 apt 12, the neighbours upstairs are flooding us"
    advice = await advice_for(tmp_path, clock, "water", text)
    assert "flat above" in advice and "below" not in advice


async def test_cold_radiators_get_no_water_leak_advice_in_english(
    tmp_path, clock: FakeClock
) -> None:
    advice = await advice_for(tmp_path, clock, "heating", "Lenina 5 apt 12, cold radiators")
    assert "valve" not in advice and "112" in advice
