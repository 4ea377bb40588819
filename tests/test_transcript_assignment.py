"""Automatic assignment through the web chat: the demo matrix and shifts at work."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.classifier_port import load_classifier
from tests.support.harness import FakeClock, Harness, make_harness, number_in

GROUP = "dispatch"


@pytest.fixture
async def auto(tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/auto.db", tmp_path, clock, auto_assign=True
    ) as h:
        yield h


@pytest.fixture
async def any_auto(database_url: str, tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with make_harness(database_url, tmp_path, clock, auto_assign=True) as h:
        yield h


async def file(h: Harness, user: str, text: str, category: str) -> tuple[int, str, str]:
    """File a request, answering each question; returns the number, the summary and
    the confirmation the resident got."""
    question = (await h.say(user, text))[-1]
    summary = ""
    for _ in range(8):
        labels = " ".join(question.labels)
        if "Подтвердить" in labels:
            summary = question.text
            confirmed = await h.press(user, question.button("Подтвердить"))
            return number_in(confirmed), summary, confirmed[-1].text
        label = next(lb for lb in ("Да, верно", category, "Пропустить") if lb in labels)
        question = (await h.press(user, question.button(label)))[-1]
    raise AssertionError(question.text)


async def test_a_new_request_goes_to_the_technician_the_matrix_names(any_auto: Harness) -> None:
    h = any_auto
    # Tuesday 10:00 in Moscow: a water leak.
    number, _, told = await file(
        h, "res-1", "Ленина 5, кв 12 — течёт кран на кухне", "Водоснабжение"
    )
    cards = await h.read(GROUP)
    assert len(cards) == 1, [c.text for c in cards]
    assert f"№{number}" in cards[0].text
    assert "Назначен автоматически: Сергей Иванов" in cards[0].text
    assert "Исполнитель: Сергей Иванов" in cards[0].text
    job = (await h.read("tech-1"))[-1]
    assert f"№{number}" in job.text and "✅ Принять" in job.labels
    assert "принята" in told and "Назначен техник: Сергей Иванов" in told
    assert await h.read("res-1") == []  # one message, not a second "assigned"


async def test_decline_passes_the_job_to_the_next_candidate_and_tells_the_group(
    auto: Harness,
) -> None:
    h = auto
    number, _, _ = await file(h, "res-1", "Ленина 5, кв 12 — течёт кран на кухне", "Водоснабжение")
    await h.skip(GROUP, "res-1")
    job = (await h.read("tech-1"))[-1]
    await h.press("tech-1", job.button("Отказаться"))
    await h.say("tech-1", "я на другом конце города, не успею")
    group = [m.text for m in await h.read(GROUP)]
    assert any("отказался" in t for t in group), group
    assert "Назначен автоматически: Николай Попов — предыдущий техник отказался" in group[-1]
    job = (await h.read("tech-4"))[-1]
    assert f"№{number}" in job.text

    # The second candidate cannot do it: nobody is left, the group is asked to act.
    job = (await h.press("tech-4", job.button("Принять")))[-1]
    await h.press("tech-4", job.button("Не могу"))
    await h.say("tech-4", "нужен сварщик")
    group = [m.text for m in await h.read(GROUP)]
    assert "Нужно назначить вручную: все ответственные техники уже отказались" in group[-1]

    # The dispatcher can always override.
    card = (await h.read(GROUP)) or []
    picker = (await h.say("disp-1", f"/show {number}", chat=GROUP))[0]
    picker = (await h.press("disp-1", picker.button("Назначить"), chat=GROUP))[-1]
    updates = await h.press("disp-1", picker.button("Алексей Смирнов"), chat=GROUP)
    assert "Назначен: Алексей Смирнов" in updates[-1].text
    assert card == []


async def test_nobody_responsible_means_manual_assignment(auto: Harness) -> None:
    h = auto
    await file(h, "res-2", "Садовая 12, кв 45 — двойное начисление в квитанции", "Квитанции")
    card = (await h.read(GROUP))[-1]
    assert "Нужно назначить вручную: за этот дом и тип работ никто не отвечает" in card.text
    assert "Исполнитель: не назначен" in card.text


async def test_electricity_goes_to_the_electrician(auto: Harness) -> None:
    number, _, _ = await file(
        auto, "res-1", "Ленина 5, кв 12 — не работает выключатель в прихожей", "Электричество"
    )
    card = (await auto.read(GROUP))[-1]
    assert f"№{number}" in card.text and "Алексей Смирнов" in card.text


async def test_off_hours_emergency_goes_to_the_technician_on_duty(
    tmp_path, clock: FakeClock
) -> None:
    classifier = load_classifier("")
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/e.db",
        tmp_path,
        clock,
        classifier=classifier,
        auto_assign=True,
    ) as h:
        h.clock.advance(hours=13)  # Tuesday 23:00 in Moscow: only tech-1 is on call
        number, summary, _ = await file(
            h, "res-3", "Мира 101, кв 7 — искрит розетка и пахнет гарью", "Электричество"
        )
        assert "🚨" in summary, summary
        card = (await h.read(GROUP))[-1]
        assert f"🚨 Заявка №{number}" in card.text
        assert "Назначен автоматически: Сергей Иванов (дежурный)" in card.text, card.text
        assert f"№{number}" in (await h.read("tech-1"))[-1].text
        assert await h.read("tech-2") == []  # the electrician is off shift
