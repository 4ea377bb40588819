"""Language of short first messages (data/eval/first_messages*.csv).

Usage (from the repository root)::

    python benchmarks/language_bench.py           # accuracy
    python benchmarks/language_bench.py --errors  # and the messages it gets wrong
    python benchmarks/language_bench.py --dev-c   # the independent development set (c)
    python benchmarks/language_bench.py --frozen  # the held-out set (d), errors never listed

Prints the accuracy of ``bot.language.detect_language`` (no answer counts as Russian,
the service's default), next to "Cyrillic letters mean Russian, else English".
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.language import detect_language  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the wrong messages")
    sets = parser.add_mutually_exclusive_group()
    sets.add_argument(
        "--dev-c", action="store_true", help="score the independent development set (c) instead"
    )
    sets.add_argument(
        "--frozen",
        action="store_true",
        help="score the held-out independent set (d) instead (never lists its errors)",
    )
    args = parser.parse_args()
    name = "first_messages.csv"
    if args.dev_c:
        name = "first_messages_frozen_c.csv"
    elif args.frozen:
        name = "first_messages_frozen_d.csv"
    path = REPO / "data" / "eval" / name
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    script = sum(
        ("ru" if re.search(r"[а-яё]", r["text"].lower()) else "en") == r["lang"] for r in rows
    )
    started = time.perf_counter()
    right = 0
    for row in rows:
        got = detect_language(row["text"]) or "ru"
        right += got == row["lang"]
        if args.errors and not args.frozen and got != row["lang"]:
            print(f"  {row['text']!r}: want {row['lang']}, got {got}")
    per_message = (time.perf_counter() - started) / len(rows) * 1e6
    n = len(rows)
    print(f"{n} messages: Cyrillic-means-Russian {script / n:.1%}")
    print(f"detect_language {right / n:.1%} ({per_message:.0f} µs per message)")


if __name__ == "__main__":
    main()
