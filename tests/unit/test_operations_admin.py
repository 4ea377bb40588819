"""Importing the matrix, shifts and absences: clear errors naming the row, nothing half-saved."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import admin
from bot.admin import ImportProblem
from bot.app import ConfigProblem, load_demo, load_sla
from bot.settings import load_settings
from core.storage.database import Database
from core.storage.migrate import upgrade
from core.storage.tables import Absence, DutyShift, Responsibility

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path}/t.db"
    await asyncio.to_thread(upgrade, url)
    database = Database(url)
    await load_demo(database, NOW)
    try:
        yield database
    finally:
        await database.close()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


async def count(db: Database, table: type) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_demo_roster_is_loaded(db: Database) -> None:
    assert await count(db, Responsibility) > 10
    assert await count(db, DutyShift) == 32
    lines = await admin.list_roster(db)
    assert "*\telectricity\t1. tech-2" in lines


async def test_matrix_errors_name_the_rows_and_change_nothing(db: Database, tmp_path) -> None:
    before = await count(db, Responsibility)
    bad = write(
        tmp_path,
        "building,category,technicians\n"
        "len5,water,tech-1\n"
        "nowhere,water,tech-1\n"
        "len5,plumbing,tech-1\n"
        "len5,heating,disp-1;ghost\n"
        "len5,water,tech-2\n"
        "len5,roof_facade,\n",
    )
    with pytest.raises(ImportProblem) as caught:
        await admin.import_matrix(db, bad)
    errors = caught.value.errors
    assert "line 3: unknown building 'nowhere'" in errors
    assert any(e.startswith("line 4: unknown category 'plumbing'") for e in errors)
    assert "line 5: 'disp-1' is not a technician" in errors
    assert "line 5: 'ghost' is not a technician" in errors
    assert "line 6: len5,water is already given above" in errors
    assert "line 7: name at least one technician" in errors
    assert await count(db, Responsibility) == before


async def test_matrix_replaces_the_old_one(db: Database, tmp_path) -> None:
    good = write(tmp_path, "building,category,technicians\nlen5,water,tech-4;tech-1\n")
    assert await admin.import_matrix(db, good) == 2
    assert await count(db, Responsibility) == 2


async def test_shift_errors(db: Database, tmp_path) -> None:
    before = await count(db, DutyShift)
    bad = write(
        tmp_path,
        "technician,day,start,end,kind\n"
        "tech-1,mon,08:00,17:00,work\n"
        "tech-1,mon,16:00,20:00,duty\n"
        "tech-2,tue,17:00,08:00,work\n"
        "tech-3,funday,08:00,17:00,work\n"
        "tech-3,2026-11-01,08:00,17:00,work\n"
        "tech-4,wed,8am,17:00,work\n"
        "ghost,thu,08:00,17:00,work\n"
        "tech-4,fri,08:00,17:00,nap\n",
    )
    with pytest.raises(ImportProblem) as caught:
        await admin.import_shifts(db, bad, TODAY)
    errors = caught.value.errors
    assert "line 3: overlaps the shift on line 2" in errors
    assert "line 4: the shift ends before it starts" in errors
    assert any(e.startswith("line 5: day must be mon..sun") for e in errors)
    assert "line 6: the date 2026-11-01 is in the past" in errors
    assert any(e.startswith("line 7: bad time '8am'") for e in errors)
    assert "line 8: 'ghost' is not a technician" in errors
    assert any(e.startswith("line 9: kind must be work, duty or off") for e in errors)
    assert [e.split(":")[0] for e in errors] == sorted(
        (e.split(":")[0] for e in errors), key=lambda s: int(s.split()[1])
    )
    assert await count(db, DutyShift) == before


async def test_shifts_replace_those_of_the_technicians_in_the_file(db: Database, tmp_path) -> None:
    good = write(
        tmp_path,
        "technician,day,start,end,kind\ntech-2,mon,09:00,18:00,work\ntech-2,2026-12-01,,,off\n",
    )
    assert await admin.import_shifts(db, good, TODAY) == 2
    assert await count(db, DutyShift) == 32 - 5 + 2


async def test_absence_errors(db: Database, tmp_path) -> None:
    bad = write(
        tmp_path,
        "technician,kind,from,to,note\n"
        "tech-1,vacation,2026-12-01,2026-12-14,отпуск\n"
        "tech-2,holiday,2026-12-01,2026-12-02,\n"
        "tech-3,sick,2026-11-01,2026-11-10,\n"
        "tech-4,day_off,2026-12-05,2026-12-01,\n"
        "tech-4,day_off,05.12.2026,,\n",
    )
    with pytest.raises(ImportProblem) as caught:
        await admin.import_absences(db, bad, TODAY)
    assert caught.value.errors == [
        "line 3: kind must be vacation, sick, day_off, got 'holiday'",
        "line 4: the absence is in the past (2026-11-10)",
        "line 5: the absence ends before it starts",
        "line 6: from and to must be dates YYYY-MM-DD",
    ]
    assert await count(db, Absence) == 0
    good = write(tmp_path, "technician,kind,from,to\ntech-1,sick,2026-11-24,2026-11-27\n")
    assert await admin.import_absences(db, good, TODAY) == 1
    assert await admin.import_absences(db, good, TODAY) == 1  # the same again: no duplicate
    assert await count(db, Absence) == 1


def test_bad_holidays_and_norms_name_the_row(tmp_path) -> None:
    holidays = tmp_path / "h.csv"
    holidays.write_text("date,name\n2026-01-01,НГ\n2026-02-30,нет такого дня\n", encoding="utf-8")
    settings = load_settings(holidays_file=holidays, _env_file=None)
    with pytest.raises(ConfigProblem, match=r"holidays row 3: bad date '2026-02-30'"):
        load_sla(settings)
    norms = tmp_path / "n.csv"
    norms.write_text(
        "category,urgency,hours,working_days\nwater,urgent,3,\nwater,sometime,3,\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigProblem, match=r"norms row 3: "):
        load_sla(load_settings(norms_file=norms, _env_file=None))


def test_company_norms_override_rows(tmp_path) -> None:
    norms = tmp_path / "n.csv"
    norms.write_text("category,urgency,hours,working_days\nbilling,normal,,10\n", encoding="utf-8")
    sla = load_sla(load_settings(norms_file=norms, work_hours="09:00-18:00", _env_file=None))
    assert sla.norm("billing", "normal") is not None
    assert sla.norm("billing", "normal").working_days == 10  # type: ignore[union-attr]
    assert sla.norm("other", "normal").working_days == 5  # type: ignore[union-attr]
    assert date(2026, 11, 4) in sla.holidays and sla.work_start.hour == 9
