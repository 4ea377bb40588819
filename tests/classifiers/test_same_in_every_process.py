"""Predictions do not depend on the process: string hashing differs per process
(PYTHONHASHSEED), and nothing the model sums may follow its order."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

from conftest import REPO, TRAIN_CSV


def _predict_all(texts: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run(
        [sys.executable, "-m", "classifiers", "predict"],
        input=texts.encode("utf-8"),
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=300,
        check=True,
    )
    return proc.stdout


def test_every_process_gives_the_same_confidences() -> None:
    with TRAIN_CSV.open(encoding="utf-8", newline="") as fh:
        # the whole corpus: a sum in another order rounds differently in about one text
        # of ten thousand
        rows = list(csv.DictReader(fh))
    texts = "".join(" ".join(row["text"].split()) + "\n" for row in rows)
    first = _predict_all(texts, "1")
    assert first.count(b"\n") == len(rows)
    assert _predict_all(texts, "2") == first
