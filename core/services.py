"""Use cases: every change to a request, with its history row and the notices it causes.

Each function works inside the caller's transaction (one unit of work): the
caller renders the returned notices into outbox rows in the same transaction,
so a change and the messages about it are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import norm_rules
from core.lifecycle import (
    STAGE_OF,
    Action,
    Actor,
    Right,
    Stage,
    TransitionRefused,
    actors_for,
    check,
    next_stage,
    permit,
)
from core.model import Category, EmergencyClaim, Role, Status, Urgency
from core.sla import SlaPolicy
from core.storage.tables import (
    REQUEST_NUMBERS,
    Person,
    Request,
    RequestCounter,
    RequestEvent,
    RequestPhoto,
    RequestReporter,
)

GROUP = 0
"""Notice recipient meaning "the dispatchers' group"."""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a person (or the group, ``to == GROUP``) must be told."""

    event: str
    request_id: int
    to: int
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Outcome:
    request: Request
    notices: list[Notice] = field(default_factory=list)


class Refused(Exception):
    """The use case refused; ``reason`` is a code the bot turns into words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class NewRequest:
    building_id: int
    location: str
    category: Category
    urgency: Urgency
    description: str
    photos: Sequence[str] = ()
    contact_phone: str = ""
    suggested_category: str = ""
    suggested_emergency: bool = False
    label_confirmed: bool = False
    #: The resident called it an emergency; ``urgency`` is what the dialogue made of the
    #: words without that claim.
    resident_emergency: bool = False


async def reporter_ids(session: AsyncSession, request_id: int) -> list[int]:
    rows = await session.scalars(
        select(RequestReporter.person_id)
        .where(RequestReporter.request_id == request_id)
        .order_by(RequestReporter.person_id)
    )
    return list(rows)


async def _next_number(session: AsyncSession) -> int:
    """The next request number: PostgreSQL's sequence, SQLite's counter row."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        number = await connection.scalar(select(REQUEST_NUMBERS.next_value()))
    else:
        number = await connection.scalar(
            update(RequestCounter)
            .values(last=RequestCounter.last + 1)
            .returning(RequestCounter.last)
        )
    assert number is not None  # the migration creates the sequence / the counter's row
    return int(number)


async def file_request(
    session: AsyncSession, now: datetime, reporter: Person, new: NewRequest, sla: SlaPolicy
) -> Outcome:
    """File a request; its words pick the norm row, which may change the urgency.

    The resident's own emergency stands over the rules (a dispatcher may lower it) and is
    recorded as theirs only when the classifier and the rules found none."""
    reading = norm_rules.read(
        new.category, new.urgency, new.description, now.astimezone(sla.timezone)
    )
    claimed = new.resident_emergency and reading.urgency is not Urgency.EMERGENCY
    urgency = Urgency.EMERGENCY if claimed else reading.urgency
    claim = EmergencyClaim.RESIDENT if claimed else EmergencyClaim.NONE
    request = Request(
        number=await _next_number(session),
        building_id=new.building_id,
        location=new.location,
        category=new.category.value,
        urgency=urgency.value,
        description=new.description,
        status=Status.NEW.value,
        deadline=sla.deadline(new.category, urgency, now, reading.problem),
        reporter_id=reporter.id,
        contact_phone=new.contact_phone,
        suggested_category=new.suggested_category,
        suggested_emergency=new.suggested_emergency,
        label_confirmed=new.label_confirmed,
        emergency_claim=claim.value,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    await session.flush()
    session.add(RequestReporter(request_id=request.id, person_id=reporter.id))
    for sha in dict.fromkeys(new.photos):
        session.add(
            RequestPhoto(request_id=request.id, media_sha=sha, kind="resident", created_at=now)
        )
    facts = _norm_facts(reading) or {}
    if claimed:
        facts["emergency_claim"] = claim.value
    _history(session, request, reporter.id, "filed", "", Status.NEW, now, data=facts)
    return Outcome(
        request,
        [Notice("filed", request.id, reporter.id), Notice("card", request.id, GROUP)],
    )


def norm_reading(request: Request, sla: SlaPolicy) -> norm_rules.Reading:
    """The norm row a filed request's words pick under its current category and urgency."""
    return norm_rules.read(
        request.category,
        Urgency(request.urgency),
        request.description,
        request.created_at.astimezone(sla.timezone),
    )


def repair_by(request: Request, sla: SlaPolicy) -> datetime | None:
    """When the request's norms row wants an accident repaired (None: no repair time)."""
    problem = norm_reading(request, sla).problem
    return sla.repair_deadline(request.category, request.urgency, request.created_at, problem)


def _norm_facts(reading: norm_rules.Reading) -> dict[str, Any] | None:
    """What the history keeps of the norm applied: the row, and a hand-over."""
    if not reading.problem:
        return None
    facts: dict[str, Any] = {"norm": reading.problem}
    if reading.problem == norm_rules.GAS_SMELL:
        facts["handed_to"] = norm_rules.GAS_SERVICE
    return facts


async def roles(
    session: AsyncSession, person: Person, request: Request
) -> tuple[list[int], frozenset[Actor]]:
    """The request's reporters, and how this person relates to the request."""
    reporters = await reporter_ids(session, request.id)
    actors = actors_for(
        Role(person.role),
        person_id=person.id,
        assignee_id=request.assignee_id,
        author_id=request.reporter_id,
        reporter_ids=frozenset(reporters),
    )
    return reporters, actors


async def load_request(session: AsyncSession, request_id: int, version: int | None) -> Request:
    request = await session.get(Request, request_id, populate_existing=True)
    if request is None:
        raise Refused("not_found")
    if version is not None and request.version != version:
        raise Refused("stale")
    return request


async def transition(
    session: AsyncSession,
    now: datetime,
    person: Person,
    request_id: int,
    version: int | None,
    action: Action,
    *,
    reason: str = "",
    assignee: Person | None = None,
    until: datetime | None = None,
    photos: Sequence[str] = (),
) -> Outcome:
    """Apply one lifecycle action after checking the actor, the state and the version."""
    request = await load_request(session, request_id, version)
    reporters, actors = await roles(session, person, request)
    before = Status(request.status)
    try:
        after = check(
            action,
            before,
            actors,
            reason,
            emergency=request.urgency == Urgency.EMERGENCY.value,
            stage=request.stage,
        )
    except TransitionRefused as exc:
        raise Refused(exc.reason) from exc

    notices: list[Notice] = []
    data: dict[str, Any] = {}
    previous_assignee = request.assignee_id
    if action is Action.ASSIGN:
        if assignee is None or assignee.role != Role.TECHNICIAN.value or not assignee.active:
            raise Refused("bad_assignee")
        if assignee.id == previous_assignee and before is Status.ASSIGNED:
            raise Refused("already_assigned")
        request.assignee_id = assignee.id
        data["assignee"] = assignee.id
        notices.append(Notice("job", request.id, assignee.id))
        if previous_assignee and previous_assignee != assignee.id:
            notices.append(Notice("unassigned", request.id, previous_assignee))
    elif action is Action.POSTPONE:
        if until is None or until <= now:
            raise Refused("bad_date")
        request.postponed_until = until
        data["until"] = until.isoformat()
    elif action is Action.DECLINE:
        request.assignee_id = None
        data["technician"] = person.id
    elif action is Action.DONE:
        for sha in dict.fromkeys(photos):
            session.add(
                RequestPhoto(request_id=request.id, media_sha=sha, kind="report", created_at=now)
            )
        data["photos"] = list(dict.fromkeys(photos))
    elif action is Action.CONFIRM:
        request.label_confirmed = True
    if request.urgency == Urgency.EMERGENCY.value:
        _move_stage(request, action, data)

    if after is not Status.POSTPONED:
        request.postponed_until = None
    request.status = after.value
    request.updated_at = now
    if not after.is_open:
        request.closed_at = now
    _history(session, request, person.id, action.value, before, after, now, reason, data)

    event = action.value
    payload = {"reason": reason, "by": person.id, **data}
    audience = _audience(action, reporters, request.assignee_id or previous_assignee, person.id)
    notices.extend(Notice(event, request.id, to, payload) for to in audience)
    notices.append(Notice("card", request.id, GROUP, {"event": event, **payload}))
    await session.flush()
    return Outcome(request, notices)


def _move_stage(request: Request, action: Action, data: dict[str, Any]) -> None:
    """An emergency's stage follows its technician's actions; a new technician accepts
    and arrives again unless the damage is already localised."""
    if action is Action.ASSIGN:
        if request.stage and Stage(request.stage).rank < Stage.LOCALISED.rank:
            request.stage = ""
        return
    reached = STAGE_OF.get(action)
    if reached is not None:
        request.stage = next_stage(request.stage, reached)
        data["stage"] = reached.value


def _audience(action: Action, reporters: list[int], assignee: int | None, actor: int) -> list[int]:
    """Who hears about an action, besides the group's card."""
    people: list[int] = []
    if action in (
        Action.ASSIGN,
        Action.ACCEPT,
        Action.START,
        Action.LOCALISE,
        Action.RESTORE,
        Action.POSTPONE,
        Action.CANNOT_DO,
        Action.DONE,
        Action.CLOSE,
        Action.REJECT,
        Action.CONFIRM,
    ):
        people.extend(reporters)
    if (
        action in (Action.REOPEN, Action.CLOSE, Action.REJECT, Action.CANCEL, Action.CONFIRM)
        and assignee is not None
    ):
        people.append(assignee)
    if action is Action.CANCEL:
        people.extend(reporters)
    return [p for p in dict.fromkeys(people) if p != actor or action is Action.CONFIRM]


async def change_classification(
    session: AsyncSession,
    now: datetime,
    person: Person,
    request_id: int,
    version: int | None,
    sla: SlaPolicy,
    *,
    category: Category | None = None,
    urgency: Urgency | None = None,
) -> Outcome:
    """A dispatcher corrects the type or urgency; the deadline follows."""
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    request = await load_request(session, request_id, version)
    if not Status(request.status).is_open:
        raise Refused("wrong_status")
    data: dict[str, Any] = {}
    if category is not None and category.value != request.category:
        data["category"] = [request.category, category.value]
        request.category = category.value
    # An emergency only the resident called is ruled on by a dispatcher setting any urgency,
    # the same one included: choosing «emergency» again keeps it (for training, too).
    ruled = urgency is not None and request.emergency_claim == EmergencyClaim.RESIDENT.value
    if urgency is not None and (ruled or urgency.value != request.urgency):
        data["urgency"] = [request.urgency, urgency.value]
        request.urgency = urgency.value
    if ruled:
        request.emergency_claim = EmergencyClaim.REVIEWED.value
    if not data:
        raise Refused("unchanged")
    request.label_confirmed = True
    # The dispatcher's urgency stands; the words still pick the row when it fits it.
    reading = norm_reading(request, sla)
    request.deadline = sla.deadline(
        request.category, request.urgency, request.created_at, reading.problem
    )
    request.updated_at = now
    changed = any(old != new for old, new in data.values())
    event = "reclassify" if changed else "emergency_kept"
    _history(session, request, person.id, event, "", "", now, data=data)
    notices = [Notice("card", request.id, GROUP, {"event": event, **data})]
    if request.assignee_id and changed:
        notices.append(Notice("reclassify", request.id, request.assignee_id, data))
    await session.flush()
    return Outcome(request, notices)


async def set_deadline(
    session: AsyncSession,
    now: datetime,
    person: Person,
    request_id: int,
    version: int | None,
    deadline: datetime,
) -> Outcome:
    """A dispatcher sets the deadline by hand; the reporters and the technician are told.
    Reminders follow by themselves: their series is keyed by the deadline."""
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    if deadline <= now:
        raise Refused("bad_date")
    request = await load_request(session, request_id, version)
    if not Status(request.status).is_open:
        raise Refused("wrong_status")
    if request.deadline == deadline:
        raise Refused("unchanged")
    before = request.deadline.isoformat() if request.deadline else None
    data = {"deadline": [before, deadline.isoformat()]}
    request.deadline = deadline
    request.updated_at = now
    _history(session, request, person.id, "deadline", "", "", now, data=data)
    audience = [*await reporter_ids(session, request.id), request.assignee_id]
    notices = [Notice("deadline", request.id, to, data) for to in dict.fromkeys(audience) if to]
    notices.append(Notice("card", request.id, GROUP, {"event": "deadline", **data}))
    await session.flush()
    return Outcome(request, notices)


async def comment(
    session: AsyncSession,
    now: datetime,
    person: Person,
    request_id: int,
    text: str,
    photos: Sequence[str] = (),
) -> Outcome:
    """A comment (and photos) from anyone involved, passed to the others involved."""
    request = await load_request(session, request_id, None)
    reporters, actors = await roles(session, person, request)
    _permit(Right.COMMENT, request, actors)
    if not text.strip() and not photos:
        raise Refused("empty")
    kind = "resident" if person.id in reporters else "report"
    for sha in dict.fromkeys(photos):
        session.add(RequestPhoto(request_id=request.id, media_sha=sha, kind=kind, created_at=now))
    data = {"text": text, "photos": list(dict.fromkeys(photos)), "by": person.id}
    # A comment leaves the request row alone: the buttons others hold (the author's
    # confirmation, the technician's card) stay valid whoever adds a word.
    _history(session, request, person.id, "comment", "", "", now, text, {"photos": data["photos"]})
    audience = [*reporters, request.assignee_id] if person.role != Role.RESIDENT.value else []
    if person.role == Role.RESIDENT.value and request.assignee_id:
        audience = [request.assignee_id]
    if person.role == Role.TECHNICIAN.value:
        audience = list(reporters)
    notices = [Notice("comment", request.id, to, data) for to in dict.fromkeys(audience) if to]
    notices = [n for n in notices if n.to != person.id]
    notices.append(Notice("comment", request.id, GROUP, data))
    await session.flush()
    return Outcome(request, notices)


async def rate(
    session: AsyncSession, now: datetime, person: Person, request_id: int, stars: int
) -> Outcome:
    request = await load_request(session, request_id, None)
    _, actors = await roles(session, person, request)
    _permit(Right.RATE, request, actors)
    if not 1 <= stars <= 5:
        raise Refused("bad_rating")
    if request.rating is not None:
        raise Refused("already_rated")
    request.rating = stars
    request.updated_at = now
    _history(session, request, person.id, "rated", "", "", now, data={"rating": stars})
    notices = [Notice("rated", request.id, GROUP, {"rating": stars})]
    if request.assignee_id:
        notices.append(Notice("rated", request.id, request.assignee_id, {"rating": stars}))
    await session.flush()
    return Outcome(request, notices)


def _permit(right: Right, request: Request, actors: frozenset[Actor]) -> None:
    try:
        permit(right, Status(request.status), actors)
    except TransitionRefused as exc:
        raise Refused(exc.reason) from exc


def _history(
    session: AsyncSession,
    request: Request,
    person_id: int | None,
    action: str,
    before: str,
    after: str,
    now: datetime,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        RequestEvent(
            request_id=request.id,
            person_id=person_id,
            action=action,
            from_status=str(before),
            to_status=str(after),
            comment=comment,
            data=data or {},
            created_at=now,
        )
    )
