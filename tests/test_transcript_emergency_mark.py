"""A resident calls an emergency the classifier missed: the mark at the summary, taking it
back, what the dispatchers see, and what the training export makes of it."""

from __future__ import annotations

import csv

from sqlalchemy import select

from bot.admin import export_training
from core.payloads import Answer
from core.storage.tables import Request
from tests.support.harness import Harness, Message, number_in
from tests.test_transcript_classifier import h

__all__ = ["h"]

GROUP = "dispatch"
#: The shipped model reads no emergency in it (a dripping tap); a burst radiator is one.
ORDINARY = "Ленина 5, кв 12 — течёт кран на кухне"
BURST = "Ленина 5 кв 12, прорвало батарею, хлещет кипяток"


async def summary_of(h: Harness, user: str, text: str) -> Message:
    """The summary of a request whose guessed type is taken, photos and phone skipped."""
    replies = await h.say(user, text)
    replies = await h.press(user, replies[-1].button("Да, верно"))
    while "Проверьте заявку" not in replies[-1].text:
        replies = await h.press(user, replies[-1].button("Пропустить"))
    return replies[-1]


async def stored(h: Harness, number: int) -> Request:
    async with h.app.db.reading() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
    assert request is not None
    return request


async def exported(h: Harness, tmp_path) -> list[dict[str, str]]:
    out = tmp_path / "export.csv"
    await export_training(h.app.db, out)
    return list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))


async def test_the_resident_marks_an_emergency_and_the_dispatcher_sees_whose_word_it_is(
    h: Harness,
) -> None:
    summary = await summary_of(h, "res-1", ORDINARY)
    assert "🚨" not in summary.text and "Это не авария" not in summary.labels
    assert summary.buttons[-1] == [{"text": "🚨 Это авария", "payload": summary.button("авария")}]
    marked = (await h.press("res-1", summary.button("Это авария")))[-1]
    assert "Заявка отмечена как авария" in marked.text and "112" in marked.text
    assert "Тип: Водоснабжение (🚨 авария — по вашей отметке)" in marked.text
    assert "🚨 Это авария" not in marked.labels and "Это не авария" in marked.labels
    number = number_in(await h.press("res-1", marked.button("Подтвердить")))

    request = await stored(h, number)
    assert request.urgency == "emergency" and not request.suggested_emergency
    assert request.emergency_claim == "resident"
    card = (await h.read(GROUP))[-1]
    assert card.text.startswith("🚨") and "🚨 Авария" in card.text
    assert "🙋 Аварию отметил житель, классификатор аварии не увидел" in card.text
    history = (await h.press("disp-1", card.button("История"), chat=GROUP))[-1]
    assert "Анна Петровна: новая · 🙋 аварию отметил житель" in history.text


async def test_a_dispatcher_keeps_the_residents_emergency_and_only_then_it_is_a_label(
    h: Harness, tmp_path
) -> None:
    summary = await summary_of(h, "res-1", ORDINARY)
    marked = (await h.press("res-1", summary.button("Это авария")))[-1]
    await h.press("res-1", marked.button("Подтвердить"))
    # The resident took the guessed type: a confirmed label, but the emergency is their word.
    assert await exported(h, tmp_path) == []

    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Срочность"), chat=GROUP))[-1]
    kept = (await h.press("disp-1", picker.button("Авария"), chat=GROUP))[-1]
    assert "Аварию, отмеченную жителем, диспетчер оставил" in kept.text
    assert "🙋 Аварию отметил житель, диспетчер её оставил" in kept.text
    assert "🚨 Авария" in kept.text
    assert await exported(h, tmp_path) == [
        {"text": ORDINARY, "category": "water", "emergency": "1"}
    ]
    history = (await h.press("disp-1", kept.button("История"), chat=GROUP))[-1]
    assert "Аварию, отмеченную жителем, диспетчер оставил" in history.text


async def test_a_dispatcher_lowers_the_residents_emergency(h: Harness, tmp_path) -> None:
    summary = await summary_of(h, "res-1", ORDINARY)
    marked = (await h.press("res-1", summary.button("Это авария")))[-1]
    number = number_in(await h.press("res-1", marked.button("Подтвердить")))
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Срочность"), chat=GROUP))[-1]
    lowered = (await h.press("disp-1", picker.button("Обычная"), chat=GROUP))[-1]
    assert not lowered.text.startswith("🚨") and "🙋" not in lowered.text
    request = await stored(h, number)
    assert request.urgency == "normal" and request.emergency_claim == "reviewed"
    assert await exported(h, tmp_path) == [
        {"text": ORDINARY, "category": "water", "emergency": "0"}
    ]


async def test_the_resident_takes_their_own_mark_back(h: Harness) -> None:
    summary = await summary_of(h, "res-2", ORDINARY)
    marked = (await h.press("res-2", summary.button("Это авария")))[-1]
    unmarked = (await h.press("res-2", marked.button("Это не авария")))[-1]
    assert "Отметку «авария» сняли." in unmarked.text
    assert "Тип: Водоснабжение\n" in unmarked.text and "🚨 Это авария" in unmarked.labels
    number = number_in(await h.press("res-2", unmarked.button("Подтвердить")))
    request = await stored(h, number)
    assert request.urgency != "emergency" and request.emergency_claim == ""
    card = (await h.read(GROUP))[-1]
    assert not card.text.startswith("🚨") and "🙋" not in card.text


async def test_a_typed_mark_and_unmark_count_as_the_buttons(h: Harness) -> None:
    await summary_of(h, "res-3", ORDINARY)
    marked = (await h.say("res-3", "Это авария!"))[-1]
    assert "(🚨 авария — по вашей отметке)" in marked.text
    unmarked = (await h.say("res-3", "не авария"))[-1]
    assert "Отметку «авария» сняли." in unmarked.text and "🚨 Это авария" in unmarked.labels


async def test_an_emergency_found_in_the_words_cannot_be_taken_back(h: Harness) -> None:
    summary = await summary_of(h, "res-4", BURST)
    assert "(🚨 авария)" in summary.text
    assert not any("авария" in label.lower() for label in summary.labels)
    # Neither a forged button nor typed words take it back.
    forged = Answer("confirm", "not_emergency").encode()
    replies = await h.press("res-4", forged)
    assert "уже недоступно" in replies[-1].text and "(🚨 авария)" in replies[-1].text
    replies = await h.say("res-4", "это не авария")
    assert "отметка остаётся" in replies[-1].text and "(🚨 авария)" in replies[-1].text
    number = number_in(await h.press("res-4", replies[-1].button("Подтвердить")))
    request = await stored(h, number)
    assert request.urgency == "emergency" and request.emergency_claim == ""
    card = (await h.read(GROUP))[-1]
    assert card.text.startswith("🚨") and "🙋" not in card.text


async def test_stale_or_forged_mark_buttons_change_nothing(h: Harness) -> None:
    summary = await summary_of(h, "res-5", ORDINARY)
    # Taking back a mark never set.
    replies = await h.press("res-5", Answer("confirm", "not_emergency").encode())
    assert "уже недоступно" in replies[-1].text and "(🚨" not in replies[-1].text
    marked = (await h.press("res-5", summary.button("Это авария")))[-1]
    # The first summary's button again: the mark is set once, its advice said once.
    replies = await h.press("res-5", summary.button("Это авария"))
    assert "уже недоступно" in replies[-1].text
    assert not any("Заявка отмечена как авария" in r.text for r in replies)
    assert "(🚨 авария — по вашей отметке)" in replies[-1].text
    number = number_in(await h.press("res-5", marked.button("Подтвердить")))
    # After filing, the old summary's buttons change nothing.
    await h.skip(GROUP)
    for label in ("Это не авария", "Подтвердить"):
        replies = await h.press("res-5", marked.button(label))
        assert "уже недоступно" in replies[-1].text
    request = await stored(h, number)
    assert request.urgency == "emergency" and request.emergency_claim == "resident"
    assert await h.read(GROUP) == []


async def test_an_emergency_the_rules_find_is_not_filed_as_the_residents_word(
    harness: Harness,
) -> None:
    """Without a classifier the summary cannot know that the norm rules will find a burst
    pipe an emergency; the resident's mark then adds nothing of their own."""
    h = harness
    replies = await h.say("res-1", "Ленина 5, кв 12 — прорвало трубу, затопило ванную")
    replies = await h.press("res-1", replies[-1].button("Водоснабжение"))
    while "Проверьте заявку" not in replies[-1].text:
        replies = await h.press("res-1", replies[-1].button("Пропустить"))
    marked = (await h.press("res-1", replies[-1].button("Это авария")))[-1]
    number = number_in(await h.press("res-1", marked.button("Подтвердить")))
    request = await stored(h, number)
    assert request.urgency == "emergency" and request.emergency_claim == ""
    card = (await h.read(GROUP))[-1]
    assert card.text.startswith("🚨") and "🙋" not in card.text
