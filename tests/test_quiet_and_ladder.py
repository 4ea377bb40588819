"""Quiet nights, the duty roster and the escalation ladder, with an injected clock.

Demo roster: technicians work Monday to Friday 08:00-17:00; Сергей Иванов (tech-1) is on
call (duty) on weeknights and all weekend.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import admin
from bot.admin import ImportProblem
from core.lifecycle import Action
from core.storage.tables import EscalationStep, Request
from tests.support.harness import FakeClock, Harness, make_harness
from tests.test_sweeps import (
    GROUP,
    act,
    file_direct,
    msk,
    person,
    sweep,
    swept_with_staff,
    texts_of,
)

STAFF_CSV = (
    "code,name,role,trade,phone,web_id\n"
    "adm-1,Пётр Главный,admin,,+79001110020,adm-1\n"
    "adm-2,Анна Директорова,admin,,+79001110021,adm-2\n"
)
LADDER_CSV = (
    "scope,after_minutes,title,staff\n"
    "*,0,Главный инженер,adm-1\n"
    "*,90,Директор,adm-2\n"
    "sad12,0,Инженер участка,disp-2\n"
)
STAFF_CHATS = ("tech-1", "tech-2", "tech-3", "tech-4", "adm-1", "adm-2", "disp-2")


@pytest.fixture
async def night(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with swept_with_staff(tmp_path, clock, STAFF_CSV) as h:
        yield h


async def told(h: Harness) -> dict[str, int]:
    """How many messages each staff chat and the group got since the last look."""
    counts = {chat: len(await texts_of(h, chat)) for chat in (*STAFF_CHATS, GROUP)}
    return {chat: n for chat, n in counts.items() if n}


def every(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    moments, at = [], start
    while at < end:
        moments.append(at)
        at += step
    return moments


async def test_a_friday_night_lift_fault_wakes_nobody(night: Harness) -> None:
    """Filed Friday 22:00: nobody is sent the job or a reminder all weekend; on Monday at
    08:00 it is assigned, and what fell due meanwhile goes out once."""
    h = night
    h.clock.now = msk(27, 22).astimezone(UTC)
    request = await file_direct(h, "elevator", "urgent")
    assert request.assignee_id is None  # held for the working day
    assert await told(h) == {GROUP: 1}  # the card, for the record
    for at in every(msk(27, 22, 15), msk(30, 8), timedelta(minutes=30)):
        await sweep(h, at.astimezone(UTC), times=1)
        assert await told(h) == {}, at.isoformat()

    await sweep(h, msk(30, 8).astimezone(UTC))
    job = await texts_of(h, "tech-3")
    assert len(job) == 1 and "лифт" in job[0].lower(), job
    group = await texts_of(h, GROUP)
    assert any("подана вне рабочего времени" in t for t in group), group
    # Late since Saturday 22:00: raised once in the group and to the ladder-less managers
    # once, not a message every quarter of an hour.
    await sweep(h, msk(30, 8, 30).astimezone(UTC))
    await sweep(h, msk(30, 9).astimezone(UTC))
    counts = await told(h)
    assert counts.get("tech-3", 0) <= 2 and counts.get(GROUP, 0) <= 2, counts
    assert set(counts) <= {"tech-3", GROUP, "adm-1", "adm-2"}, counts


async def test_a_friday_night_flood_wakes_the_person_on_duty(night: Harness) -> None:
    h = night
    h.clock.now = msk(27, 22).astimezone(UTC)
    request = await file_direct(h, "water", "emergency")
    async with h.app.db.reading() as session:
        fresh = await session.get(Request, request.id)
    assert fresh is not None
    counts = await told(h)
    assert counts == {"tech-1": 1, GROUP: 1}, counts  # the duty technician has the job
    await sweep(h, msk(27, 22, 5).astimezone(UTC))
    reminded = await texts_of(h, "tech-1")
    assert len(reminded) == 1 and "примите заявку" in reminded[0]
    # Nobody off duty is woken, whatever happens to the job overnight.
    for at in every(msk(27, 22, 10), msk(28, 6), timedelta(minutes=5)):
        await sweep(h, at.astimezone(UTC), times=1)
    counts = await told(h)
    assert set(counts) <= {"tech-1", GROUP, "adm-1", "adm-2"}, counts
    # Raises back off: a handful over eight hours, not one every 15 minutes (32).
    assert counts[GROUP] <= 12, counts


async def ladder(h: Harness, tmp_path: Path, text: str = LADDER_CSV) -> int:
    path = tmp_path / "ladder.csv"
    path.write_text(text, encoding="utf-8")
    return await admin.import_ladder(h.app.db, path)


async def test_the_ladder_steps_once_each_and_says_whom_to_call(
    night: Harness, tmp_path: Path
) -> None:
    h = night
    assert await ladder(h, tmp_path) == 3
    t0 = h.clock.now  # Tuesday 10:00
    request = await file_direct(h, "water", "emergency")
    await act(h, request.id, "tech-1", Action.ACCEPT)
    await told(h)
    await sweep(h, t0 + timedelta(minutes=30))  # late on the arrival clock
    chief = await texts_of(h, "adm-1")
    assert len(chief) == 1 and "Эскалация (Главный инженер)" in chief[0]
    assert "Кому звонить: исполнитель Сергей Иванов, тел. +79001110001" in chief[0]
    assert "житель Анна Петровна" in chief[0]
    card = [t for t in await texts_of(h, GROUP) if f"№{request.number} ·" in t]
    assert card and "🔺 Эскалация: Главный инженер — Пётр Главный" in card[-1]
    for minutes in (45, 60, 75, 119):
        await sweep(h, t0 + timedelta(minutes=minutes))
        assert await texts_of(h, "adm-1") == [] and await texts_of(h, "adm-2") == []
    await sweep(h, t0 + timedelta(minutes=120))  # 90 minutes late
    director = await texts_of(h, "adm-2")
    assert len(director) == 1 and "Эскалация (Директор)" in director[0]
    for minutes in (180, 600):
        await sweep(h, t0 + timedelta(minutes=minutes))
        assert await texts_of(h, "adm-1") == [] and await texts_of(h, "adm-2") == []
    history = (await h.say("disp-1", f"/show {request.number}", chat=GROUP))[-1].text
    assert "Эскалация: Главный инженер — Пётр Главный" in history
    assert "Эскалация: Директор — Анна Директорова" in history

    # Садовая 12 has a ladder of its own: only its step is told.
    other = await file_direct(h, "water", "emergency", reporter="res-2", building=2)
    await act(h, other.id, "tech-1", Action.ACCEPT)
    await told(h)
    await sweep(h, h.clock.now + timedelta(minutes=30))
    counts = await told(h)
    assert counts.get("disp-2") == 1 and "adm-1" not in counts and "adm-2" not in counts


async def test_a_bad_ladder_names_its_lines_and_saves_nothing(
    night: Harness, tmp_path: Path
) -> None:
    h = night
    await ladder(h, tmp_path)
    bad = (
        "scope,after_minutes,title,staff\n"
        "*,0,Главный инженер,adm-1\n"
        "nowhere,10,Инженер,adm-1\n"
        "*,soon,Директор,adm-2\n"
        "area:ЖК «Нет такого»,0,Инженер,adm-1\n"
        "*,30,Директор,nobody\n"
        "*,0,Ещё раз,adm-2\n"
        "*,40,,adm-2\n"
    )
    with pytest.raises(ImportProblem) as problem:
        await ladder(h, tmp_path, bad)
    lines = [e.split(":")[0] for e in problem.value.errors]
    assert lines == ["line 3", "line 4", "line 5", "line 6", "line 7", "line 8"], problem.value
    async with h.app.db.reading() as session:
        kept = await session.scalar(select(func.count()).select_from(EscalationStep))
    assert kept == 3  # the earlier ladder stands
    area = "scope,after_minutes,title,staff\narea:ЖК «Мирный»,15,Дежурный,duty\n"
    assert await ladder(h, tmp_path, area) == 1


async def test_an_untaken_emergency_at_night_wakes_the_duty_technician(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Dispatchers assign by hand (no automatic assignment) to someone off duty who does
    not answer: the duty roster's technician is woken, once per back-off step."""
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/manual.db", tmp_path, clock, auto_assign=False
    ) as h:
        await sweep(h)
        h.clock.now = msk(27, 22).astimezone(UTC)
        request = await file_direct(h, "water", "emergency")
        await act(h, request.id, "disp-1", Action.ASSIGN, assignee=await person(h, "tech-3"))
        await told(h)
        await sweep(h, msk(27, 22, 15).astimezone(UTC))
        duty = await texts_of(h, "tech-1")
        assert len(duty) == 1 and "Вы дежурный" in duty[0], duty
        await sweep(h, msk(27, 22, 20).astimezone(UTC))
        assert await texts_of(h, "tech-1") == []
        await sweep(h, msk(27, 22, 30).astimezone(UTC))
        assert len(await texts_of(h, "tech-1")) == 1


async def test_a_technician_working_at_night_gets_the_job_at_once(
    night: Harness, tmp_path: Path
) -> None:
    """A lift mechanic on an evening shift (work, not duty) takes the night's lift fault."""
    h = night
    shifts = tmp_path / "shifts.csv"
    shifts.write_text(
        "technician,day,start,end,kind\ntech-3,fri,08:00,17:00,work\ntech-3,fri,18:00,24:00,work\n",
        encoding="utf-8",
    )
    await admin.import_shifts(h.app.db, shifts, msk(24, 10).date())
    h.clock.now = msk(27, 22).astimezone(UTC)
    request = await file_direct(h, "elevator", "urgent")
    assert request.assignee_id is not None
    assert (await told(h)).get("tech-3") == 1
