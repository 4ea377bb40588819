"""The emergency's clocks, one per stage (ПП РФ №416 п.13).

An emergency is *localised* within 30 minutes of the call and *repaired* by the time
its norms row gives (``repair_hours`` in ``data/norms.csv``, three days for the
systems of п.13; :meth:`core.sla.SlaPolicy.repair_deadline`), counted from the call.
Arrival has no norm of its own: nobody localises from afar, so the technician is due
on site by the localisation clock.  The supply is *restored* by the deadline the
norms table gives the request when that is later than localisation and earlier than
the repair; otherwise the repair clock covers it.  Pure: no clock, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.lifecycle import Stage

LOCALISE_WITHIN = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class StageClock:
    """The stage a job is due to reach next, and by when."""

    stage: Stage
    due: datetime


def clocks(
    filed_at: datetime, deadline: datetime | None, repair_by: datetime | None
) -> dict[Stage, datetime]:
    """When each stage is due, for an emergency filed at ``filed_at`` whose norms row
    gives ``deadline`` and ``repair_by`` (None: the row sets no repair time)."""
    localise_by = filed_at + LOCALISE_WITHIN
    due = {Stage.ARRIVED: localise_by, Stage.LOCALISED: localise_by}
    if repair_by is not None:
        due[Stage.REPAIRED] = repair_by
    if (
        deadline is not None
        and localise_by < deadline
        and (repair_by is None or deadline < repair_by)
    ):
        due[Stage.RESTORED] = deadline
    return due


def next_clock(
    stage: str, filed_at: datetime, deadline: datetime | None, repair_by: datetime | None
) -> StageClock | None:
    """The next stage with a clock after ``stage`` ("" before acceptance: arrival)."""
    reached = Stage(stage).rank if stage else Stage.ACCEPTED.rank
    for later, due in sorted(
        clocks(filed_at, deadline, repair_by).items(), key=lambda kv: kv[0].rank
    ):
        if later.rank > reached:
            return StageClock(later, due)
    return None
