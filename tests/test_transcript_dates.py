"""A technician postpones a job in their own words; a past moment is asked again."""

from __future__ import annotations

from tests.support.harness import Harness
from tests.test_transcript_lifecycle import file_leak

GROUP = "dispatch"


async def _asked_when(h: Harness) -> str:
    await file_leak(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    job = (await h.read("tech-1"))[-1]
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    await h.press("tech-1", job.button("Отложить"))
    asked = await h.say("tech-1", "нет нужной прокладки")
    return asked[-1].text


async def test_postpone_to_tomorrow_at_two(harness: Harness) -> None:
    h = harness  # the clock stands at Tuesday 24.11.2026 10:00 in Moscow
    asked = await _asked_when(h)
    assert "например, 25.11 10:00" in asked  # the example is tomorrow, never a past date
    postponed = await h.say("tech-1", "завтра в 14")
    assert "отложена" in postponed[-1].text, [m.text for m in postponed]
    assert "перенесены на 25.11.2026 14:00" in (await h.read("res-1"))[-1].text


async def test_postpone_to_monday_morning(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "в понедельник утром")
    assert "перенесены на 30.11.2026 09:00" in (await h.read("res-1"))[-1].text


async def test_a_past_moment_is_asked_again(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    replies = await h.say("tech-1", "вчера в 10")
    assert "Время 23.11.2026 10:00 уже прошло" in replies[-1].text
    assert "например 25.11 10:00" in replies[-1].text
    replies = await h.say("tech-1", "когда-нибудь")
    assert "Не понял дату" in replies[-1].text
    replies = await h.say("tech-1", "после обеда")
    assert "отложена" in replies[-1].text
    assert "перенесены на 24.11.2026 14:00" in (await h.read("res-1"))[-1].text


async def test_postpone_to_next_tuesday_at_noon(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "в следующий вторник в полдень")
    assert "перенесены на 01.12.2026 12:00" in (await h.read("res-1"))[-1].text


async def test_postpone_to_next_week_is_its_monday_morning(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "на следующей неделе")
    assert "перенесены на 30.11.2026 09:00" in (await h.read("res-1"))[-1].text


async def test_postpone_to_midnight_is_the_night_after_today(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "в 12 ночи")
    assert "перенесены на 25.11.2026 00:00" in (await h.read("res-1"))[-1].text


async def test_postpone_by_two_hours(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    await h.say("tech-1", "через 2 часа")
    assert "перенесены на 24.11.2026 12:00" in (await h.read("res-1"))[-1].text


async def test_a_time_earlier_today_is_asked_again(harness: Harness) -> None:
    h = harness
    await _asked_when(h)
    replies = await h.say("tech-1", "в 9 утра")
    assert "Время 24.11.2026 09:00 уже прошло" in replies[-1].text
    await h.say("tech-1", "послезавтра вечером")
    assert "перенесены на 26.11.2026 18:00" in (await h.read("res-1"))[-1].text
