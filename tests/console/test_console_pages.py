"""The console's request page and its refusals, through the real app on a test server."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.console import auth, settings_pages
from bot.console.web import LANG_COOKIE, SESSION_COOKIE
from core.storage.tables import (
    Building,
    ConsoleAccount,
    InboxItem,
    Incident,
    OutboxItem,
    Person,
    Request,
    RequestEvent,
)
from tests.support.harness import Harness
from tests.test_transcript_co_reporters import b_joins, file_for_a


async def signed_in(h: Harness, login: str, *invite: str) -> None:
    """The harness's client signed in as a console account made by ``invite``."""
    pairs = dict(zip(invite[::2], invite[1::2], strict=True))
    token = await auth.create_invite(h.app.db, h.clock(), **pairs)  # type: ignore[arg-type]
    assert await auth.set_password(h.app.db, token, "a long password", h.clock())
    async with h.app.db.transaction() as session:
        account = await session.scalar(select(ConsoleAccount).where(ConsoleAccount.login == login))
        assert account is not None
        # The session is checked against the real time, the harness's clock stands still.
        cookie = await auth.start_session(
            session, account, datetime.now(UTC), 1, complete=True, address=""
        )
    h.client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})


async def test_request_page_shows_photos_and_co_reporters_and_keeps_to_the_scope(
    h5: Harness,
) -> None:
    h = h5
    number = await file_for_a(h)
    await b_joins(h, number)
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")
    page = await (await h.client.get(f"/console/requests/{number}")).text()
    photos = re.findall(r'<img src="(/console/media/[0-9a-f]{64})"', page)
    assert photos, page
    assert 'data-role="co-reporters"' in page
    photo = await h.client.get(photos[0])
    assert photo.status == 200 and photo.content_type == "image/jpeg"
    assert (await h.client.get("/console/media/" + "0" * 64)).status == 404

    # An observer of another building: neither the request nor its photo.
    await signed_in(h, "cust-len5", "observer", "cust-len5", "buildings", ["len5"])
    assert (await h.client.get(f"/console/requests/{number}")).status == 404
    assert (await h.client.get(photos[0])).status == 404


async def test_request_page_links_an_incident_and_the_requests_it_holds(h5: Harness) -> None:
    h = h5
    number = await file_for_a(h, with_photo=False)
    async with h.app.db.transaction() as session:
        first = await session.scalar(select(Request).where(Request.number == number))
        assert first is not None
        session.add(
            Incident(
                building_id=first.building_id,
                category=first.category,
                description="нет воды во всём доме",
                request_id=first.id,
                created_at=first.created_at - timedelta(minutes=1),
            )
        )
        later = {c.key: getattr(first, c.key) for c in Request.__table__.columns if c.key != "id"}
        session.add(Request(**{**later, "number": number + 1}))
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "cust-sad12", "observer", "cust-sad12", "buildings", ["sad12"])
    head = await (await h.client.get(f"/console/requests/{number}")).text()
    assert "нет воды во всём доме" in head
    held = re.search(r'data-role="incident-held">(.*?)</span>', head, re.S)
    assert held is not None and f'href="/console/requests/{number + 1}"' in held.group(1), head
    member = await (await h.client.get(f"/console/requests/{number + 1}")).text()
    assert f'data-role="incident-head">№{number}<' in member, member
    assert 'data-role="actions"' not in member


async def test_untrusted_input_gets_a_clear_4xx(h5: Harness) -> None:
    h = h5
    number = await file_for_a(h, with_photo=False)
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")
    page = await (await h.client.get(f"/console/requests/{number}")).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    base = f"/console/requests/{number}"
    for path, form, status in (
        (f"{base}/comment", {"text": "bad\x00text"}, 400),
        (f"{base}/comment", {"text": "x" * 5000}, 400),
        (f"{base}/assign", {"version": "one", "technician": "1"}, 400),
        (f"{base}/type", {"version": "1", "value": "<script>"}, 400),
        (f"{base}/launch", {"version": "1"}, 404),
        ("/console/requests/99999999999999/close", {"version": "1"}, 404),
        (f"{base}/close", {"version": "1", "csrf": "forged"}, 403),
    ):
        response = await h.client.post(
            path, data={"csrf": csrf.group(1), **form}, allow_redirects=False
        )
        assert response.status == status, (path, form, response.status)
    for query in ("status=bogus", "page=0", "from=2026-02-30", "building=x"):
        response = await h.client.get(f"/console/api/board?{query}")
        assert response.status == 400 and "bad filter" in (await response.json())["error"]
    for path in (
        "/console/report?month=2026-13",
        "/console/export.csv?from=2026-05-01&to=2026-04-01",
    ):
        assert (await h.client.get(path)).status == 400, path
    broken = await h.client.post(
        f"{base}/close",
        data=b'--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc',
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert broken.status in (400, 403), broken.status
    # A stale version changes nothing and says so.
    response = await h.client.post(
        f"{base}/close", data={"csrf": csrf.group(1), "version": "99"}, allow_redirects=False
    )
    assert response.headers["Location"].endswith("?refused=stale")


async def test_analytics_page_its_charts_and_filters(h5: Harness) -> None:
    h = h5
    filed = h.clock().date()
    await file_for_a(h, with_photo=False)
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")
    period = f"from={filed}&to={filed}"

    async def opened(query: str = "") -> int:
        page = await (await h.client.get(f"/console/analytics?{period}&{query}")).text()
        found = re.search(r'data-figure="opened">(\d+)<', page)
        assert found is not None, page
        return int(found.group(1))

    assert await opened() == 1
    assert "Водоснабжение" in await (await h.client.get(f"/console/analytics?{period}")).text()
    for chart in (f"/console/analytics/problems.svg?{period}", "/console/analytics/load.svg"):
        response = await h.client.get(chart)
        assert response.status == 200 and response.content_type == "image/svg+xml"
        svg = await response.text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert (
        "Водоснабжение"
        in await (await h.client.get(f"/console/analytics/problems.svg?{period}")).text()
    )
    assert await opened("category=water") == 1
    assert await opened("category=electricity") == 0
    page = await (await h.client.get(f"/console/analytics?{period}&by=type")).text()
    assert 'data-line="water"' in page and 'data-role="breakdown"' in page
    assert 'data-figure="reopened">0.0<' in page
    # The charts follow the same filters: no problems of another type.
    chart = f"/console/analytics/problems.svg?{period}&category=electricity"
    assert "Водоснабжение" not in await (await h.client.get(chart)).text()
    for query in ("by=flat", "technician=x", "category=<b>", "building=-1"):
        response = await h.client.get(f"/console/analytics?{period}&{query}")
        assert response.status == 400, query

    # An observer naming another building sees nothing of it, figures nor load.
    async with h.app.db.transaction() as session:
        sad12 = await session.scalar(select(Building.id).where(Building.code == "sad12"))
        worker = await session.scalar(select(Person).where(Person.code == "tech-1"))
        job = await session.scalar(select(Request))
        assert worker is not None and job is not None
        job.status, job.assignee_id = "assigned", worker.id
    load = re.compile(r'data-role="load">(.*?)</table>', re.S)
    page = await (await h.client.get(f"/console/analytics?{period}&building={sad12}")).text()
    busy = load.search(page)
    assert busy is not None and re.search(r"<td>[1-9]\d*</td>", busy.group(1)), page
    await signed_in(h, "cust-len5", "observer", "cust-len5", "buildings", ["len5"])
    assert await opened(f"building={sad12}") == 0
    page = await (await h.client.get(f"/console/analytics?{period}&building={sad12}")).text()
    idle = load.search(page)
    assert idle is not None and not re.search(r"<td>[1-9]\d*</td>", idle.group(1)), page


#: Russian words in a page: the interface's, or the data's (addresses, names, what the
#: residents and the bot said), which stay as they were written.
CYRILLIC = re.compile(r"[А-Яа-яЁё]+(?:[ ,.-]+[А-Яа-яЁё]+)*")


async def test_every_page_in_english_says_nothing_of_its_own_in_russian(h5: Harness) -> None:
    h = h5
    number = await file_for_a(h, with_photo=False)
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "admin-1", "staff", "admin-1")
    h.client.session.cookie_jar.update_cookies({LANG_COOKIE: "en"})
    async with h.app.db.reading() as session:
        written = [
            str(value)
            for table in (Building, Person, Request, RequestEvent, InboxItem, OutboxItem)
            for row in await session.scalars(select(table))
            for value in vars(row).values()
        ]
    data = "\n".join(written)
    pages = [
        "/console/",
        f"/console/requests/{number}",
        "/console/analytics?by=technician",
        "/console/report",
        "/console/export",
        "/console/qr",
        "/console/qr/sad12",
        "/console/settings",
        *(f"/console/settings/{sheet}" for sheet in settings_pages.SHEETS),
    ]
    for path in pages:
        response = await h.client.get(path)
        assert response.status == 200, path
        page = await response.text()
        assert '<html lang="en"' in page, path
        # The board's script draws its rows with the labels the page hands it.
        labels = re.search(r'<script type="application/json" id="labels">(.*?)</script>', page)
        said = json.dumps(json.loads(labels.group(1)), ensure_ascii=False) if labels else ""
        shown = re.sub(r"<script.*?</script>|<[^>]+>", "\n", page, flags=re.S) + said
        russian = {w for w in CYRILLIC.findall(shown) if w not in data and w != "Русский"}
        assert not russian, (path, russian)


async def test_monthly_report_page_and_excel_carry_the_same_figures(h5: Harness) -> None:
    h = h5
    number = await file_for_a(h, with_photo=False)
    async with h.app.db.transaction() as session:
        row = await session.scalar(select(Request).where(Request.number == number))
        assert row is not None
        filed = row.created_at
        row.status, row.rating = "closed", 5
        row.deadline, row.closed_at = filed + timedelta(hours=24), filed + timedelta(hours=5)
        session.add(
            RequestEvent(
                request_id=row.id, action="accept", created_at=filed + timedelta(hours=1), data={}
            )
        )
    month = filed.strftime("%Y-%m")
    h.clock.now = datetime.now(UTC)
    await signed_in(h, "disp-1", "staff", "disp-1")
    page = await (await h.client.get(f"/console/report?month={month}")).text()
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td>(.*?)</td>", page.split('data-role="report"')[1], re.S)
    ]
    line = ["ул. Садовая, д. 12", "1", "1", "0", "100.0", "1.0", "5.0", "24.0", "5.0", "1"]
    assert cells == [*line, "Итого", *line[1:]], cells
    assert 'class="filters noprint"' in page  # printed without the form

    response = await h.client.get(f"/console/report.xlsx?month={month}")
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    from openpyxl import load_workbook

    (sheet,) = load_workbook(io.BytesIO(await response.read())).worksheets
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Дом" and len(rows) == 3, rows
    figures = [1, 1, 0, 100.0, 1.0, 5.0, 24.0, 5.0, 1]
    assert rows[1] == ["ул. Садовая, д. 12", *figures] and rows[2] == ["Итого", *figures], rows
