"""The English twins of the dates transcripts: a technician who switched to English
postpones the job of a resident who wrote in English."""

from __future__ import annotations

import re

from tests.support.harness import Harness

GROUP = "dispatch"


async def file_leak_en(h: Harness, user: str = "en-res") -> int:
    replies = await h.say(user, "Lenina 5 apt 12, the kitchen tap is leaking")
    replies = await h.press(user, replies[-1].button("Water supply"))
    replies = await h.press(user, replies[-1].button("Skip"))  # photos
    replies = await h.press(user, replies[-1].button("Skip"))  # phone
    replies = await h.press(user, replies[-1].button("Confirm"))
    match = re.search(r"Request #(\d+) has been logged", replies[-1].text)
    assert match, replies[-1].text
    return int(match.group(1))


async def _asked_when(h: Harness) -> str:
    await file_leak_en(h)
    assert (await h.say("tech-1", "/lang"))[-1].text == "Language: English."
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    job = (await h.read("tech-1"))[-1]
    job = (await h.press("tech-1", job.button("Accept")))[-1]
    await h.press("tech-1", job.button("Postpone"))
    asked = await h.say("tech-1", "the right gasket is out of stock")
    return asked[-1].text


async def _rescheduled_to(h: Harness) -> str:
    notice = (await h.read("en-res"))[-1].text
    match = re.search(r"rescheduled to (\S+ \S+)\. Reason: the right gasket", notice)
    assert match, notice
    return match.group(1)


async def test_postpone_to_tomorrow_at_two(harness: Harness) -> None:
    h = harness  # the clock stands at Tuesday 24.11.2026 10:00 in Moscow
    asked = await _asked_when(h)
    assert "for example, 25.11 10:00" in asked
    postponed = await h.say("tech-1", "tomorrow at 2 pm")
    assert "Status: postponed" in postponed[-1].text, [m.text for m in postponed]
    assert await _rescheduled_to(h) == "25.11.2026 14:00"


async def test_postpone_to_next_tuesday(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "next Tuesday at noon")
    assert await _rescheduled_to(h) == "01.12.2026 12:00"


async def test_postpone_to_next_week(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "next week")
    assert await _rescheduled_to(h) == "30.11.2026 09:00"


async def test_postpone_by_two_hours(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "in 2 hours")
    assert await _rescheduled_to(h) == "24.11.2026 12:00"


async def test_a_past_moment_is_asked_again_in_english(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    replies = await h.say("tech-1", "yesterday at 10")
    assert "23.11.2026 10:00 is already in the past" in replies[-1].text
    assert "for example 25.11 10:00" in replies[-1].text
    replies = await h.say("tech-1", "some day")
    assert "I didn't understand the date" in replies[-1].text
    await h.say("tech-1", "the day after tomorrow")
    assert await _rescheduled_to(h) == "26.11.2026 10:00"
