"""Reminders, escalation and auto-close with an injected clock: days in milliseconds.

The sweeps are called directly with the fake clock's time (the scheduler only calls
them at an interval); each moment is swept twice to show every reminder goes out once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot import admin
from bot.scheduler import Sweeper
from core import dispatching, services
from core.lifecycle import Action
from core.model import Category, Status, Urgency
from core.storage.database import Database
from core.storage.tables import OutboxItem, Person, Reminder, Request
from tests.support.harness import FakeClock, Harness, make_harness

GROUP = "dispatch"
ADMIN_CSV = "code,name,role,trade,phone,web_id\nadm-1,Главный инженер,admin,,,adm-1\n"


@asynccontextmanager
async def swept_with_staff(
    tmp_path: Path, clock: FakeClock, staff_csv: str
) -> AsyncIterator[Harness]:
    """The service assigning by itself, with the staff of ``staff_csv`` besides the demo's;
    the day's digest has gone out, out of the way."""
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/ops.db", tmp_path, clock, auto_assign=True
    ) as h:
        staff = tmp_path / "staff.csv"
        staff.write_text(staff_csv, encoding="utf-8")
        await admin.import_staff(h.app.db, staff, clock())
        await sweep(h)
        await h.skip(GROUP)
        yield h


@pytest.fixture
async def ops(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with swept_with_staff(tmp_path, clock, ADMIN_CSV) as h:
        yield h


def sweeper(h: Harness) -> Sweeper:
    assert h.app.sweeper is not None
    return h.app.sweeper


async def sweep(h: Harness, at: datetime | None = None, times: int = 2) -> None:
    """Sweep at ``at`` (twice: the second sweep must change nothing) and deliver."""
    if at is not None:
        h.clock.now = at
    for _ in range(times):
        await sweeper(h).run_once(h.clock.now)
        await h.settle()


async def person(h: Harness, code: str) -> Person:
    async with h.app.db.reading() as session:
        found = await session.scalar(select(Person).where(Person.code == code))
    assert found is not None
    return found


async def file_direct(
    h: Harness, category: str, urgency: str, reporter: str = "res-1", building: int = 1
) -> Request:
    """File a request through the use case (what the resident's dialogue ends with)."""
    who = await person(h, reporter)
    now = h.clock.now
    async with h.app.db.transaction() as session:
        new = services.NewRequest(
            building, "apartment:12", Category(category), Urgency(urgency), "x"
        )
        outcome = await services.file_request(session, now, who, new, h.app.services.sla)
        from bot.notices import deliver_notices

        notices = await dispatching.follow_up(session, now, outcome.notices, h.app.services.assign)
        await deliver_notices(session, now, h.app.services.tz, notices)
        request = outcome.request
    await h.settle()
    return request


async def act(h: Harness, request_id: int, code: str, action: Action, **kw: object) -> Request:
    who = await person(h, code)
    async with h.app.db.transaction() as session:
        from bot.notices import deliver_notices

        outcome = await services.transition(
            session,
            h.clock.now,
            who,
            request_id,
            None,
            action,
            **kw,  # type: ignore[arg-type]
        )
        await deliver_notices(session, h.clock.now, h.app.services.tz, outcome.notices)
    await h.settle()
    return outcome.request


async def texts_of(h: Harness, chat: str, digests: bool = False) -> list[str]:
    """What the chat got since the last read (the morning digest left out unless asked)."""
    return [m.text for m in await h.read(chat) if digests or not m.text.startswith("☀️")]


async def reminder_kinds(h: Harness, request_id: int) -> Counter[str]:
    async with h.app.db.reading() as session:
        rows = await session.execute(
            select(Reminder.kind, Reminder.period).where(Reminder.request_id == request_id)
        )
        return Counter(kind.split(":")[0] for kind, _period in rows.all())


async def test_emergency_timeline(ops: Harness) -> None:
    """Water emergency on Tuesday 10:00: 5 min to accept, 30 min to localise."""
    h = ops
    t0 = h.clock.now
    request = await file_direct(h, "water", "emergency")
    assert request.deadline == t0 + timedelta(minutes=30)
    assert "Назначен автоматически: Сергей Иванов" in (await texts_of(h, GROUP))[-1]
    await h.skip("tech-1", "res-1")

    await sweep(h, t0 + timedelta(minutes=4, seconds=59))
    assert await texts_of(h, "tech-1") == []
    await sweep(h, t0 + timedelta(minutes=5))
    reminded = await texts_of(h, "tech-1")
    assert len(reminded) == 1 and "примите заявку" in reminded[0]

    # Second reaction time without an answer: the next candidate gets the job.
    await sweep(h, t0 + timedelta(minutes=10))
    assert "передана другому" in (await texts_of(h, "tech-1"))[-1]
    group = await texts_of(h, GROUP)
    assert "Николай Попов — предыдущий техник не принял вовремя" in group[-1], group
    assert len(await texts_of(h, "tech-4")) == 1

    # Still not accepted 15 minutes after filing: raised in the group (🚨).
    await sweep(h, t0 + timedelta(minutes=15))
    group = await texts_of(h, GROUP)
    assert len(group) == 1 and group[0].startswith("🚨 Авария") and "не принята" in group[0]
    # ... and the new assignee's own 5 minutes are up too.
    assert "примите заявку" in (await texts_of(h, "tech-4"))[-1]

    await act(h, request.id, "tech-4", Action.ACCEPT)
    await h.skip(GROUP, "res-1", "tech-4")
    # Accepted: the emergency now runs on its stages' clocks; the technician is due on
    # site by the localisation clock (30 minutes), reminded at 75% of it.
    await sweep(h, t0 + timedelta(minutes=22, seconds=30))
    soon = await texts_of(h, "tech-4")
    assert len(soon) == 1 and "Этап «техник на месте» — срок 24.11.2026 10:30" in soon[0]
    assert await texts_of(h, GROUP) == []  # accepted: no more emergency raises

    await sweep(h, t0 + timedelta(minutes=30))
    assert len(late := await texts_of(h, "tech-4")) == 1 and "просрочен" in late[0]
    group = await texts_of(h, GROUP)
    assert len(group) == 1 and "этап «техник на месте» просрочен" in group[0]
    assert await texts_of(h, "adm-1") == []

    # One back-off interval (15 minutes) later: reminded again and escalated once; the
    # next reminder only after twice that (at 75 minutes), not every 15 minutes.
    await sweep(h, t0 + timedelta(minutes=45))
    assert len(await texts_of(h, "tech-4")) == 1
    escalated = await texts_of(h, "adm-1")
    assert len(escalated) == 1 and "Эскалация" in escalated[0]
    assert "История заявки" in escalated[0] and "Николай Попов" in escalated[0]
    await sweep(h, t0 + timedelta(minutes=74, seconds=59))
    assert await texts_of(h, "tech-4") == []
    await sweep(h, t0 + timedelta(minutes=75))
    assert len(await texts_of(h, "tech-4")) == 1
    assert await texts_of(h, "adm-1") == []  # escalated once

    # On site and localised: the resident is told each stage; the late stage is done,
    # and the next (repair, three days from the call) is on time: the reminders stop.
    await act(h, request.id, "tech-4", Action.START)
    assert "на месте" in (await texts_of(h, "res-1"))[-1]
    await act(h, request.id, "tech-4", Action.LOCALISE)
    assert "локализована" in (await texts_of(h, "res-1"))[-1]
    await h.skip(GROUP, "tech-4")
    for minutes in (90, 135, 255, 60 * 24, 60 * 54 - 1):
        await sweep(h, t0 + timedelta(minutes=minutes))
        assert await texts_of(h, "tech-4") == [], minutes
    await sweep(h, t0 + timedelta(hours=54))  # 75% of three days
    due = await texts_of(h, "tech-4")
    assert len(due) == 1 and "Этап «повреждение устранено» — срок 27.11.2026 10:00" in due[0]
    assert await reminder_kinds(h, request.id) == Counter(
        {
            "accept": 3,
            "emergency_open": 1,
            "due_soon": 2,
            "overdue_group": 1,
            "overdue": 3,
            "escalate": 1,
        }
    )


MSK = ZoneInfo("Europe/Moscow")


def msk(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment of November-December 2026 in Moscow (days past 30 are in December)."""
    month, day = (12, day - 30) if day > 30 else (11, day)
    return datetime(2026, month, day, hour, minute, second, tzinfo=MSK)


#: Every request below is filed on Tuesday 24 November 2026 at 10:00 in Moscow.
FILED = msk(24, 10)
#: (deadline the norms give, the reminder at 75 % of the time allowed, the moment the job is
#: late, one back-off interval later, the next back-off step), worked out by hand.
#: An accepted emergency is watched on its stage clock: on site by the localisation clock
#: (30 minutes) whatever its deadline, then back-off from 15 minutes (10:45, 11:15).
#: Urgent hour norms run around the clock with back-off from 2 hours (then 4), but nobody
#: is told after 17:00 (the technicians' working day ends): what falls due at night goes
#: out at 08:00. Normal requests get 5 working days on the 08:00-17:00 calendar.
STAGED = (msk(24, 10, 22, 30), msk(24, 10, 30), msk(24, 10, 45), msk(24, 11, 15))
HALF_HOUR_EMERGENCY = (msk(24, 10, 30), *STAGED)
TWO_HOUR_EMERGENCY = (msk(24, 12), *STAGED)
HALF_HOUR_URGENT = (
    msk(24, 10, 30),
    msk(24, 10, 22, 30),
    msk(24, 10, 30),
    msk(24, 12, 30),
    msk(24, 16, 30),
)
# 14:00 + 4 hours is 18:00, after work: the reminder waits for Wednesday 08:00.
TWO_HOUR_URGENT = (msk(24, 12), msk(24, 11, 30), msk(24, 12), msk(24, 14), msk(25, 8))
# 75 % of a day is Wednesday 04:00: told at 08:00 instead.
ONE_DAY_URGENT = (msk(25, 10), msk(25, 8), msk(25, 10), msk(25, 12), msk(25, 16))
# 45 working hours from Tue 10:00 to Tue 10:00 a week later; 75 % of them (33 h 45 min)
# run out on Friday at 16:45; after the deadline 2 working hours to 12:00, then 4 to 16:00.
FIVE_WORKING_DAYS = (msk(31, 10), msk(27, 16, 45), msk(31, 10), msk(31, 12), msk(31, 16))
# Billing: 10 working days (90 working hours) to Tuesday 8 December; 75 % (67 h 30 min)
# run out on Thursday 3 December at 14:30.
TEN_WORKING_DAYS = (msk(38, 10), msk(33, 14, 30), msk(38, 10), msk(38, 12), msk(38, 16))

EXPECTED = {
    "emergency": {
        "water": HALF_HOUR_EMERGENCY,
        "sewerage": HALF_HOUR_EMERGENCY,
        "heating": HALF_HOUR_EMERGENCY,
        "electricity": HALF_HOUR_EMERGENCY,
        "gas": HALF_HOUR_EMERGENCY,
        "elevator": HALF_HOUR_EMERGENCY,
        "doors_intercom": TWO_HOUR_EMERGENCY,
        "cleaning": TWO_HOUR_EMERGENCY,
        "waste": TWO_HOUR_EMERGENCY,
        "territory": TWO_HOUR_EMERGENCY,
        "roof_facade": TWO_HOUR_EMERGENCY,
        "pests": TWO_HOUR_EMERGENCY,
        "billing": TWO_HOUR_EMERGENCY,
        "other": TWO_HOUR_EMERGENCY,
    },
    "urgent": {
        "water": ONE_DAY_URGENT,
        "sewerage": TWO_HOUR_URGENT,
        "heating": ONE_DAY_URGENT,
        "electricity": ONE_DAY_URGENT,
        "gas": HALF_HOUR_URGENT,
        "elevator": ONE_DAY_URGENT,
        "doors_intercom": ONE_DAY_URGENT,
        "cleaning": ONE_DAY_URGENT,
        "waste": ONE_DAY_URGENT,
        "territory": ONE_DAY_URGENT,
        "roof_facade": ONE_DAY_URGENT,
        "pests": ONE_DAY_URGENT,
        "billing": ONE_DAY_URGENT,
        "other": ONE_DAY_URGENT,
    },
    "normal": {
        c.value: TEN_WORKING_DAYS if c is Category.BILLING else FIVE_WORKING_DAYS for c in Category
    },
}


@pytest.mark.parametrize("urgency", [u.value for u in Urgency])
async def test_every_category_and_urgency(ops: Harness, urgency: str) -> None:
    """Deadline by the norms; reminder at 75%; late reminders backing off; escalation
    after the first back-off interval; auto-close 72 h after done. Each at its moment, once."""
    h = ops
    assert set(EXPECTED[urgency]) == {c.value for c in Category}
    for category, (deadline, soon, late, second, third) in EXPECTED[urgency].items():
        h.clock.now = FILED.astimezone(UTC)
        request = await file_direct(h, category, urgency)
        assert request.deadline == deadline, category
        technician = None
        if request.assignee_id is not None:
            async with h.app.db.reading() as session:
                tech = await session.get(Person, request.assignee_id)
            assert tech is not None
            technician = tech.code
            await act(h, request.id, technician, Action.ACCEPT)
        else:  # nobody responsible (billing): a dispatcher assigns tech-4 and it is accepted
            await act(h, request.id, "disp-1", Action.ASSIGN, assignee=await person(h, "tech-4"))
            technician = "tech-4"
            await act(h, request.id, technician, Action.ACCEPT)
        assert technician is not None
        await h.skip(GROUP, "res-1", technician, "adm-1")

        moments = [
            (soon - timedelta(seconds=1), 0, 0, 0),
            (soon, 1, 0, 0),
            (late - timedelta(seconds=1), 0, 0, 0),
            (late, 1, 1, 0),
            (second - timedelta(seconds=1), 0, 0, 0),
            (second, 1, 0, 1),
            (third - timedelta(seconds=1), 0, 0, 0),
            (third, 1, 0, 0),
        ]
        for at, to_tech, to_group, to_admin in moments:
            await sweep(h, at.astimezone(UTC))
            label = f"{category}/{urgency} at {at.isoformat()}"
            assert len(await texts_of(h, technician)) == to_tech, label
            assert len(await texts_of(h, GROUP)) == to_group, label
            assert len(await texts_of(h, "adm-1")) == to_admin, label

        await act(h, request.id, technician, Action.START)
        await act(h, request.id, technician, Action.DONE, reason="сделано")
        done_at = h.clock.now
        await h.skip(GROUP, "res-1", technician)
        await sweep(h, done_at + timedelta(hours=72) - timedelta(seconds=1))
        assert await texts_of(h, "res-1") == []
        await sweep(h, done_at + timedelta(hours=72))
        told = await texts_of(h, "res-1")
        assert len(told) == 1 and "закрыта автоматически" in told[0], category
        async with h.app.db.reading() as session:
            closed = await session.get(Request, request.id)
        assert closed is not None and closed.status == Status.CLOSED.value
        assert "Закрыта автоматически" in (await texts_of(h, GROUP))[-1]
        await h.skip(technician)


async def test_acceptance_reminder_waits_for_working_hours(ops: Harness) -> None:
    """Filed Friday 16:30, 2 working hours to accept with work hours 08:00-17:00: the
    reminder comes on Monday at 09:30 (30 minutes on Friday, 90 on Monday), and the
    deadline is 5 working days later, Friday 4 December at 16:30."""
    h = ops
    h.clock.now = msk(27, 16, 30).astimezone(UTC)
    request = await file_direct(h, "water", "normal")
    assert request.deadline == msk(34, 16, 30)
    assert request.assignee_id is not None
    async with h.app.db.reading() as session:
        tech = await session.get(Person, request.assignee_id)
    assert tech is not None
    await h.skip(GROUP, "res-1", tech.code)
    for quiet in (msk(27, 17), msk(28, 12), msk(29, 20), msk(30, 9, 29, 59)):
        await sweep(h, quiet.astimezone(UTC))
        assert await texts_of(h, tech.code) == [], quiet.isoformat()
    await sweep(h, msk(30, 9, 30).astimezone(UTC))
    reminded = await texts_of(h, tech.code)
    assert len(reminded) == 1 and "примите заявку" in reminded[0]


async def test_a_service_down_for_hours_catches_up_once(ops: Harness) -> None:
    h = ops
    t0 = h.clock.now
    request = await file_direct(h, "water", "emergency")
    await act(h, request.id, "tech-1", Action.ACCEPT)
    await h.skip(GROUP, "tech-1")
    await sweep(h, t0 + timedelta(hours=9))  # down all day: 36 periods missed
    assert len(await texts_of(h, "tech-1")) == 1
    assert len(await texts_of(h, GROUP)) == 1
    assert len(await texts_of(h, "adm-1")) == 1
    kinds = await reminder_kinds(h, request.id)
    assert kinds == Counter({"overdue_group": 1, "overdue": 1, "escalate": 1})


async def test_a_restarted_service_sends_nothing_twice(ops: Harness, tmp_path: Path) -> None:
    h = ops
    t0 = h.clock.now
    request = await file_direct(h, "sewerage", "urgent")
    await act(h, request.id, "tech-1", Action.ACCEPT)
    await sweep(h, t0 + timedelta(hours=3))
    async with h.app.db.reading() as session:
        before = await session.scalar(select(func.count()).select_from(OutboxItem))
    # A second process (a restart) with its own engine sweeps the same moment.
    other = Database(h.app.db.url)
    try:
        await Sweeper(other, h.app.services, h.clock).run_once(t0 + timedelta(hours=3))
    finally:
        await other.close()
    async with h.app.db.reading() as session:
        after = await session.scalar(select(func.count()).select_from(OutboxItem))
    assert after == before


async def test_the_morning_digest_goes_out_once_a_day(ops: Harness) -> None:
    h = ops
    request = await file_direct(h, "water", "emergency")
    await act(h, request.id, "tech-1", Action.ACCEPT)
    await h.skip(GROUP)
    tomorrow_7 = h.clock.now + timedelta(days=1) - timedelta(hours=3)  # 07:00 in Moscow
    await sweep(h, tomorrow_7)
    assert not any("Сводка" in t for t in await texts_of(h, GROUP, digests=True))
    await sweep(h, tomorrow_7 + timedelta(hours=1))
    digest = [t for t in await texts_of(h, GROUP, digests=True) if "Сводка" in t]
    assert len(digest) == 1
    assert "Новых: 1" in digest[0] and "Сергей Иванов: 1" in digest[0]
    assert f"№{request.number}" in digest[0]  # overdue now
    await sweep(h, tomorrow_7 + timedelta(hours=5))
    assert not any("Сводка" in t for t in await texts_of(h, GROUP, digests=True))


async def test_two_processes_on_postgresql_send_each_reminder_once(
    postgres_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    from tests.support.postgres import reset_database

    await reset_database(postgres_url)
    async with make_harness(postgres_url, tmp_path, clock, auto_assign=True) as h:
        await sweep(h)
        t0 = h.clock.now
        requests = [await file_direct(h, "water", "emergency") for _ in range(6)]
        for request in requests[:3]:
            async with h.app.db.reading() as session:
                fresh = await session.get(Request, request.id)
            assert fresh is not None and fresh.assignee_id is not None
        processes = [Database(postgres_url), Database(postgres_url)]
        try:
            sweepers = [Sweeper(db, h.app.services, h.clock) for db in processes]
            for minutes in (5, 10, 15, 30, 45, 60, 75):
                at = t0 + timedelta(minutes=minutes)
                await asyncio.gather(
                    *(s.run_once(at) for s in sweepers), h.app.sweeper.run_once(at)
                )  # type: ignore[union-attr]
        finally:
            for db in processes:
                await db.close()
        async with h.app.db.reading() as session:
            keys = (
                await session.execute(select(Reminder.request_id, Reminder.kind, Reminder.period))
            ).all()
            outbox = list(await session.scalars(select(OutboxItem)))
        assert len(keys) == len(set(keys))
        bodies = Counter((o.chat, o.body["text"]) for o in outbox)
        duplicates = {k: n for k, n in bodies.items() if n > 1 and "⏰" in k[1]}
        assert duplicates == {}
        # Each request's series, as one process would record it: reminded and passed on at
        # 5 and 10 minutes, the next technician at 15 and 30; raised while unaccepted at 15,
        # 30 and 60 minutes (backing off); late on the arrival clock from 30 minutes: raised
        # once as late and escalated once (never accepted, so never reminded as late).
        for request in requests:
            series = Counter(kind.split(":")[0] for r, kind, _ in keys if r == request.id)
            assert series == Counter(
                {"accept": 4, "emergency_open": 3, "overdue_group": 1, "escalate": 1}
            ), request.id
