"""Reminders per job per day, with an injected clock: this tree against a baseline commit.

    python -m benchmarks.reminder_bench [--baseline REV]   # default: the merge base with main

Two scenarios run on the real service (SQLite, demo data and roster, automatic
assignment), swept every 5 minutes, nobody answering anything:

* lift: a lift fault filed on Friday 22:00 (urgent), followed to Monday 12:00;
* flood: a flood filed on Tuesday 10:00 (emergency) that nobody accepts, for 30 hours.

Counted: new messages to staff (technicians, managers) and to the dispatchers' group
after the filing itself (card edits in place and the morning digest left out), per local
day, and how many of them went out at night (22:00-08:00).  The baseline is the same
script run on an exported copy of the baseline commit, in a process of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.notices import deliver_notices
from core import dispatching, services
from core.model import Category, Urgency
from core.storage.tables import Identity, OutboxItem, Person
from tests.support.harness import FakeClock, make_harness

MSK = ZoneInfo("Europe/Moscow")
STEP = timedelta(minutes=5)
SCENARIOS = {
    # name: (category, urgency, filed, followed until)
    "lift": ("elevator", "urgent", datetime(2026, 11, 27, 22, 0), datetime(2026, 11, 30, 12, 0)),
    "flood": ("water", "emergency", datetime(2026, 11, 24, 10, 0), datetime(2026, 11, 25, 16, 0)),
}
ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"


async def run(name: str, workdir: Path) -> dict[str, object]:
    category, urgency, filed, until = SCENARIOS[name]
    clock = FakeClock()
    clock.now = filed.replace(tzinfo=MSK).astimezone(UTC)
    url = f"sqlite+aiosqlite:///{workdir}/{name}.db"
    async with make_harness(url, workdir, clock, auto_assign=True) as h:
        assert h.app.sweeper is not None
        await h.app.sweeper.run_once(clock.now)  # the day's digest, out of the way
        async with h.app.db.transaction() as session:
            who = await session.scalar(select(Person).where(Person.code == "res-1"))
            assert who is not None
            new = services.NewRequest(1, "apartment:12", Category(category), Urgency(urgency), "x")
            outcome = await services.file_request(session, clock.now, who, new, h.app.services.sla)
            notices = await dispatching.follow_up(
                session, clock.now, outcome.notices, h.app.services.assign
            )
            await deliver_notices(session, clock.now, h.app.services.tz, notices)
        start = clock.now
        end = until.replace(tzinfo=MSK).astimezone(UTC)
        while clock.now < end:
            clock.now += STEP
            await h.app.sweeper.run_once(clock.now)
        async with h.app.db.reading() as session:
            rows = list(await session.scalars(select(OutboxItem).order_by(OutboxItem.id)))
            staff = set(
                await session.scalars(
                    select(Identity.chat)
                    .join(Person, Person.id == Identity.person_id)
                    .where(Person.role != "resident")
                )
            )
    per_day: Counter[str] = Counter()
    night = 0
    for row in rows:
        body = row.body
        text = str(body.get("text", ""))
        if row.created_at <= start or body.get("edit_key") or text.startswith("☀️"):
            continue
        if row.chat not in staff and row.chat != "dispatch":
            continue
        local = row.created_at.astimezone(MSK)
        per_day[local.date().isoformat()] += 1
        night += local.hour >= 22 or local.hour < 8
    return {"per_day": dict(per_day), "total": sum(per_day.values()), "night": night}


def measure() -> dict[str, dict[str, object]]:
    with tempfile.TemporaryDirectory() as workdir:
        return {name: asyncio.run(run(name, Path(workdir))) for name in SCENARIOS}


def baseline(rev: str) -> dict[str, dict[str, object]]:
    """Run this script on an exported copy of ``rev`` (its own process and imports)."""
    with tempfile.TemporaryDirectory() as tree:
        archive = Path(tree) / "tree.tar"
        subprocess.run(  # noqa: S603 (git with a revision the operator gave)
            [GIT, "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), rev],
            check=True,
        )
        with tarfile.open(archive) as tar:
            tar.extractall(tree, filter="data")
        script = Path(tree) / "benchmarks" / "reminder_bench.py"
        script.write_text(Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": tree}
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.reminder_bench", "--json"],
            cwd=tree,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    result: dict[str, dict[str, object]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="commit to compare with (default: merge base)")
    parser.add_argument("--json", action="store_true", help="print this tree's figures only")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(), ensure_ascii=False))
        return
    rev = (
        args.baseline
        or subprocess.run(  # noqa: S603 (fixed arguments)
            [GIT, "-C", str(ROOT), "merge-base", "HEAD", "main"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    before, after = baseline(rev), measure()
    print(f"messages to staff and the group after filing (baseline {rev[:10]} -> this tree)")
    for name in SCENARIOS:
        b, a = before[name], after[name]
        print(f"{name}: total {b['total']} -> {a['total']}, at night {b['night']} -> {a['night']}")
        b_days, a_days = dict(b["per_day"]), dict(a["per_day"])  # type: ignore[call-overload]
        for day in sorted(set(b_days) | set(a_days)):
            print(f"  {day}: {b_days.get(day, 0)} -> {a_days.get(day, 0)}")


if __name__ == "__main__":
    main()
