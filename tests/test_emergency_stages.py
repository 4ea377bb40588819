"""An emergency's stages through the technician's buttons: on site, localised, restored,
repaired; each told to the resident, in order only; forged or stale presses change nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.payloads import RequestAction
from core.storage.tables import Request, RequestEvent
from tests.support.harness import FakeClock, Harness, make_harness
from tests.test_sweeps import GROUP, file_direct, sweep, texts_of

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
async def staged(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/stages.db", tmp_path, clock, auto_assign=True
    ) as h:
        yield h


async def fresh(h: Harness, request_id: int) -> Request:
    async with h.app.db.reading() as session:
        request = await session.get(Request, request_id)
    assert request is not None
    return request


async def test_the_technician_walks_the_stages_and_the_resident_hears_each(
    staged: Harness,
) -> None:
    h = staged
    request = await file_direct(h, "water", "emergency")
    card = (await h.read(GROUP))[-1]
    # The card shows whom to call when a tap does not come.
    assert "Сергей Иванов, тел. +79001110001" in card.text
    job = (await h.read("tech-1"))[-1]
    assert "📍 На месте" not in job.labels
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    assert "Этап: принята" in job.text
    assert "📍 На месте" in job.labels and "🛑 Локализована" not in job.labels
    await h.skip("res-1")

    on_site = (await h.press("tech-1", job.button("На месте")))[-1]
    assert "техник на месте" in on_site.text
    assert "на месте" in (await texts_of(h, "res-1"))[-1]
    # The old card's button is stale now: pressing it again changes nothing.
    stale = await h.press("tech-1", job.button("На месте"))
    assert "кнопка устарела" in stale[-1].text
    # A forged press for a later stage (restored before localised) changes nothing.
    current = await fresh(h, request.id)
    forged = RequestAction("rs", request.id, current.version).encode()
    refused = await h.press("tech-1", forged)
    assert "по порядку" in refused[-1].text
    assert (await fresh(h, request.id)).stage == "arrived"
    assert await texts_of(h, "res-1") == []

    localised = (await h.press("tech-1", on_site.button("Локализована")))[-1]
    assert "авария локализована" in localised.text
    assert "локализована" in (await texts_of(h, "res-1"))[-1]
    restored = (await h.press("tech-1", localised.button("Подача восстановлена")))[-1]
    assert "подача восстановлена" in restored.text
    assert "подача восстановлена" in (await texts_of(h, "res-1"))[-1]
    asked = await h.press("tech-1", restored.button("Устранена"))
    assert "отчёт" in asked[-1].text.lower() or "фото" in asked[-1].text.lower()
    await h.say("tech-1", "заменён участок трубы")
    await h.say("tech-1", "готово")
    done = await fresh(h, request.id)
    assert done.status == "done" and done.stage == "repaired"

    async with h.app.db.reading() as session:
        stages = [
            e.data.get("stage")
            for e in await session.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == request.id)
                .order_by(RequestEvent.id)
            )
            if e.data.get("stage")
        ]
    assert stages == ["accepted", "arrived", "localised", "restored", "repaired"]
    history = (await h.say("disp-1", f"/show {done.number}", chat=GROUP))[-1].text
    assert "авария локализована" in history


async def test_stage_buttons_are_for_emergencies_only(staged: Harness) -> None:
    h = staged
    request = await file_direct(h, "water", "normal")
    job = (await h.read("tech-1"))[-1]
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    job = (await h.press("tech-1", job.button("Начать")))[-1]
    assert "🛑 Локализована" not in job.labels and "Этап" not in job.text
    current = await fresh(h, request.id)
    forged = RequestAction("lc", request.id, current.version).encode()
    refused = await h.press("tech-1", forged)
    assert "только у аварийных" in refused[-1].text
    assert (await fresh(h, request.id)).stage == ""


async def _localised_water_emergency(h: Harness) -> Request:
    """A water emergency accepted, reached and localised at once: the repair is due next."""
    request = await file_direct(h, "water", "emergency")
    job = (await h.read("tech-1"))[-1]
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    job = (await h.press("tech-1", job.button("На месте")))[-1]
    await h.press("tech-1", job.button("Локализована"))
    await h.skip("res-1")
    await h.skip(GROUP)
    await h.skip("tech-1")
    return request


async def repaired_reminders(h: Harness, hours: float) -> list[str]:
    """What the technician is told about the repair ``hours`` after the call."""
    await sweep(h, h.clock.now + timedelta(hours=hours))
    return [t for t in await texts_of(h, "tech-1") if "повреждение устранено" in t]


@pytest.mark.parametrize("repair_hours", [None, 24])
async def test_the_repair_clock_is_the_norms_tables(
    tmp_path: Path, clock: FakeClock, repair_hours: int | None
) -> None:
    """The repaired stage is due by the row's repair_hours, so a company's NORMS_FILE moves
    the technician's reminder (the shipped row: 72 hours)."""
    overrides: dict[str, object] = {}
    if repair_hours is not None:
        norms = tmp_path / "norms.csv"
        norms.write_text(
            "category,urgency,hours,repair_hours,source\n"
            f"water,emergency,0.5,{repair_hours},company rule\n",
            encoding="utf-8",
        )
        overrides["norms_file"] = norms
    database = f"sqlite+aiosqlite:///{tmp_path}/repair.db"
    async with make_harness(database, tmp_path, clock, auto_assign=True, **overrides) as h:
        await _localised_water_emergency(h)
        filed = h.clock.now
        late_by_company_rule = await repaired_reminders(h, 25)
        assert bool(late_by_company_rule) is (repair_hours == 24)
        h.clock.now = filed
        late_by_law = await repaired_reminders(h, 73)
        assert late_by_law, "72 hours after the call the repair is late under either table"
        due = (filed + timedelta(hours=repair_hours or 72)).astimezone(MSK)
        assert f"срок был {due:%d.%m.%Y %H:%M}" in (late_by_company_rule or late_by_law)[0]
