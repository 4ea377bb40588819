"""The fault suite's short form (``python -m benchmarks.fault_suite --short``): two service
processes on a throwaway PostgreSQL, SIGKILLs, a PostgreSQL restart and a faulty Bot API;
about 1-2 minutes.  Run only this: ``pytest -m fault``.  A failure prints the seed and the
command that replays it."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import ENV_REQUIRE, find_pg_binaries

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.fault
def test_short_fault_suite_passes() -> None:
    if find_pg_binaries() is None:
        if os.environ.get(ENV_REQUIRE, "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail("the fault suite needs initdb and pg_ctl", pytrace=False)
        pytest.skip("the fault suite needs initdb and pg_ctl")
    seed = int(os.environ.get("FAULT_SEED") or random.SystemRandom().randrange(2**32))
    command = [sys.executable, "-m", "benchmarks.fault_suite", "--short", "--seed", str(seed)]
    run = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=420, check=False
    )
    assert run.returncode == 0, (
        f"replay with: FAULT_SEED={seed} pytest -m fault\n{run.stdout}\n{run.stderr[-3000:]}"
    )
    assert f"PASS (seed {seed})" in run.stdout
