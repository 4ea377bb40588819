"""A dialogue resumes where it was from a state stored by the dict-keeping dialogues (a
deploy in the middle of a conversation), and an unreadable state starts afresh politely."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.storage.tables import Conversation, InboxItem, Request
from tests.support.harness import Harness, file_request

GROUP = "dispatch"
RECORDED: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "unit" / "recorded_dialogue_states.json").read_text(encoding="utf-8")
)


async def store_state(h: Harness, user: str, state: Any, chat: str | None = None) -> None:
    """Put ``state`` in the conversation row of this user and chat, as a deploy finds it."""
    chat = chat or user
    async with h.app.db.transaction() as session:
        row = await session.scalar(
            select(Conversation).where(Conversation.chat == chat, Conversation.user_ref == user)
        )
        if row is None:
            row = Conversation(channel="web", chat=chat, user_ref=user, updated_at=h.clock())
            session.add(row)
        row.state = state


async def request_id(h: Harness, number: int) -> int:
    async with h.app.db.reading() as session:
        found = await session.scalar(select(Request.id).where(Request.number == number))
    assert found is not None
    return found


def recorded(name: str, **pending: object) -> dict[str, Any]:
    state = copy.deepcopy(RECORDED[name])
    state.get("pending", {}).update(pending)
    return state


async def test_a_resident_at_the_summary_confirms_after_a_deploy(harness: Harness) -> None:
    h = harness
    await store_state(h, "res-1", recorded("resident_confirm"))
    replies = await h.say("res-1", "да")
    assert "Заявка №1001 принята" in replies[-1].text
    card = (await h.read(GROUP))[-1]
    assert "№1001" in card.text and "течёт кран на кухне" in card.text


async def test_a_resident_asked_for_the_apartment_number_gives_it(harness: Harness) -> None:
    h = harness
    await store_state(h, "visitor-8", recorded("resident_location_number"))
    replies = await h.say("visitor-8", "77")
    assert "с 1 по 40" in replies[-1].text  # still the apartment of building 4 being asked
    replies = await h.say("visitor-8", "17")
    assert "тип проблемы" in replies[-1].text
    replies = await h.press("visitor-8", replies[-1].button("домофон"))
    replies = await h.press("visitor-8", replies[-1].button("Пропустить"))
    replies = await h.press("visitor-8", replies[-1].button("Пропустить"))
    summary = replies[-1].text
    assert "Место: квартира 17" in summary and "не работает домофон" in summary


async def test_a_resident_with_a_photo_describes_the_problem(harness: Harness) -> None:
    h = harness
    await store_state(h, "res-2", recorded("resident_description_with_photo"))
    replies = await h.say("res-2", "на балконе трещина в плите")
    replies = await h.press("res-2", replies[-1].button("Крыша и фасад"))
    assert "Фото добавлено (1)" in replies[-1].text  # the photo taken before the deploy


async def test_the_classifiers_guess_is_confirmed_after_a_deploy(harness: Harness) -> None:
    """The service runs without a classifier here: the guess comes from the stored state."""
    h = harness
    await store_state(h, "res-1", recorded("resident_category_guess_emergency"))
    replies = await h.say("res-1", "да")
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    summary = replies[-1].text
    assert "Водоснабжение" in summary and "АВАРИЯ" in summary.upper()


async def test_a_resident_asked_why_they_cancel_gives_the_reason(harness: Harness) -> None:
    h = harness
    filed = await file_request(h, "res-4", "Мира 101, кв 3 — не работает розетка", "Электричество")
    rid = await request_id(h, filed.number)
    await store_state(h, "res-4", recorded("resident_cancel_reason", rid=rid))
    replies = await h.say("res-4", "электрик уже пришёл сам")
    assert f"№{filed.number}" in replies[-1].text and "отменена" in replies[-1].text


async def test_a_technician_asked_until_when_postpones(any_harness: Harness) -> None:
    h = any_harness
    filed = await file_request(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    job = (await h.read("tech-1"))[-1]
    await h.press("tech-1", job.button("Принять"))
    await h.skip("res-1", GROUP)
    rid = await request_id(h, filed.number)
    await store_state(h, "tech-1", recorded("technician_postpone_date", rid=rid))
    postponed = await h.say("tech-1", "26.11 12:00")
    assert "отложена" in postponed[-1].text
    told = (await h.read("res-1"))[-1].text
    assert "перенесены на 26.11.2026 12:00" in told and "прокладки" in told


async def test_a_dispatcher_asked_why_rejects(harness: Harness) -> None:
    h = harness
    filed = await file_request(h)
    await h.skip(GROUP)
    rid = await request_id(h, filed.number)
    await store_state(h, "disp-1", recorded("dispatcher_reject_reason", rid=rid), chat=GROUP)
    await h.say("disp-1", "дубль заявки соседа", chat=GROUP)
    told = (await h.read("res-1"))[-1].text
    assert f"№{filed.number}" in told and "дубль заявки соседа" in told


async def test_an_unreadable_state_is_apologised_for_and_the_message_taken(
    harness: Harness,
) -> None:
    h = harness
    await store_state(h, "res-1", {"lang": "en", "greeted": True, "step": 7, "draft": "?"})
    replies = await h.say("res-1", "Lenina 5, apt 12 - the kitchen tap is leaking")
    assert replies[0].text.startswith("Sorry, I lost track of our conversation.")
    assert replies[-1].text.endswith("What kind of problem is it?")
    await store_state(h, "tech-1", ["not", "a", "state"])
    replies = await h.say("tech-1", "/jobs")
    assert replies[0].text.startswith("Извините, я потерял нить нашего разговора.")
    assert "заданий" in replies[-1].text.lower()
    async with h.app.db.reading() as session:
        assert await session.scalar(select(InboxItem.id).where(InboxItem.quarantined)) is None
        rows = await session.scalars(select(Conversation).where(Conversation.user_ref == "res-1"))
        assert [r.state["lang"] for r in rows] == ["en"]
