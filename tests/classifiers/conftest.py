from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TRAIN_CSV = REPO / "data" / "classifier" / "train.csv"
HELDOUT_CSV = REPO / "data" / "classifier" / "heldout.csv"


def run_cli(*args: str, stdin: str | bytes = "", cwd: Path | None = None):
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "classifiers", *args],
        input=data,
        capture_output=True,
        cwd=cwd or REPO,
        timeout=120,
        check=False,
    )


def small_rows(per_class: int = 12) -> list[dict[str, str]]:
    """A small, balanced slice of the shipped corpus (with both emergency values)."""
    by_key: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with TRAIN_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            bucket = by_key[row["category"], row["emergency"]]
            if len(bucket) < per_class:
                bucket.append(row)
    by_cat: dict[str, list[dict[str, str]]] = defaultdict(list)
    for (category, _), bucket in sorted(by_key.items(), reverse=True):
        need = per_class - len(by_cat[category])
        by_cat[category].extend(bucket[: max(need, per_class // 3)])
    rows = [r for bucket in by_cat.values() for r in bucket]
    assert {r["emergency"] for r in rows} == {"0", "1"}
    return rows


def write_rows(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fields = list(rows[0].keys())
        writer = csv.DictWriter(fh, fieldnames=fields, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_rows(tmp_path_factory.mktemp("data") / "small.csv", small_rows())


@pytest.fixture(scope="session")
def small_model(tmp_path_factory: pytest.TempPathFactory, small_csv: Path) -> Path:
    out = tmp_path_factory.mktemp("model") / "small.skops"
    proc = run_cli("train", "--data", str(small_csv), "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    return out
