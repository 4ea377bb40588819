"""The CSV imports given a file's bytes (as the console uploads them), on both engines:
the same checks as for a path, reasons in either language, nothing half-saved, and
every sheet exported in the columns its import reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot import admin
from bot.admin import ImportProblem, Upload
from core.storage.database import Database
from core.storage.tables import Absence, Building, DutyShift, EscalationStep, Person
from core.storage.tables import Responsibility as ResponsibilityRow

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
BUILDINGS = (
    "code,address,city,complex,entrances,floors,apartments,aliases\n"
    'b1,"ул. Ленина, д. 5",Тверь,,4,9,144,Ленина 5\n'
    "b2,ул. Садовая 12,Тверь,ЖК «Сад»,6,12,288,\n"
)
STAFF = (
    "code,name,role,trade,phone,web_id\n"
    "t1,Сергей,technician,Сантехник,+79001110001,web-t1\n"
    "t2,Иван,technician,Электрик,,\n"
    "a1,Админ,admin,,,\n"
)


def upload(text: str, name: str = "sheet.csv") -> Upload:
    return Upload(name, text.encode())


async def count(db: Database, table: type) -> int:
    async with db.reading() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def refused(coro) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        await coro
    return caught.value


async def filled(db: Database) -> None:
    assert await admin.import_buildings(db, upload(BUILDINGS)) == 2
    assert await admin.import_staff(db, upload(STAFF), NOW) == 3


async def test_uploaded_bytes_are_checked_as_a_file_is(db: Database) -> None:
    await filled(db)
    bad = (
        "code,name,role,trade,phone,web_id\n"
        "t1,Переименован,technician,,,\n"
        "t3,,technician,,,\n"
        "t4,Пётр,technician,," + "1" * 40 + ",\n"
    )
    problem = await refused(admin.import_staff(db, upload(bad, "staff.csv"), NOW))
    assert problem.errors == [
        "line 3: name is required (at most 200 characters)",
        "line 4: phone must be at most 32 characters of plain text",
    ]
    assert [p.text("ru", "staff.csv") for p in problem.problems] == [
        "строка 3: нужно имя (не длиннее 200 символов)",
        "строка 4: phone: не длиннее 32 символов простого текста",
    ]
    async with db.reading() as session:
        names = set(await session.scalars(select(Person.name)))
    assert names == {"Сергей", "Иван", "Админ"}

    with_bom = "\ufeffcode,address,entrances,floors,apartments\nb3,Мира 1,1,5,20\n"
    assert await admin.import_buildings(db, upload(with_bom)) == 1
    cp1251 = Upload(
        "win.csv", "code,address,entrances,floors,apartments\nb4,Мира,1,1,1\n".encode("cp1251")
    )
    problem = await refused(admin.import_buildings(db, cp1251))
    assert problem.errors[0].startswith("win.csv: not UTF-8 text")
    assert (
        problem.problems[0].text("ru", "win.csv").startswith("win.csv: файл не в кодировке UTF-8")
    )
    problem = await refused(admin.import_buildings(db, upload("code,address\n\x00,\n")))
    assert "missing column(s): entrances, floors, apartments" in problem.errors[0]
    assert await count(db, Building) == 3


async def test_the_active_column_deactivates_and_keeps_the_person(db: Database) -> None:
    await filled(db)
    assert (
        await admin.import_staff(db, upload("code,name,role,active\nt2,Иван,technician,0\n"), NOW)
        == 1
    )
    problem = await refused(
        admin.import_staff(db, upload("code,name,role,active\nt1,Сергей,technician,нет\n"), NOW)
    )
    assert problem.errors == ["line 2: active must be 1, 0 or empty, got 'нет'"]
    # Without the column (or with it empty) a stored person stays as it is.
    assert await admin.import_staff(db, upload("code,name,role\nt2,Иван И.,technician\n"), NOW) == 1
    async with db.reading() as session:
        people = {p.code: p for p in await session.scalars(select(Person))}
    assert people["t2"].active is False and people["t2"].name == "Иван И."
    assert people["t1"].active is True


async def test_every_sheet_exports_what_its_import_reads(db: Database) -> None:
    await filled(db)
    sheets = {
        "matrix": (
            admin.import_matrix,
            admin.matrix_rows,
            admin.MATRIX_COLUMNS,
            "building,category,technicians\nb1,water,t1;t2\n*,*,t2\n",
        ),
        "shifts": (
            lambda d, u: admin.import_shifts(d, u, TODAY),
            admin.shift_rows,
            admin.SHIFT_COLUMNS,
            "technician,day,start,end,kind\nt1,mon,08:00,17:00,work\nt1,tue,20:00,24:00,duty\n"
            "t2,2026-12-01,,,off\n",
        ),
        "absences": (
            lambda d, u: admin.import_absences(d, u, TODAY),
            admin.absence_rows,
            admin.ABSENCE_COLUMNS,
            "technician,kind,from,to,note\nt2,sick,2026-11-24,2026-11-27,=SUM(A1)\n",
        ),
        "ladder": (
            admin.import_ladder,
            admin.ladder_rows,
            admin.LADDER_COLUMNS,
            "scope,after_minutes,title,staff\n*,0,Инженер,a1\narea:ЖК «Сад»,15,Дежурный,duty\n"
            "b1,30,Директор,a1\n",
        ),
    }
    for name, (load, rows, columns, text) in sheets.items():
        await load(db, upload(text))
        stored = await rows(db)
        assert stored and all(tuple(r) == columns for r in stored), name
        exported = "\n".join(
            [",".join(columns)] + [",".join(f'"{r[c]}"' for c in columns) for r in stored]
        )
        await load(db, upload(exported))
        assert await rows(db) == stored, name
    assert {
        "technician": "t2",
        "kind": "sick",
        "from": "2026-11-24",
        "to": "2026-11-27",
        "note": "=SUM(A1)",
    } in await admin.absence_rows(db)
    assert [
        await count(db, t) for t in (ResponsibilityRow, DutyShift, Absence, EscalationStep)
    ] == [3, 3, 1, 3]
    staff = await admin.staff_rows(db)
    assert {"code": "t1", "web_id": "web-t1", "active": "1"}.items() <= staff[-2].items()
    assert tuple(staff[0]) == admin.staff_columns()
    await admin.import_staff(
        db,
        upload(
            "\n".join([",".join(admin.staff_columns())] + [",".join(r.values()) for r in staff])
        ),
        NOW,
    )
    assert await admin.staff_rows(db) == staff


async def test_a_bad_line_in_a_replacing_import_keeps_the_stored_sheet(db: Database) -> None:
    await filled(db)
    await admin.import_matrix(db, upload("building,category,technicians\nb1,water,t1\n"))
    problem = await refused(
        admin.import_matrix(
            db, upload("building,category,technicians\nb2,water,t2\nb9,water,t1\n", "m.csv")
        )
    )
    assert [p.text("en", "m.csv") for p in problem.problems] == ["line 3: unknown building 'b9'"]
    assert [p.message("ru") for p in problem.problems] == ["нет дома с кодом 'b9'"]
    assert await admin.matrix_rows(db) == [
        {"building": "b1", "category": "water", "technicians": "t1"}
    ]


def test_cells_a_spreadsheet_would_run_are_escaped_and_come_back() -> None:
    for value in ("=1+1", "+7 900", "-5", "@x", "'=x", "''+y", "plain", "'quoted", "", "'"):
        escaped = admin.escape_cell(value)
        assert isinstance(escaped, str)
        assert escaped[:1] not in admin.FORMULA_STARTS
        assert admin.unescape_cell(escaped) == value, value
    assert admin.escape_cell(5) == 5


async def test_clearing_a_technicians_shifts_keeps_the_others(db: Database) -> None:
    await filled(db)
    shifts = "technician,day,start,end,kind\nt1,mon,08:00,17:00,work\nt2,tue,08:00,17:00,work\n"
    await admin.import_shifts(db, upload(shifts), TODAY)
    await admin.clear_shifts(db, "t1")
    assert [r["technician"] for r in await admin.shift_rows(db)] == ["t2"]
    await admin.import_ladder(db, upload("scope,after_minutes,title,staff\n*,0,Инженер,a1\n"))
    await admin.import_matrix(db, upload("building,category,technicians\n*,*,t1\n"))
    await admin.clear_ladder(db)
    await admin.clear_matrix(db)
    assert await admin.ladder_rows(db) == [] and await admin.matrix_rows(db) == []
