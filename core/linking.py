"""Linking messengers: one person, several identities, joined by one-time codes.

A person asks for a code in one messenger and sends it from another; the second
identity (and whatever its person had filed) then belongs to the first person.
Linking never grants rights: an identity of a staff member is never moved by a code,
and a staff member takes over only an identity whose person has filed nothing, so no
resident's requests end up under a staff account.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.model import Role
from core.storage.tables import (
    DuplicateOffer,
    Identity,
    Incident,
    IncidentReporter,
    LinkCode,
    Person,
    Request,
    RequestEvent,
    RequestReporter,
)

#: Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: 31**8, about 8.5e11 codes, against at most a handful alive at a time.
CODE_LENGTH = 8
CODE_TTL = timedelta(minutes=10)
#: Wrong codes an identity may send before it has to wait.
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
#: The start payload of a deep link that carries a code.
PAYLOAD_PREFIX = "lnk-"

#: Cyrillic letters that look like Latin ones, typed with the other keyboard layout.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_STAFF = frozenset({Role.TECHNICIAN.value, Role.DISPATCHER.value, Role.ADMIN.value})


class Linked(enum.Enum):
    LINKED = "linked"
    ALREADY = "already"
    BAD_CODE = "bad_code"
    LOCKED = "locked"
    #: The identity belongs to a staff member: moving it would take or give rights.
    STAFF_IDENTITY = "staff_identity"
    #: A staff member's code, sent from an identity whose person has filed requests.
    HAS_REQUESTS = "has_requests"


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    result: Linked
    #: The person the identity belongs to now (when linked or already linked).
    person: Person | None = None
    #: Until when this identity's codes are refused (when locked).
    until: datetime | None = None


def normalize(raw: str) -> str | None:
    """The code a person typed, as issued, or None when it cannot be one."""
    code = raw.strip().upper().translate(_LOOKALIKES).replace("-", "").replace(" ", "")
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def shown(code: str) -> str:
    """A code as people read it: two groups of four."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def issue_code(session: AsyncSession, person: Person, now: datetime) -> tuple[str, datetime]:
    """A new code for ``person`` (their earlier one stops working); returns it and its
    expiry.  Expired codes of anyone are cleared at the same time."""
    await session.execute(
        delete(LinkCode).where(or_(LinkCode.person_id == person.id, LinkCode.expires_at <= now))
    )
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + CODE_TTL
    session.add(
        LinkCode(code_hash=_hash(code), person_id=person.id, expires_at=expires, created_at=now)
    )
    return code, expires


async def redeem(session: AsyncSession, identity: Identity, raw: str, now: datetime) -> LinkOutcome:
    """Link ``identity`` to the person whose code ``raw`` is, if the rules allow it."""
    if identity.link_blocked_until is not None and identity.link_blocked_until > now:
        return LinkOutcome(Linked.LOCKED, until=identity.link_blocked_until)
    code = normalize(raw)
    row = None
    if code is not None:
        row = await session.scalar(select(LinkCode).where(LinkCode.code_hash == _hash(code)))
    if row is None or row.used_at is not None or row.expires_at <= now:
        # None on an identity enrolled in this very turn (the default comes at insert).
        identity.link_failures = (identity.link_failures or 0) + 1
        if identity.link_failures < MAX_FAILURES:
            return LinkOutcome(Linked.BAD_CODE)
        identity.link_failures = 0
        identity.link_blocked_until = now + LOCKOUT
        return LinkOutcome(Linked.LOCKED, until=identity.link_blocked_until)
    identity.link_failures = 0
    target = await session.get(Person, row.person_id)
    source = await session.get(Person, identity.person_id)
    assert target is not None and source is not None, "foreign keys keep both"
    if source.id == target.id:
        return LinkOutcome(Linked.ALREADY, target)
    if source.role in _STAFF:
        return LinkOutcome(Linked.STAFF_IDENTITY)
    if target.role in _STAFF and await _has_filed(session, source):
        return LinkOutcome(Linked.HAS_REQUESTS)
    # Claimed by a conditional update: of two identities sending it at once, one links.
    claimed = await session.scalar(
        update(LinkCode)
        .where(LinkCode.id == row.id, LinkCode.used_at.is_(None))
        .values(used_at=now)
        .returning(LinkCode.id)
    )
    if claimed is None:
        return LinkOutcome(Linked.BAD_CODE)
    await _merge(session, source, target)
    return LinkOutcome(Linked.LINKED, target)


async def _has_filed(session: AsyncSession, person: Person) -> bool:
    filed = await session.scalar(
        select(RequestReporter.request_id).where(RequestReporter.person_id == person.id).limit(1)
    )
    asked = await session.scalar(
        select(IncidentReporter.incident_id).where(IncidentReporter.person_id == person.id).limit(1)
    )
    return filed is not None or asked is not None


async def _merge(session: AsyncSession, source: Person, target: Person) -> None:
    """Move everything of resident ``source`` to ``target`` and delete ``source``: its
    identities, its requests (as author and reporter) and their history, its questions
    about incidents, its answers to duplicate offers.  What ``target`` has not filled in
    (phone, home) is taken over."""
    for identity in await session.scalars(select(Identity).where(Identity.person_id == source.id)):
        identity.person_id = target.id
    await _move_links(session, RequestReporter, RequestReporter.request_id, source, target)
    await _move_links(session, IncidentReporter, IncidentReporter.incident_id, source, target)
    moves = (
        update(Request).where(Request.reporter_id == source.id).values(reporter_id=target.id),
        update(RequestEvent).where(RequestEvent.person_id == source.id).values(person_id=target.id),
        update(DuplicateOffer)
        .where(DuplicateOffer.person_id == source.id)
        .values(person_id=target.id),
        update(Incident).where(Incident.created_by == source.id).values(created_by=target.id),
    )
    for move in moves:
        await session.execute(move.execution_options(synchronize_session="fetch"))
    if not target.phone:
        target.phone = source.phone
    if target.home_building_id is None:
        target.home_building_id = source.home_building_id
        target.home_location = source.home_location
    await session.flush()
    await session.delete(source)


async def _move_links(
    session: AsyncSession,
    table: type[RequestReporter] | type[IncidentReporter],
    parent: InstrumentedAttribute[int],
    source: Person,
    target: Person,
) -> None:
    """Reporter rows of ``source`` become ``target``'s, once per request or incident."""
    mine = select(parent).where(table.person_id == target.id).scalar_subquery()
    await session.execute(
        delete(table)
        .where(table.person_id == source.id, parent.in_(mine))
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(
        update(table)
        .where(table.person_id == source.id)
        .values(person_id=target.id)
        .execution_options(synchronize_session="fetch")
    )


async def unlink(session: AsyncSession, identity: Identity, now: datetime) -> Person | None:
    """Detach ``identity`` from its person as a new resident with nothing filed; None
    when it is the person's only identity.  The person keeps their requests."""
    person = await session.get(Person, identity.person_id)
    assert person is not None, "foreign keys keep it"
    others = list(
        await session.scalars(
            select(Identity).where(Identity.person_id == person.id, Identity.id != identity.id)
        )
    )
    if not others:
        return None
    fresh = Person(
        name=identity.display_name or person.name,
        role=Role.RESIDENT.value,
        language=person.language,
        created_at=now,
    )
    session.add(fresh)
    await session.flush()
    identity.person_id = fresh.id
    if person.notify_channel and all(i.channel != person.notify_channel for i in others):
        person.notify_channel = ""
    return fresh


def notice_order(identities: Sequence[Identity], preferred_channel: str = "") -> list[Identity]:
    """Where a person's notices may go, best first: the reachable identities, those on
    the channel they chose (if any) ahead, the most recently used first within each.
    Delivery takes the first; the rest are the fallbacks, in order."""
    reachable = sorted(
        (i for i in identities if not i.unreachable),
        key=lambda i: (i.last_seen_at, i.id),
        reverse=True,
    )
    if not preferred_channel:
        return reachable
    return sorted(reachable, key=lambda i: i.channel != preferred_channel)
