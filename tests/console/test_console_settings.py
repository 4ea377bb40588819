"""The console's settings sheets through the real app on a test server: an admin sees,
edits, exports and uploads; everyone else is refused; a bad file saves nothing."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import aiohttp
from sqlalchemy import func, select

from bot import admin
from bot.console.settings_pages import SHEETS
from bot.console.web import LANG_COOKIE
from core.storage.tables import Absence, Building, DutyShift, EscalationStep, Person
from core.storage.tables import Responsibility as ResponsibilityRow
from tests.console.test_console_pages import signed_in
from tests.support.harness import Harness

ADMINS = "code,name,role\nadm-1,Анна Админова,admin\n"


async def as_admin(h: Harness) -> None:
    await admin.import_staff(h.app.db, admin.Upload("admins.csv", ADMINS.encode()), h.clock())
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "adm-1", "staff", "adm-1")


async def csrf(h: Harness, path: str = "/console/settings/buildings") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', await (await h.client.get(path)).text())
    assert found is not None
    return found.group(1)


async def count(h: Harness, table: type) -> int:
    async with h.app.db.reading() as session:
        return await session.scalar(select(func.count()).select_from(table)) or 0


async def upload(h: Harness, sheet: str, body: bytes, token: str, name: str = "x.csv"):
    form = aiohttp.FormData()
    form.add_field("csrf", token)
    form.add_field("file", io.BytesIO(body), filename=name, content_type="text/csv")
    return await h.client.post(
        f"/console/settings/{sheet}/upload", data=form, allow_redirects=False
    )


async def export(h: Harness, sheet: str) -> bytes:
    response = await h.client.get(f"/console/settings/{sheet}/export.csv")
    assert response.status == 200 and response.content_type == "text/csv"
    return await response.read()


async def test_an_admin_sees_and_edits_every_sheet(h5: Harness) -> None:
    h = h5
    await as_admin(h)
    board = await (await h.client.get("/console/")).text()
    assert 'href="/console/settings"' in board
    for slug in SHEETS:
        assert (await h.client.get(f"/console/settings/{slug}")).status == 200, slug
    page = await (await h.client.get("/console/settings/buildings")).text()
    assert "ул. Ленина, д. 5" in page
    assert all(f'data-sheet="{slug}"' in page for slug in SHEETS)
    token = await csrf(h)

    row = {"code": "mir1", "address": "ул. Мира, д. 1", "entrances": "2", "floors": "5"}
    response = await h.client.post(
        "/console/settings/buildings/edit",
        data={"csrf": token, **row, "apartments": "40"},
        allow_redirects=False,
    )
    assert response.status == 302, await response.text()
    shown = await (await h.client.get(response.headers["Location"])).text()
    assert "Сохранено: 1 дом." in shown and "ул. Мира, д. 1" in shown

    # Deactivating a technician who may hold requests keeps the person.
    staff = {r["code"]: r for r in await admin.staff_rows(h.app.db)}
    response = await h.client.post(
        "/console/settings/staff/edit",
        data={"csrf": token, **staff["tech-2"], "active": "0"},
        allow_redirects=False,
    )
    assert response.status == 302
    async with h.app.db.reading() as session:
        person = await session.scalar(select(Person).where(Person.code == "tech-2"))
    assert person is not None and person.active is False

    # A matrix row opened for editing and changed replaces that row only.
    matrix = await admin.matrix_rows(h.app.db)
    water = next(r for r in matrix if r["building"] == "*" and r["category"] == "water")
    response = await h.client.post(
        "/console/settings/matrix/edit",
        data={
            "csrf": token,
            **{f"was_{k}": v for k, v in water.items()},
            **water,
            "technicians": "tech-4",
        },
        allow_redirects=False,
    )
    assert response.status == 302
    after = await admin.matrix_rows(h.app.db)
    assert len(after) == len(matrix)
    assert {"building": "*", "category": "water", "technicians": "tech-4"} in after

    # A shift opened and changed: only that shift of that technician changes; removed: gone.
    shifts = await admin.shift_rows(h.app.db)
    monday = next(r for r in shifts if r["technician"] == "tech-1" and r["kind"] == "work")
    opened = {f"was_{k}": v for k, v in monday.items()}
    response = await h.client.post(
        "/console/settings/shifts/edit",
        data={"csrf": token, **opened, **monday, "end": "16:00"},
        allow_redirects=False,
    )
    assert response.status == 302, await response.text()
    assert await admin.shift_rows(h.app.db) == [
        {**r, "end": "16:00"} if r == monday else r for r in shifts
    ]
    response = await h.client.post(
        "/console/settings/shifts/edit",
        data={"csrf": token, **opened, **monday, "end": "16:00", "was_end": "16:00", "remove": "1"},
        allow_redirects=False,
    )
    assert response.status == 302, await response.text()
    assert await admin.shift_rows(h.app.db) == [r for r in shifts if r != monday]

    # A bad edit says why in the visitor's language, and keeps what was typed.
    h.client.session.cookie_jar.update_cookies({LANG_COOKIE: "en"})
    response = await h.client.post(
        "/console/settings/buildings/edit",
        data={"csrf": token, **row, "floors": "many", "apartments": "40"},
    )
    page = await response.text()
    assert response.status == 400
    assert "floors must be a whole number &gt;= 1, got &#39;many&#39;" in page, page
    assert 'value="ул. Мира, д. 1"' in page


async def test_dispatchers_and_observers_are_refused(h5: Harness) -> None:
    h = h5
    before = await count(h, Building)
    for login, invite in (
        ("disp-1", ("staff", "disp-1")),
        ("cust-len5", ("observer", "cust-len5", "buildings", ["len5"])),
    ):
        h.clock.now = datetime.now(UTC)
        await signed_in(h, login, *invite)
        board = await (await h.client.get("/console/")).text()
        assert "/console/settings" not in board
        token = re.search(r'name="csrf" value="([^"]+)"', board)
        assert token is not None
        for slug in SHEETS:
            for path in (f"/console/settings/{slug}", f"/console/settings/{slug}/export.csv"):
                assert (await h.client.get(path)).status == 403, (login, path)
        good = b"code,address,entrances,floors,apartments\nnew1,A,1,1,1\n"
        assert (await upload(h, "buildings", good, token.group(1))).status == 403
        response = await h.client.post(
            "/console/settings/buildings/edit",
            data={"csrf": token.group(1), "code": "new2", "address": "B", "entrances": "1"},
        )
        assert response.status == 403
    assert await count(h, Building) == before


async def test_a_bad_file_names_its_lines_and_saves_nothing(h5: Harness) -> None:
    h = h5
    await as_admin(h)
    token = await csrf(h)
    before = await admin.building_rows(h.app.db)
    bad = (
        "code,address,entrances,floors,apartments\n"
        "len5,Переименован,1,1,1\n"
        "new1,Новый,1,много,1\n"
        ",Без кода,1,1,1\n"
    ).encode()
    response = await upload(h, "buildings", bad, token, "дома.csv")
    page = await response.text()
    assert response.status == 400
    assert "Ничего не сохранено" in page
    assert "строка 3: floors: нужно целое число не меньше 1, а здесь &#39;много&#39;" in page
    assert "строка 4: код: от 1 до 32 букв, цифр, - или _" in page
    assert await admin.building_rows(h.app.db) == before

    # The same file in English.
    h.client.session.cookie_jar.update_cookies({LANG_COOKIE: "en"})
    page = await (await upload(h, "buildings", bad, token)).text()
    assert "line 3: floors must be a whole number" in page

    # A Windows-1251 file, an empty one, no file at all and one too large: a clear answer.
    cp1251 = "code,address,entrances,floors,apartments\nx1,ул. Мира,1,1,1\n".encode("cp1251")
    response = await upload(h, "buildings", cp1251, token, "win.csv")
    assert response.status == 400 and "win.csv: not UTF-8 text" in await response.text()
    response = await upload(h, "buildings", b"", token)
    assert response.status == 400 and "x.csv: missing column(s): code" in await response.text()
    response = await h.client.post("/console/settings/buildings/upload", data={"csrf": token})
    assert response.status == 400 and "Choose a CSV file" in await response.text()
    big = b"code,address,entrances,floors,apartments\n" + b"x" * (1024**2 + 10)
    assert (await upload(h, "buildings", big, token)).status == 413
    assert await admin.building_rows(h.app.db) == before


async def test_every_sheet_round_trips_through_its_export(h5: Harness) -> None:
    h = h5
    await as_admin(h)
    token = await csrf(h)
    today = h.clock().date()
    filled = {
        "absences": f"technician,kind,from,to,note\ntech-1,vacation,{today},{today},отпуск\n",
        "ladder": "scope,after_minutes,title,staff\n*,0,Главный инженер,adm-1\nlen5,30,=1+1,duty\n",
        "buildings": ('code,address,entrances,floors,apartments\nform1,=HYPERLINK("x"),1,1,1\n'),
    }
    for slug, text in filled.items():
        response = await upload(h, slug, text.encode(), token)
        assert response.status == 302, (slug, await response.text())
    # A text stored with a quote before a formula sign keeps its quote.
    quoted = {"code": "quote1", "address": "'+7 кв", "entrances": "1", "floors": "1"}
    response = await h.client.post(
        "/console/settings/buildings/edit",
        data={"csrf": token, **quoted, "apartments": "1"},
        allow_redirects=False,
    )
    assert response.status == 302
    tables = (Building, Person, ResponsibilityRow, DutyShift, Absence, EscalationStep)
    counts = [await count(h, t) for t in tables]
    for slug, sheet in SHEETS.items():
        rows = await sheet.rows(h.app.db)
        assert rows, slug
        body = await export(h, slug)
        assert body.startswith("\ufeff".encode())
        response = await upload(h, slug, body, token)
        assert response.status == 302, (slug, await response.text())
        assert f"?saved={len(rows)}" in response.headers["Location"] or slug == "matrix"
        assert await sheet.rows(h.app.db) == rows, slug
        assert await export(h, slug) == body, slug
    assert [await count(h, t) for t in tables] == counts
    # Formulas leave escaped for a spreadsheet and come back as they were stored.
    exported = (await export(h, "buildings")).decode()
    assert "'=HYPERLINK" in exported and "''+7 кв" in exported
    async with h.app.db.reading() as session:
        addresses = set(await session.scalars(select(Building.address)))
    assert {'=HYPERLINK("x")', "'+7 кв"} <= addresses


async def test_a_forged_csrf_token_is_refused(h5: Harness) -> None:
    h = h5
    await as_admin(h)
    before = await count(h, Building)
    response = await h.client.post(
        "/console/settings/buildings/edit",
        data={"csrf": "forged", "code": "x1", "address": "A", "entrances": "1", "floors": "1"},
    )
    assert response.status == 403
    good = b"code,address,entrances,floors,apartments\nnew1,A,1,1,1\n"
    assert (await upload(h, "buildings", good, "forged")).status == 403
    assert await count(h, Building) == before


async def test_an_absence_is_changed_and_removed(h5: Harness) -> None:
    """Absences are only ever added by a file; the form also changes and removes one."""
    h = h5
    await as_admin(h)
    token = await csrf(h)
    today = h.clock().date()
    later = today + timedelta(days=3)
    first = {"technician": "tech-1", "kind": "vacation", "from": str(today), "to": str(today)}
    response = await h.client.post(
        "/console/settings/absences/edit",
        data={"csrf": token, **first, "note": ""},
        allow_redirects=False,
    )
    assert response.status == 302
    (stored,) = await admin.absence_rows(h.app.db)
    opened = {f"was_{k}": v for k, v in stored.items()}

    # The same days with another kind: the absence is updated, not doubled.
    response = await h.client.post(
        "/console/settings/absences/edit",
        data={"csrf": token, **opened, **stored, "kind": "sick", "note": "грипп"},
        allow_redirects=False,
    )
    assert response.status == 302
    assert await admin.absence_rows(h.app.db) == [{**stored, "kind": "sick", "note": "грипп"}]

    # Other days: the one it was opened on goes.
    (stored,) = await admin.absence_rows(h.app.db)
    opened = {f"was_{k}": v for k, v in stored.items()}
    response = await h.client.post(
        "/console/settings/absences/edit",
        data={"csrf": token, **opened, **stored, "to": str(later)},
        allow_redirects=False,
    )
    assert response.status == 302
    assert await admin.absence_rows(h.app.db) == [{**stored, "to": str(later)}]

    # A bad change keeps the stored absence.
    (stored,) = await admin.absence_rows(h.app.db)
    opened = {f"was_{k}": v for k, v in stored.items()}
    response = await h.client.post(
        "/console/settings/absences/edit",
        data={"csrf": token, **opened, **stored, "from": "2020-01-01", "to": "2020-01-02"},
    )
    assert response.status == 400
    assert "отсутствие уже прошло (2020-01-02)" in await response.text()
    assert await admin.absence_rows(h.app.db) == [stored]

    response = await h.client.post(
        "/console/settings/absences/edit",
        data={"csrf": token, **opened, **stored, "remove": "1"},
    )
    assert response.status == 200 and "Удалено: 1 отсутствие." in await response.text()
    assert await admin.absence_rows(h.app.db) == []


async def test_removing_the_last_row_empties_what_it_replaces(h5: Harness) -> None:
    h = h5
    await as_admin(h)
    token = await csrf(h)
    for slug, text in (
        ("ladder", "scope,after_minutes,title,staff\n*,0,Главный инженер,adm-1\n"),
        ("shifts", "technician,day,start,end,kind\ntech-3,sat,10:00,12:00,duty\n"),
    ):
        response = await upload(h, slug, text.encode(), token)
        assert response.status == 302, await response.text()
    shifts = await admin.shift_rows(h.app.db)
    (saturday,) = [r for r in shifts if r["technician"] == "tech-3"]
    (step,) = await admin.ladder_rows(h.app.db)
    for slug, row in (("ladder", step), ("shifts", saturday)):
        response = await h.client.post(
            f"/console/settings/{slug}/edit",
            data={"csrf": token, **row, **{f"was_{k}": v for k, v in row.items()}, "remove": "1"},
        )
        assert response.status == 200 and "Удалено:" in await response.text(), slug
    assert await admin.ladder_rows(h.app.db) == []
    assert await admin.shift_rows(h.app.db) == [r for r in shifts if r != saturday]
