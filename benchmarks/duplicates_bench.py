"""Duplicate offers on labelled pairs (data/eval/duplicate_pairs*.csv).

Usage (from the repository root)::

    python benchmarks/duplicates_bench.py           # every development set (own, c to g)
    python benchmarks/duplicates_bench.py --errors  # and the pairs it gets wrong
    python benchmarks/duplicates_bench.py --dev-c   # only the independent development set c
    python benchmarks/duplicates_bench.py --dev-d   # only the independent development set d
    python benchmarks/duplicates_bench.py --dev-e   # only the independent development set e
    python benchmarks/duplicates_bench.py --dev-f   # only the independent development set f
    python benchmarks/duplicates_bench.py --dev-g   # only the independent development set g
    python benchmarks/duplicates_bench.py --frozen  # the held-out sets (h, i, j), errors unlisted
    python benchmarks/duplicates_bench.py --data FILE [--errors]  # one file of pairs, such as
        # the residents' answers `python -m bot admin export-duplicate-pairs` writes

Prints, for each set, the precision and recall of the offers
``core.duplicates.same_problem`` makes, with the service's words (dictionary forms and
``data/synonyms.csv``) and with words cut to their first five letters, next to the rule
before both (same building and type, same entrance where it matters), and how long the
words take to load.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.admin import PAIR_COLUMNS  # noqa: E402
from bot.field_words import load_field_words  # noqa: E402
from core.duplicates import Lexicon, same_problem  # noqa: E402
from core.incidents import PER_ENTRANCE, entrance_of  # noqa: E402
from core.model import Category  # noqa: E402


def _type_and_entrance(row: dict[str, str]) -> bool:
    if Category(row["category"]) not in PER_ENTRANCE:
        return True
    new, old = entrance_of(row["new_location"]), entrance_of(row["open_location"])
    return new is None or old in (new, None)


class Prefixes:
    """Words cut to five letters, "does not work" in any words as one word; no word is
    known to name a thing or a supply, nor to state a fault; Latin letters stay Latin."""

    def names_thing(self, word: str) -> bool:
        return False

    def sets_scene(self, word: str) -> bool:
        return False

    def state(self, word: str, denied: bool) -> str | None:
        return None

    def readable(self, text: str) -> str:
        return text

    def canonical(self, word: str) -> str:
        return (
            "<broken>"
            if re.match(r"работ|слома|стоит|едет|неисправ|broken|work", word)
            else word[:5]
        )


def _same_problem(lexicon: Lexicon) -> Callable[[dict[str, str]], bool]:
    def offer(row: dict[str, str]) -> bool:
        return same_problem(
            row["new_location"], row["new_text"], row["open_location"], row["open_text"], lexicon
        )

    return offer


def report(
    title: str, rows: list[dict[str, str]], offer: Callable[[dict[str, str]], bool], errors: bool
) -> None:
    tp = fp = fn = 0
    for row in rows:
        offered, same = offer(row), row["same"] == "1"
        tp += offered and same
        fp += offered and not same
        fn += same and not offered
        if errors and offered != same:
            print(
                f"    {'false offer' if offered else 'missed'}: {row['new_text']!r} "
                f"({row['new_location']}) vs {row['open_text']!r} ({row['open_location']})"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    offers = tp + fp
    print(
        f"{title}: {len(rows)} pairs, {offers} offers, "
        f"precision {precision:.1%}, recall {recall:.1%}"
    )


#: The development sets: read while writing the rules (see data/README.md).
DEVELOPMENT = {
    "own": "duplicate_pairs.csv",
    "c": "duplicate_pairs_frozen_c.csv",
    "d": "duplicate_pairs_frozen_d.csv",
    "e": "duplicate_pairs_frozen_e.csv",
    "f": "duplicate_pairs_frozen_f.csv",
    "g": "duplicate_pairs_frozen_g.csv",
}
#: The held-out sets, scored once by the lead; their errors are never listed.
HELD_OUT = [f"duplicate_pairs_frozen_{name}.csv" for name in "hij"]


def _read(name: str) -> list[dict[str, str]]:
    with (REPO / "data" / "eval" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _read_data(path: Path) -> list[dict[str, str]]:
    """A file of pairs given on the command line.  Only its leading lines are comments: a
    line further down that starts with "#" continues a resident's words over lines."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(itertools.dropwhile(lambda line: line.startswith("#"), f)))


def _held_out(path: Path) -> bool:
    return any(
        (REPO / "data" / "eval" / name).exists()
        and os.path.samefile(path, REPO / "data" / "eval" / name)
        for name in HELD_OUT
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the wrong pairs")
    sets = parser.add_mutually_exclusive_group()
    sets.add_argument("--dev-c", action="store_true", help="score only the development set c")
    sets.add_argument("--dev-d", action="store_true", help="score only the development set d")
    sets.add_argument("--dev-e", action="store_true", help="score only the development set e")
    sets.add_argument("--dev-f", action="store_true", help="score only the development set f")
    sets.add_argument("--dev-g", action="store_true", help="score only the development set g")
    sets.add_argument(
        "--frozen",
        action="store_true",
        help="score only the held-out independent sets (h, i, j), never listing their errors",
    )
    sets.add_argument(
        "--data",
        type=Path,
        metavar="FILE",
        help="score only this file of pairs (the columns of data/eval/duplicate_pairs.csv)",
    )
    args = parser.parse_args()
    if args.data is not None:
        scored = {str(args.data): _read_data_or_stop(parser, args.data)}
        errors = args.errors
    else:
        only = [name for name in "cdefg" if getattr(args, f"dev_{name}")]
        if args.frozen:
            names = HELD_OUT
        elif only:
            names = [DEVELOPMENT[only[0]]]
        else:
            names = list(DEVELOPMENT.values())
        for name in names:
            if not (REPO / "data" / "eval" / name).exists():
                parser.error(f"data/eval/{name} is not in this tree")
        scored = {name: _read(name) for name in names}
        errors = args.errors and not args.frozen
    started = time.perf_counter()
    words = load_field_words()
    loaded = time.perf_counter() - started
    for name, rows in scored.items():
        print(f"{name}:")
        report("  type + entrance", rows, _type_and_entrance, errors=False)
        report(
            "  same_problem, five-letter prefixes", rows, _same_problem(Prefixes()), errors=False
        )
        report("  same_problem, dictionary forms + synonyms", rows, _same_problem(words), errors)
    print(f"(the dictionary forms and synonyms loaded in {loaded * 1000:.0f} ms)")


def _read_data_or_stop(parser: argparse.ArgumentParser, path: Path) -> list[dict[str, str]]:
    """The pairs of a file given with --data; a held-out set is refused, so that its
    errors are never listed."""
    if not path.is_file():
        parser.error(f"{path} is not a file")
    if _held_out(path):
        parser.error(f"{path} is a held-out set: score it with --frozen")
    rows = _read_data(path)
    if rows and not set(PAIR_COLUMNS) <= set(rows[0]):
        parser.error(f"{path} lacks the columns {', '.join(PAIR_COLUMNS)}")
    return rows


if __name__ == "__main__":
    main()
