"""Administration: CSV imports, invites, group binding, listings, training and pair exports.

Imports validate every row first and write in one transaction, so a bad file
changes nothing; errors name the file's line numbers.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.registry import plugins
from bot import texts
from bot.dialogue import token_hash
from core import assignment, offers
from core.model import Category, EmergencyClaim, Location, Role
from core.storage.database import Database
from core.storage.tables import (
    Absence,
    Building,
    DutyShift,
    EscalationStep,
    GroupBinding,
    Identity,
    Invite,
    Person,
    Request,
)
from core.storage.tables import Responsibility as ResponsibilityRow
from core.text_safety import text_problem


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a file cannot be imported: a text key of ``bot.texts`` and its values.

    ``line`` is the file's line (0 for the file as a whole), so both the command line
    and the console can say it, each in its own language.
    """

    line: int
    key: str
    values: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return texts.t(lang, self.key, **self.values)

    def text(self, lang: str, source: str) -> str:
        if self.line:
            return texts.t(lang, "imp_line", line=self.line, message=self.message(lang))
        return f"{source}: {self.message(lang)}"


class ImportProblem(Exception):
    """A CSV file could not be imported; ``errors`` lists "line N: ..." messages (English,
    for the command line) and ``problems`` the same reasons for any language."""

    def __init__(self, errors: list[str], problems: Sequence[Problem] = ()) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
        self.problems = tuple(problems)

    @classmethod
    def of(cls, problems: Sequence[Problem], source: str) -> ImportProblem:
        return cls([p.text("en", source) for p in problems], problems)


@dataclass(frozen=True, slots=True)
class Upload:
    """A CSV file's bytes as they came (from a browser), with the name it came under."""

    name: str
    data: bytes


#: A sheet's rows as read: (line of the file, cells by column).
Rows = list[tuple[int, dict[str, str]]]
#: Cells a spreadsheet would run as a formula start with one of these.
FORMULA_STARTS = ("=", "+", "-", "@")


def _formula_like(value: str) -> bool:
    return value.lstrip("'")[:1] in FORMULA_STARTS


def escape_cell(value: object) -> object:
    """``value`` as a spreadsheet shows it as text: a ``'`` before anything it would run
    as a formula (and before a text that is already so escaped, so that
    :func:`unescape_cell` gives back exactly what was stored)."""
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    return value[1:] if value[:1] == "'" and _formula_like(value) else value


def read_csv(source: Path | Upload, required: Iterable[str]) -> Rows:
    """The rows of a CSV file (UTF-8, with or without a byte order mark) having the
    ``required`` columns; raises :class:`ImportProblem` for an unreadable file."""
    if isinstance(source, Upload):
        name, data = source.name, source.data
    else:
        name = str(source)
        try:
            data = source.read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ImportProblem.of([Problem(0, "imp_no_file")], name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem.of([Problem(0, "imp_not_utf8")], name) from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        columns = reader.fieldnames or []
        missing = [c for c in required if c not in columns]
        if missing:
            problem = Problem(0, "imp_missing_columns", {"columns": ", ".join(missing)})
            raise ImportProblem.of([problem], name)
        rows = []
        for row in reader:
            # reader.line_num is the line the row ended on; quoted newlines push it down.
            inner = sum(v.count("\n") for v in row.values() if isinstance(v, str))
            rows.append(
                (
                    reader.line_num - inner,
                    {k: unescape_cell((v or "").strip()) for k, v in row.items() if k},
                )
            )
    except csv.Error as exc:
        problem = Problem(reader.line_num, "imp_bad_csv", {"reason": str(exc)})
        raise ImportProblem.of([problem], name) from None
    if not rows:
        raise ImportProblem.of([Problem(0, "imp_no_rows")], name)
    return rows


def _source(source: Path | Upload) -> str:
    return source.name if isinstance(source, Upload) else str(source)


def _int(row: dict[str, str], name: str, line: int, errors: list[Problem], low: int = 0) -> int:
    value = row.get(name, "")
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= 100_000:
        errors.append(Problem(line, "imp_whole", {"name": name, "low": low, "value": repr(value)}))
        return 0
    return int(value)


def _text_ok(value: str, longest: int) -> bool:
    return len(value) <= longest and text_problem(value) is None


BUILDING_COLUMNS = (
    "code",
    "address",
    "city",
    "complex",
    "entrances",
    "floors",
    "apartments",
    "aliases",
)


async def import_buildings(db: Database, source: Path | Upload) -> int:
    rows = read_csv(source, ("code", "address", "entrances", "floors", "apartments"))
    errors: list[Problem] = []
    seen: set[str] = set()
    parsed = []
    for line, row in rows:
        code = row["code"]
        if not code or len(code) > 32 or not code.replace("_", "").replace("-", "").isalnum():
            errors.append(Problem(line, "imp_building_code"))
        if code in seen:
            errors.append(Problem(line, "imp_duplicate_code", {"code": repr(code)}))
        seen.add(code)
        if not row["address"] or not _text_ok(row["address"], 200):
            errors.append(Problem(line, "imp_address"))
        for name in ("city", "complex"):
            if not _text_ok(row.get(name, ""), 100):
                errors.append(Problem(line, "imp_too_long", {"name": name, "n": 100}))
        if not _text_ok(row.get("aliases", ""), 2000):
            errors.append(Problem(line, "imp_too_long", {"name": "aliases", "n": 2000}))
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
        raise ImportProblem.of(errors, _source(source))
    async with db.transaction() as session:
        for new in parsed:
            old = await session.scalar(select(Building).where(Building.code == new.code))
            if old is None:
                session.add(new)
            else:
                for name in BUILDING_COLUMNS[1:]:
                    setattr(old, name, getattr(new, name))
    return len(parsed)


#: The ``active`` column's values; empty keeps what is stored (active for someone new).
_ACTIVE: dict[str, bool | None] = {"": None, "1": True, "0": False}


@dataclass(slots=True)
class StaffRow:
    code: str
    name: str
    role: Role
    trade: str
    phone: str
    #: Messenger accounts by channel, from the ``<channel>_id`` columns (``web_id``...).
    identities: dict[str, str]
    #: From the optional ``active`` column (1 or 0); None leaves a stored person as is.
    active: bool | None = None


def staff_columns() -> tuple[str, ...]:
    """The columns of a staff file: one ``<channel>_id`` for every registered channel."""
    channels = tuple(f"{name}_id" for name in plugins())
    return ("code", "name", "role", "trade", "phone", *channels, "active")


async def import_staff(db: Database, source: Path | Upload, now: datetime) -> int:
    rows = read_csv(source, ("code", "name", "role"))
    errors: list[Problem] = []
    parsed: list[StaffRow] = []
    seen: set[str] = set()
    for line, row in rows:
        code = row["code"]
        if not code or not _text_ok(code, 32):
            errors.append(Problem(line, "imp_staff_code"))
        if code in seen:
            errors.append(Problem(line, "imp_duplicate_code", {"code": repr(code)}))
        seen.add(code)
        try:
            role = Role(row["role"])
        except ValueError:
            errors.append(Problem(line, "imp_role"))
            continue
        if role is Role.RESIDENT:
            errors.append(Problem(line, "imp_resident"))
        if not row["name"] or not _text_ok(row["name"], 200):
            errors.append(Problem(line, "imp_name"))
        for name, longest in (("trade", 100), ("phone", 32)):
            if not _text_ok(row.get(name, ""), longest):
                errors.append(Problem(line, "imp_too_long", {"name": name, "n": longest}))
        identities = {name: row[f"{name}_id"] for name in plugins() if row.get(f"{name}_id")}
        for name, external_id in identities.items():
            if not _text_ok(external_id, 64):
                errors.append(Problem(line, "imp_too_long", {"name": f"{name}_id", "n": 64}))
        raw_active = row.get("active", "")
        if raw_active not in _ACTIVE:
            errors.append(Problem(line, "imp_active", {"value": repr(raw_active)}))
        parsed.append(
            StaffRow(
                code,
                row["name"],
                role,
                row.get("trade", ""),
                row.get("phone", ""),
                identities,
                _ACTIVE.get(raw_active),
            )
        )
    if errors:
        raise ImportProblem.of(errors, _source(source))
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
            if staff.active is not None:
                person.active = staff.active
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


class ExportProblem(Exception):
    """An export file that cannot be written: the message names the file and why."""


def _write_csv(
    out: Path, header: Sequence[str], rows: Iterable[Sequence[str]], note: str = ""
) -> None:
    """Write ``rows`` under ``header`` (and a leading ``# note`` line), or say why not."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as handle:
            if note:
                handle.write(f"# {note}\n")
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        raise ExportProblem(f"cannot write {out}: {exc.strerror or exc}") from exc


async def export_training(db: Database, out: Path) -> int:
    """Write confirmed or corrected requests as a training file for `classifiers train`.

    An emergency only the resident called stays out until a dispatcher has set its
    urgency: a claim nobody checked is no label (neither an emergency nor not one)."""
    async with db.reading() as session:
        rows = await session.scalars(
            select(Request)
            .where(
                Request.label_confirmed.is_(True),
                Request.emergency_claim != EmergencyClaim.RESIDENT.value,
            )
            .order_by(Request.id)
        )
        records = [
            (r.description, r.category, "1" if r.urgency == "emergency" else "0")
            for r in rows
            if r.category in {c.value for c in Category}
        ]
    _write_csv(out, ("text", "category", "emergency"), records)
    return len(records)


#: The columns of ``data/eval/duplicate_pairs.csv``, which ``benchmarks/duplicates_bench.py``
#: scores.
PAIR_COLUMNS = ("category", "new_location", "new_text", "open_location", "open_text", "same")
PAIR_NOTE = (
    "residents' answers to duplicate offers: pairs of a resident's message and the open "
    "request of the same building and type they were offered; same=1: they joined it and "
    "no dispatcher split them off it later, or they declined it and a dispatcher merged "
    "the request they filed instead into it; same=0: a dispatcher split them off (not the "
    "same), or they declined and filed their own request that stayed apart (a resident "
    "may decline a true duplicate)."
)


async def export_duplicate_pairs(db: Database, out: Path) -> int:
    """Write the residents' answers to duplicate offers as labelled pairs, for
    `benchmarks/duplicates_bench.py --data`."""
    async with db.reading() as session:
        pairs = await offers.labelled_pairs(session)
    records = [
        (
            p.category,
            p.new_location,
            p.new_text,
            p.open_location,
            p.open_text,
            "1" if p.same else "0",
        )
        for p in pairs
    ]
    _write_csv(out, PAIR_COLUMNS, records, note=PAIR_NOTE)
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


MATRIX_COLUMNS = ("building", "category", "technicians")


async def import_matrix(db: Database, source: Path | Upload) -> int:
    """Replace the responsibility matrix: ``building,category,technicians``.

    ``building`` is a building code or ``*`` (every building), ``category`` a
    category slug or ``*``, ``technicians`` staff codes separated by ``;`` in order
    of preference.
    """
    rows = read_csv(source, MATRIX_COLUMNS)
    errors: list[Problem] = []
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
            errors.append(Problem(line, "imp_unknown_building", {"code": repr(building)}))
        if category != "*" and category not in categories:
            errors.append(
                Problem(
                    line,
                    "imp_unknown_category",
                    {"category": repr(category), "known": ", ".join(sorted(categories))},
                )
            )
        if not codes:
            errors.append(Problem(line, "imp_no_technician"))
        for code in codes:
            if code not in technicians:
                errors.append(Problem(line, "imp_not_technician", {"code": repr(code)}))
        if len(set(codes)) != len(codes):
            errors.append(Problem(line, "imp_technician_twice"))
        if (building, category) in seen:
            errors.append(
                Problem(line, "imp_given_above", {"building": building, "category": category})
            )
        seen.add((building, category))
        parsed.append((building, category, codes, line))
    if errors:
        raise ImportProblem.of(errors, _source(source))
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


def _parse_day(raw: str, line: int, errors: list[Problem]) -> tuple[int | None, date | None]:
    low = raw.strip().lower()
    if low in _WEEKDAYS:
        return _WEEKDAYS[low], None
    try:
        return None, date.fromisoformat(low)
    except ValueError:
        errors.append(Problem(line, "imp_day", {"value": repr(raw)}))
        return None, None


SHIFT_COLUMNS = ("technician", "day", "start", "end", "kind")


async def import_shifts(db: Database, source: Path | Upload, today: date) -> int:
    """Replace the shifts of the technicians named in the file.

    ``technician,day,start,end,kind``: ``day`` is mon..sun (the weekly pattern) or a
    date (an override for that date); ``kind`` is ``work`` (default), ``duty``
    (on call: takes any emergency) or ``off`` (a dated day without work).
    """
    rows = read_csv(source, SHIFT_COLUMNS[:4])
    errors: list[Problem] = []
    async with db.reading() as session:
        technicians = await _technicians(session)
    parsed: list[tuple[int, str, assignment.Shift]] = []
    for line, row in rows:
        code = row["technician"]
        if code not in technicians:
            errors.append(Problem(line, "imp_not_technician", {"code": repr(code)}))
            continue
        kind = (row.get("kind") or "work").lower()
        if kind not in ("work", "duty", "off"):
            errors.append(Problem(line, "imp_shift_kind", {"kind": repr(kind)}))
            continue
        weekday, on = _parse_day(row["day"], line, errors)
        if weekday is None and on is None:
            continue
        if on is not None and on < today:
            errors.append(Problem(line, "imp_date_past", {"date": on.isoformat()}))
        if kind == "off":
            if on is None:
                errors.append(Problem(line, "imp_off_needs_date"))
            start = end = 0
        else:
            minutes = []
            for name in ("start", "end"):
                try:
                    minutes.append(assignment.parse_minute(row[name]))
                except ValueError:
                    errors.append(Problem(line, "imp_time", {"value": repr(row[name].strip())}))
            if len(minutes) < 2:
                continue
            start, end = minutes
        shift = assignment.Shift(
            technicians[code].id, start, end, weekday, on, kind == "off", kind == "duty"
        )
        parsed.append((line, code, shift))
    for line, other in assignment.shift_problems([(line, s) for line, _code, s in parsed]):
        if other is None:
            errors.append(Problem(line, "imp_shift_backwards"))
        else:
            errors.append(Problem(line, "imp_shift_overlap", {"other": other}))
    if errors:
        unique = {(p.line, p.key, tuple(p.values.items())): p for p in errors}
        ordered = sorted(unique.values(), key=lambda p: (p.line, p.text("en", "")))
        raise ImportProblem.of(ordered, _source(source))
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


ABSENCE_COLUMNS = ("technician", "kind", "from", "to", "note")


async def import_absences(db: Database, source: Path | Upload, today: date) -> int:
    """Add absences: ``technician,kind,from,to[,note]`` (kind vacation, sick or day_off);
    a technician's absence over the same days gets the file's kind and note."""
    rows = read_csv(source, ABSENCE_COLUMNS[:4])
    errors: list[Problem] = []
    async with db.reading() as session:
        technicians = await _technicians(session)
    parsed: list[Absence] = []
    for line, row in rows:
        code = row["technician"]
        if code not in technicians:
            errors.append(Problem(line, "imp_not_technician", {"code": repr(code)}))
        kind = row["kind"].lower()
        if kind not in ABSENCE_KINDS:
            errors.append(
                Problem(
                    line,
                    "imp_absence_kind",
                    {"kinds": ", ".join(ABSENCE_KINDS), "kind": repr(kind)},
                )
            )
        if not _text_ok(row.get("note", ""), 200):
            errors.append(Problem(line, "imp_too_long", {"name": "note", "n": 200}))
        try:
            first = date.fromisoformat(row["from"])
            last = date.fromisoformat(row["to"] or row["from"])
        except ValueError:
            errors.append(Problem(line, "imp_dates"))
            continue
        if last < first:
            errors.append(Problem(line, "imp_absence_backwards"))
        elif last < today:
            errors.append(Problem(line, "imp_absence_past", {"date": last.isoformat()}))
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
        raise ImportProblem.of(errors, _source(source))
    async with db.transaction() as session:
        for absence in parsed:
            same = await session.scalar(
                select(Absence).where(
                    Absence.technician_id == absence.technician_id,
                    Absence.first_day == absence.first_day,
                    Absence.last_day == absence.last_day,
                )
            )
            if same is None:
                session.add(absence)
            else:
                same.kind, same.note = absence.kind, absence.note
    return len(parsed)


async def remove_absence(db: Database, technician: str, first: str, last: str) -> int:
    """Delete the absence of the technician with that code over exactly these days; the
    number deleted (0 for days that are not dates)."""
    try:
        days = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return 0
    async with db.transaction() as session:
        found = await session.scalars(
            select(Absence)
            .join(Person, Person.id == Absence.technician_id)
            .where(Person.code == technician, Absence.first_day == days[0])
            .where(Absence.last_day == days[1])
        )
        gone = list(found)
        for absence in gone:
            await session.delete(absence)
    return len(gone)


async def clear_matrix(db: Database) -> None:
    """Empty the responsibility matrix (every job then waits for a dispatcher)."""
    async with db.transaction() as session:
        await session.execute(delete(ResponsibilityRow))


async def clear_shifts(db: Database, technician: str) -> None:
    """Delete every shift of the technician with that code."""
    async with db.transaction() as session:
        ids = select(Person.id).where(Person.code == technician).scalar_subquery()
        await session.execute(delete(DutyShift).where(DutyShift.technician_id == ids))


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


# -- escalation ladders -----------------------------------------------------

#: The staff column's word for "whoever the duty roster has on call then".
ON_DUTY = "duty"
#: A ladder's steps come within a week of a job becoming late.
MAX_AFTER_MINUTES = 7 * 24 * 60


LADDER_COLUMNS = ("scope", "after_minutes", "title", "staff")


async def import_ladder(db: Database, source: Path | Upload) -> int:
    """Replace the escalation ladders: ``scope,after_minutes,title,staff``.

    ``scope`` is a building code, ``area:<complex>`` (every building of that complex) or
    ``*`` (every building); ``after_minutes`` how long after a job became late the step
    is told; ``title`` what the step is called (duty engineer, chief engineer...);
    ``staff`` a staff code, or ``duty`` for whoever is on call then.
    """
    rows = read_csv(source, LADDER_COLUMNS)
    errors: list[Problem] = []
    async with db.reading() as session:
        buildings = {b.code: b for b in await session.scalars(select(Building))}
        people = {
            p.code: p
            for p in await session.scalars(select(Person).where(Person.role != Role.RESIDENT.value))
            if p.code
        }
    areas = {b.complex for b in buildings.values() if b.complex}
    parsed: list[EscalationStep] = []
    seen: set[tuple[str, int]] = set()
    for line, row in rows:
        scope, raw_after = row["scope"].strip(), row["after_minutes"].strip()
        title, staff = row["title"].strip(), row["staff"].strip()
        building_id, area = None, ""
        if scope.startswith("area:"):
            area = scope.removeprefix("area:").strip()
            if area not in areas:
                errors.append(Problem(line, "imp_no_area", {"area": repr(area)}))
        elif scope != "*":
            if scope not in buildings:
                errors.append(Problem(line, "imp_unknown_building", {"code": repr(scope)}))
            else:
                building_id = buildings[scope].id
        if not raw_after.isdigit() or int(raw_after) > MAX_AFTER_MINUTES:
            errors.append(Problem(line, "imp_after", {"most": MAX_AFTER_MINUTES}))
            continue
        if not title or len(title) > 100 or text_problem(title):
            errors.append(Problem(line, "imp_step_title"))
        if staff != ON_DUTY and staff not in people:
            errors.append(
                Problem(line, "imp_not_staff", {"code": repr(staff), "duty": repr(ON_DUTY)})
            )
        if (scope, int(raw_after)) in seen:
            errors.append(
                Problem(line, "imp_step_twice", {"scope": scope, "after": int(raw_after)})
            )
        seen.add((scope, int(raw_after)))
        parsed.append(
            EscalationStep(
                building_id=building_id,
                area=area,
                after_minutes=int(raw_after),
                title=title,
                person_id=people[staff].id if staff in people else None,
            )
        )
    if errors:
        raise ImportProblem.of(errors, _source(source))
    async with db.transaction() as session:
        await session.execute(delete(EscalationStep))
        session.add_all(parsed)
    return len(parsed)


async def clear_ladder(db: Database) -> None:
    """Delete every escalation step."""
    async with db.transaction() as session:
        await session.execute(delete(EscalationStep))


# -- the stored settings in the columns their imports read -------------------

#: A sheet's rows as exported: cells by column, in the shape its import reads.
Sheet = list[dict[str, str]]


async def _staff_codes(session: AsyncSession) -> dict[int, str]:
    """Staff codes by person id (residents, who may be many, are left out)."""
    rows = await session.execute(
        select(Person.id, Person.code).where(Person.role != Role.RESIDENT.value)
    )
    return {person_id: code or "" for person_id, code in rows}


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


async def building_rows(db: Database) -> Sheet:
    async with db.reading() as session:
        rows = await session.scalars(select(Building).order_by(Building.code))
        return [{name: str(getattr(b, name)) for name in BUILDING_COLUMNS} for b in rows]


async def staff_rows(db: Database) -> Sheet:
    async with db.reading() as session:
        people = list(
            await session.scalars(
                select(Person).where(Person.role != Role.RESIDENT.value).order_by(Person.code)
            )
        )
        identities: dict[tuple[int, str], str] = {}
        bound = select(Identity).where(Identity.person_id.in_([p.id for p in people]))
        for i in await session.scalars(bound.order_by(Identity.id.desc())):
            identities[(i.person_id, i.channel)] = i.external_id  # the oldest stays
    return [
        {
            "code": p.code or "",
            "name": p.name,
            "role": p.role,
            "trade": p.trade,
            "phone": p.phone,
            **{f"{name}_id": identities.get((p.id, name), "") for name in plugins()},
            "active": "1" if p.active else "0",
        }
        for p in people
    ]


async def matrix_rows(db: Database) -> Sheet:
    async with db.reading() as session:
        codes = await _staff_codes(session)
        buildings = {b.id: b.code for b in await session.scalars(select(Building))}
        grouped: dict[tuple[str, str], list[str]] = {}
        for r in await session.scalars(
            select(ResponsibilityRow).order_by(ResponsibilityRow.position)
        ):
            building = buildings[r.building_id] if r.building_id else "*"
            grouped.setdefault((building, r.category), []).append(codes[r.technician_id])
    return [
        {"building": b, "category": c, "technicians": ";".join(t)}
        for (b, c), t in sorted(grouped.items())
    ]


async def shift_rows(db: Database) -> Sheet:
    days = list(_WEEKDAYS)[:7]
    async with db.reading() as session:
        codes = await _staff_codes(session)
        shifts = list(await session.scalars(select(DutyShift)))
    shifts.sort(
        key=lambda s: (
            codes[s.technician_id],
            s.on_date or date.min,
            s.weekday or 0,
            s.start_minute,
        )
    )
    return [
        {
            "technician": codes[s.technician_id],
            "day": s.on_date.isoformat() if s.on_date else days[s.weekday or 0],
            "start": "" if s.off else _hhmm(s.start_minute),
            "end": "" if s.off else _hhmm(s.end_minute),
            "kind": "off" if s.off else "duty" if s.duty else "work",
        }
        for s in shifts
    ]


async def absence_rows(db: Database) -> Sheet:
    async with db.reading() as session:
        codes = await _staff_codes(session)
        absences = await session.scalars(select(Absence).order_by(Absence.first_day, Absence.id))
        return [
            {
                "technician": codes[a.technician_id],
                "kind": a.kind,
                "from": a.first_day.isoformat(),
                "to": a.last_day.isoformat(),
                "note": a.note,
            }
            for a in absences
        ]


def _scope(step: EscalationStep, buildings: dict[int, str]) -> str:
    if step.building_id:
        return buildings[step.building_id]
    return f"area:{step.area}" if step.area else "*"


async def ladder_rows(db: Database) -> Sheet:
    async with db.reading() as session:
        codes = await _staff_codes(session)
        buildings = {b.id: b.code for b in await session.scalars(select(Building))}
        steps = await session.scalars(select(EscalationStep).order_by(EscalationStep.id))
        return [
            {
                "scope": _scope(s, buildings),
                "after_minutes": str(s.after_minutes),
                "title": s.title,
                "staff": codes[s.person_id] if s.person_id else ON_DUTY,
            }
            for s in steps
        ]
