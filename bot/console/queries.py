"""What the console reads: the board's filtered page, exports, the monthly report.

Every query takes the visitor's building scope, so an observer never reads a request
of another building, whichever page or export asks.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import Select, String, and_, cast, exists, func, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core import dispatching
from core.model import Category, Status, Urgency
from core.storage.tables import (
    Building,
    Identity,
    InboxItem,
    Incident,
    OutboxItem,
    Person,
    Request,
    RequestEvent,
)

AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"
#: Any SELECT: the filters keep what it selects.
Q = TypeVar("Q", bound=AnySelect)

PAGE_SIZE = 50
#: The board counts matching requests exactly up to this many past the page shown, and
#: beyond says "more than": an exact count of a large table reads every matching row.
COUNT_AHEAD = 1000
#: The incidents filter: requests linked to an incident, or only the incidents' own.
INCIDENT_FILTERS = ("linked", "head")
OPEN = [s.value for s in Status if s.is_open]
SORTS = {
    "number": Request.number,
    "created": Request.created_at,
    "deadline": Request.deadline,
    "status": Request.status,
    "urgency": Request.urgency,
    "building": Request.building_id,
}


class BadFilter(ValueError):
    """A filter value the board cannot use; the message names the field."""


@dataclass(frozen=True, slots=True)
class Filters:
    statuses: tuple[str, ...] = ()
    open_only: bool = False
    category: str = ""
    urgency: str = ""
    building: int | None = None
    #: An entrance of ``building`` (an entrance number means nothing without one).
    entrance: int | None = None
    incident: str = ""
    technician: int | None = None
    since: date | None = None
    until: date | None = None
    overdue: bool = False
    emergency: bool = False
    sort: str = "created"
    descending: bool = True
    page: int = 1

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> Filters:
        """Filters from a query string; anything unusable raises BadFilter."""

        def one_of(name: str, allowed: Sequence[str]) -> str:
            value = query.get(name, "")
            if value and value not in allowed:
                raise BadFilter(name)
            return value

        def number(name: str, low: int = 1, high: int = 2**31) -> int | None:
            value = query.get(name, "")
            if not value:
                return None
            if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
                raise BadFilter(name)
            return int(value)

        def day(name: str) -> date | None:
            value = query.get(name, "")
            if not value:
                return None
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise BadFilter(name) from None

        statuses = tuple(s for s in query.get("status", "").split(",") if s)
        if any(s not in {x.value for x in Status} for s in statuses):
            raise BadFilter("status")
        sort = one_of("sort", list(SORTS)) or "created"
        building, entrance = number("building"), number("entrance", 1, 999)
        if entrance is not None and building is None:
            raise BadFilter("entrance")
        return cls(
            statuses=statuses,
            open_only=query.get("open", "") == "1",
            category=one_of("category", [c.value for c in Category]),
            urgency=one_of("urgency", [u.value for u in Urgency]),
            building=building,
            entrance=entrance,
            incident=one_of("incident", INCIDENT_FILTERS),
            technician=number("technician"),
            since=day("from"),
            until=day("to"),
            overdue=query.get("overdue", "") == "1",
            emergency=query.get("emergency", "") == "1",
            sort=sort,
            descending=one_of("dir", ["asc", "desc"]) != "asc",
            page=number("page", 1, 100_000) or 1,
        )


def scoped(statement: Q, buildings: Sequence[int] | None) -> Q:
    """Only the requests of ``buildings`` (None: all)."""
    if buildings is None:
        return statement
    return statement.where(Request.building_id.in_(list(buildings)))


def local_start(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tz)


def _filtered(
    statement: Q, f: Filters, buildings: Sequence[int] | None, now: datetime, tz: tzinfo
) -> Q:
    statement = scoped(statement, buildings)
    if f.statuses:
        statement = statement.where(Request.status.in_(f.statuses))
    if f.open_only or f.overdue:
        statement = statement.where(Request.status.in_(OPEN))
    if f.category:
        statement = statement.where(Request.category == f.category)
    if f.urgency:
        statement = statement.where(Request.urgency == f.urgency)
    if f.emergency:
        statement = statement.where(Request.urgency == Urgency.EMERGENCY.value)
    if f.building is not None:
        statement = statement.where(Request.building_id == f.building)
    if f.entrance is not None:
        statement = statement.where(at_entrance(literal(f.entrance)))
    if f.incident == "head":
        statement = statement.where(exists().where(Incident.request_id == Request.id))
    elif f.incident == "linked":
        statement = statement.where(exists().where(_linked_to(Incident)))
    if f.technician is not None:
        statement = statement.where(Request.assignee_id == f.technician)
    if f.since is not None:
        statement = statement.where(Request.created_at >= local_start(f.since, tz))
    if f.until is not None:
        statement = statement.where(
            Request.created_at < local_start(f.until + timedelta(days=1), tz)
        )
    if f.overdue:
        statement = statement.where(Request.deadline < now)
    return statement


def at_entrance(number: Any) -> Any:
    """The request's place is in entrance ``number`` (an SQL integer expression): its
    encoded location has an ``entrance:N`` part (``core.model.Location.encode``)."""
    part = literal("entrance:") + cast(number, String)
    place = Request.location
    return or_(
        place == part,
        place.like(part + ";%"),
        place.like("%;" + part),
        place.like("%;" + part + ";%"),
    )


def _linked_to(incident: Any) -> Any:
    """The request is the incident's own, or the same problem while it lasted: the same
    building and type, filed between its declaration and its end, in its entrance (or
    at a place of no known entrance) when it names one.  These are the requests whose
    residents the incident's end tells (``core.incidents.end``)."""
    same_problem = and_(
        incident.building_id == Request.building_id,
        incident.category == Request.category,
        Request.created_at >= incident.created_at,
        or_(incident.resolved_at.is_(None), Request.created_at <= incident.resolved_at),
        or_(
            incident.entrance.is_(None),
            at_entrance(incident.entrance),
            ~Request.location.like("%entrance:%"),
        ),
    )
    return or_(incident.request_id == Request.id, same_problem)


#: How many of an incident's requests its page lists; the board's incident filter has all.
INCIDENT_HELD_LIMIT = 50


@dataclass(slots=True)
class IncidentLink:
    """An incident a request belongs to: the request it was declared from (if another)
    and the other requests it holds, by number."""

    incident: Incident
    head: int | None
    held: list[int]
    more: bool


async def incident_links(session: AsyncSession, request: Request) -> list[IncidentLink]:
    """The incidents ``request`` is the head of or is linked to (``_linked_to``)."""
    found = list(
        await session.scalars(
            select(Incident)
            .where(Request.id == request.id, _linked_to(Incident))
            .order_by(Incident.created_at, Incident.id)
        )
    )
    links = []
    for incident in found:
        head = (
            await session.scalar(select(Request.number).where(Request.id == incident.request_id))
            if incident.request_id not in (None, request.id)
            else None
        )
        held = list(
            await session.scalars(
                select(Request.number)
                .where(Incident.id == incident.id, _linked_to(Incident), Request.id != request.id)
                .where(or_(Incident.request_id.is_(None), Request.id != Incident.request_id))
                .order_by(Request.number)
                .limit(INCIDENT_HELD_LIMIT + 1)
            )
        )
        more = len(held) > INCIDENT_HELD_LIMIT
        links.append(IncidentLink(incident, head, held[:INCIDENT_HELD_LIMIT], more))
    return links


@dataclass(slots=True)
class BoardPage:
    rows: list[dict[str, Any]]
    #: Exact when ``more`` is False, else a lower bound.
    total: int
    page: int
    pages: int
    more: bool = False


def board_query(
    f: Filters, buildings: Sequence[int] | None, now: datetime, tz: tzinfo
) -> AnySelect:
    """One page of the board: requests with their address and technician."""
    assignee = aliased(Person)
    statement = (
        select(Request, Building.address, assignee.name)
        .join(Building, Building.id == Request.building_id)
        .outerjoin(assignee, assignee.id == Request.assignee_id)
    )
    statement = _filtered(statement, f, buildings, now, tz)
    key = SORTS[f.sort]
    order = key.desc() if f.descending else key.asc()
    # The id breaks ties so that paging never shows a row twice or skips one.
    tie = Request.id.desc() if f.descending else Request.id.asc()
    if f.sort == "deadline":
        order = order.nulls_last()
    return statement.order_by(order, tie).limit(PAGE_SIZE).offset((f.page - 1) * PAGE_SIZE)


async def board(
    session: AsyncSession,
    f: Filters,
    buildings: Sequence[int] | None,
    now: datetime,
    tz: tzinfo,
) -> BoardPage:
    statement = board_query(f, buildings, now, tz)
    bound = (f.page - 1) * PAGE_SIZE + COUNT_AHEAD
    matching = _filtered(select(Request.id), f, buildings, now, tz).limit(bound + 1)
    total = await session.scalar(select(func.count()).select_from(matching.subquery()))
    rows = [
        {
            "id": r.id,
            "number": r.number,
            "created": r.created_at.isoformat(),
            "building": address,
            "location": r.location,
            "category": r.category,
            "urgency": r.urgency,
            "status": r.status,
            "assignee": name or "",
            "deadline": r.deadline.isoformat() if r.deadline else None,
            "open": Status(r.status).is_open,
            "description": r.description[:140],
        }
        for r, address, name in (await session.execute(statement)).all()
    ]
    count = int(total or 0)
    more = count > bound
    count = min(count, bound)
    return BoardPage(rows, count, f.page, max(1, -(-count // PAGE_SIZE)), more)


# -- exports ---------------------------------------------------------------------

EXPORT_BATCH = 500


async def export_rows(
    session: AsyncSession,
    since: date,
    until: date,
    buildings: Sequence[int] | None,
    tz: tzinfo,
) -> AsyncIterator[tuple[Request, str, str, list[RequestEvent]]]:
    """Requests filed in the period, oldest first, each with its address, technician and
    history; read in batches so a year of requests never sits in memory at once."""
    assignee = aliased(Person)
    last_id = 0
    start, end = local_start(since, tz), local_start(until + timedelta(days=1), tz)
    while True:
        statement = scoped(
            select(Request, Building.address, assignee.name)
            .join(Building, Building.id == Request.building_id)
            .outerjoin(assignee, assignee.id == Request.assignee_id)
            .where(Request.created_at >= start, Request.created_at < end, Request.id > last_id)
            .order_by(Request.id)
            .limit(EXPORT_BATCH),
            buildings,
        )
        batch = (await session.execute(statement)).all()
        if not batch:
            return
        ids = [r.id for r, _a, _n in batch]
        history: dict[int, list[RequestEvent]] = {i: [] for i in ids}
        for event in await session.scalars(
            select(RequestEvent)
            .where(RequestEvent.request_id.in_(ids))
            .order_by(RequestEvent.request_id, RequestEvent.id)
        ):
            history[event.request_id].append(event)
        for request, address, name in batch:
            yield request, address, name or "", history[request.id]
        last_id = ids[-1]


# -- the monthly report ----------------------------------------------------------


#: What the analytics' lines are: one per building, per problem type or per technician.
BREAKDOWNS = ("building", "type", "technician")


@dataclass(slots=True)
class ReportLine:
    #: The building's address; in the analytics broken down otherwise, the type's slug
    #: or the technician's name ("" for the total and for requests nobody was given).
    building: str
    opened: int = 0
    closed: int = 0
    emergencies: int = 0
    #: Requests the resident sent back to work after they were reported done.
    reopened: int = 0
    within: int = 0
    #: Requests finished (done or closed) with a deadline: the base of ``within``.
    judged: int = 0
    accept_hours: list[float] = field(default_factory=list)
    finish_hours: list[float] = field(default_factory=list)
    norm_hours: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    @property
    def within_share(self) -> float | None:
        return round(100 * self.within / self.judged, 1) if self.judged else None

    @staticmethod
    def median(values: list[float]) -> float | None:
        return round(statistics.median(values), 1) if values else None

    @staticmethod
    def p90(values: list[float]) -> float | None:
        if len(values) < 2:
            return round(values[0], 1) if values else None
        return round(statistics.quantiles(values, n=10, method="inclusive")[-1], 1)

    @property
    def reopen_share(self) -> float | None:
        return round(100 * self.reopened / self.opened, 1) if self.opened else None

    @property
    def rating(self) -> float | None:
        return round(statistics.fmean(self.ratings), 2) if self.ratings else None

    def add(self, other: ReportLine) -> None:
        for name in ("opened", "closed", "emergencies", "reopened", "within", "judged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("accept_hours", "finish_hours", "norm_hours", "ratings"):
            getattr(self, name).extend(getattr(other, name))


def month_bounds(month: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """``YYYY-MM`` as its first moment and the next month's, in the service's zone."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise BadFilter("month") from None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return local_start(first, tz), local_start(following, tz)


def _hours(later: Any, earlier: Any, dialect: str) -> Any:
    """Hours from ``earlier`` to ``later`` computed by the database, so thousands of rows
    come back as numbers rather than timestamps to parse."""
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier) / 3600.0
    return (func.julianday(later) - func.julianday(earlier)) * 24.0


def report_query(
    start: datetime,
    end: datetime,
    buildings: Sequence[int] | None,
    dialect: str,
    *,
    per_request: bool | None = None,
    narrow: Filters | None = None,
) -> AnySelect:
    """The requests filed from ``start`` to ``end`` with their building, status, urgency,
    category, rating, technician, the hours to the first acceptance, to completion (the
    first "done", else the closing) and to the deadline, whether the completion came by
    the deadline and whether the resident ever reopened it.

    ``narrow`` keeps the requests of its building, type and technician, when it names them.

    ``per_request`` (PostgreSQL's way, not SQLite's: it has no LATERAL) looks each
    request's events up on its own instead of joining the period's events at once."""
    in_month = and_(Request.created_at >= start, Request.created_at < end)
    accepted = func.min(RequestEvent.created_at).filter(RequestEvent.action == "accept")
    done = func.min(RequestEvent.created_at).filter(RequestEvent.action == "done")
    reopened = func.min(RequestEvent.created_at).filter(RequestEvent.action == "reopen")
    wanted = RequestEvent.action.in_(["accept", "done", "reopen"])
    firsts: Any
    joined: Any
    if per_request if per_request is not None else dialect == "postgresql":
        # Each of the month's requests looks its two events up in ix_request_events_firsts
        # (an index-only scan): the work follows the month, not the whole history, which
        # a join of every event would read and hash.
        firsts = (
            select(accepted.label("accepted"), done.label("done"), reopened.label("reopened"))
            .where(RequestEvent.request_id == Request.id, wanted)
            .lateral()
        )
        joined = true()
    else:
        # SQLite joins by nested loops through the same index anyway.
        firsts = scoped(
            select(
                RequestEvent.request_id.label("request_id"),
                accepted.label("accepted"),
                done.label("done"),
                reopened.label("reopened"),
            )
            .join(Request, Request.id == RequestEvent.request_id)
            .where(in_month, wanted)
            .group_by(RequestEvent.request_id),
            buildings,
        ).subquery()
        joined = firsts.c.request_id == Request.id
    finished = func.coalesce(firsts.c.done, Request.closed_at)
    technician = aliased(Person)
    statement = scoped(
        select(
            Building.address,
            Request.status,
            Request.urgency,
            Request.category,
            Request.rating,
            _hours(firsts.c.accepted, Request.created_at, dialect),
            _hours(finished, Request.created_at, dialect),
            _hours(Request.deadline, Request.created_at, dialect),
            finished <= Request.deadline,
            firsts.c.reopened.is_not(None),
            technician.name,
        )
        .join(Building, Building.id == Request.building_id)
        .outerjoin(technician, technician.id == Request.assignee_id)
        .outerjoin(firsts, joined)
        .where(in_month)
        .order_by(Building.address),
        buildings,
    )
    if narrow is None:
        return statement
    if narrow.building is not None:
        statement = statement.where(Request.building_id == narrow.building)
    if narrow.category:
        statement = statement.where(Request.category == narrow.category)
    if narrow.technician is not None:
        statement = statement.where(Request.assignee_id == narrow.technician)
    return statement


@dataclass(slots=True)
class Figures:
    """A period's requests: per building, in total, and by problem type."""

    lines: list[ReportLine]
    total: ReportLine
    categories: Counter[str]


async def period_report(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    buildings: Sequence[int] | None,
    *,
    narrow: Filters | None = None,
    by: str = "building",
) -> Figures:
    """Per building (or per type or technician: ``by``), the requests filed in the period:
    counts, the hours to accept and to finish against the norm (the hours from filing to
    the deadline), the share of the closed ones finished within the deadline, the share
    reopened, ratings; and the count of each type.  ``narrow``: see ``report_query``."""
    dialect = (await session.connection()).dialect.name
    lines: dict[str, ReportLine] = {}
    categories: Counter[str] = Counter()
    rows = await session.execute(report_query(start, end, buildings, dialect, narrow=narrow))
    for row in rows.all():
        address, status, urgency, category, rating, accept, finish, norm, within = row[:9]
        was_reopened, technician = row[9:]
        key = {"building": address, "type": category, "technician": technician or ""}[by]
        line = lines.setdefault(key, ReportLine(key))
        line.opened += 1
        line.reopened += bool(was_reopened)
        categories[category] += 1
        if urgency == Urgency.EMERGENCY.value:
            line.emergencies += 1
        if accept is not None:
            line.accept_hours.append(float(accept))
        if status == Status.CLOSED.value:
            line.closed += 1
            if finish is not None:
                line.finish_hours.append(float(finish))
                if within is not None:
                    line.judged += 1
                    line.within += bool(within)
        if norm is not None:
            line.norm_hours.append(float(norm))
        if rating is not None:
            line.ratings.append(rating)
    total = ReportLine("")
    for line in lines.values():
        total.add(line)
    ordered = sorted(lines.values(), key=lambda line: line.building)
    return Figures(ordered, total, categories)


async def monthly_report(
    session: AsyncSession, month: str, buildings: Sequence[int] | None, tz: tzinfo
) -> tuple[list[ReportLine], ReportLine]:
    """The period report of one month (``YYYY-MM``) in the service's time zone."""
    start, end = month_bounds(month, tz)
    figures = await period_report(session, start, end, buildings)
    return figures.lines, figures.total


async def technician_load(
    session: AsyncSession, buildings: Sequence[int] | None, technician: int | None = None
) -> list[tuple[str, int]]:
    """Open jobs per active technician now (within ``buildings``, None: all), or only
    ``technician``'s."""
    technicians = await dispatching.active_technicians(session)
    load = await open_jobs(session, buildings)
    return [
        (t.name, load.get(t.id, 0)) for t in technicians if technician is None or t.id == technician
    ]


async def open_jobs(session: AsyncSession, buildings: Sequence[int] | None) -> dict[int, int]:
    """Open requests per technician, within ``buildings`` (None: all)."""
    statement = scoped(
        select(Request.assignee_id, func.count())
        .where(Request.status.in_(OPEN), Request.assignee_id.is_not(None))
        .group_by(Request.assignee_id),
        buildings,
    )
    return {tid: count for tid, count in (await session.execute(statement)).all() if tid}


# -- the resident's conversation about one request --------------------------------

#: The dialogue that filed a request starts before it exists; after its closing the
#: resident still confirms and rates it.
CONVERSATION_BEFORE = timedelta(hours=2)
CONVERSATION_AFTER = timedelta(days=3)
CONVERSATION_LIMIT = 300


@dataclass(frozen=True, slots=True)
class Said:
    """One message of a request's conversation: ``side`` is "resident" (what they wrote),
    "service" (what the bot and staff sent them) or "comment" (a note in the history)."""

    at: datetime
    side: str
    text: str
    photos: tuple[str, ...] = ()
    who: str = ""


async def conversation(session: AsyncSession, request: Request, now: datetime) -> list[Said]:
    """The messages between the request's author and the service, in time order.

    Inbox and outbox rows name a chat, not a request: they are found through the
    author's chats within the request's life (from a while before its filing to a while
    after its closing).  A resident with two requests open at once sees the same
    messages on both pages; comments are the request's own.
    """
    start = request.created_at - CONVERSATION_BEFORE
    end = min(now, (request.closed_at or now) + CONVERSATION_AFTER)
    chats = (
        await session.execute(
            select(Identity.channel, Identity.chat).where(Identity.person_id == request.reporter_id)
        )
    ).all()
    said: list[Said] = []
    # What the resident wrote (inbox) and what the bot and staff sent them (outbox, not
    # the answers to button presses, which are no chat messages).
    sources: list[tuple[Any, Any, str, str, tuple[Any, ...]]] = [
        (InboxItem, InboxItem.received_at, "event", "resident", ()),
        (OutboxItem, OutboxItem.created_at, "body", "service", (OutboxItem.answer.is_(False),)),
    ]
    for table, at, content, side, extra in sources if chats else []:
        rows = await session.scalars(
            select(table)
            .where(
                or_(*(and_(table.channel == c, table.chat == chat) for c, chat in chats)),
                at >= start,
                at <= end,
                *extra,
            )
            .order_by(at, table.id)
            .limit(CONVERSATION_LIMIT)
        )
        for row in rows:
            body = getattr(row, content)
            text = str(body.get("text", ""))
            photos = tuple(str(p) for p in body.get("photos", ()))
            if text or photos:
                said.append(Said(getattr(row, at.key), side, text, photos))
    comments = await session.execute(
        select(RequestEvent, Person.name)
        .outerjoin(Person, Person.id == RequestEvent.person_id)
        .where(RequestEvent.request_id == request.id, RequestEvent.action == "comment")
        .order_by(RequestEvent.id)
        .limit(CONVERSATION_LIMIT)
    )
    for event, name in comments.all():
        photos = tuple(str(p) for p in event.data.get("photos", ()))
        said.append(Said(event.created_at, "comment", event.comment, photos, name or ""))
    # Stable: at the same moment the resident's message comes before the answer to it.
    return sorted(said, key=lambda s: s.at)
