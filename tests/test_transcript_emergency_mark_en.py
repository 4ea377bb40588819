"""The English twins of the resident's own emergency mark: set, taken back, refused when
the words already made it an emergency, and stale buttons."""

from __future__ import annotations

import re

from core.payloads import Answer
from tests.support.harness import Harness, Message
from tests.test_transcript_classifier import h
from tests.test_transcript_emergency_mark import stored

__all__ = ["h"]

GROUP = "dispatch"
ORDINARY = "Lenina 5 apt 12, the kitchen tap is leaking"
BURST = "Lenina 5 apt 12, a radiator burst, boiling water is gushing"


def number_in(replies: list[Message]) -> int:
    found = re.search(r"Request #(\d+) has been logged", replies[-1].text)
    assert found is not None, replies[-1].text
    return int(found.group(1))


async def summary_of(h: Harness, user: str, text: str) -> Message:
    replies = await h.say(user, text)
    replies = await h.press(user, replies[-1].button("Yes, that's right"))
    while "Please check your request" not in replies[-1].text:
        replies = await h.press(user, replies[-1].button("Skip"))
    return replies[-1]


async def test_the_resident_marks_an_emergency_in_english(h: Harness) -> None:
    summary = await summary_of(h, "res-en1", ORDINARY)
    assert "🚨" not in summary.text and "Not an emergency" not in summary.labels
    assert summary.buttons[-1] == [
        {"text": "🚨 It's an emergency", "payload": summary.button("It's an emergency")}
    ]
    marked = (await h.press("res-en1", summary.button("It's an emergency")))[-1]
    assert "marked as an emergency" in marked.text and "112" in marked.text
    assert "Type: Water supply (🚨 emergency — marked by you)" in marked.text
    assert "🚨 It's an emergency" not in marked.labels and "Not an emergency" in marked.labels
    number = number_in(await h.press("res-en1", marked.button("Confirm")))
    request = await stored(h, number)
    assert request.urgency == "emergency" and request.emergency_claim == "resident"
    card = (await h.read(GROUP))[-1]  # the dispatchers read Russian
    assert card.text.startswith("🚨") and "🙋 Аварию отметил житель" in card.text


async def test_the_resident_takes_their_own_mark_back_in_english(h: Harness) -> None:
    summary = await summary_of(h, "res-en2", ORDINARY)
    marked = (await h.press("res-en2", summary.button("It's an emergency")))[-1]
    unmarked = (await h.press("res-en2", marked.button("Not an emergency")))[-1]
    assert "The emergency mark is removed." in unmarked.text
    assert "Type: Water supply\n" in unmarked.text
    assert "🚨 It's an emergency" in unmarked.labels
    # Typed words do the same.
    marked = (await h.say("res-en2", "it's an emergency"))[-1]
    assert "(🚨 emergency — marked by you)" in marked.text
    unmarked = (await h.say("res-en2", "Not an emergency."))[-1]
    assert "The emergency mark is removed." in unmarked.text
    number = number_in(await h.press("res-en2", unmarked.button("Confirm")))
    request = await stored(h, number)
    assert request.urgency != "emergency" and request.emergency_claim == ""
    assert "🙋" not in (await h.read(GROUP))[-1].text


async def test_an_emergency_found_in_the_words_cannot_be_taken_back_in_english(
    h: Harness,
) -> None:
    summary = await summary_of(h, "res-en3", BURST)
    assert "(🚨 emergency)" in summary.text
    assert not any("emergency" in label.lower() for label in summary.labels)
    replies = await h.press("res-en3", Answer("confirm", "not_emergency").encode())
    assert "no longer available" in replies[-1].text and "(🚨 emergency)" in replies[-1].text
    replies = await h.say("res-en3", "not an emergency")
    assert "the mark stays" in replies[-1].text and "(🚨 emergency)" in replies[-1].text
    number = number_in(await h.press("res-en3", replies[-1].button("Confirm")))
    request = await stored(h, number)
    assert request.urgency == "emergency" and request.emergency_claim == ""


async def test_stale_or_forged_mark_buttons_change_nothing_in_english(h: Harness) -> None:
    summary = await summary_of(h, "res-en4", ORDINARY)
    replies = await h.press("res-en4", Answer("confirm", "not_emergency").encode())
    assert "no longer available" in replies[-1].text and "(🚨" not in replies[-1].text
    marked = (await h.press("res-en4", summary.button("It's an emergency")))[-1]
    replies = await h.press("res-en4", summary.button("It's an emergency"))
    assert "no longer available" in replies[-1].text
    assert not any("marked as an emergency" in r.text for r in replies)
    number = number_in(await h.press("res-en4", marked.button("Confirm")))
    await h.skip(GROUP)
    replies = await h.press("res-en4", marked.button("Not an emergency"))
    assert "no longer available" in replies[-1].text
    request = await stored(h, number)
    assert request.urgency == "emergency" and request.emergency_claim == "resident"
    assert await h.read(GROUP) == []
