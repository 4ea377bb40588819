"""Administration: CSV imports, invites, group binding, listings, training export.

Imports validate every row first and write in one transaction, so a bad file
changes nothing; errors name the file's line numbers.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.registry import plugins
from bot.dialogue import token_hash
from core import assignment
from core.model import Category, Location, Role
from core.storage.database import Database
from core.storage.tables import (
    Absence,
    Building,
    DutyShift,
    GroupBinding,
    Identity,
    Invite,
    Person,
    Request,
)
from core.storage.tables import Responsibility as ResponsibilityRow


class ImportProblem(Exception):
    """A CSV file could not be imported; ``errors`` lists "line N: ..." messages."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def read_csv(path: Path, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportProblem([f"{path}: no such file"]) from None
    except UnicodeDecodeError:
        raise ImportProblem([f"{path}: not UTF-8 text"]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportProblem([f"{path}: missing column(s): {', '.join(missing)}"])
    rows = []
    for row in reader:
        # reader.line_num is the line the row ended on; quoted newlines push it down.
        inner = sum(v.count("\n") for v in row.values() if isinstance(v, str))
        rows.append((reader.line_num - inner, {k: (v or "").strip() for k, v in row.items() if k}))
    if not rows:
        raise ImportProblem([f"{path}: no rows"])
    return rows


def _int(row: dict[str, str], name: str, line: int, errors: list[str], low: int = 0) -> int:
    value = row.get(name, "")
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= 100_000:
        errors.append(f"line {line}: {name} must be a whole number >= {low}, got {value!r}")
        return 0
    return int(value)


async def import_buildings(db: Database, path: Path) -> int:
    rows = read_csv(path, ("code", "address", "entrances", "floors", "apartments"))
    errors: list[str] = []
    seen: set[str] = set()
    parsed = []
    for line, row in rows:
        code = row["code"]
        if not code or len(code) > 32 or not code.replace("_", "").replace("-", "").isalnum():
            errors.append(f"line {line}: code must be 1-32 letters, digits, - or _")
        if code in seen:
            errors.append(f"line {line}: duplicate code {code!r}")
        seen.add(code)
        if not row["address"] or len(row["address"]) > 200:
            errors.append(f"line {line}: address is required (at most 200 characters)")
        parsed.append(
            Building(
                code=code,
                address=row["address"],
                city=row.get("city", ""),
                complex=row.get("complex", ""),
                entrances=_int(row, "entrances", line, errors, 1),
                floors=_int(row, "floors", line, errors, 1),
                apartments=_int(row, "apartments", line, errors, 0),
                aliases=row.get("aliases", ""),
            )
        )
    if errors:
        raise ImportProblem(errors)
    async with db.transaction() as session:
        for new in parsed:
            old = await session.scalar(select(Building).where(Building.code == new.code))
            if old is None:
                session.add(new)
            else:
                for field in (
                    "address",
                    "city",
                    "complex",
                    "entrances",
                    "floors",
                    "apartments",
                    "aliases",
                ):
                    setattr(old, field, getattr(new, field))
    return len(parsed)


@dataclass(slots=True)
class StaffRow:
    code: str
    name: str
    role: Role
    trade: str
    phone: str
    #: Messenger accounts by channel, from the ``<channel>_id`` columns (``web_id``...).
    identities: dict[str, str]


async def import_staff(db: Database, path: Path, now: datetime) -> int:
    rows = read_csv(path, ("code", "name", "role"))
    errors: list[str] = []
    parsed: list[StaffRow] = []
    seen: set[str] = set()
    for line, row in rows:
        code = row["code"]
        if not code or len(code) > 32:
            errors.append(f"line {line}: code is required (at most 32 characters)")
        if code in seen:
            errors.append(f"line {line}: duplicate code {code!r}")
        seen.add(code)
        try:
            role = Role(row["role"])
        except ValueError:
            errors.append(f"line {line}: role must be technician, dispatcher or admin")
            continue
        if role is Role.RESIDENT:
            errors.append(f"line {line}: residents are not imported as staff")
        if not row["name"]:
            errors.append(f"line {line}: name is required")
        parsed.append(
            StaffRow(
                code,
                row["name"],
                role,
                row.get("trade", ""),
                row.get("phone", ""),
                {name: row[f"{name}_id"] for name in plugins() if row.get(f"{name}_id")},
            )
        )
    if errors:
        raise ImportProblem(errors)
    async with db.transaction() as session:
        for staff in parsed:
            person = await session.scalar(select(Person).where(Person.code == staff.code))
            if person is None:
                person = Person(code=staff.code, created_at=now)
                session.add(person)
            person.name, person.role, person.trade, person.phone = (
                staff.name,
                staff.role.value,
                staff.trade,
                staff.phone,
            )
            await session.flush()
            for channel, external_id in staff.identities.items():
                await _bind_identity(session, person, channel, external_id, now)
    return len(parsed)


async def _bind_identity(
    session: object, person: Person, channel: str, external_id: str, now: datetime
) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession

    assert isinstance(session, AsyncSession)
    identity = await session.scalar(
        select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
    )
    if identity is None:
        session.add(
            Identity(
                person_id=person.id,
                channel=channel,
                external_id=external_id,
                chat=external_id,
                display_name=person.name,
                last_seen_at=now,
            )
        )
    else:
        identity.person_id = person.id


async def import_residents(db: Database, path: Path, now: datetime) -> int:
    """Demo residents with web identities and remembered homes."""
    rows = read_csv(path, ("code", "name", "web_id", "building", "location"))
    async with db.transaction() as session:
        for line, row in rows:
            building = await session.scalar(
                select(Building).where(Building.code == row["building"])
            )
            if building is None:
                raise ImportProblem([f"{path} line {line}: unknown building {row['building']!r}"])
            Location.decode(row["location"])
            person = await session.scalar(select(Person).where(Person.code == row["code"]))
            if person is None:
                person = Person(code=row["code"], role=Role.RESIDENT.value, created_at=now)
                session.add(person)
            person.name = row["name"]
            person.phone = row.get("phone", "")
            person.home_building_id = building.id
            person.home_location = row["location"]
            await session.flush()
            await _bind_identity(session, person, "web", row["web_id"], now)
    return len(rows)


async def bind_group(db: Database, channel: str, chat: str, now: datetime) -> None:
    if channel not in plugins():
        raise ImportProblem([f"unknown channel {channel!r}: use one of {', '.join(plugins())}"])
    async with db.transaction() as session:
        binding = await session.scalar(
            select(GroupBinding).where(
                GroupBinding.channel == channel, GroupBinding.purpose == "dispatch"
            )
        )
        if binding is None:
            session.add(
                GroupBinding(channel=channel, chat=chat, purpose="dispatch", created_at=now)
            )
        else:
            binding.chat = chat


async def create_invite(
    db: Database, now: datetime, *, person_code: str | None, group: bool, days: int = 7
) -> str:
    """A one-time invite; returns the token to put in a deep link (/start inv-TOKEN)."""
    token = secrets.token_urlsafe(18)
    async with db.transaction() as session:
        person_id = None
        if not group:
            person = await session.scalar(select(Person).where(Person.code == person_code))
            if person is None or person.role == Role.RESIDENT.value:
                raise ImportProblem([f"no staff member with code {person_code!r}"])
            person_id = person.id
        session.add(
            Invite(
                token_hash=token_hash(token),
                purpose="group" if group else "staff",
                person_id=person_id,
                expires_at=now + timedelta(days=days),
                created_at=now,
            )
        )
    return token


async def list_staff(db: Database) -> list[str]:
    async with db.reading() as session:
        people = await session.scalars(
            select(Person)
            .where(Person.role != Role.RESIDENT.value)
            .order_by(Person.role, Person.name)
        )
        lines = []
        for p in people:
            ids = await session.scalars(select(Identity).where(Identity.person_id == p.id))
            bound = ", ".join(
                f"{i.channel}:{i.external_id}{' (unreachable)' if i.unreachable else ''}"
                for i in ids
            )
            lines.append(f"{p.code or '-'}\t{p.role}\t{p.name}\t{p.trade}\t{bound or 'not bound'}")
        return lines


async def list_buildings(db: Database) -> list[str]:
    async with db.reading() as session:
        rows = await session.scalars(select(Building).order_by(Building.code))
        return [
            f"{b.code}\t{b.address}\t{b.city}\t"
            f"entrances {b.entrances}, floors {b.floors}, apartments {b.apartments}"
            for b in rows
        ]


async def export_training(db: Database, out: Path) -> int:
    """Write confirmed or corrected requests as a training file for `classifiers train`."""
    async with db.reading() as session:
        rows = await session.scalars(
            select(Request).where(Request.label_confirmed.is_(True)).order_by(Request.id)
        )
        records = [
            (r.description, r.category, "1" if r.urgency == "emergency" else "0")
            for r in rows
            if r.category in {c.value for c in Category}
        ]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category", "emergency"])
        writer.writerows(records)
    return len(records)


# -- dispatch operations: responsibility matrix, shifts, absences ------------

_WEEKDAYS = {
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{name: i for i, name in enumerate(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))},
}
ABSENCE_KINDS = ("vacation", "sick", "day_off")


async def _technicians(session: AsyncSession) -> dict[str, Person]:
    rows = await session.scalars(select(Person).where(Person.role == Role.TECHNICIAN.value))
    return {p.code: p for p in rows if p.code}


async def import_matrix(db: Database, path: Path) -> int:
    """Replace the responsibility matrix: ``building,category,technicians``.

    ``building`` is a building code or ``*`` (every building), ``category`` a
    category slug or ``*``, ``technicians`` staff codes separated by ``;`` in order
    of preference.
    """
    rows = read_csv(path, ("building", "category", "technicians"))
    errors: list[str] = []
    categories = {c.value for c in Category}
    parsed: list[tuple[str, str, list[str], int]] = []
    async with db.reading() as session:
        buildings = {b.code: b.id for b in await session.scalars(select(Building))}
        technicians = await _technicians(session)
    seen: set[tuple[str, str]] = set()
    for line, row in rows:
        building, category = row["building"], row["category"]
        codes = [c.strip() for c in row["technicians"].split(";") if c.strip()]
        if building != "*" and building not in buildings:
            errors.append(f"line {line}: unknown building {building!r}")
        if category != "*" and category not in categories:
            errors.append(
                f"line {line}: unknown category {category!r} "
                f"(one of {', '.join(sorted(categories))} or *)"
            )
        if not codes:
            errors.append(f"line {line}: name at least one technician")
        for code in codes:
            if code not in technicians:
                errors.append(f"line {line}: {code!r} is not a technician")
        if len(set(codes)) != len(codes):
            errors.append(f"line {line}: a technician is named twice")
        if (building, category) in seen:
            errors.append(f"line {line}: {building},{category} is already given above")
        seen.add((building, category))
        parsed.append((building, category, codes, line))
    if errors:
        raise ImportProblem(errors)
    count = 0
    async with db.transaction() as session:
        await session.execute(delete(ResponsibilityRow))
        for building, category, codes, _line in parsed:
            for position, code in enumerate(codes):
                session.add(
                    ResponsibilityRow(
                        building_id=None if building == "*" else buildings[building],
                        category=category,
                        technician_id=technicians[code].id,
                        position=position,
                    )
                )
                count += 1
    return count


def _parse_day(raw: str, line: int, errors: list[str]) -> tuple[int | None, date | None]:
    low = raw.strip().lower()
    if low in _WEEKDAYS:
        return _WEEKDAYS[low], None
    try:
        return None, date.fromisoformat(low)
    except ValueError:
        errors.append(f"line {line}: day must be mon..sun or a date YYYY-MM-DD, got {raw!r}")
        return None, None


async def import_shifts(db: Database, path: Path, today: date) -> int:
    """Replace the shifts of the technicians named in the file.

    ``technician,day,start,end,kind``: ``day`` is mon..sun (the weekly pattern) or a
    date (an override for that date); ``kind`` is ``work`` (default), ``duty``
    (on call: takes any emergency) or ``off`` (a dated day without work).
    """
    rows = read_csv(path, ("technician", "day", "start", "end"))
    errors: list[str] = []
    async with db.reading() as session:
        technicians = await _technicians(session)
    parsed: list[tuple[int, str, assignment.Shift]] = []
    for line, row in rows:
        code = row["technician"]
        if code not in technicians:
            errors.append(f"line {line}: {code!r} is not a technician")
            continue
        kind = (row.get("kind") or "work").lower()
        if kind not in ("work", "duty", "off"):
            errors.append(f"line {line}: kind must be work, duty or off, got {kind!r}")
            continue
        weekday, on = _parse_day(row["day"], line, errors)
        if weekday is None and on is None:
            continue
        if on is not None and on < today:
            errors.append(f"line {line}: the date {on.isoformat()} is in the past")
        if kind == "off":
            if on is None:
                errors.append(f"line {line}: a day off needs a date, not a weekday")
            start = end = 0
        else:
            try:
                start = assignment.parse_minute(row["start"])
                end = assignment.parse_minute(row["end"])
            except ValueError as exc:
                errors.append(f"line {line}: {exc}")
                continue
        shift = assignment.Shift(
            technicians[code].id, start, end, weekday, on, kind == "off", kind == "duty"
        )
        parsed.append((line, code, shift))
    errors += assignment.shift_problems([(line, shift) for line, _code, shift in parsed])
    if errors:
        raise ImportProblem(sorted(set(errors), key=_line_number))
    async with db.transaction() as session:
        ids = {technicians[code].id for _line, code, _shift in parsed}
        await session.execute(delete(DutyShift).where(DutyShift.technician_id.in_(ids)))
        for _line, _code, s in parsed:
            session.add(
                DutyShift(
                    technician_id=s.technician_id,
                    weekday=s.weekday,
                    on_date=s.on,
                    start_minute=s.start,
                    end_minute=s.end,
                    off=s.off,
                    duty=s.duty,
                )
            )
    return len(parsed)


def _line_number(message: str) -> tuple[int, str]:
    head = message.split(":", 1)[0]
    digits = head.removeprefix("line ")
    return (int(digits) if digits.isdigit() else 0, message)


async def import_absences(db: Database, path: Path, today: date) -> int:
    """Add absences: ``technician,kind,from,to[,note]`` (kind vacation, sick or day_off)."""
    rows = read_csv(path, ("technician", "kind", "from", "to"))
    errors: list[str] = []
    async with db.reading() as session:
        technicians = await _technicians(session)
    parsed: list[Absence] = []
    for line, row in rows:
        code = row["technician"]
        if code not in technicians:
            errors.append(f"line {line}: {code!r} is not a technician")
        kind = row["kind"].lower()
        if kind not in ABSENCE_KINDS:
            errors.append(f"line {line}: kind must be {', '.join(ABSENCE_KINDS)}, got {kind!r}")
        try:
            first = date.fromisoformat(row["from"])
            last = date.fromisoformat(row["to"] or row["from"])
        except ValueError:
            errors.append(f"line {line}: from and to must be dates YYYY-MM-DD")
            continue
        if last < first:
            errors.append(f"line {line}: the absence ends before it starts")
        elif last < today:
            errors.append(f"line {line}: the absence is in the past ({last.isoformat()})")
        if code in technicians:
            parsed.append(
                Absence(
                    technician_id=technicians[code].id,
                    kind=kind,
                    first_day=first,
                    last_day=last,
                    note=row.get("note", ""),
                )
            )
    if errors:
        raise ImportProblem(errors)
    async with db.transaction() as session:
        for absence in parsed:
            same = await session.scalar(
                select(Absence.id).where(
                    Absence.technician_id == absence.technician_id,
                    Absence.first_day == absence.first_day,
                    Absence.last_day == absence.last_day,
                )
            )
            if same is None:
                session.add(absence)
    return len(parsed)


async def list_roster(db: Database) -> list[str]:
    """The matrix, shifts and absences as text lines."""
    async with db.reading() as session:
        people = {p.id: p for p in await session.scalars(select(Person))}
        buildings = {b.id: b.code for b in await session.scalars(select(Building))}
        lines = ["# matrix: building category technicians"]
        matrix = await session.scalars(
            select(ResponsibilityRow).order_by(
                ResponsibilityRow.building_id,
                ResponsibilityRow.category,
                ResponsibilityRow.position,
            )
        )
        for r in matrix:
            building = buildings.get(r.building_id, "*") if r.building_id else "*"
            lines.append(
                f"{building}\t{r.category}\t{r.position + 1}. {people[r.technician_id].code}"
            )
        lines.append("# shifts: technician day start-end kind")
        days = list(_WEEKDAYS)[:7]
        for s in await session.scalars(select(DutyShift).order_by(DutyShift.technician_id)):
            day = s.on_date.isoformat() if s.on_date else days[s.weekday or 0]
            kind = "off" if s.off else "duty" if s.duty else "work"
            lines.append(
                f"{people[s.technician_id].code}\t{day}\t"
                f"{s.start_minute // 60:02d}:{s.start_minute % 60:02d}-"
                f"{s.end_minute // 60:02d}:{s.end_minute % 60:02d}\t{kind}"
            )
        lines.append("# absences: technician kind from to")
        for a in await session.scalars(select(Absence).order_by(Absence.first_day)):
            lines.append(
                f"{people[a.technician_id].code}\t{a.kind}\t{a.first_day}\t{a.last_day}\t{a.note}"
            )
        return lines
