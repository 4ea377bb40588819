"""Console accounts: invites, argon2 passwords, TOTP, server-side sessions, throttling.

Only hashes of tokens are stored (the same ``token_hash`` as the messengers' invites);
the cookie holds the raw session token, and every form carries a CSRF token derived
from it, so a page of another site cannot post in the user's name.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogue import token_hash
from core.model import Role
from core.storage.database import Database
from core.storage.tables import (
    Building,
    ConsoleAccount,
    ConsoleRolePolicy,
    ConsoleSession,
    ConsoleThrottle,
    Invite,
    Person,
)

DISPATCHER, ADMIN, OBSERVER = "dispatcher", "admin", "observer"
ROLES = (DISPATCHER, ADMIN, OBSERVER)
#: Roles that act on requests (an observer only looks).
ACTING = frozenset({DISPATCHER, ADMIN})
MIN_PASSWORD = 10
MAX_PASSWORD = 200
#: Failed sign-ins allowed per login name / per client address within ``WINDOW``
#: before that name or address is refused for ``LOCKOUT``.
LOGIN_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
INVITE_DAYS = 7
#: How often a session's last activity is written.
SEEN_EVERY = timedelta(minutes=1)

_hasher = PasswordHasher()


class AccountProblem(Exception):
    """An invite could not be made: the message says why (for the command line)."""


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow: off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


@functools.cache
def _no_account() -> str:
    """Checked when there is no account (or no password yet), so an unknown login takes
    as long to refuse as a wrong password and does not give itself away."""
    return _hasher.hash(secrets.token_urlsafe(16))


async def password_matches(stored: str, password: str) -> bool:
    try:
        matched = await asyncio.to_thread(_hasher.verify, stored or _no_account(), password)
        return matched and bool(stored)
    except (VerificationError, InvalidHashError):
        return False


def totp_ok(secret: str, code: str, now: datetime) -> bool:
    """A six-digit code of ``secret`` for ``now``, one step of clock drift allowed."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return False
    return pyotp.TOTP(secret).verify(code, for_time=now, valid_window=1)


def csrf_token(secret: bytes, cookie_token: str) -> str:
    return hmac.new(secret, f"csrf:{cookie_token}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, cookie_token: str, given: str) -> bool:
    return bool(cookie_token) and hmac.compare_digest(
        csrf_token(secret, cookie_token).encode(), given.encode()
    )


async def create_invite(
    db: Database,
    now: datetime,
    *,
    staff: str | None = None,
    observer: str | None = None,
    name: str = "",
    buildings: list[str] | None = None,
    days: int = INVITE_DAYS,
) -> str:
    """A one-time link token that sets the password of a console account (made now for
    an observer, or for the staff member with code ``staff``); a new invite replaces
    the account's earlier one."""
    token = secrets.token_urlsafe(24)
    async with db.transaction() as session:
        if staff is not None:
            person = await session.scalar(select(Person).where(Person.code == staff))
            if person is None or person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
                raise AccountProblem(f"no dispatcher or admin with code {staff!r}")
            login, role, display, person_id, building_ids = (
                staff,
                person.role,
                person.name,
                person.id,
                [],
            )
        else:
            if not observer or len(observer) > 64 or not observer.replace("-", "").isalnum():
                raise AccountProblem("an observer's login is 1-64 letters, digits or -")
            codes = buildings or []
            found = {
                b.code: b.id
                for b in await session.scalars(select(Building).where(Building.code.in_(codes)))
            }
            unknown = [c for c in codes if c not in found]
            if unknown or not codes:
                raise AccountProblem(f"name the observer's buildings (unknown: {unknown})")
            login, role, display, person_id = observer, OBSERVER, name or observer, None
            building_ids = [found[c] for c in codes]
        invite = Invite(
            token_hash=token_hash(token),
            purpose="console",
            person_id=person_id,
            expires_at=now + timedelta(days=days),
            created_at=now,
        )
        session.add(invite)
        await session.flush()
        account = await session.scalar(select(ConsoleAccount).where(ConsoleAccount.login == login))
        if account is None:
            account = ConsoleAccount(login=login, created_at=now, buildings=[])
            session.add(account)
        account.name, account.role, account.person_id = display, role, person_id
        if role == OBSERVER:
            account.buildings = building_ids
        account.invite_id = invite.id
        account.active = True
    return token


async def invited_account(
    session: AsyncSession, token: str, now: datetime
) -> ConsoleAccount | None:
    """The account a still valid console invite is for."""
    invite = await session.scalar(
        select(Invite).where(Invite.token_hash == token_hash(token), Invite.purpose == "console")
    )
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    return await session.scalar(select(ConsoleAccount).where(ConsoleAccount.invite_id == invite.id))


async def set_password(db: Database, token: str, password: str, now: datetime) -> bool:
    """Use the invite: the password is set and every earlier session of the account ends."""
    digest = await hash_password(password)
    async with db.transaction() as session:
        account = await invited_account(session, token, now)
        if account is None:
            return False
        invite = await session.get(Invite, account.invite_id)
        assert invite is not None
        invite.used_at = now
        account.password_hash = digest
        account.invite_id = None
        await _revoke_all(session, account.id, now)
    return True


# -- throttling ----------------------------------------------------------------


def throttle_keys(login: str, address: str) -> dict[str, int]:
    """The counters a sign-in touches, with the failures each allows."""
    return {f"login:{login.lower()[:64]}": LOGIN_FAILURES, f"addr:{address[:64]}": ADDRESS_FAILURES}


async def blocked_for(session: AsyncSession, keys: dict[str, int], now: datetime) -> timedelta:
    rows = await session.scalars(select(ConsoleThrottle).where(ConsoleThrottle.key.in_(keys)))
    left = [r.blocked_until - now for r in rows if r.blocked_until and r.blocked_until > now]
    return max(left, default=timedelta(0))


async def record_failure(session: AsyncSession, keys: dict[str, int], now: datetime) -> None:
    for key, allowed in keys.items():
        row = await session.get(ConsoleThrottle, key, with_for_update=True)
        if row is None:
            row = ConsoleThrottle(key=key, failures=0, window_start=now)
            session.add(row)
        if now - row.window_start > WINDOW:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= allowed:
            row.blocked_until = now + LOCKOUT
            row.failures, row.window_start = 0, now


async def clear_failures(session: AsyncSession, login: str) -> None:
    row = await session.get(ConsoleThrottle, f"login:{login.lower()[:64]}")
    if row is not None:
        row.failures = 0


# -- sessions ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visitor:
    """The signed-in account of a request, as the pages need it."""

    session_id: int
    token: str
    account_id: int
    login: str
    name: str
    role: str
    person_id: int | None
    #: For an observer the buildings it may see; None: every building.
    buildings: tuple[int, ...] | None
    complete: bool

    @property
    def acts(self) -> bool:
        return self.role in ACTING


async def start_session(
    session: AsyncSession,
    account: ConsoleAccount,
    now: datetime,
    hours: int,
    *,
    complete: bool,
    address: str,
) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=token_hash(token),
            account_id=account.id,
            complete=complete,
            address=address[:64],
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token


async def visitor(db: Database, token: str, now: datetime) -> Visitor | None:
    """The account signed in with ``token``, if that session is still valid."""
    if not token or len(token) > 100:
        return None
    async with db.reading() as session:
        found = (
            await session.execute(
                select(ConsoleSession, ConsoleAccount)
                .join(ConsoleAccount, ConsoleAccount.id == ConsoleSession.account_id)
                .where(ConsoleSession.token_hash == token_hash(token))
            )
        ).first()
    if found is None:
        return None
    row, account = found
    if row.revoked_at is not None or row.expires_at <= now or not account.active:
        return None
    if now - row.last_seen_at > SEEN_EVERY:
        # Written at most once a minute: a page view must not take the write lock.
        async with db.transaction() as session:
            await session.execute(
                update(ConsoleSession).where(ConsoleSession.id == row.id).values(last_seen_at=now)
            )
    return Visitor(
        row.id,
        token,
        account.id,
        account.login,
        account.name,
        account.role,
        account.person_id,
        tuple(account.buildings) if account.role == OBSERVER else None,
        row.complete,
    )


async def _revoke_all(session: AsyncSession, account_id: int, now: datetime) -> None:
    await session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.account_id == account_id, ConsoleSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke(
    db: Database, now: datetime, *, session_id: int | None = None, account_id: int | None = None
) -> None:
    """End one session, or every session of an account."""
    async with db.transaction() as session:
        if account_id is not None:
            await _revoke_all(session, account_id, now)
        if session_id is not None:
            await session.execute(
                update(ConsoleSession).where(ConsoleSession.id == session_id).values(revoked_at=now)
            )


async def revoke_login(db: Database, login: str, now: datetime) -> bool:
    async with db.transaction() as session:
        account = await session.scalar(select(ConsoleAccount).where(ConsoleAccount.login == login))
        if account is None:
            return False
        await _revoke_all(session, account.id, now)
        return True


async def totp_required(session: AsyncSession, role: str) -> bool:
    policy = await session.get(ConsoleRolePolicy, role)
    return policy is not None and policy.totp_required
