"""The English twins of the places transcripts: a resident writing in English."""

from __future__ import annotations

from tests.support.harness import Harness
from tests.test_transcript_places import summary_after


async def test_entrance_and_floor_in_english(harness: Harness) -> None:
    h = harness
    replies = await h.say("en-1", "Sadovaya 12, entrance 3, 7th floor: the lights are out")
    assert "What kind of problem is it?" in replies[-1].text
    summary = await summary_after(h, "en-1", replies[-1], "Electricity", "Skip")
    assert "Place: entrance 3, floor 7" in summary.text


async def test_a_flat_with_its_entrance_and_floor_in_english(harness: Harness) -> None:
    h = harness
    replies = await h.say("en-2", "Lenina d5 apt 12, second entrance, 3rd floor, tap is leaking")
    summary = await summary_after(h, "en-2", replies[-1], "Water supply", "Skip")
    assert "Place: flat 12 (entrance 2, floor 3)" in summary.text


async def test_a_lift_keeps_its_entrance_in_english(harness: Harness) -> None:
    h = harness
    replies = await h.say("en-3", "Mira 101 k2: the lift is broken, nobody inside")
    assert "Type the entrance number (1–3)" in replies[-1].text
    replies = await h.say("en-3", "entrance 2")
    summary = await summary_after(h, "en-3", replies[-1], "Lift", "Skip")
    assert "Place: lift, entrance 2" in summary.text
    filed = (await h.press("en-3", summary.button("Confirm")))[-1].text
    assert "Lift, пр. Мира, д. 101, корп. 2, entrance 2." in filed  # «lift» said once


async def test_an_english_address_with_the_number_first(harness: Harness) -> None:
    h = harness
    replies = await h.say("en-4", "5 Lenina St, apt 12, entrance 3, 7th floor, the tap is leaking")
    assert replies[-1].text == "What kind of problem is it?"  # nothing asked again
    summary = await summary_after(h, "en-4", replies[-1], "Water supply", "Skip")
    assert "Address: ул. Ленина, д. 5\nPlace: flat 12 (entrance 3, floor 7)" in summary.text


async def test_an_english_address_with_a_building_number(harness: Harness) -> None:
    h = harness
    replies = await h.say("en-5", "101 Mira Ave, building 2, apt 7: no hot water")
    summary = await summary_after(h, "en-5", replies[-1], "Water supply", "Skip")
    assert "Address: пр. Мира, д. 101, корп. 2\nPlace: flat 7" in summary.text


async def test_a_floor_without_its_entrance_asks_the_entrance_in_english(
    harness: Harness,
) -> None:
    h = harness
    replies = await h.say("en-9", "Sadovaya 12, the lights are out on the 5th floor")
    assert "Type the entrance number (1–6)" in replies[-1].text, replies[-1].text
    replies = await h.say("en-9", "entrance 3")
    summary = await summary_after(h, "en-9", replies[-1], "Electricity", "Skip")
    assert "Place: entrance 3, floor 5" in summary.text, summary.text
