"""Admin CSV imports, invites and training export against a real SQLite database."""

from __future__ import annotations

import asyncio
import csv
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import admin
from bot.admin import ImportProblem
from bot.dialogue import token_hash
from core.storage.database import Database
from core.storage.migrate import upgrade
from core.storage.tables import Building, Identity, Invite, Person, Request
from tests.unit.test_settings import run_bot

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)

BUILDINGS_HEADER = "code,address,city,complex,entrances,floors,apartments,aliases\n"
GOOD_BUILDINGS = (
    BUILDINGS_HEADER
    + 'b1,"ул. Ленина, д. 5",Тверь,,4,9,144,Ленина 5\n'
    + "b2,ул. Садовая 12,Тверь,ЖК «Сад»,6,12,288,\n"
)
STAFF_HEADER = "code,name,role,trade,phone,web_id\n"
GOOD_STAFF = (
    STAFF_HEADER
    + "t1,Сергей,technician,Сантехник,+79001110001,web-t1\n"
    + "d1,Ольга,dispatcher,,,web-d1\n"
    + "a1,Админ,admin,,,\n"
)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path}/t.db"
    await asyncio.to_thread(upgrade, url)
    database = Database(url)
    try:
        yield database
    finally:
        await database.close()


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def count(db: Database, table: type) -> int:
    async with db.reading() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def problem(coro) -> list[str]:
    with pytest.raises(ImportProblem) as caught:
        await coro
    assert str(caught.value) == "\n".join(caught.value.errors)
    return caught.value.errors


# -- buildings ----------------------------------------------------------------


async def test_import_buildings(db: Database, tmp_path: Path) -> None:
    assert await admin.import_buildings(db, write(tmp_path, GOOD_BUILDINGS)) == 2
    async with db.reading() as session:
        b1 = await session.scalar(select(Building).where(Building.code == "b1"))
    assert b1 is not None
    assert (b1.address, b1.city, b1.entrances, b1.floors, b1.apartments, b1.aliases) == (
        "ул. Ленина, д. 5",
        "Тверь",
        4,
        9,
        144,
        "Ленина 5",
    )
    assert await admin.list_buildings(db) == [
        "b1\tул. Ленина, д. 5\tТверь\tentrances 4, floors 9, apartments 144",
        "b2\tул. Садовая 12\tТверь\tentrances 6, floors 12, apartments 288",
    ]


async def test_import_demo_buildings(db: Database) -> None:
    assert await admin.import_buildings(db, DEMO / "buildings.csv") == 4
    assert await count(db, Building) == 4


async def test_import_buildings_with_bom_and_only_required_columns(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffcode,address,entrances,floors,apartments\nx1,Мира 1,1,5,20\n".encode())
    assert await admin.import_buildings(db, path) == 1


async def test_reimport_updates_buildings(db: Database, tmp_path: Path) -> None:
    await admin.import_buildings(db, write(tmp_path, GOOD_BUILDINGS))
    changed = BUILDINGS_HEADER + "b1,ул. Ленина 5А,Москва,,5,10,150,\nb3,Мира 1,Тверь,,1,5,20,\n"
    assert await admin.import_buildings(db, write(tmp_path, changed, "v2.csv")) == 2
    assert await count(db, Building) == 3
    async with db.reading() as session:
        b1 = await session.scalar(select(Building).where(Building.code == "b1"))
    assert b1 is not None
    assert (b1.address, b1.city, b1.entrances, b1.aliases) == ("ул. Ленина 5А", "Москва", 5, "")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("b1,A,,,x,9,1,\n", ["line 2: entrances"]),
        ("b1,A,,,1,9,1,\nb2,B,,,1,-3,1,\n", ["line 3: floors"]),
        ("b1,A,,,1,9,1,\nb2,B,,,1,2,1.5,\n", ["line 3: apartments"]),
        ("b1,A,,,0,9,1,\n", ["line 2: entrances"]),
        ("b1,A,,,1,9,,\n", ["line 2: apartments"]),
        ("b1,A,,,1,9,1,\nb1,B,,,1,9,1,\n", ["line 3: duplicate code 'b1'"]),
        ("b1,,,,1,9,1,\n", ["line 2: address"]),
        (",A,,,1,9,1,\n", ["line 2: code"]),
        ("b 1,A,,,1,9,1,\n", ["line 2: code"]),
        (
            "b1,A,,,x,y,1,\nb2,,,,1,1,1,\n",
            ["line 2: entrances", "line 2: floors", "line 3: address"],
        ),
    ],
)
async def test_bad_building_rows(
    db: Database, tmp_path: Path, rows: str, expected: list[str]
) -> None:
    errors = await problem(admin.import_buildings(db, write(tmp_path, BUILDINGS_HEADER + rows)))
    assert len(errors) == len(expected)
    for error, start in zip(errors, expected, strict=True):
        assert error.startswith(start), errors
    assert await count(db, Building) == 0


async def test_bad_row_writes_nothing_even_after_good_rows(db: Database, tmp_path: Path) -> None:
    await admin.import_buildings(db, write(tmp_path, GOOD_BUILDINGS))
    bad = BUILDINGS_HEADER + "b1,Changed,,,1,1,1,\nb9,New,,,1,1,1,\nb10,Bad,,,1,many,1,\n"
    errors = await problem(admin.import_buildings(db, write(tmp_path, bad, "bad.csv")))
    assert errors == ["line 4: floors must be a whole number >= 1, got 'many'"]
    assert await count(db, Building) == 2
    async with db.reading() as session:
        b1 = await session.scalar(select(Building).where(Building.code == "b1"))
    assert b1 is not None and b1.address == "ул. Ленина, д. 5"


async def test_missing_column(db: Database, tmp_path: Path) -> None:
    text = "code,address,entrances,apartments\nb1,A,1,1\n"
    (error,) = await problem(admin.import_buildings(db, write(tmp_path, text)))
    assert "missing column" in error and "floors" in error
    assert await count(db, Building) == 0


async def test_non_utf8_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes((BUILDINGS_HEADER + "b1,ул. Ленина 5,Тверь,,1,1,1,\n").encode("cp1251"))
    (error,) = await problem(admin.import_buildings(db, path))
    assert "UTF-8" in error
    assert await count(db, Building) == 0


@pytest.mark.parametrize("text", ["", BUILDINGS_HEADER, "\n\n"])
async def test_empty_file(db: Database, tmp_path: Path, text: str) -> None:
    errors = await problem(admin.import_buildings(db, write(tmp_path, text)))
    assert len(errors) == 1
    assert await count(db, Building) == 0


async def test_missing_file(db: Database, tmp_path: Path) -> None:
    (error,) = await problem(admin.import_buildings(db, tmp_path / "nope.csv"))
    assert "no such file" in error


async def test_line_numbers_count_blank_lines(db: Database, tmp_path: Path) -> None:
    """Errors name the line of the file, also when an earlier line is blank."""
    text = BUILDINGS_HEADER + "b1,A,,,1,1,1,\n\nb2,B,,,1,x,1,\n"
    errors = await problem(admin.import_buildings(db, write(tmp_path, text)))
    assert errors[0].startswith("line 4: floors"), errors


async def test_line_numbers_count_quoted_newlines(db: Database, tmp_path: Path) -> None:
    text = BUILDINGS_HEADER + 'b1,"ул. Ленина,\nд. 5",,,1,1,1,\nb2,B,,,1,x,1,\n'
    errors = await problem(admin.import_buildings(db, write(tmp_path, text)))
    assert errors[0].startswith("line 4: floors"), errors


@pytest.mark.parametrize("value", ["²", "³"], ids=["superscript-2", "superscript-3"])
async def test_non_ascii_digits_are_an_import_problem(
    db: Database, tmp_path: Path, value: str
) -> None:
    text = BUILDINGS_HEADER + f"b1,A,,,{value},1,1,\n"
    errors = await problem(admin.import_buildings(db, write(tmp_path, text)))
    assert errors[0].startswith("line 2: entrances"), errors
    assert await count(db, Building) == 0


# -- staff --------------------------------------------------------------------


async def test_import_staff(db: Database, tmp_path: Path) -> None:
    assert await admin.import_staff(db, write(tmp_path, GOOD_STAFF), NOW) == 3
    async with db.reading() as session:
        people = {p.code: p for p in await session.scalars(select(Person))}
        identities = {i.external_id: i for i in await session.scalars(select(Identity))}
    assert {c: p.role for c, p in people.items()} == {
        "t1": "technician",
        "d1": "dispatcher",
        "a1": "admin",
    }
    assert (people["t1"].name, people["t1"].trade, people["t1"].phone) == (
        "Сергей",
        "Сантехник",
        "+79001110001",
    )
    assert set(identities) == {"web-t1", "web-d1"}
    assert identities["web-t1"].person_id == people["t1"].id
    assert identities["web-t1"].channel == "web"
    lines = await admin.list_staff(db)
    assert len(lines) == 3
    assert any(line.startswith("t1\ttechnician\tСергей") and "web:web-t1" in line for line in lines)
    assert any(line.startswith("a1\tadmin") and "not bound" in line for line in lines)


async def test_import_demo_staff(db: Database) -> None:
    assert await admin.import_staff(db, DEMO / "staff.csv", NOW) == 7
    assert await count(db, Person) == 7
    assert await count(db, Identity) == 6  # the admin works in the console only


async def test_reimport_staff_updates(db: Database, tmp_path: Path) -> None:
    await admin.import_staff(db, write(tmp_path, GOOD_STAFF), NOW)
    changed = STAFF_HEADER + "t1,Сергей Петрович,dispatcher,,,web-t1\n"
    assert await admin.import_staff(db, write(tmp_path, changed, "v2.csv"), NOW) == 1
    assert await count(db, Person) == 3
    assert await count(db, Identity) == 2
    async with db.reading() as session:
        t1 = await session.scalar(select(Person).where(Person.code == "t1"))
    assert t1 is not None and (t1.name, t1.role) == ("Сергей Петрович", "dispatcher")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("t1,Сергей,plumber,,,\n", ["line 2: role"]),
        ("t1,Сергей,technician,,,\nt2,Иван,Technician,,,\n", ["line 3: role"]),
        ("t1,Сергей,resident,,,\n", ["line 2: residents are not imported"]),
        ("t1,,technician,,,\n", ["line 2: name"]),
        (",Сергей,technician,,,\n", ["line 2: code"]),
        ("t1,A,technician,,,\nt1,B,dispatcher,,,\n", ["line 3: duplicate code 't1'"]),
        ("t1,A,boss,,,\nt2,,admin,,,\n", ["line 2: role", "line 3: name"]),
    ],
)
async def test_bad_staff_rows(db: Database, tmp_path: Path, rows: str, expected: list[str]) -> None:
    errors = await problem(admin.import_staff(db, write(tmp_path, STAFF_HEADER + rows), NOW))
    assert len(errors) == len(expected), errors
    for error, start in zip(errors, expected, strict=True):
        assert error.startswith(start), errors
    assert await count(db, Person) == 0
    assert await count(db, Identity) == 0


async def test_bad_staff_file_changes_nothing(db: Database, tmp_path: Path) -> None:
    await admin.import_staff(db, write(tmp_path, GOOD_STAFF), NOW)
    bad = STAFF_HEADER + "t1,Renamed,technician,,,\nt9,New,technician,,,web-t9\nx,Bad,janitor,,,\n"
    errors = await problem(admin.import_staff(db, write(tmp_path, bad, "bad.csv"), NOW))
    assert errors == ["line 4: role must be technician, dispatcher or admin"]
    assert await count(db, Person) == 3
    assert await count(db, Identity) == 2


async def test_staff_missing_column_and_encoding(db: Database, tmp_path: Path) -> None:
    (error,) = await problem(admin.import_staff(db, write(tmp_path, "code,name\nt1,A\n"), NOW))
    assert "role" in error
    path = tmp_path / "latin1.csv"
    path.write_bytes((STAFF_HEADER + "t1,Сергей,technician,,,\n").encode("cp1251"))
    (error,) = await problem(admin.import_staff(db, path, NOW))
    assert "UTF-8" in error
    (error,) = await problem(admin.import_staff(db, write(tmp_path, "", "empty.csv"), NOW))
    assert await count(db, Person) == 0


# -- invites ------------------------------------------------------------------


async def test_create_invite_for_staff(db: Database, tmp_path: Path) -> None:
    await admin.import_staff(db, write(tmp_path, GOOD_STAFF), NOW)
    token = await admin.create_invite(db, NOW, person_code="t1", group=False, days=3)
    assert len(token) >= 20
    async with db.reading() as session:
        invite = await session.scalar(select(Invite))
        t1 = await session.scalar(select(Person).where(Person.code == "t1"))
    assert invite is not None and t1 is not None
    assert invite.token_hash == token_hash(token) != token
    assert (invite.purpose, invite.person_id, invite.used_at) == ("staff", t1.id, None)
    assert invite.expires_at == NOW + timedelta(days=3)


async def test_create_group_invite(db: Database) -> None:
    token = await admin.create_invite(db, NOW, person_code=None, group=True)
    async with db.reading() as session:
        invite = await session.scalar(select(Invite))
    assert invite is not None
    assert (invite.purpose, invite.person_id) == ("group", None)
    assert invite.token_hash == token_hash(token)
    assert invite.expires_at == NOW + timedelta(days=7)


async def test_invites_are_unique(db: Database) -> None:
    tokens = {await admin.create_invite(db, NOW, person_code=None, group=True) for _ in range(5)}
    assert len(tokens) == 5


async def test_create_invite_for_unknown_staff_fails(db: Database, tmp_path: Path) -> None:
    await admin.import_staff(db, write(tmp_path, GOOD_STAFF), NOW)
    (error,) = await problem(admin.create_invite(db, NOW, person_code="nobody", group=False))
    assert "nobody" in error
    assert await count(db, Invite) == 0


async def test_create_invite_for_a_resident_fails(db: Database) -> None:
    await admin.import_buildings(db, DEMO / "buildings.csv")
    await admin.import_residents(db, DEMO / "residents.csv", NOW)
    await problem(admin.create_invite(db, NOW, person_code="res-1", group=False))
    assert await count(db, Invite) == 0


# -- training export ----------------------------------------------------------


async def _add_requests(db: Database) -> None:
    async with db.transaction() as session:
        building = Building(code="b1", address="Ленина 5")
        reporter = Person(code="r1", role="resident", created_at=NOW)
        session.add_all([building, reporter])
        await session.flush()
        rows = [
            ("Течёт кран, вода на полу", "water", "emergency", True),
            ('Нет света в подъезде, "срочно"', "electricity", "urgent", True),
            ("не подтверждено", "water", "normal", False),
            ("старая категория", "plumbing", "normal", True),
            ("Лифт\nстоит", "elevator", "normal", True),
        ]
        for number, (text, category, urgency, confirmed) in enumerate(rows, start=1):
            session.add(
                Request(
                    number=number,
                    building_id=building.id,
                    location="apartment:1",
                    category=category,
                    urgency=urgency,
                    description=text,
                    status="new",
                    reporter_id=reporter.id,
                    label_confirmed=confirmed,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )


async def test_export_training(db: Database, tmp_path: Path) -> None:
    await _add_requests(db)
    out = tmp_path / "sub" / "train.csv"
    assert await admin.export_training(db, out) == 3
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["text", "category", "emergency"],
        ["Течёт кран, вода на полу", "water", "1"],
        ['Нет света в подъезде, "срочно"', "electricity", "0"],
        ["Лифт\nстоит", "elevator", "0"],
    ]


async def test_export_training_empty(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "empty.csv"
    assert await admin.export_training(db, out) == 0
    assert out.read_text(encoding="utf-8").splitlines() == ["text,category,emergency"]


# -- the command line ---------------------------------------------------------


def run_admin(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    database = f"sqlite+aiosqlite:///{tmp_path}/cli.db"
    return run_bot(tmp_path, "admin", *args, DATABASE_URL=database, LOG_LEVEL="WARNING")


def test_cli_import_bad_buildings(tmp_path: Path) -> None:
    bad = write(
        tmp_path, BUILDINGS_HEADER + "b1,A,,,1,x,1,\nb2,B,,,1,1,1,\nb2,C,,,1,1,1,\n", "BAD.csv"
    )
    result = run_admin(tmp_path, "import-buildings", str(bad))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "line 2: floors" in result.stderr
    assert "line 4: duplicate code 'b2'" in result.stderr
    assert "imported" not in result.stdout


def test_cli_export_pairs_reports_the_count_in_the_benchmarks_columns(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "pairs.csv"
    result = run_admin(tmp_path, "export-duplicate-pairs", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote 0 rows to {out}\n"
    note, header = out.read_text(encoding="utf-8").splitlines()
    assert note.startswith("# residents' answers to duplicate offers")
    assert header == "category,new_location,new_text,open_location,open_text,same"


@pytest.mark.parametrize("command", ["export-training", "export-duplicate-pairs"])
def test_cli_export_refuses_a_path_it_cannot_write_in_one_line(
    tmp_path: Path, command: str
) -> None:
    result = run_admin(tmp_path, command, "--out", str(tmp_path))  # a directory
    assert result.returncode == 1
    assert result.stderr.strip() == f"cannot write {tmp_path}: Is a directory", result.stderr
    assert "wrote" not in result.stdout


def test_cli_import_buildings_then_list(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD_BUILDINGS, "good.csv")
    result = run_admin(tmp_path, "import-buildings", str(good))
    assert result.returncode == 0, result.stderr
    assert "imported 2 buildings" in result.stdout
    listing = run_admin(tmp_path, "buildings")
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.splitlines()[0].startswith("b1\t")


def test_cli_invite_for_unknown_staff(tmp_path: Path) -> None:
    result = run_admin(tmp_path, "invite", "--staff", "ghost")
    assert result.returncode == 1
    assert "ghost" in result.stderr
    assert "Traceback" not in result.stderr
