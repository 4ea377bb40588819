"""Texts read as a native speaker would: the language of the first message, the greeting,
advice that fits, numbers with their nouns, commands the bot itself suggests."""

from __future__ import annotations

import re

from core.classification import Classification
from tests.support.harness import FakeClock, Harness, file_request, make_harness
from tests.test_transcript_lifecycle import file_leak

GROUP = "dispatch"


async def test_an_english_first_message_is_answered_in_english(harness: Harness) -> None:
    h = harness
    replies = await h.say("guest-en", "Lenina 5 apt 12, the kitchen tap is leaking")
    assert replies[0].text.startswith("Hello!")
    assert "Describe the problem" not in replies[0].text  # it was just described
    assert replies[0].labels == ["Русский"]
    assert "What kind of problem is it?" in replies[-1].text


async def test_a_described_problem_is_not_asked_for_again(harness: Harness) -> None:
    h = harness
    replies = await h.say("guest-ru", "Ленина 5 кв 12 течёт кран")
    assert replies[0].text.startswith("Здравствуйте!") and "Опишите" not in replies[0].text
    assert replies[0].labels == ["English"]
    replies = await h.say("guest-hi", "привет")
    assert "Опишите проблему" in replies[0].text
    replies = await h.say("guest-cmd", "/my")  # a command tells no language
    assert replies[0].text.startswith("Здравствуйте!")


async def test_filed_tells_how_to_ask_the_status(harness: Harness) -> None:
    h = harness
    number, _, filed = await file_request(h)
    assert f"напишите «статус {number}»" in filed and "Статус: «" not in filed


async def test_dispatcher_commands_the_bot_suggests(harness: Harness) -> None:
    h = harness
    replies = await h.say("disp-1", "/show", chat=GROUP)
    assert "Напишите номер заявки" in replies[-1].text
    replies = await h.say("disp-1", "/open lift", chat=GROUP)
    assert "Не понял фильтр" not in replies[-1].text


async def test_the_technician_picker_says_what_the_number_is(harness: Harness) -> None:
    h = harness
    await file_leak(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    assert "Сергей Иванов · Сантехник · 0 заявок в работе" in picker.labels, picker.labels


async def test_a_declined_job_is_not_called_done(harness: Harness) -> None:
    h = harness
    number = await file_leak(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    job = (await h.read("tech-1"))[-1]
    await h.press("tech-1", job.button("Отказаться"))
    replies = await h.say("tech-1", "я в отпуске с завтрашнего дня")
    assert f"Вы отказались от заявки №{number}" in replies[-1].text
    assert "Готово" not in replies[-1].text


class Emergency:
    """A classifier sure that every text is an emergency of one type."""

    def __init__(self, category: str) -> None:
        self.category = category

    def classify(self, text: str) -> Classification:
        return Classification(self.category, 0.99, True, ((self.category, 0.99),))


async def advice_for(tmp_path, clock: FakeClock, category: str, text: str) -> str:
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/{category}.db",
        tmp_path,
        clock,
        classifier=Emergency(category),
    ) as h:
        return (await h.say("res-1", text))[0].text


async def test_a_resident_flooded_from_above_is_not_told_to_warn_the_neighbours_below(
    tmp_path, clock: FakeClock
) -> None:
    advice = await advice_for(tmp_path, clock, "water", "Ленина 5 кв 12, соседи сверху заливают")
    assert "сверху" in advice and "снизу" not in advice


async def test_cold_radiators_get_no_water_leak_advice(tmp_path, clock: FakeClock) -> None:
    advice = await advice_for(tmp_path, clock, "heating", "Ленина 5 кв 12, холодные батареи")
    assert "вентиль" not in advice and "112" in advice


async def test_an_address_alone_leaves_the_language_to_the_next_message(
    harness: Harness,
) -> None:
    h = harness
    replies = await h.say("guest-addr", "Ленина 5 кв 12")
    assert "Опишите, пожалуйста, что случилось" in replies[-1].text
    replies = await h.say("guest-addr", "the kitchen tap is leaking")
    assert replies[-1].text == "What kind of problem is it?"
    assert "Water supply" in replies[-1].labels


async def test_an_emoji_or_a_number_leaves_the_language_open(harness: Harness) -> None:
    h = harness
    await h.say("guest-emoji", "👍")
    await h.say("guest-emoji", "12")
    replies = await h.say("guest-emoji", "no hot water in my flat")
    assert replies[-1].text.startswith("I couldn't find that building"), replies[-1].text
    assert not re.search(r"[а-яё]", replies[-1].text)
