"""One outage, many residents: duplicates join one request, an incident answers at once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.classifier_port import load_classifier
from tests.support.harness import FakeClock, Harness, make_harness, number_in

GROUP = "dispatch"
RESIDENTS = ["res-1", "guest-a", "guest-b", "guest-c", "guest-d"]


async def report_no_hot_water(h: Harness, user: str, apartment: int) -> list:
    # Each says it is beyond their flat: one flat's problem never joins another flat's.
    replies = await h.say(user, f"Ленина 5 кв {apartment} нет горячей воды с утра, у соседей тоже")
    return await h.press(user, replies[-1].button("Водоснабжение"))


async def test_five_reports_one_request_an_incident_for_the_sixth_all_told(h5: Harness) -> None:
    h = h5
    replies = await report_no_hot_water(h, "res-1", 12)
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    number = number_in(await h.press("res-1", replies[-1].button("Подтвердить")))

    for apartment, user in enumerate(RESIDENTS[1:], start=20):
        asked = (await report_no_hot_water(h, user, apartment))[-1]
        assert f"заявка №{number}" in asked.text and "та же проблема" in asked.text
        joined = await h.press(user, asked.button(f"№{number}"))
        assert f"уже известно: заявка №{number}" in joined[-1].text
    card = (await h.read(GROUP))[-1]
    assert "Сообщили: 5 жителей" in card.text
    assert "Ещё один житель сообщил" in card.text

    # Every co-reporter hears about each step.
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    card = (await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP))[-1]
    for user in RESIDENTS:
        assert "назначен техник" in (await h.read(user))[-1].text

    # The dispatcher declares an outage from the card; the sixth resident gets the answer.
    declared = (await h.press("disp-1", card.button("Авария по дому"), chat=GROUP))[-1]
    assert "Объявлена авария" in declared.text
    replies = await report_no_hot_water(h, "guest-f", 44)
    assert "Об этом уже известно" in replies[-1].text
    assert "Заявку оформлять не нужно" in replies[-1].text
    assert not any("Проверьте заявку" in m.text for m in replies)

    resolved = (await h.press("disp-2", declared.button("Устранено"), chat=GROUP))[-1]
    assert "устранена" in resolved.text and "Сообщено жителям: 6" in resolved.text
    for user in [*RESIDENTS, "guest-f"]:
        assert "Устранено" in (await h.read(user))[-1].text, user
    # The button is now stale.
    again = await h.press("disp-2", declared.button("Устранено"), chat=GROUP)
    assert "недоступно" in again[-1].text


@pytest.fixture
async def hc(tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    """With the shipped classifier, which tells the outage's type from its description."""
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/hc.db", tmp_path, clock, load_classifier("")
    ) as h:
        yield h


async def test_declared_by_command_with_end_time_and_a_different_problem_still_files(
    hc: Harness,
) -> None:
    h = hc
    replies = await h.say(
        "disp-1", "/incident Садовая 12 нет холодной воды, плановые работы до 18:00", chat=GROUP
    )
    assert "Объявлена авария" in replies[-1].text and "18:00" in replies[-1].text
    listing = (await h.say("disp-2", "/incidents", chat=GROUP))[-1]
    assert "нет холодной воды" in listing.text
    replies = await h.say("res-2", "Садовая 12 кв 45 нет воды")
    replies = await h.press("res-2", replies[-1].button("Да, верно"))
    known = replies[-1]
    assert "Об этом уже известно" in known.text and "18:00" in known.text
    # The resident insists the problem is different: the request is filed as usual.
    replies = await h.press("res-2", known.button("другая проблема"))
    assert "фото" in replies[-1].text.lower()


async def file_lift(h: Harness, user: str, text: str) -> int:
    replies = await h.say(user, text)
    replies = await h.press(user, replies[-1].button("Лифт"))
    if "та же проблема" in replies[-1].text:
        replies = await h.press(user, replies[-1].button("другая проблема"))
    replies = await h.press(user, replies[-1].button("Пропустить"))
    if "телефон" in replies[-1].text:
        replies = await h.press(user, replies[-1].button("Пропустить"))
    return number_in(await h.press(user, replies[-1].button("Подтвердить")))


async def test_dispatchers_merge_and_split_by_hand(h5: Harness) -> None:
    h = h5
    first = await file_lift(h, "res-1", "Ленина 5, 2 подъезд — лифт застревает между этажами")
    second = await file_lift(h, "guest-m", "Ленина 5 подъезд 2 лифт стоит, не едет")
    assert first != second
    await h.skip(GROUP)
    replies = await h.say("disp-1", f"/merge {first} {second}", chat=GROUP)
    assert f"№{second} объединена с №{first}" in replies[-1].text
    cards = [m.text for m in replies]
    assert any(
        f"Заявка №{second} · закрыта" in t and f"Объединена с заявкой №{first}" in t for t in cards
    )
    assert any("Сообщили: 2 жителя" in t for t in cards)
    told = (await h.read("guest-m"))[-1].text
    assert f"№{second} объединена с заявкой №{first}" in told
    # A mistaken merge is undone by splitting the resident off again.
    picker = (await h.say("disp-2", f"/split {first}", chat=GROUP))[-1]
    replies = await h.press("disp-2", picker.button("guest-m"), chat=GROUP)
    assert any("выделен в отдельную заявку" in m.text for m in replies)
    own = number_in(await h.read("guest-m"))
    assert own not in (first, second)
    # Merging across buildings is refused.
    other = await file_lift(h, "res-2", "Садовая 12 кв 45 лифт не работает")
    replies = await h.say("disp-1", f"/merge {first} {other}", chat=GROUP)
    assert "разным домам" in replies[-1].text
