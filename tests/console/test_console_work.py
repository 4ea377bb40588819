"""The console's request-page actions, the resident's messages, the board's new filters
and the second factor's enrolment, through the real app on a test server."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import segno
from sqlalchemy import select

from bot.console import auth
from bot.console.web import SESSION_COOKIE
from core import services
from core.model import Category, Status, Urgency
from core.storage.tables import Building, ConsoleAccount, ConsoleSession, Person, Request
from tests.console.test_console_pages import signed_in
from tests.support.harness import Harness
from tests.test_transcript_co_reporters import GROUP, A, file_for_a


async def test_totp_enrolment_keeps_the_secret_on_the_server(h5: Harness) -> None:
    h = h5
    h.clock.now = datetime.now(UTC)
    token = await auth.create_invite(h.app.db, h.clock(), staff="disp-1")
    assert await auth.set_password(h.app.db, token, "a long password", h.clock())
    async with h.app.db.transaction() as session:
        account = await session.scalar(
            select(ConsoleAccount).where(ConsoleAccount.login == "disp-1")
        )
        assert account is not None
        cookie = await auth.start_session(
            session, account, datetime.now(UTC), 1, complete=False, address=""
        )
    h.client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})

    page = await (await h.client.get("/console/totp")).text()
    shown = re.search(r'data-role="totp-secret">([A-Z2-7]{32})<', page)
    assert shown is not None, page
    secret = shown.group(1)
    # The secret is shown to be typed or scanned, never carried in a form field.
    assert not re.search(r"<input[^>]*" + secret, page)
    assert 'name="secret"' not in page
    # The QR is the provisioning link of that very secret.
    uri = pyotp.TOTP(secret).provisioning_uri(name="disp-1", issuer_name="Dispatch")
    assert segno.make(uri).svg_inline(scale=4) in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None

    # A wrong code keeps the same secret pending; a forged secret in the form is ignored.
    forged = pyotp.random_base32()
    wrong = await h.client.post(
        "/console/totp",
        data={"csrf": csrf.group(1), "code": pyotp.TOTP(forged).now(), "secret": forged},
    )
    again = await wrong.text()
    assert wrong.status == 401 and f'data-role="totp-secret">{secret}<' in again
    done = await h.client.post(
        "/console/totp",
        data={"csrf": csrf.group(1), "code": pyotp.TOTP(secret).now()},
        allow_redirects=False,
    )
    assert done.status == 302 and done.headers["Location"] == "/console/"
    async with h.app.db.reading() as session:
        account = await session.scalar(
            select(ConsoleAccount).where(ConsoleAccount.login == "disp-1")
        )
        assert account is not None and account.totp_secret == secret
        pending = list(await session.scalars(select(ConsoleSession.totp_pending)))
        assert pending == [""]


async def _csrf(h: Harness, number: int) -> str:
    page = await (await h.client.get(f"/console/requests/{number}")).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


async def _post(h: Harness, number: int, action: str, **form: str) -> Any:
    csrf = await _csrf(h, number)
    return await h.client.post(
        f"/console/requests/{number}/{action}",
        data={"csrf": csrf, **form},
        allow_redirects=False,
    )


async def _version(h: Harness, number: int) -> str:
    async with h.app.db.reading() as session:
        row = await session.scalar(select(Request).where(Request.number == number))
        assert row is not None
        return str(row.version)


async def test_the_deadline_set_in_the_console_tells_the_resident_and_the_group(
    h5: Harness,
) -> None:
    h = h5
    number = await file_for_a(h, with_photo=False)
    await h.skip(A, GROUP)
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")
    tz = h.app.services.tz

    for garbage in ("tomorrow", "2026-13-45T10:00", "", "2026-12-05T10:00\x00"):
        response = await _post(h, number, "deadline", version="1", deadline=garbage)
        assert response.status == 400, garbage
        assert "Укажите срок датой и временем" in await response.text()
    past = (h.clock() - timedelta(hours=1)).astimezone(tz).strftime("%Y-%m-%dT%H:%M")
    response = await _post(h, number, "deadline", version=await _version(h, number), deadline=past)
    assert response.headers["Location"].endswith("?refused=bad_date")
    page = await (await h.client.get(response.headers["Location"])).text()
    assert "Дата должна быть в будущем" in page

    wanted = (
        (h.clock() + timedelta(days=2))
        .astimezone(tz)
        .replace(hour=18, minute=30, second=0, microsecond=0)
    )
    picked = wanted.strftime("%Y-%m-%dT%H:%M")
    response = await _post(h, number, "deadline", version="99", deadline=picked)
    assert response.headers["Location"].endswith("?refused=stale")
    response = await _post(
        h, number, "deadline", version=await _version(h, number), deadline=picked
    )
    assert response.headers["Location"].endswith(f"/requests/{number}?done=deadline")
    async with h.app.db.reading() as session:
        row = await session.scalar(select(Request).where(Request.number == number))
        assert row is not None and row.deadline == wanted
    shown = wanted.strftime("%d.%m.%Y %H:%M")
    page = await (await h.client.get(f"/console/requests/{number}")).text()
    assert f"Срок изменён: {shown}" in page
    await h.settle()
    told = [m.text for m in await h.read(A)]
    assert any(f"Срок по заявке №{number} изменён" in t and shown in t for t in told), told
    card = [m.text for m in await h.read(GROUP)]
    assert any(f"№{number}" in t and f"Срок изменён: {shown}" in t for t in card), card


async def test_merge_from_the_console_refuses_what_the_chats_refuse(h5: Harness) -> None:
    h = h5
    first = await file_for_a(h, with_photo=False)
    async with h.app.db.transaction() as session:
        request = await session.scalar(select(Request).where(Request.number == first))
        assert request is not None
        a_person = await session.get(Person, request.reporter_id)
        assert a_person is not None
        other = await session.scalar(select(Building).where(Building.id != request.building_id))
        assert other is not None
        numbers = []
        for building, status in (
            (request.building_id, Status.NEW),
            (other.id, Status.NEW),
            (request.building_id, Status.CLOSED),
        ):
            filed = await services.file_request(
                session,
                h.clock(),
                a_person,
                services.NewRequest(
                    building, "apartment:2", Category.WATER, Urgency.NORMAL, "ещё одна"
                ),
                h.app.services.sla,
            )
            filed.request.status = status.value
            numbers.append(filed.request.number)
    same_building, other_building, closed = numbers
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")

    for into, refused in (
        (same_building, "same_request"),
        (other_building, "other_building"),
        (closed, "wrong_status"),
    ):
        response = await _post(h, same_building, "merge", into=str(into))
        assert response.headers["Location"].endswith(f"?refused={refused}"), into
    missing = await _post(h, same_building, "merge", into="99999999")
    assert missing.status == 404 and "Заявки №99999999 нет" in await missing.text()
    assert (await _post(h, same_building, "merge", into="abc")).status == 400

    response = await _post(h, same_building, "merge", into=str(first))
    assert response.headers["Location"].endswith(f"/requests/{first}?done=merge")
    async with h.app.db.reading() as session:
        source = await session.scalar(select(Request).where(Request.number == same_building))
        assert source is not None and source.status == Status.CLOSED.value
    page = await (await h.client.get(response.headers["Location"])).text()
    assert "Готово" in page and f"Присоединена заявка №{same_building}" in page
    await h.settle()
    assert any(f"№{same_building} объединена с заявкой №{first}" in m.text for m in await h.read(A))


async def test_the_conversation_is_shown_to_staff_and_never_to_an_observer(h5: Harness) -> None:
    h = h5
    number = await file_for_a(h)
    h.clock.advance(minutes=5)
    await h.say(A, "Когда придёт мастер?")
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")
    csrf = await _csrf(h, number)
    await h.client.post(
        f"/console/requests/{number}/comment", data={"csrf": csrf, "text": "Мастер будет к 15:00"}
    )
    page = await (await h.client.get(f"/console/requests/{number}")).text()
    section = page[page.index('data-role="messages"') :]
    sides = re.findall(r'data-side="(\w+)"', section)
    assert {"resident", "service", "comment"} <= set(sides), sides
    # In time order: what she wrote first, her question later, the comment last.
    assert section.index("нет горячей воды") < section.index("Когда придёт мастер?")
    assert section.index(f"Заявка №{number} принята") < section.index("Когда придёт мастер?")
    assert section.index("Когда придёт мастер?") < section.rindex("Мастер будет к 15:00")
    photo = re.search(r'<img src="(/console/media/[0-9a-f]{64})"', section)
    assert photo is not None
    assert (await h.client.get(photo.group(1))).status == 200
    assert "8 999 123-45-67" in page and "Петрова" in page

    await signed_in(h, "cust-sad12", "observer", "cust-sad12", "buildings", ["sad12"])
    seen = await (await h.client.get(f"/console/requests/{number}")).text()
    assert 'data-role="messages-hidden"' in seen and 'data-role="messages"' not in seen
    for private in ("8 999", "123-45-67", "Петров", "Когда придёт мастер", "Мастер будет"):
        assert private not in seen, private
    assert "Водоснабжение" in seen and 'data-role="status"' in seen
    board = await (await h.client.get("/console/api/board")).json()
    (row,) = [r for r in board["rows"] if r["number"] == number]
    assert row["description"] == ""


async def test_exports_keep_residents_words_from_an_observer_and_formulas_inert(
    h5: Harness,
) -> None:
    h = h5
    number = await file_for_a(h)
    async with h.app.db.transaction() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
        assert request is not None
        request.description = '=HYPERLINK("http://evil.example","8 999 123-45-67")'
        filed = request.created_at.date()
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")
    csrf = await _csrf(h, number)
    await h.client.post(
        f"/console/requests/{number}/comment", data={"csrf": csrf, "text": "позвонить Петровой"}
    )
    period = {"from": (filed - timedelta(days=1)).isoformat(), "to": h.clock().date().isoformat()}
    staff_csv = await (await h.client.get("/console/export.csv", params=period)).text()
    assert "'=HYPERLINK" in staff_csv and "позвонить Петровой" in staff_csv
    assert '\n"=HYPERLINK' not in staff_csv and ',"=HYPERLINK' not in staff_csv

    await signed_in(h, "cust-sad12", "observer", "cust-sad12", "buildings", ["sad12"])
    seen_csv = await (await h.client.get("/console/export.csv", params=period)).text()
    seen_xlsx = await (await h.client.get("/console/export.xlsx", params=period)).read()
    from openpyxl import load_workbook

    cells = " ".join(
        str(value)
        for sheet in load_workbook(io.BytesIO(seen_xlsx)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert str(number) in seen_csv and str(number) in cells
    for private in ("HYPERLINK", "8 999", "Петровой"):
        assert private not in seen_csv and private not in cells, private
