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
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.dialogue import token_hash
from core.model import Category, Location, Role
from core.storage.database import Database
from core.storage.tables import (
    Building,
    GroupBinding,
    Identity,
    Invite,
    Person,
    Request,
)


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
    web_id: str


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
                row.get("web_id", ""),
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
            if staff.web_id:
                await _bind_identity(session, person, "web", staff.web_id, now)
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
