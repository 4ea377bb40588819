"""Dispatch operations on the database: automatic assignment, reminder keys, auto-close.

Like :mod:`core.services`, every function works inside the caller's transaction
and returns the notices it causes.  The decisions themselves are pure
(:mod:`core.assignment`, :mod:`core.reminders`); this module loads their inputs
and applies their answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core import assignment
from core.lifecycle import Action, Actor, TransitionRefused, check
from core.model import Role, Status, Urgency
from core.reminders import Facts
from core.services import GROUP, Notice, Outcome, _history, repair_by, reporter_ids
from core.sla import SlaPolicy, WorkCalendar
from core.storage.tables import (
    Absence,
    Digest,
    DutyShift,
    Person,
    Reminder,
    Request,
    RequestEvent,
    Responsibility,
)

#: Statuses that count as an open job in a technician's load.
LOAD_STATUSES = tuple(s.value for s in Status if s.is_open and s is not Status.DONE)


@dataclass(frozen=True, slots=True)
class AssignConfig:
    enabled: bool
    tz: tzinfo
    max_open: int | None = None
    #: Outside its working time a non-emergency job goes only to someone on a working
    #: shift now, else waits for the working day (nobody is sent at night a job that can
    #: wait); None: assigned at once.
    calendar: WorkCalendar | None = None

    def after_hours(self, request: Request, now: datetime) -> bool:
        return (
            self.calendar is not None
            and request.urgency != "emergency"
            and not self.calendar.is_working_time(now)
        )


async def active_technicians(session: AsyncSession) -> list[Person]:
    """Technicians who can take jobs, by name."""
    rows = await session.scalars(
        select(Person)
        .where(Person.role == Role.TECHNICIAN.value, Person.active.is_(True))
        .order_by(Person.name)
    )
    return list(rows)


async def open_load(session: AsyncSession) -> dict[int, int]:
    """Open jobs (not yet done) per technician."""
    rows = await session.execute(
        select(Request.assignee_id, func.count())
        .where(Request.status.in_(LOAD_STATUSES), Request.assignee_id.is_not(None))
        .group_by(Request.assignee_id)
    )
    return {int(who): int(count) for who, count in rows.all() if who is not None}


async def load_shifts(session: AsyncSession) -> list[assignment.Shift]:
    return [
        assignment.Shift(
            s.technician_id, s.start_minute, s.end_minute, s.weekday, s.on_date, s.off, s.duty
        )
        for s in await session.scalars(select(DutyShift))
    ]


async def load_roster(session: AsyncSession, today: date) -> assignment.Roster:
    technicians = {t.id for t in await active_technicians(session)}
    matrix = [
        assignment.Responsibility(r.technician_id, r.category, r.building_id, r.position)
        for r in await session.scalars(select(Responsibility))
    ]
    shifts = await load_shifts(session)
    absences = [
        assignment.Absence(a.technician_id, a.first_day, a.last_day, a.kind)
        for a in await session.scalars(select(Absence).where(Absence.last_day >= today))
    ]
    return assignment.Roster(technicians, matrix, shifts, absences, await open_load(session))


async def declined_by(session: AsyncSession, request_id: int) -> set[int]:
    """Technicians who declined this job, could not do it or let it lapse."""
    rows = await session.scalars(
        select(RequestEvent).where(
            RequestEvent.request_id == request_id,
            RequestEvent.action.in_(("decline", "cannot_do", "not_accepted")),
        )
    )
    people: set[int] = set()
    for event in rows:
        who = event.data.get("technician") if event.action == "not_accepted" else event.person_id
        if isinstance(who, int):
            people.add(who)
    return people


async def auto_assign(
    session: AsyncSession,
    now: datetime,
    request: Request,
    config: AssignConfig,
    *,
    after: str,
    exclude: Iterable[int] = (),
) -> Outcome:
    """Assign the job to whoever fits, or tell the group it needs a manual assignment.

    ``after`` names what led here (filed, decline, cannot_do, not_accepted) and is
    shown on the group's card.
    """
    roster = await load_roster(session, now.astimezone(config.tz).date())
    excluded = await declined_by(session, request.id) | set(exclude)
    choice = assignment.choose(
        roster,
        building_id=request.building_id,
        category=request.category,
        emergency=request.urgency == "emergency",
        now=now,
        tz=config.tz,
        exclude=excluded,
        max_open=config.max_open,
    )
    before = Status(request.status)
    if (
        after == "filed"
        and config.after_hours(request, now)
        and not (
            choice.technician_id is not None
            and assignment.at_work(roster.shifts, choice.technician_id, now.astimezone(config.tz))
        )
    ):
        _history(session, request, None, "held", "", "", now)
        return Outcome(request, [])
    data: dict[str, Any] = {"after": after}
    if choice.technician_id is None or choice.technician_id == request.assignee_id:
        data["reason"] = (choice.reason or assignment.NobodyReason.ALL_EXCLUDED).value
        _history(session, request, None, "needs_manual", "", "", now, data=data)
        request.updated_at = now
        await session.flush()
        return Outcome(
            request, [Notice("card", request.id, GROUP, {"event": "needs_manual", **data})]
        )
    try:
        after_status = check(Action.ASSIGN, before, frozenset({Actor.DISPATCHER}))
    except TransitionRefused:
        return Outcome(request, [])
    previous = request.assignee_id
    technician = choice.technician_id
    request.assignee_id = technician
    request.status = after_status.value
    request.postponed_until = None
    request.updated_at = now
    data.update(technician=technician, on_duty=choice.on_duty)
    _history(session, request, None, "auto_assign", before, after_status, now, data=data)
    notices = [Notice("job", request.id, technician)]
    if previous and previous != technician:
        notices.append(Notice("unassigned", request.id, previous))
    notices += [
        Notice("assign", request.id, r, {"by": None})
        for r in await reporter_ids(session, request.id)
    ]
    notices.append(Notice("card", request.id, GROUP, {"event": "auto_assign", **data}))
    await session.flush()
    return Outcome(request, notices)


async def follow_up(
    session: AsyncSession, now: datetime, notices: list[Notice], config: AssignConfig
) -> list[Notice]:
    """React to what a use case just did: assign new jobs, pass declined ones on.

    A freshly filed request is assigned at once (its plain card is replaced by the
    card that says who got it, or why nobody did); a decline or "cannot do" passes
    the job to the next candidate.
    """
    if not config.enabled:
        return notices
    result = list(notices)
    filed = [n.request_id for n in notices if n.event == "filed"]
    for request_id in dict.fromkeys(filed):
        request = await session.get(Request, request_id)
        if request is None or request.status != Status.NEW.value:
            continue
        outcome = await auto_assign(session, now, request, config, after="filed")
        if not outcome.notices:
            continue  # held for the working day: the plain card stays
        # One card in the group, and one message to the resident (the "filed"
        # message names the technician): the plain card and "assigned" go.
        result = [
            n
            for n in result
            if not (n.event == "card" and n.request_id == request_id and not n.data)
        ]
        result += [n for n in outcome.notices if n.event != "assign"]
    for notice in notices:
        event = notice.data.get("event")
        if notice.to != GROUP or notice.event != "card" or event not in ("decline", "cannot_do"):
            continue
        request = await session.get(Request, notice.request_id)
        if request is None:
            continue
        outcome = await auto_assign(session, now, request, config, after=str(event))
        result += outcome.notices
    return result


async def claim(
    session: AsyncSession, request_id: int, kind: str, period: int, now: datetime
) -> bool:
    """Record a reminder key; False when it was recorded before (by anyone)."""
    values = {"request_id": request_id, "kind": kind, "period": period, "created_at": now}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = pg_insert(Reminder).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite_insert(Reminder).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two engines are supported
        stmt = insert(Reminder).values(values)
    result: Any = await session.execute(stmt)
    return bool(result.rowcount)


async def claim_digest(session: AsyncSession, day: date, now: datetime) -> bool:
    values = {"day": day, "created_at": now}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = pg_insert(Digest).values(values).on_conflict_do_nothing()
    else:
        stmt = sqlite_insert(Digest).values(values).on_conflict_do_nothing()
    result: Any = await session.execute(stmt)
    return bool(result.rowcount)


async def facts(session: AsyncSession, request: Request, sla: SlaPolicy) -> Facts:
    """What :func:`core.reminders.due` needs to know about a request."""
    last = await session.scalar(
        select(RequestEvent)
        .where(
            RequestEvent.request_id == request.id,
            RequestEvent.to_status == request.status,
        )
        .order_by(RequestEvent.id.desc())
        .limit(1)
    )
    return Facts(
        request_id=request.id,
        category=request.category,
        urgency=request.urgency,
        status=Status(request.status),
        created_at=request.created_at,
        deadline=request.deadline,
        assignee_id=request.assignee_id,
        status_since=last.created_at if last else request.updated_at,
        status_mark=last.id if last else 0,
        postponed_until=request.postponed_until,
        stage=request.stage,
        repair_by=repair_by(request, sla) if request.urgency == Urgency.EMERGENCY.value else None,
        held=bool(
            last is not None
            and request.status == Status.NEW.value
            and await session.scalar(
                select(RequestEvent.id).where(
                    RequestEvent.request_id == request.id,
                    RequestEvent.action == "held",
                    RequestEvent.id >= last.id,
                )
            )
        ),
    )


def record_escalation(
    session: AsyncSession, request: Request, now: datetime, data: dict[str, Any]
) -> None:
    """History: a step of the escalation ladder was told (title and people)."""
    _history(session, request, None, "escalated", "", "", now, data=data)


async def mark_not_accepted(session: AsyncSession, request: Request, now: datetime) -> None:
    """History: the assignee let the acceptance time lapse (they are skipped next time)."""
    _history(
        session,
        request,
        None,
        "not_accepted",
        "",
        "",
        now,
        data={"technician": request.assignee_id},
    )


async def auto_close(session: AsyncSession, now: datetime, request: Request, hours: int) -> Outcome:
    """Close a job the resident neither confirmed nor disputed in time, with a note."""
    if request.status != Status.DONE.value:
        return Outcome(request, [])
    request.status = Status.CLOSED.value
    request.closed_at = now
    request.updated_at = now
    data = {"hours": hours}
    _history(session, request, None, "auto_close", Status.DONE, Status.CLOSED, now, data=data)
    notices = [
        Notice("autoclose", request.id, r, data) for r in await reporter_ids(session, request.id)
    ]
    if request.assignee_id:
        notices.append(Notice("autoclose", request.id, request.assignee_id, data))
    notices.append(Notice("card", request.id, GROUP, {"event": "autoclose", **data}))
    await session.flush()
    return Outcome(request, notices)
