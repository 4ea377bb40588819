"""Address and place extraction on the labelled sets (data/eval/addresses_*.csv).

Usage (from the repository root)::

    python benchmarks/address_bench.py            # the development half
    python benchmarks/address_bench.py --heldout  # also the held-out half (score it last)
    python benchmarks/address_bench.py --dev-c    # also the independent author's set (c)
    python benchmarks/address_bench.py --misses   # list the development sets' misses
    python benchmarks/address_bench.py --frozen   # also the held-out set (d), errors never listed

Prints, for each half, the share of lines whose building, flat, entrance and floor are all
exactly what the dialogue would keep, each field's share, and the common area's share.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.conversations.resident.intake import clear_winner  # noqa: E402
from bot.parsing import address_keys, find_location, match_buildings  # noqa: E402
from core.model import Location, LocationKind  # noqa: E402

FIELDS = ("building", "flat", "entrance", "floor", "common")


def _buildings() -> tuple[list, dict[int, str]]:
    keys = []
    codes = {}
    with (REPO / "data" / "demo" / "buildings.csv").open(encoding="utf-8") as f:
        for number, row in enumerate(csv.DictReader(f), start=1):
            codes[number] = row["code"]
            keys.extend(address_keys(number, row["address"], row["aliases"]))
    return keys, codes


def _place(location: Location | None) -> dict[str, str]:
    out = dict.fromkeys(("flat", "entrance", "floor", "common"), "")
    if location is None:
        return out
    kind = location.kind
    number = "" if location.number is None else str(location.number)
    entrance = "" if location.entrance is None else str(location.entrance)
    floor = "" if location.floor is None else str(location.floor)
    if kind is LocationKind.APARTMENT:
        out.update(flat=number, entrance=entrance, floor=floor)
    elif kind is LocationKind.ENTRANCE:
        out.update(entrance=number)
    elif kind is LocationKind.FLOOR:
        out.update(entrance=entrance, floor=number)
    else:
        out.update(entrance=entrance, floor=floor, common=kind.value)
    return out


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def extract(text: str, keys: list, codes: dict[int, str]) -> dict[str, str]:
    matches = match_buildings(text, keys)
    building = codes[matches[0][0]] if matches and clear_winner(matches) else ""
    return {"building": building, **_place(find_location(text))}


def score(title: str, rows: list[dict[str, str]], misses: bool) -> None:
    keys, codes = _buildings()
    exact = 0
    per_field = dict.fromkeys(FIELDS, 0)
    for row in rows:
        got = extract(row["text"], keys, codes)
        right = {f: got[f] == row[f] for f in FIELDS}
        for field, ok in right.items():
            per_field[field] += ok
        if all(right[f] for f in FIELDS[:4]):
            exact += 1
        elif misses:
            wrong = {f: (row[f], got[f]) for f in FIELDS[:4] if not right[f]}
            print(f"  miss: {row['text']!r} want/got {wrong}")
    n = len(rows)
    fields = ", ".join(f"{f} {per_field[f] / n:.1%}" for f in FIELDS)
    print(f"{title}: {n} lines, exact building+flat+entrance+floor {exact / n:.1%} ({fields})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also score the held-out half")
    parser.add_argument(
        "--dev-c", action="store_true", help="also score the independent development set (c)"
    )
    parser.add_argument("--misses", action="store_true", help="list the development misses")
    parser.add_argument(
        "--frozen",
        action="store_true",
        help="also score the held-out independent set (d); its misses are never listed",
    )
    args = parser.parse_args()
    score("development", read(REPO / "data/eval/addresses_dev.csv"), args.misses)
    if args.heldout:
        score("held-out", read(REPO / "data/eval/addresses_heldout.csv"), misses=False)
    if args.dev_c:
        score("independent (c)", read(REPO / "data/eval/addresses_frozen_c.csv"), args.misses)
    if args.frozen:
        score("frozen (d)", read(REPO / "data/eval/addresses_frozen_d.csv"), misses=False)


if __name__ == "__main__":
    main()
