"""What the morning digest adds for the shift: the requests that are late or nearly so by
number, how yesterday went (share done on time, median reaction times), jobs waiting for
the resident, problems that keep coming back to a building, active outages and who is on
duty today."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.views import person_name
from core import assignment, dispatching
from core.model import Status
from core.storage.tables import Building, Incident, Person, Request, RequestEvent

#: Repeated requests: the same problem in the same building this often within REPEAT_DAYS.
REPEATED = 2
REPEAT_DAYS = 30


async def shift_text(
    session: AsyncSession, now: datetime, tz: tzinfo, lang: str, nearly: timedelta
) -> str:
    """The shift's part of the digest; ``nearly``: a deadline this close is nearly late."""
    today = now.astimezone(tz).date()
    start = datetime.combine(today - timedelta(days=1), time(0), tzinfo=tz)
    end = datetime.combine(today, time(0), tzinfo=tz)
    parts = [
        await _nearly_late(session, now, lang, nearly),
        await _yesterday(session, start, end, lang),
        await _awaiting(session, lang),
        await _repeated(session, now, lang),
        await _outages(session, lang),
        await _on_duty(session, now, tz, lang),
    ]
    return "".join(parts)


async def _nearly_late(session: AsyncSession, now: datetime, lang: str, nearly: timedelta) -> str:
    numbers = list(
        await session.scalars(
            select(Request.number)
            .where(
                Request.status.in_(dispatching.LOAD_STATUSES),
                Request.deadline >= now,
                Request.deadline < now + nearly,
            )
            .order_by(Request.deadline)
        )
    )
    if not numbers:
        return ""
    hours = nearly // timedelta(hours=1)
    return texts.t(lang, "digest_nearly", list=_numbers(numbers), hours=hours)


async def _yesterday(session: AsyncSession, start: datetime, end: datetime, lang: str) -> str:
    """Share of the jobs finished yesterday that were finished by their deadline, and the
    median minutes from filing to acceptance and to the technician on site."""
    finished = (
        await session.execute(
            select(RequestEvent.created_at, Request.deadline)
            .join(Request, Request.id == RequestEvent.request_id)
            .where(
                RequestEvent.action == "done",
                RequestEvent.created_at >= start,
                RequestEvent.created_at < end,
            )
        )
    ).all()
    lines = ""
    if finished:
        on_time = sum(1 for at, deadline in finished if deadline is None or at <= deadline)
        lines += texts.t(
            lang,
            "digest_on_time",
            share=round(100 * on_time / len(finished)),
            on_time=on_time,
            total=len(finished),
        )
    medians = [await _median_minutes(session, action, start, end) for action in ("accept", "start")]
    if any(m is not None for m in medians):
        accept, on_site = (
            texts.t(lang, "digest_minutes", minutes=m) if m is not None else "—" for m in medians
        )
        lines += texts.t(lang, "digest_reaction", accept=accept, on_site=on_site)
    return lines


async def _median_minutes(
    session: AsyncSession, action: str, start: datetime, end: datetime
) -> int | None:
    """Median minutes from filing to the first ``action`` of the requests it happened to
    yesterday."""
    first = (
        select(RequestEvent.request_id, func.min(RequestEvent.created_at).label("at"))
        .where(RequestEvent.action == action)
        .group_by(RequestEvent.request_id)
        .subquery()
    )
    rows = (
        await session.execute(
            select(first.c.at, Request.created_at)
            .join(Request, Request.id == first.c.request_id)
            .where(first.c.at >= start, first.c.at < end)
        )
    ).all()
    if not rows:
        return None
    minutes: float = statistics.median((at - filed).total_seconds() / 60 for at, filed in rows)
    return round(minutes)


async def _awaiting(session: AsyncSession, lang: str) -> str:
    numbers = list(
        await session.scalars(
            select(Request.number).where(Request.status == Status.DONE.value).order_by(Request.id)
        )
    )
    return texts.t(lang, "digest_awaiting", list=_numbers(numbers)) if numbers else ""


async def _repeated(session: AsyncSession, now: datetime, lang: str) -> str:
    rows = (
        await session.execute(
            select(Request.building_id, Request.category).where(
                Request.created_at >= now - timedelta(days=REPEAT_DAYS)
            )
        )
    ).all()
    counts = Counter((building, category) for building, category in rows)
    lines = []
    for (building_id, category), count in counts.most_common():
        if count < REPEATED:
            break
        building = await session.get(Building, building_id)
        lines.append(
            texts.t(
                lang,
                "digest_repeated_line",
                address=building.address if building else "",
                category=texts.category(lang, category),
                count=count,
            )
        )
    if not lines:
        return ""
    return texts.t(lang, "digest_repeated", days=REPEAT_DAYS, lines="\n".join(lines[:10]))


async def _outages(session: AsyncSession, lang: str) -> str:
    rows = list(
        await session.scalars(
            select(Incident).where(Incident.status == "active").order_by(Incident.id)
        )
    )
    if not rows:
        return ""
    lines = []
    for incident in rows:
        building = await session.get(Building, incident.building_id)
        lines.append(
            texts.t(
                lang,
                "digest_outage_line",
                id=incident.id,
                address=building.address if building else "",
                description=incident.description or texts.category(lang, incident.category),
            )
        )
    return texts.t(lang, "digest_outages", lines="\n".join(lines))


async def _on_duty(session: AsyncSession, now: datetime, tz: tzinfo, lang: str) -> str:
    roster = await dispatching.load_roster(session, now.astimezone(tz).date())
    today = now.astimezone(tz).date()
    lines = []
    for technician in sorted({s.technician_id for s in roster.shifts if s.duty}):
        windows = [
            s
            for s in assignment.shifts_on(roster.shifts, technician, today)
            if s.duty and not s.off
        ]
        if not windows or assignment.absent(roster.absences, technician, today):
            continue
        person = await session.get(Person, technician)
        hours = ", ".join(f"{_clock(s.start)}-{_clock(s.end)}" for s in windows)
        phone = f", {person.phone}" if person and person.phone else ""
        lines.append(
            texts.t(
                lang,
                "digest_duty_line",
                technician=person_name(person, lang),
                hours=hours,
                phone=phone,
            )
        )
    if not lines:
        return texts.t(lang, "digest_no_duty")
    return texts.t(lang, "digest_duty", lines="\n".join(lines))


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(f"№{n}" for n in numbers[:20])
    return shown + (f" (+{len(numbers) - 20})" if len(numbers) > 20 else "")
