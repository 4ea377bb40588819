"""Automatic assignment through the web chat: the demo matrix and shifts at work."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.classifier_port import load_classifier
from tests.support.harness import FakeClock, Harness, file_request, make_harness

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


async def test_a_new_request_goes_to_the_technician_the_matrix_names(any_auto: Harness) -> None:
    h = any_auto
    # Tuesday 10:00 in Moscow: a water leak.
    number, _, told = await file_request(
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
    number, _, _ = await file_request(
        h, "res-1", "Ленина 5, кв 12 — течёт кран на кухне", "Водоснабжение"
    )
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
    await file_request(
        h, "res-2", "Садовая 12, кв 45 — двойное начисление в квитанции", "Квитанции"
    )
    card = (await h.read(GROUP))[-1]
    assert "Нужно назначить вручную: за этот дом и тип работ никто не отвечает" in card.text
    assert "Исполнитель: не назначен" in card.text


async def test_electricity_goes_to_the_electrician(auto: Harness) -> None:
    number, _, _ = await file_request(
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
        number, summary, _ = await file_request(
            h, "res-3", "Мира 101, кв 7 — искрит розетка и пахнет гарью", "Электричество"
        )
        assert "🚨" in summary, summary
        card = (await h.read(GROUP))[-1]
        assert f"🚨 Заявка №{number}" in card.text
        assert "Назначен автоматически: Сергей Иванов (дежурный)" in card.text, card.text
        assert f"№{number}" in (await h.read("tech-1"))[-1].text
        assert await h.read("tech-2") == []  # the electrician is off shift


async def test_monitor_commands(auto: Harness) -> None:
    h = auto
    water, _, _ = await file_request(
        h, "res-1", "Ленина 5, кв 12 — течёт кран на кухне", "Водоснабжение"
    )
    light, _, _ = await file_request(
        h, "res-2", "Садовая 12, кв 45 — не работает выключатель", "Электричество"
    )
    await h.skip(GROUP)

    def listed(messages: list) -> str:
        return messages[-1].text

    text = listed(await h.say("disp-1", "/open", chat=GROUP))
    assert f"№{water}" in text and f"№{light}" in text
    text = listed(await h.say("disp-1", "/open Ленина 5", chat=GROUP))
    assert f"№{water}" in text and f"№{light}" not in text
    text = listed(await h.say("disp-1", "/open электричество", chat=GROUP))
    assert f"№{light}" in text and f"№{water}" not in text
    text = listed(await h.say("disp-1", "/open Иванов", chat=GROUP))
    assert f"№{water}" in text and f"№{light}" not in text
    text = listed(await h.say("disp-1", "/open new", chat=GROUP))
    assert "Открытых заявок нет" in text
    text = listed(await h.say("disp-1", "/open Нигдешная 99", chat=GROUP))
    assert "Не понял фильтр" in text

    assert "Просроченных заявок нет" in listed(await h.say("disp-1", "/overdue", chat=GROUP))
    h.clock.advance(days=8)
    text = listed(await h.say("disp-1", "/overdue", chat=GROUP))
    assert f"№{water}" in text and "просрочена" in text
    text = listed(await h.say("disp-1", "/today", chat=GROUP))
    assert f"№{water}" in text  # overdue counts as due today

    text = listed(await h.say("disp-1", "/load", chat=GROUP))
    assert "Сергей Иванов: 1" in text and "Алексей Смирнов: 1" in text

    found = await h.say("disp-1", f"/find {light}", chat=GROUP)
    assert f"Заявка №{light}" in found[0].text and "История" in found[-1].text
    assert "система" in found[-1].text  # the automatic assignment is in the history
    text = listed(await h.say("disp-1", "/find Садовая 12", chat=GROUP))
    assert f"№{light}" in text and f"№{water}" not in text
    assert "Ничего не нашлось" in listed(await h.say("disp-1", "/find 999999", chat=GROUP))


async def test_a_low_rating_is_raised_in_the_group(auto: Harness) -> None:
    h = auto
    number, _, _ = await file_request(
        h, "res-1", "Ленина 5, кв 12 — течёт кран на кухне", "Водоснабжение"
    )
    job = (await h.read("tech-1"))[-1]
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    job = (await h.press("tech-1", job.button("Начать")))[-1]
    await h.press("tech-1", job.button("Выполнено"))
    await h.say("tech-1", "заменил прокладку")
    await h.say("tech-1", "готово")
    done = (await h.read("res-1"))[-1]
    closed = (await h.press("res-1", done.button("Да")))[-1]
    await h.skip(GROUP)
    await h.press("res-1", closed.button("★★"))
    raised = (await h.read(GROUP))[-1].text
    assert "Низкая оценка ★★" not in raised and "Низкая оценка 2" in raised
    assert f"№{number}" in raised and "Сергей Иванов" in raised
