"""The trained classifier in the dialogue: pre-selected type, emergencies, corrections."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator

import pytest

from bot.admin import export_training
from bot.classifier_port import load_classifier
from core.classification import Classification
from tests.support.harness import (
    FakeClock,
    Harness,
    Message,
    file_request,
    make_harness,
    number_in,
)

GROUP = "dispatch"


@pytest.fixture
async def h(tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    classifier = load_classifier("")
    assert classifier is not None, "the shipped model must load"
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/c.db", tmp_path, clock, classifier=classifier
    ) as harness:
        yield harness


async def test_type_is_preselected_and_confirmed_with_one_tap(h: Harness) -> None:
    replies = await h.say("res-1", "Ленина 5, кв 12 — течёт кран на кухне")
    guess = replies[-1]
    assert "Похоже, это: Водоснабжение. Верно?" in guess.text
    assert guess.labels[0] == "Да, верно" and "Другой тип…" in guess.labels
    replies = await h.press("res-1", guess.button("Да, верно"))
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    number = number_in(await h.press("res-1", replies[-1].button("Подтвердить")))
    card = (await h.read(GROUP))[-1]
    assert f"№{number}" in card.text and "Водоснабжение" in card.text


async def test_gas_smell_gets_safety_advice_before_anything_else(h: Harness) -> None:
    replies = await h.say("res-3", "Мира 101 кв 7, в подъезде сильно пахнет газом!")
    assert "104" in replies[0].text and "112" in replies[0].text
    assert "не включайте" in replies[0].text
    replies = await h.press("res-3", replies[-1].button("Да, верно"))
    replies = await h.press("res-3", replies[-1].button("Пропустить"))
    replies = await h.press("res-3", replies[-1].button("Пропустить"))
    assert "🚨 авария" in replies[-1].text
    await h.press("res-3", replies[-1].button("Подтвердить"))
    card = (await h.read(GROUP))[-1]
    assert card.text.startswith("🚨") and "Газ" in card.text and "Авария" in card.text


async def summary_after_guess(
    h: Harness, user: str, replies: list[Message], unsure: str = "Другое"
) -> str:
    """The summary once the guessed type is taken (or, when the classifier was unsure and
    lists every type, the ``unsure`` one is chosen) and the photos and phone skipped."""
    question = replies[-1]
    agree = "Да, верно" if "Да, верно" in question.labels else unsure
    replies = await h.press(user, question.button(agree))
    replies = await h.press(user, replies[-1].button("Пропустить"))
    replies = await h.press(user, replies[-1].button("Пропустить"))
    return replies[-1].text


async def test_one_cold_radiator_is_urgent_work_not_an_emergency(h: Harness) -> None:
    replies = await h.say("res-4", "Ленина 5 кв 12, в спальне холодная батарея")
    assert not any("⚠️" in r.text for r in replies)
    assert replies[-1].text == "Похоже, это: Отопление. Верно?"
    assert "🚨 авария" not in await summary_after_guess(h, "res-4", replies)


async def test_a_stopped_lift_with_nobody_inside_is_no_emergency(h: Harness) -> None:
    replies = await h.say("res-5", "Ленина 5 кв 12, лифт стоит на первом этаже, внутри никого")
    assert not any("⚠️" in r.text for r in replies)


@pytest.mark.parametrize(
    ("text", "advice", "not_advice"),
    [
        ("сосед застрял в лифте между этажами", "кнопку вызова диспетчера", "перекройте"),
        ("прорвало батарею, хлещет кипяток", "перекройте вентиль", "кнопку вызова"),
        ("во всём доме нет отопления, на улице минус 25", "похоже на аварию", "перекройте"),
        ("в подвале текут нечистоты, уже по щиколотку", "не сливайте", "перекройте"),
        ("мужа заперло в лифте, свет погас", "кнопку вызова диспетчера", "перекройте"),
        ("колодец у школы без крышки, дети бегают", "похоже на аварию", "перекройте"),
        ("вода капает прямо на проводку в коридоре", "обесточьте", "кнопку вызова"),
    ],
)
async def test_emergency_advice_matches_the_hazard(
    h: Harness, text: str, advice: str, not_advice: str
) -> None:
    replies = await h.say("res-6", f"Ленина 5 кв 12, {text}")
    assert advice in replies[0].text and not_advice not in replies[0].text
    assert "🚨 авария" in await summary_after_guess(h, "res-6", replies)


async def test_a_building_without_heating_is_filed_as_the_heating_accident(h: Harness) -> None:
    text = "Ленина 5 кв 12, во всём подъезде нет отопления, дети мёрзнут"
    filed = await file_request(h, "res-8", text, "Отопление")
    # ПП 416 п.13: an accident of the heating system is localised within 30 minutes
    assert "Срок: 24.11.2026 10:30." in filed.confirmation
    card = (await h.read(GROUP))[-1]
    assert card.text.startswith("🚨") and "Отопление" in card.text and "Авария" in card.text


async def test_one_flat_without_heating_keeps_the_no_heating_row(h: Harness) -> None:
    filed = await file_request(h, "res-9", "Ленина 5 кв 12, нет отопления в квартире", "Отопление")
    # ПП 354 прил.1 п.14: a break of at most 4 hours when the rooms are not said to be warm
    assert "Срок: 24.11.2026 14:00." in filed.confirmation
    assert "Авария" not in (await h.read(GROUP))[-1].text


@pytest.mark.parametrize(
    "text",
    [
        "с потолка в ванной капает понемногу, подставили таз",
        "на потолке старое пятно от залива, сейчас сухо, нужен акт",
    ],
)
async def test_a_slow_drip_or_an_old_stain_is_no_emergency(h: Harness, text: str) -> None:
    replies = await h.say("res-10", f"Ленина 5 кв 12, {text}")
    assert not any("⚠️" in r.text for r in replies)
    assert "🚨 авария" not in await summary_after_guess(h, "res-10", replies)


class Scripted:
    """A classifier that is sure of electricity to a set degree, then water, then heating."""

    def __init__(self, confidence: float) -> None:
        self.confidence = confidence

    def classify(self, text: str) -> Classification:
        top = (("electricity", self.confidence), ("water", 0.2), ("heating", 0.1))
        return Classification("electricity", self.confidence, False, top)


async def ask_type_with(tmp_path, clock: FakeClock, confidence: float) -> Message:
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/s.db", tmp_path, clock, classifier=Scripted(confidence)
    ) as harness:
        return (await harness.say("res-1", "Ленина 5 кв 12 непонятно что случилось"))[-1]


async def test_low_confidence_offers_types_by_probability(tmp_path, clock: FakeClock) -> None:
    """Below the threshold (0.6 by default) no guess: every type, the likeliest first."""
    question = await ask_type_with(tmp_path, clock, confidence=0.59)
    assert question.text == "Какой это тип проблемы?"
    assert question.labels == [
        "Электричество",
        "Водоснабжение",
        "Отопление",
        "Канализация",
        "Лифт",
        "Двери и домофон",
        "Уборка",
        "Мусор",
        "Двор и территория",
        "Крыша и фасад",
        "Газ",
        "Насекомые и грызуны",
        "Квитанции и оплата",
        "Другое",
    ]


async def test_confidence_at_the_threshold_offers_one_guess(tmp_path, clock: FakeClock) -> None:
    question = await ask_type_with(tmp_path, clock, confidence=0.6)
    assert question.text == "Похоже, это: Электричество. Верно?"
    assert question.labels == ["Да, верно", "Водоснабжение", "Отопление", "Другой тип…"]


async def test_the_shipped_model_is_unsure_of_a_vague_text(h: Harness) -> None:
    replies = await h.say("res-1", "Ленина 5 кв 12 непонятно что случилось, просто плохо")
    assert replies[-1].text == "Какой это тип проблемы?"
    assert len(replies[-1].labels) == 14


async def test_dispatcher_correction_is_exported_for_training(h: Harness, tmp_path) -> None:
    replies = await h.say("res-1", "Ленина 5, кв 12 — в подъезде грязно, давно не мыли пол")
    replies = await h.press("res-1", replies[-1].button(replies[-1].labels[0]))
    while "Проверьте заявку" not in replies[-1].text:
        replies = await h.press("res-1", replies[-1].button("Пропустить"))
    await h.press("res-1", replies[-1].button("Подтвердить"))
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Тип"), chat=GROUP))[-1]
    updated = (await h.press("disp-1", picker.button("Мусор"), chat=GROUP))[-1]
    assert "Мусор" in updated.text
    picker = (await h.press("disp-1", updated.button("Срочность"), chat=GROUP))[-1]
    updated = (await h.press("disp-1", picker.button("Срочная"), chat=GROUP))[-1]
    assert "Срочная" in updated.text
    out = tmp_path / "export.csv"
    assert await export_training(h.app.db, out) == 1
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert rows == [
        {
            "text": "Ленина 5, кв 12 — в подъезде грязно, давно не мыли пол",
            "category": "waste",
            "emergency": "0",
        }
    ]
