"""What is due for one request now: reminders, raises, escalation, auto-close.

Pure: the caller passes the request's facts and ``now``; the answer is a list of
:class:`Due` items, each with a key ``(kind, period)``.  The sweep records each key
once (insert-or-skip) and acts only on keys it recorded, so an item is acted on
once per period.  Only the *current* period is ever returned: a service that was
down for hours catches up with one reminder, not a flood of stale ones.

Kinds carry an epoch (the assignment event, the deadline) so that a new
assignment or a recomputed deadline starts its own series.

Reminders and raises about a late job back off (15 minutes, 30, 1 hour, 2, then every
4 hours at most), so a job late for a day gets a handful of messages, not a hundred.
An emergency that has been accepted runs on the clocks of its stages
(:mod:`core.stages`): only the stage due next is watched, so a technician whose stage
is on time is left to work.  Whoever is told past the first reminders is a person on
the escalation ladder, each step once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.model import Status
from core.sla import DEFAULT_BACKOFF_CAP, SlaPolicy
from core.stages import next_clock

#: Share of the time to the deadline after which the technician is reminded.
DUE_SOON_SHARE = 0.75

_WORKING = frozenset(
    {Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.POSTPONED, Status.REOPENED}
)
_UNACCEPTED = frozenset({Status.NEW, Status.ASSIGNED, Status.CANNOT_DO})
#: A job not yet accepted is chased by the acceptance reminders, not told it is late.
_TAKEN = _WORKING - {Status.ASSIGNED}


@dataclass(frozen=True, slots=True)
class Facts:
    request_id: int
    category: str
    urgency: str
    status: Status
    created_at: datetime
    deadline: datetime | None
    assignee_id: int | None
    #: When the request entered its current status, and that history event's id.
    status_since: datetime
    status_mark: int
    postponed_until: datetime | None = None
    #: An emergency's stage ("" before it is accepted, and for other requests).
    stage: str = ""
    #: Filed out of hours and held for the working day to be assigned.
    held: bool = False
    #: When an emergency's norms row wants the damage repaired (None: no repair clock).
    repair_by: datetime | None = None


@dataclass(frozen=True, slots=True)
class Due:
    kind: str
    period: int
    action: str
    #: The emergency's stage this is about ("" for the request's deadline).
    stage: str = ""
    #: When that stage is due (told in the reminder).
    stage_due: datetime | None = None


def backoff(elapsed: timedelta, first: timedelta, cap: timedelta = DEFAULT_BACKOFF_CAP) -> int:
    """The back-off step reached after ``elapsed``: step 0 at once, then intervals that
    double from ``first`` up to ``cap`` (-1 before the start)."""
    if elapsed < timedelta(0):
        return -1
    step, at, interval = 0, timedelta(0), first
    while interval < cap:
        if at + interval > elapsed:
            return step
        at += interval
        step += 1
        interval = min(interval * 2, cap)
    return step + int((elapsed - at) / cap)


def due(
    facts: Facts,
    now: datetime,
    sla: SlaPolicy,
    autoclose_after: timedelta,
    ladder: tuple[timedelta, ...] = (),
) -> list[Due]:
    """What is due now; ``ladder`` holds how long after a job became late each step of
    its escalation ladder is told (empty: the managers are told once, after the
    first back-off interval)."""
    f = facts
    items: list[Due] = []
    status = f.status
    if status is Status.DONE:
        if now - f.status_since >= autoclose_after:
            items.append(Due(f"autoclose:{f.status_mark}", 0, "autoclose"))
        return items
    if not status.is_open:
        return items

    # Acceptance: remind after one reaction time, reassign or raise after the second.
    # A person off work is not expected to answer: only emergencies count the night.
    emergency = f.urgency == "emergency"
    reaction = sla.reaction(f.category, f.urgency)
    waited = now - f.status_since if emergency else sla.calendar.between(f.status_since, now)
    periods = int(waited / reaction)
    if status is Status.NEW and f.held:
        items.append(Due(f"assign:{f.status_mark}", 0, "assign"))
    if status is Status.ASSIGNED and f.assignee_id is not None and periods >= 1:
        step = (1, "remind_accept") if periods == 1 else (2, "reassign")
        items.append(Due(f"accept:{f.status_mark}", *step))
    if status in (Status.NEW, Status.CANNOT_DO) and periods >= 1 and f.urgency != "emergency":
        items.append(Due(f"unassigned:{f.status_mark}", 1, "raise_unassigned"))
    if emergency and status in _UNACCEPTED:
        # Nobody took it: raised after the emergency's first interval, then backing off.
        first = sla.overdue_interval(f.urgency)
        raised = backoff(now - f.created_at - first, first, sla.backoff_cap)
        if raised >= 0:
            items.append(Due("emergency_open", raised, "raise_emergency"))

    deadline, stage = f.deadline, ""
    if emergency:
        clock = next_clock(f.stage, f.created_at, f.deadline, f.repair_by)
        if clock is None:
            return items
        deadline, stage = clock.due, clock.stage.value
    if deadline is None:
        return items
    stage_due = deadline if stage else None
    epoch = int(deadline.timestamp())
    quiet = f.postponed_until is not None and f.postponed_until > now
    if now < deadline:
        allowed = sla.elapsed(f.category, f.urgency, f.created_at, deadline)
        soon = sla.elapse(f.category, f.urgency, f.created_at, allowed * DUE_SOON_SHARE)
        if now >= soon and status in _WORKING and f.assignee_id is not None and not quiet:
            items.append(Due(f"due_soon:{epoch}", 0, "remind_due", stage, stage_due))
        return items

    interval = sla.overdue_interval(f.urgency)
    late = sla.elapsed(f.category, f.urgency, deadline, now)
    period = backoff(late, interval, sla.backoff_cap)
    items.append(Due(f"overdue_group:{epoch}", 0, "raise_overdue", stage, stage_due))
    if f.assignee_id is not None and status in _TAKEN and not quiet:
        items.append(Due(f"overdue:{epoch}", period, "remind_overdue", stage, stage_due))
    if not ladder and period >= 1:
        items.append(Due(f"escalate:{epoch}", 0, "escalate", stage, stage_due))
    items.extend(
        Due(f"ladder:{epoch}", step, "ladder", stage, stage_due)
        for step, after in enumerate(ladder)
        if late >= after
    )
    return items
