"""Scheduled sweeps: reminders, escalation, auto-close and the morning digest.

The sweeps are plain async functions of ``now`` (tests call them with a fake
clock); APScheduler's ``AsyncIOScheduler`` only calls :meth:`Sweeper.run_once`
at an interval.  Each sweep is idempotent: what is due for a request comes from
:func:`core.reminders.due`, each due item is recorded in ``reminders`` with a
unique key (request, kind, period) by insert-or-skip in the same transaction as
the outbox rows it causes, so it goes out once whatever restarts or however many
processes sweep one database.  On PostgreSQL a request being swept is locked with
``SELECT ... FOR UPDATE SKIP LOCKED``: another process skips it rather than waits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.elements import ColumnElement

from bot import digest, outages, texts
from bot.conversations.turn import Services
from bot.notices import deliver_notices, group_targets, queue_message
from bot.settings import Settings
from bot.views import person_name
from core import assignment, dispatching, escalation
from core.channel import OutboundMessage
from core.model import Role, Status
from core.reminders import Due, due
from core.services import GROUP, Notice
from core.storage import queues
from core.storage.database import Database
from core.storage.tables import (
    Building,
    EscalationStep,
    Person,
    Request,
    RequestEvent,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
SWEPT = tuple(s.value for s in Status if s.is_open)
#: Retention runs at most this often per process, deleting this many rows per transaction.
PRUNE_EVERY = timedelta(hours=1)
PRUNE_BATCH = 500


@dataclass(frozen=True, slots=True)
class Watch:
    """What one sweep reads once for every request: the shifts and the ladders."""

    shifts: list[assignment.Shift]
    steps: list[escalation.Step]
    tz: tzinfo

    def on_duty(self, now: datetime) -> list[int]:
        """Technicians the duty roster has on call at ``now``."""
        return assignment.on_duty(self.shifts, now.astimezone(self.tz))


class Sweeper:
    def __init__(
        self,
        db: Database,
        services: Services,
        clock: Clock,
        after_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.services = services
        self.clock = clock
        self.after_commit = after_commit
        self.scheduler: AsyncIOScheduler | None = None
        #: A day's digest goes out only from a process that was running at its time.
        self.started = clock()
        self.pruned: datetime | None = None

    @property
    def settings(self) -> Settings:
        return self.services.settings

    # -- the APScheduler wrapper ------------------------------------------------

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=self.settings.tz)
        scheduler.add_job(
            self.run_once,
            "interval",
            seconds=self.settings.sweep_interval_seconds,
            id="sweeps",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(self.settings.tz),
        )
        scheduler.start()
        self.scheduler = scheduler

    def stop(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None

    async def run_once(self, now: datetime | None = None) -> int:
        """Every sweep once; returns how many things were sent or changed."""
        now = now or self.clock()
        done = 0
        try:
            done += await self.sweep_requests(now)
            done += await self.sweep_outages(now)
            done += await self.sweep_digest(now)
            if self.pruned is None or now - self.pruned >= PRUNE_EVERY:
                await self.sweep_retention(now)
                self.pruned = now
        except Exception:
            log.exception("sweep failed")
        if done:
            self.after_commit()
        return done

    # -- requests ---------------------------------------------------------------

    async def sweep_requests(self, now: datetime) -> int:
        async with self.db.reading() as session:
            ids = list(
                await session.scalars(
                    select(Request.id).where(Request.status.in_(SWEPT)).order_by(Request.id)
                )
            )
            watch = await self._watch(session)
        acted = 0
        for request_id in ids:
            try:
                acted += await self._sweep_one(request_id, now, watch)
            except StaleDataError:
                log.info("request %s changed while swept; next sweep will see it", request_id)
        return acted

    async def _watch(self, session: AsyncSession) -> Watch:
        shifts = await dispatching.load_shifts(session)
        steps = [
            escalation.Step(s.building_id, s.area, s.after_minutes, s.title, s.person_id)
            for s in await session.scalars(select(EscalationStep))
        ]
        return Watch(shifts, steps, self.services.tz)

    def awake(self, request: Request, now: datetime, shifts: list[assignment.Shift]) -> bool:
        """Whether anyone may be told about this request now: an emergency at any hour;
        anything else in working hours, or in the shift of whoever holds the job."""
        if request.urgency == "emergency" or self.services.sla.calendar.is_working_time(now):
            return True
        return request.assignee_id is not None and assignment.at_work(
            shifts, request.assignee_id, now.astimezone(self.services.tz)
        )

    async def _sweep_one(self, request_id: int, now: datetime, watch: Watch) -> int:
        async with self.db.transaction() as session:
            query = select(Request).where(Request.id == request_id)
            if not self.db.sqlite:
                query = query.with_for_update(skip_locked=True)
            request = (
                await session.scalars(query.execution_options(populate_existing=True))
            ).one_or_none()
            if request is None:
                return 0  # another process holds it now
            # Staff off work are not told: what is due waits and goes out once, when
            # someone works.  Closing an unanswered job tells only its resident.
            awake = self.awake(request, now, watch.shifts)
            facts = await dispatching.facts(session, request, self.services.sla)
            autoclose = timedelta(hours=self.settings.autoclose_hours)
            building = await session.get(Building, request.building_id)
            ladder = escalation.ladder_for(
                watch.steps, request.building_id, building.complex if building else ""
            )
            notices: list[Notice] = []
            acted = 0
            rungs = tuple(step.after for step in ladder)
            for item in due(facts, now, self.services.sla, autoclose, rungs):
                if not awake and item.action != "autoclose":
                    continue
                if not await dispatching.claim(session, request.id, item.kind, item.period, now):
                    continue
                acted += 1
                if item.action == "ladder":
                    notices += await self._climb(session, request, ladder[item.period], now, watch)
                else:
                    notices += await self._act(session, request, item, now, watch)
            if notices:
                await deliver_notices(session, now, self.services.tz, notices)
            return acted

    async def _act(
        self, session: AsyncSession, request: Request, item: Due, now: datetime, watch: Watch
    ) -> list[Notice]:
        rid = request.id
        action = item.action
        data: dict[str, str] = {}
        if item.stage and item.stage_due is not None:
            data = {"stage": item.stage, "due": item.stage_due.isoformat()}
        if action in ("remind_accept", "remind_due", "remind_overdue"):
            return [Notice(action, rid, request.assignee_id, data)] if request.assignee_id else []
        if action == "raise_emergency":
            # Out of hours the group may sleep: the technician on duty is woken too.
            duty = [] if self.services.sla.calendar.is_working_time(now) else watch.on_duty(now)
            return [Notice(action, rid, GROUP)] + [
                Notice(action, rid, t) for t in duty if t != request.assignee_id
            ]
        if action in ("raise_unassigned", "raise_overdue"):
            return [Notice(action, rid, GROUP, data)]
        if action == "reassign":
            return await self._reassign(session, request, now)
        if action == "assign":
            if not self.settings.auto_assign:
                return []
            outcome = await dispatching.auto_assign(
                session, now, request, self.services.assign, after="held"
            )
            return outcome.notices
        if action == "escalate":
            return await self._escalate(session, request)
        if action == "autoclose":
            outcome = await dispatching.auto_close(
                session, now, request, self.settings.autoclose_hours
            )
            return outcome.notices
        log.warning("unknown sweep action %s", action)
        return []

    async def _reassign(
        self, session: AsyncSession, request: Request, now: datetime
    ) -> list[Notice]:
        """The assignee did not accept in two reaction times: the next candidate, or the group."""
        lapsed = request.assignee_id
        await dispatching.mark_not_accepted(session, request, now)
        if self.settings.auto_assign:
            outcome = await dispatching.auto_assign(
                session, now, request, self.services.assign, after="not_accepted"
            )
            if any(n.event == "job" for n in outcome.notices):
                return outcome.notices
        return [Notice("raise_not_accepted", request.id, GROUP, {"technician": lapsed})]

    async def _climb(
        self,
        session: AsyncSession,
        request: Request,
        step: escalation.Step,
        now: datetime,
        watch: Watch,
    ) -> list[Notice]:
        """One step of the escalation ladder: its person (or whoever is on duty) is told
        whom to call; the card and the history say who was told."""
        people = [step.person_id] if step.person_id is not None else watch.on_duty(now)
        names = [person_name(await session.get(Person, p), texts.DEFAULT) for p in people]
        data = {"title": step.title, "people": people, "names": ", ".join(names)}
        dispatching.record_escalation(session, request, now, data)
        notices = [Notice("ladder", request.id, p, data) for p in people]
        notices.append(Notice("card", request.id, GROUP, {"event": "escalated", **data}))
        return notices

    async def _escalate(self, session: AsyncSession, request: Request) -> list[Notice]:
        """To the responsible managers (role admin), with the history; else to the group."""
        managers = list(
            await session.scalars(
                select(Person.id).where(Person.role == Role.ADMIN.value, Person.active.is_(True))
            )
        )
        return [Notice("escalate", request.id, to) for to in managers or [GROUP]]

    async def sweep_outages(self, now: datetime) -> int:
        """Outages whose announced period is over: their end is told to everyone."""
        async with self.db.transaction() as session:
            return await outages.end_those_over(session, now)

    # -- retention --------------------------------------------------------------

    async def sweep_retention(self, now: datetime) -> int:
        """Delete processed inbox rows, delivered or dead outbox rows and web chat messages
        older than ``RETENTION_DAYS``, in short transactions that never hold up the chats."""
        days = self.settings.retention_days
        if not days:
            return 0
        before = now - timedelta(days=days)
        deleted = 0
        for prune in (queues.prune_inbox, queues.prune_outbox, queues.prune_web_messages):
            while True:
                batch = await prune(self.db, before, PRUNE_BATCH)
                deleted += batch
                if batch < PRUNE_BATCH:
                    break
        if deleted:
            log.info("retention: %d rows older than %d days deleted", deleted, days)
        return deleted

    # -- the morning digest -----------------------------------------------------

    async def sweep_digest(self, now: datetime) -> int:
        """The day's digest, once, at ``DIGEST_TIME``: not at a start later in the day (a new
        install would post a digest of zeros; a restart is not a morning)."""
        tz = self.services.tz
        local = now.astimezone(tz)
        moment = datetime.combine(
            local.date(), time.fromisoformat(self.settings.digest_time), tzinfo=tz
        )
        if not self.started <= moment <= now:
            return 0
        async with self.db.transaction() as session:
            targets = await group_targets(session)
            if not targets or not await dispatching.claim_digest(session, local.date(), now):
                return 0
            text = await digest_text(session, now, tz, texts.DEFAULT)
            nearly = timedelta(hours=self.settings.digest_nearly_late_hours)
            text += await digest.shift_text(session, now, tz, texts.DEFAULT, nearly)
            for channel, chat in targets:
                await queue_message(session, now, channel, chat, OutboundMessage(text))
        return 1


async def digest_text(session: AsyncSession, now: datetime, tz: tzinfo, lang: str) -> str:
    """New, closed, reopened yesterday; overdue now; open per technician; worst of the week."""
    today = now.astimezone(tz).date()
    start = datetime.combine(today - timedelta(days=1), time(0), tzinfo=tz)
    end = datetime.combine(today, time(0), tzinfo=tz)

    async def count(*where: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(Request).where(*where)
        return int(await session.scalar(query) or 0)

    new = await count(Request.created_at >= start, Request.created_at < end)
    closed = await count(
        Request.closed_at >= start,
        Request.closed_at < end,
        Request.status == Status.CLOSED.value,
    )
    reopened = int(
        await session.scalar(
            select(func.count())
            .select_from(RequestEvent)
            .where(
                RequestEvent.action == "reopen",
                RequestEvent.created_at >= start,
                RequestEvent.created_at < end,
            )
        )
        or 0
    )
    overdue = list(
        await session.scalars(
            select(Request.number)
            .where(
                Request.status.in_(dispatching.LOAD_STATUSES),
                Request.deadline.is_not(None),
                Request.deadline < now,
            )
            .order_by(Request.deadline)
        )
    )
    people = list(
        await session.scalars(
            select(Person)
            .where(Person.role == Role.TECHNICIAN.value, Person.active.is_(True))
            .order_by(Person.name)
        )
    )
    roster = await dispatching.load_roster(session, today)
    load = "\n".join(
        texts.t(
            lang,
            "digest_load_line",
            technician=person_name(p, lang),
            count=roster.load.get(p.id, 0),
        )
        for p in people
    )
    worst_rows = list(
        await session.scalars(
            select(Request)
            .where(
                Request.rating.is_not(None),
                Request.rating <= 2,
                Request.closed_at >= now - timedelta(days=7),
            )
            .order_by(Request.rating, Request.closed_at)
            .limit(5)
        )
    )
    worst = ""
    if worst_rows:
        lines = []
        for r in worst_rows:
            who = await session.get(Person, r.assignee_id) if r.assignee_id else None
            lines.append(
                texts.t(
                    lang,
                    "digest_worst_line",
                    number=r.number,
                    stars="★" * (r.rating or 0),
                    technician=person_name(who, lang),
                )
            )
        worst = texts.t(lang, "digest_worst", lines="\n".join(lines))
    return texts.t(
        lang,
        "digest",
        day=(today - timedelta(days=1)).strftime("%d.%m.%Y"),
        new=new,
        closed=closed,
        reopened=reopened,
        overdue=len(overdue),
        overdue_list=(": " + ", ".join(f"№{n}" for n in overdue[:20])) if overdue else "",
        load=load,
        worst=worst,
    )
