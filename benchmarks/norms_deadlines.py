"""Deadlines per category before and after reading the resident's words against the norms.

Usage (from the repository root)::

    git show main:data/norms.csv > /tmp/norms_before.csv
    python benchmarks/norms_deadlines.py --before /tmp/norms_before.csv

For every Russian message of the classifier's held-out sets (labelled category and
emergency flag), filed on a Tuesday at 12:00 Moscow time, it prints per category the
median hours to the deadline and how many deadlines changed: *before* with the
``--before`` norms and the category's urgency alone (emergency if labelled so,
urgent for lift, roof and doors, normal otherwise), *after* with the shipped
``data/norms.csv`` and the row the words pick.  Then the issue's sample messages
one by one.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core import norm_rules  # noqa: E402
from core.model import Category, Urgency  # noqa: E402
from core.sla import SlaPolicy, parse_calendar, parse_norms  # noqa: E402

MSK = ZoneInfo("Europe/Moscow")
FILED = datetime(2026, 12, 1, 12, 0, tzinfo=MSK)
DEFAULT_URGENT = {Category.ELEVATOR, Category.ROOF_FACADE, Category.DOORS_INTERCOM}
SAMPLES = [
    ("sewerage", False, "засор канализации в подъезде", FILED),
    ("water", False, "нет горячей воды", FILED),
    ("electricity", False, "не горит свет на лестнице", datetime(2026, 12, 30, 12, tzinfo=MSK)),
    ("roof_facade", True, "разбито окно на лестнице", FILED),
    ("roof_facade", True, "протекает крыша, в дождь течёт с потолка", FILED),
    ("heating", True, "нет отопления, в квартире +13", FILED),
    ("waste", False, "мусоропровод забит", datetime(2026, 12, 1, 22, 30, tzinfo=MSK)),
    ("elevator", True, "застряли в лифте", FILED),
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _policy(norms: Path) -> SlaPolicy:
    days = parse_calendar(_rows(REPO / "data" / "holidays.csv"))
    return SlaPolicy(parse_norms(_rows(norms)), MSK, days.holidays, days=days)


def _default(category: str, emergency: bool) -> Urgency:
    if emergency:
        return Urgency.EMERGENCY
    return Urgency.URGENT if Category(category) in DEFAULT_URGENT else Urgency.NORMAL


def _hours(policy: SlaPolicy, category: str, urgency: str, at: datetime, problem: str) -> float:
    deadline = policy.deadline(category, urgency, at, problem)
    assert deadline is not None, (category, urgency, problem)
    return (deadline - at).total_seconds() / 3600


def _both(
    before: SlaPolicy, after: SlaPolicy, category: str, emergency: bool, text: str, at: datetime
) -> tuple[float, float, str]:
    urgency = _default(category, emergency)
    old = _hours(before, category, urgency.value, at, "")
    reading = norm_rules.read(category, urgency, text, at)
    new = _hours(after, category, reading.urgency.value, at, reading.problem)
    return old, new, reading.problem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the earlier norms CSV")
    args = parser.parse_args()
    before, after = _policy(args.before), _policy(REPO / "data" / "norms.csv")
    found: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for name in ("heldout.csv", "heldout_fresh.csv"):
        for row in _rows(REPO / "data" / "classifier" / name):
            if row["lang"] == "ru":
                old, new, _ = _both(
                    before, after, row["category"], row["emergency"] == "1", row["text"], FILED
                )
                found[row["category"]].append((old, new))
    print(
        f"{'category':<16}{'messages':>9}{'median h before':>17}{'median h after':>16}"
        f"{'changed':>9}"
    )
    for category in sorted(found):
        pairs = found[category]
        print(
            f"{category:<16}{len(pairs):>9}"
            f"{statistics.median(p[0] for p in pairs):>17.1f}"
            f"{statistics.median(p[1] for p in pairs):>16.1f}"
            f"{sum(p[0] != p[1] for p in pairs):>9}"
        )
    total = [p for pairs in found.values() for p in pairs]
    print(f"{'all':<16}{len(total):>9}{'':>17}{'':>16}{sum(p[0] != p[1] for p in total):>9}")
    print()
    for category, emergency, text, at in SAMPLES:
        old, new, problem = _both(before, after, category, emergency, text, at)
        print(f"{text:<45} {at:%d.%m %H:%M}  before {old:7.1f} h  after {new:7.1f} h  {problem}")


if __name__ == "__main__":
    main()
