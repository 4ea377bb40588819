"""The deadline from the dispatchers' group card and the /deadline command: asked, read as
staff write dates, applied through the same use case as the console's, and followed by the
reminders; stale and forged presses change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot import texts
from bot.scheduler import Sweeper
from core.payloads import RequestAction, decode
from core.storage.tables import Request
from tests.support.harness import FakeClock, Harness, Message, file_request, make_harness

GROUP = "dispatch"


@pytest.fixture
async def any_auto(database_url: str, tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with make_harness(database_url, tmp_path, clock, auto_assign=True) as h:
        yield h


async def _request(h: Harness, number: int) -> Request:
    async with h.app.db.reading() as session:
        found = await session.scalar(select(Request).where(Request.number == number))
    assert found is not None
    return found


def _card(messages: list[Message], number: int) -> Message:
    return next(m for m in reversed(messages) if f"№{number}" in m.text and m.buttons)


async def _sweep(h: Harness, at: datetime) -> list[str]:
    """Sweep at ``at`` and deliver; what the group got (the morning digest left out)."""
    sweeper = h.app.sweeper
    assert isinstance(sweeper, Sweeper)
    h.clock.now = at
    await sweeper.run_once(at)
    await h.settle()
    return [m.text for m in await h.read(GROUP) if not m.text.startswith("☀️")]


async def test_the_card_button_asks_for_the_deadline_and_everyone_follows_it(
    any_auto: Harness,
) -> None:
    h = any_auto
    number = (await file_request(h)).number
    card = _card(await h.read(GROUP), number)
    await h.skip("res-1")
    old = (await _request(h, number)).deadline
    assert old is not None
    tz = h.app.services.tz

    asked = (await h.press("disp-1", card.button("Срок"), chat=GROUP))[-1]
    assert f"Новый срок для заявки №{number}" in asked.text
    assert f"сейчас: {old.astimezone(tz):%d.%m.%Y %H:%M}" in asked.text
    # A moment already gone and words that are no date are asked again, with an example
    # that is still ahead (the clock stands at 24.11 10:00 in Moscow).
    again = (await h.say("disp-1", "24.11 09:00", chat=GROUP))[-1]
    assert "уже прошло" in again.text and "25.11 10:00" in again.text
    again = (await h.say("disp-1", "когда-нибудь потом", chat=GROUP))[-1]
    assert "Не понял дату" in again.text and "25.11 10:00" in again.text
    assert (await _request(h, number)).deadline == old
    # Another dispatcher's words are theirs: the question waits for the one who pressed.
    assert await h.say("disp-2", "10.12 12:00", chat=GROUP) == []
    new = datetime(2026, 12, 10, 12, 0, tzinfo=tz)
    assert new > old
    shown = "10.12.2026 12:00"

    answered = await h.say("disp-1", "10.12 12:00", chat=GROUP)
    assert any(f"№{number}" in m.text and f"Срок изменён: {shown}" in m.text for m in answered)
    assert (await _request(h, number)).deadline == new
    told = [m.text for m in await h.read("res-1")]
    assert any(f"Срок по заявке №{number} изменён" in t and shown in t for t in told), told
    history = (await h.say("disp-1", f"/show {number}", chat=GROUP))[-1]
    assert f"Срок изменён: {shown}" in history.text
    # The question is answered: a date typed now is just a message in the group.
    assert await h.say("disp-1", "11.12 18:00", chat=GROUP) == []

    # The reminders follow the new deadline: nothing is late an hour past the old one,
    # the group is told an hour past the new one (both in working hours, when staff are
    # told).
    late = await _sweep(h, old + timedelta(hours=1))
    assert not any("просрочена" in t for t in late), late
    late = await _sweep(h, new + timedelta(hours=1))
    assert any(f"№{number} просрочена: срок был {shown}" in t for t in late), late


async def test_a_stale_or_forged_deadline_press_changes_nothing(harness: Harness) -> None:
    h = harness
    first = (await file_request(h)).number
    second = (
        await file_request(
            h, "res-2", "Садовая 12 кв 45 не работает домофон", category="Двери и домофон"
        )
    ).number
    cards = await h.read(GROUP)
    first_card, second_card = _card(cards, first), _card(cards, second)
    before = {n: (await _request(h, n)).deadline for n in (first, second)}

    # The first card pressed after its request changed: the button is stale.
    urgencies = (await h.press("disp-1", first_card.button("Срочность"), chat=GROUP))[-1]
    await h.press("disp-1", urgencies.button("Обычная"), chat=GROUP)
    changed = await _request(h, first)
    assert changed.urgency == "normal"
    before[first] = changed.deadline
    refused = (await h.press("disp-1", first_card.button("Срок"), chat=GROUP))[-1]
    assert "заявку только что изменили" in refused.text
    # A closed request's deadline button, even made for its current version.
    await h.press("disp-1", second_card.button("Закрыть"), chat=GROUP)
    closed = await _request(h, second)
    assert closed.status == "closed"
    current = RequestAction(
        decode(second_card.button("Срок")).op,  # type: ignore[union-attr]
        closed.id,
        closed.version,
    ).encode()
    for payload in (
        second_card.button("Срок"),
        current,
        "v1:r:dl:999999:1",
        "v1:r:dl:1:1:x:y",
    ):
        replies = await h.press("disp-1", payload, chat=GROUP)
        assert "уже недоступно" in replies[-1].text, payload
    # Nothing is waiting for a date.
    assert await h.say("disp-1", "завтра в 14", chat=GROUP) == []
    # Asked while open, answered after another dispatcher closed it: refused.
    card = (await h.say("disp-1", f"/show {first}", chat=GROUP))[0]
    asked = (await h.press("disp-1", card.button("Срок"), chat=GROUP))[-1]
    assert f"Новый срок для заявки №{first}" in asked.text
    await h.press("disp-2", card.button("Закрыть"), chat=GROUP)
    refused = (await h.say("disp-1", "завтра в 14", chat=GROUP))[-1]
    assert "заявка в статусе «закрыта»" in refused.text
    # No deadline moved.
    assert {n: (await _request(h, n)).deadline for n in (first, second)} == before


async def test_the_deadline_command(harness: Harness) -> None:
    h = harness
    number = (await file_request(h)).number
    await h.skip(GROUP, "res-1")

    usage = (await h.say("disp-1", "/deadline", chat=GROUP))[-1]
    assert "/deadline 1001 25.11 10:00" in usage.text
    unknown = (await h.say("disp-1", "/deadline 99999 завтра 18:00", chat=GROUP))[-1]
    assert "не найдена" in unknown.text
    past = (await h.say("disp-1", f"/deadline {number} 24.11 08:00", chat=GROUP))[-1]
    assert "уже прошло" in past.text and "25.11 10:00" in past.text

    answered = await h.say("disp-1", f"/deadline {number} завтра 18:00", chat=GROUP)
    assert any("Срок изменён: 25.11.2026 18:00" in m.text for m in answered)
    request = await _request(h, number)
    assert request.deadline == datetime(2026, 11, 25, 18, 0, tzinfo=h.app.services.tz)
    told = [m.text for m in await h.read("res-1")]
    assert any(f"Срок по заявке №{number} изменён" in t for t in told), told
    # The same deadline again changes nothing and says so.
    same = (await h.say("disp-1", f"/deadline №{number} завтра 18:00", chat=GROUP))[-1]
    assert "Ничего не изменилось" in same.text
    # Dates written in English are read too.
    answered = await h.say("disp-1", f"/deadline {number} tomorrow at 2 pm", chat=GROUP)
    assert any("Срок изменён: 25.11.2026 14:00" in m.text for m in answered)


def test_the_dispatchers_help_lists_the_command_in_both_languages() -> None:
    assert "/deadline 1001 завтра 18:00" in texts.t("ru", "dispatch_help")
    assert "/deadline 1001 tomorrow 18:00" in texts.t("en", "dispatch_help")
