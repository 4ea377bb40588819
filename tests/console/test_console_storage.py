"""The console's accounts, sessions, throttling and reports on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import admin
from bot.console import auth, queries
from core.storage.database import Database
from core.storage.tables import (
    Building,
    ConsoleAccount,
    Incident,
    Person,
    Request,
    RequestEvent,
)

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Moscow")


async def demo(db: Database) -> None:
    await admin.import_buildings(db, DEMO / "buildings.csv")
    await admin.import_staff(db, DEMO / "staff.csv", NOW)


async def test_an_invite_sets_the_password_once_and_ends_older_sessions(db: Database) -> None:
    await demo(db)
    token = await auth.create_invite(db, NOW, staff="disp-1")
    assert await auth.set_password(db, token, "a long password", NOW)
    assert not await auth.set_password(db, token, "another password", NOW)
    async with db.transaction() as session:
        account = await session.scalar(
            select(ConsoleAccount).where(ConsoleAccount.login == "disp-1")
        )
        assert account is not None and account.role == "dispatcher"
        assert await auth.password_matches(account.password_hash, "a long password")
        assert not await auth.password_matches(account.password_hash, "a long passwore")
        cookie = await auth.start_session(
            session, account, NOW, 12, complete=True, address="127.0.0.1"
        )
    assert (await auth.visitor(db, cookie, NOW)) is not None
    assert await auth.visitor(db, cookie, NOW + timedelta(hours=12)) is None  # expired
    # A new invite used ends every session the account had.
    again = await auth.create_invite(db, NOW, staff="disp-1")
    assert await auth.set_password(db, again, "a third password", NOW)
    assert await auth.visitor(db, cookie, NOW) is None


async def test_a_technician_or_an_unknown_building_gets_no_console_invite(db: Database) -> None:
    await demo(db)
    for kwargs in (
        {"staff": "tech-1"},
        {"staff": "nobody"},
        {"observer": "cust", "buildings": ["len5", "nowhere"]},
        {"observer": "cust", "buildings": []},
    ):
        try:
            await auth.create_invite(db, NOW, **kwargs)  # type: ignore[arg-type]
        except auth.AccountProblem:
            continue
        raise AssertionError(f"invite made for {kwargs}")


async def test_failures_lock_the_login_for_a_while(db: Database) -> None:
    keys = auth.throttle_keys("Disp-1", "10.0.0.1")
    for i in range(auth.LOGIN_FAILURES):
        async with db.transaction() as session:
            assert await auth.blocked_for(session, keys, NOW) == timedelta(0), i
            await auth.record_failure(session, keys, NOW)
    async with db.transaction() as session:
        assert await auth.blocked_for(session, keys, NOW) == auth.LOCKOUT
        # The same name in other letters is the same login; another address does not help.
        other = auth.throttle_keys("disp-1", "10.0.0.2")
        assert await auth.blocked_for(session, other, NOW + timedelta(minutes=1)) > timedelta(0)
        assert await auth.blocked_for(session, keys, NOW + auth.LOCKOUT) == timedelta(0)


async def test_revoked_session_is_refused_at_once(db: Database) -> None:
    await demo(db)
    token = await auth.create_invite(db, NOW, observer="cust", buildings=["len5"])
    assert await auth.set_password(db, token, "observer password", NOW)
    async with db.transaction() as session:
        account = await session.scalar(select(ConsoleAccount).where(ConsoleAccount.login == "cust"))
        assert account is not None
        cookie = await auth.start_session(session, account, NOW, 12, complete=True, address="")
    who = await auth.visitor(db, cookie, NOW)
    assert who is not None and who.role == "observer" and not who.acts
    assert who.buildings is not None and len(who.buildings) == 1
    assert await auth.revoke_login(db, "cust", NOW)
    assert await auth.visitor(db, cookie, NOW) is None


async def _request(
    db: Database, number: int, building: str, *, minutes_to_accept: int | None, hours: float
) -> None:
    """A water request filed at NOW, accepted and closed after the given times, due in
    24 h, rated 4."""
    accepted = (("accept", minutes_to_accept / 60),) if minutes_to_accept is not None else ()
    await _filed(
        db, number, building, "water", status="closed", closed=hours, rating=4, events=accepted
    )


async def test_monthly_report_and_board_keep_to_the_observers_buildings(db: Database) -> None:
    await demo(db)
    await _request(db, 1, "len5", minutes_to_accept=30, hours=10)
    await _request(db, 2, "len5", minutes_to_accept=90, hours=30)
    await _request(db, 3, "sad12", minutes_to_accept=None, hours=2)
    async with db.reading() as session:
        len5 = await session.scalar(select(Building.id).where(Building.code == "len5"))
        lines, total = await queries.monthly_report(session, "2026-11", None, TZ)
        assert total.opened == 3 and total.closed == 3
        (mine,), only = await queries.monthly_report(session, "2026-11", [len5], TZ)
        assert mine.opened == 2 and mine.within_share == 50.0
        assert queries.ReportLine.median(mine.accept_hours) == 1.0
        assert queries.ReportLine.median(mine.finish_hours) == 20.0
        assert queries.ReportLine.median(mine.norm_hours) == 24.0
        assert mine.rating == 4.0 and only.opened == 2
        empty, _ = await queries.monthly_report(session, "2026-10", None, TZ)
        assert empty == []
        page = await queries.board(session, queries.Filters(), [len5], NOW, TZ)
        assert sorted(r["number"] for r in page.rows) == [1, 2] and page.total == 2
        every = await queries.board(
            session, queries.Filters.parse({"sort": "number", "dir": "asc"}), None, NOW, TZ
        )
        assert [r["number"] for r in every.rows] == [1, 2, 3]
    assert len(lines) == 2


def test_untrusted_filters_are_refused_with_the_field_named() -> None:
    for query in (
        {"status": "new,bogus"},
        {"sort": "description; drop table"},
        {"building": "1e9"},
        {"from": "2026-13-01"},
        {"page": "0"},
        {"category": "<script>"},
    ):
        try:
            queries.Filters.parse(query)
        except queries.BadFilter as exc:
            assert str(exc) in query, (query, exc)
            continue
        raise AssertionError(query)


async def test_board_filters_by_entrance_and_incident_and_bounds_its_count(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await demo(db)
    places = {
        1: ("len5", "entrance:2", "water"),
        2: ("len5", "apartment:12;entrance:2;floor:3", "water"),
        3: ("len5", "entrance:12", "water"),
        4: ("len5", "apartment:7;entrance:1", "water"),
        5: ("len5", "apartment:9", "water"),
        6: ("len5", "entrance:2", "elevator"),
        7: ("sad12", "entrance:2", "water"),
        8: ("len5", "apartment:3;entrance:12", "water"),
    }
    for number, (building, _place, _category) in places.items():
        await _request(db, number, building, minutes_to_accept=None, hours=1)
    async with db.transaction() as session:
        rows = {r.number: r for r in await session.scalars(select(Request))}
        for number, (_building, place, category) in places.items():
            rows[number].location, rows[number].category = place, category
        # Filed an hour before the incident: the same problem, but not the incident's.
        rows[3].created_at = NOW - timedelta(hours=1)
        len5 = rows[1].building_id
        session.add(
            Incident(
                building_id=len5,
                category="water",
                entrance=2,
                description="нет воды во втором подъезде",
                request_id=rows[1].id,
                created_at=NOW - timedelta(minutes=5),
            )
        )

    async def numbers(query: dict[str, str], buildings: list[int] | None = None) -> list[int]:
        filters = queries.Filters.parse({"sort": "number", "dir": "asc", **query})
        async with db.reading() as session:
            page = await queries.board(session, filters, buildings, NOW, TZ)
        return [r["number"] for r in page.rows]

    assert await numbers({"building": str(len5), "entrance": "2"}) == [1, 2, 6]
    assert await numbers({"building": str(len5), "entrance": "1"}) == [4]
    assert await numbers({"incident": "head"}) == [1]
    # In the incident's building, type and entrance (or no known entrance), after it began.
    assert await numbers({"incident": "linked"}) == [1, 2, 5]
    assert await numbers({"incident": "linked", "entrance": "2", "building": str(len5)}) == [1, 2]
    assert await numbers({"incident": "head"}, buildings=[rows[7].building_id]) == []
    for bad in ({"entrance": "2"}, {"building": "1", "entrance": "0"}, {"incident": "all"}):
        try:
            queries.Filters.parse(bad)
        except queries.BadFilter:
            continue
        raise AssertionError(bad)

    # The request page's incident links: the head lists what the incident holds, a held
    # request leads to the head; a request before the incident or of another type has none.
    async with db.reading() as session:
        fresh = {r.number: r for r in await session.scalars(select(Request))}
        links = {n: await queries.incident_links(session, fresh[n]) for n in (1, 2, 3, 6)}
    ((head,),) = [links[1]]
    assert (head.head, head.held, head.more) == (None, [2, 5], False)
    ((held,),) = [links[2]]
    assert (held.head, held.held) == (1, [5]) and held.incident.id == head.incident.id
    assert links[3] == [] and links[6] == []

    # Past the bound the count says "more than", exactly what it knows.
    async with db.reading() as session:
        exact = await queries.board(session, queries.Filters(), None, NOW, TZ)
        assert (exact.total, exact.more) == (8, False)
        monkeypatch.setattr(queries, "COUNT_AHEAD", 3)
        first = await queries.board(session, queries.Filters(), None, NOW, TZ)
        assert (first.total, first.more, len(first.rows)) == (3, True, 8)


async def _filed(
    db: Database,
    number: int,
    building: str,
    category: str,
    *,
    status: str,
    technician: str | None = None,
    urgency: str = "normal",
    filed: datetime = NOW,
    norm: float = 24,
    closed: float | None = None,
    rating: int | None = None,
    events: tuple[tuple[str, float], ...] = (),
) -> None:
    """A request filed at ``filed`` with its history as (action, hours after filing)."""
    async with db.transaction() as session:
        place = await session.scalar(select(Building).where(Building.code == building))
        author = await session.scalar(select(Person).where(Person.code == "disp-1"))
        worker = await session.scalar(select(Person).where(Person.code == technician))
        assert place is not None and author is not None
        row = Request(
            number=number,
            building_id=place.id,
            location="entrance:1",
            category=category,
            urgency=urgency,
            description="течёт",
            status=status,
            deadline=filed + timedelta(hours=norm),
            assignee_id=worker.id if worker is not None else None,
            reporter_id=author.id,
            created_at=filed,
            updated_at=filed,
            closed_at=filed + timedelta(hours=closed) if closed is not None else None,
            rating=rating,
        )
        session.add(row)
        await session.flush()
        for action, hours in events:
            session.add(
                RequestEvent(
                    request_id=row.id,
                    action=action,
                    created_at=filed + timedelta(hours=hours),
                    data={},
                )
            )


async def test_analytics_figures_by_building_type_and_technician(db: Database) -> None:
    """Every figure of the analytics on a small set computed by hand."""
    await demo(db)
    # 1: accepted in 0.5 h, done in 10 h, rated 5.
    await _filed(
        db,
        1,
        "len5",
        "water",
        status="closed",
        technician="tech-1",
        closed=12,
        rating=5,
        events=(("accept", 0.5), ("done", 10)),
    )
    # 2: done in 20 h (within 24), reopened by the resident, done again late, rated 2.
    await _filed(
        db,
        2,
        "len5",
        "water",
        status="closed",
        technician="tech-1",
        closed=31,
        rating=2,
        events=(("accept", 2), ("done", 20), ("reopen", 21), ("done", 30)),
    )
    # 3: an emergency closed after 40 h without a "done": past its deadline.
    await _filed(
        db,
        3,
        "len5",
        "electricity",
        status="closed",
        technician="tech-2",
        urgency="emergency",
        closed=40,
        events=(("accept", 1),),
    )
    # 4: still in work, a 48 h norm.
    await _filed(
        db,
        4,
        "sad12",
        "water",
        status="in_progress",
        technician="tech-1",
        norm=48,
        events=(("accept", 4),),
    )
    # 5: nobody given yet.
    await _filed(db, 5, "sad12", "electricity", status="new")
    # 6: filed in October: outside the period.
    await _filed(
        db,
        6,
        "len5",
        "water",
        status="in_progress",
        technician="tech-1",
        filed=NOW - timedelta(days=40),
        events=(("reopen", 1),),
    )
    start, end = queries.month_bounds("2026-11", TZ)
    median, p90 = queries.ReportLine.median, queries.ReportLine.p90
    async with db.reading() as session:
        ids = {
            code: pid for code, pid in (await session.execute(select(Person.code, Person.id))).all()
        }
        sad12 = await session.scalar(select(Building.id).where(Building.code == "sad12"))
        figures = await queries.period_report(session, start, end, None)
        total = figures.total
        assert (total.opened, total.closed, total.emergencies) == (5, 3, 1)
        assert total.within_share == 66.7  # 1 and 2 of 1, 2, 3
        assert (median(total.accept_hours), p90(total.accept_hours)) == (1.5, 3.4)
        assert (median(total.finish_hours), p90(total.finish_hours)) == (20.0, 36.0)
        assert (median(total.norm_hours), p90(total.norm_hours)) == (24.0, 38.4)
        assert total.reopen_share == 20.0 and total.rating == 3.5
        assert figures.categories == {"water": 3, "electricity": 2}
        len5_line, sad12_line = figures.lines
        assert (len5_line.opened, len5_line.closed, len5_line.reopen_share) == (3, 3, 33.3)
        assert (sad12_line.opened, sad12_line.closed, sad12_line.within_share) == (2, 0, None)
        assert median(sad12_line.accept_hours) == 4.0 and sad12_line.reopen_share == 0.0

        by_type = await queries.period_report(session, start, end, None, by="type")
        assert [(x.building, x.opened, x.closed, x.within_share) for x in by_type.lines] == [
            ("electricity", 2, 1, 0.0),
            ("water", 3, 2, 100.0),
        ]
        by_tech = await queries.period_report(session, start, end, None, by="technician")
        assert [(x.building, x.opened) for x in by_tech.lines] == [
            ("", 1),
            ("Алексей Смирнов", 1),
            ("Сергей Иванов", 3),
        ]

        def narrow(**query: str) -> queries.Filters:
            return queries.Filters.parse(query)

        mine = await queries.period_report(
            session, start, end, None, narrow=narrow(technician=str(ids["tech-1"]))
        )
        assert (mine.total.opened, mine.total.closed, mine.total.reopen_share) == (3, 2, 33.3)
        assert median(mine.total.finish_hours) == 15.0
        power = await queries.period_report(
            session, start, end, None, narrow=narrow(category="electricity")
        )
        assert (power.total.opened, power.total.emergencies) == (2, 1)
        there = await queries.period_report(
            session, start, end, None, narrow=narrow(building=str(sad12), category="water")
        )
        assert there.total.opened == 1 and median(there.total.norm_hours) == 48.0
        # An observer's scope still holds whatever is asked.
        assert (await queries.period_report(session, start, end, [sad12])).total.opened == 2

        # The load now counts open jobs whenever they were filed.
        load = dict(await queries.technician_load(session, None))
        assert load["Сергей Иванов"] == 2 and load["Алексей Смирнов"] == 0
        assert await queries.technician_load(session, [sad12], ids["tech-1"]) == [
            ("Сергей Иванов", 1)
        ]
