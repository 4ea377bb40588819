"""The trained classifier in the dialogue: pre-selected type, emergencies, corrections."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator

import pytest

from bot.admin import export_training
from bot.classifier_port import load_classifier
from tests.support.harness import FakeClock, Harness, make_harness, number_in

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


async def test_low_confidence_offers_types_by_probability(h: Harness) -> None:
    replies = await h.say("res-1", "Ленина 5 кв 12 непонятно что случилось, просто плохо")
    question = replies[-1]
    assert "тип проблемы" in question.text or "Похоже" in question.text
    assert len(question.labels) >= 3


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
