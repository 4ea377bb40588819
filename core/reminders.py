"""What is due for one request now: reminders, raises, escalation, auto-close.

Pure: the caller passes the request's facts and ``now``; the answer is a list of
:class:`Due` items, each with a key ``(kind, period)``.  The sweep records each key
once (insert-or-skip) and acts only on keys it recorded, so an item is acted on
once per period.  Only the *current* period is ever returned: a service that was
down for hours catches up with one reminder, not a flood of stale ones.

Kinds carry an epoch (the assignment event, the deadline) so that a new
assignment or a recomputed deadline starts its own series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.model import Status
from core.sla import SlaPolicy

#: Share of the time to the deadline after which the technician is reminded.
DUE_SOON_SHARE = 0.75
#: Emergencies are raised in the group at this interval until accepted.
EMERGENCY_RAISE = timedelta(minutes=15)

_WORKING = frozenset(
    {Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.POSTPONED, Status.REOPENED}
)
_UNACCEPTED = frozenset({Status.NEW, Status.ASSIGNED, Status.CANNOT_DO})


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


@dataclass(frozen=True, slots=True)
class Due:
    kind: str
    period: int
    action: str


def due(facts: Facts, now: datetime, sla: SlaPolicy, autoclose_after: timedelta) -> list[Due]:
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
    reaction = sla.reaction(f.category, f.urgency)
    waited = sla.elapsed(f.category, f.urgency, f.status_since, now)
    periods = int(waited / reaction)
    if status is Status.ASSIGNED and f.assignee_id is not None and periods >= 1:
        step = (1, "remind_accept") if periods == 1 else (2, "reassign")
        items.append(Due(f"accept:{f.status_mark}", *step))
    if status in (Status.NEW, Status.CANNOT_DO) and periods >= 1 and f.urgency != "emergency":
        items.append(Due(f"unassigned:{f.status_mark}", 1, "raise_unassigned"))
    if f.urgency == "emergency" and status in _UNACCEPTED:
        raised = int((now - f.created_at) / EMERGENCY_RAISE)
        if raised >= 1:
            items.append(Due("emergency_open", raised, "raise_emergency"))

    if f.deadline is None:
        return items
    epoch = int(f.deadline.timestamp())
    quiet = f.postponed_until is not None and f.postponed_until > now
    if now < f.deadline:
        allowed = sla.elapsed(f.category, f.urgency, f.created_at, f.deadline)
        soon = sla.elapse(f.category, f.urgency, f.created_at, allowed * DUE_SOON_SHARE)
        if now >= soon and status in _WORKING and f.assignee_id is not None and not quiet:
            items.append(Due(f"due_soon:{epoch}", 0, "remind_due"))
        return items

    interval = sla.overdue_interval(f.urgency)
    late = sla.elapsed(f.category, f.urgency, f.deadline, now)
    period = int(late / interval)
    items.append(Due(f"overdue_group:{epoch}", 0, "raise_overdue"))
    if f.assignee_id is not None and status in _WORKING and not quiet:
        items.append(Due(f"overdue:{epoch}", period, "remind_overdue"))
    if period >= 1:
        items.append(Due(f"escalate:{epoch}", 0, "escalate"))
    return items
