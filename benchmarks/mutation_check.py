"""Mutation check of the critical paths: break each on purpose, show that a test fails.

    python -m benchmarks.mutation_check [--only NAME ...] [--timeout 600] [--keep]

For each mutation the repository is copied to a scratch directory, one line of source is
replaced (the original text must occur exactly once, so the check fails loudly when the
code moves instead of silently testing nothing), and the tests of that path run there
with a time limit.  First the same tests run on an unmutated copy: a mutation only
counts as caught when those tests passed without it.  Prints a table; exits non-zero
when a mutation survives, does not apply, or the unmutated tests fail.

Too slow for every CI run (each run starts its own PostgreSQL): run it by hand after
changing a critical path or its tests.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(
    ".git", "__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache", ".pytest_cache"
)


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    original: str
    replacement: str
    tests: tuple[str, ...]
    why: str


DEDUP_TESTS = (
    "tests/test_storage.py",
    "tests/telegram/test_telegram_inbound.py",
    "tests/test_transcript_bad_input.py",
    "tests/test_intake.py",
    "tests/conformance/test_conformance.py",
)
PAYLOAD_TESTS = (
    "tests/unit/test_payloads.py",
    "tests/unit/test_lifecycle.py",
    "tests/test_transcript_bad_input.py",
    "tests/test_transcript_lifecycle.py",
    "tests/telegram/test_telegram_presses.py",
)
OUTBOX_TESTS = (
    "tests/test_storage.py",
    "tests/test_outbox_worker.py",
    "tests/telegram/test_telegram_outbound.py",
)
REMINDER_TESTS = ("tests/test_sweeps.py", "tests/test_storage.py")
STATE_TESTS = ("tests/unit/test_dialogue_state.py", "tests/test_transcript_resume.py")

MUTATIONS = (
    Mutation(
        "dedup: no unique key on the inbox",
        "core/storage/migrations/versions/0001_initial_schema.py",
        '        sa.UniqueConstraint("channel", "event_id", name=op.f("uq_inbox_channel")),\n',
        "",
        DEDUP_TESTS,
        "a redelivered update is stored (and answered) twice",
    ),
    Mutation(
        "dedup: insert without skipping the known",
        "core/storage/queues.py",
        '    .on_conflict_do_nothing(index_elements=["channel", "event_id"])\n',
        "",
        DEDUP_TESTS,
        "a redelivered update fails to store instead of being acknowledged",
    ),
    Mutation(
        "dedup: every copy reported new",
        "core/storage/queues.py",
        "        results.append((known[key], fresh.pop(key, None) is not None))\n",
        "        results.append((known[key], True))\n",
        DEDUP_TESTS,
        "a redelivery wakes the worker and is counted as new",
    ),
    Mutation(
        "payload: request id not checked",
        "core/payloads.py",
        "        if not _OP.fullmatch(op) or not _ID.fullmatch(rid)"
        " or not _VERSION.fullmatch(ver):\n",
        "        if not _OP.fullmatch(op) or not _VERSION.fullmatch(ver):\n",
        PAYLOAD_TESTS,
        "a forged id (+5, ５, 1_0) reaches the use cases",
    ),
    Mutation(
        "payload: older buttons not stale",
        "core/services.py",
        "    if version is not None and request.version != version:\n",
        "    if version is not None and request.version < version:\n",
        PAYLOAD_TESTS,
        "a button of an older version of the request still acts",
    ),
    Mutation(
        "payload: any technician acts as the assignee",
        "core/lifecycle.py",
        "    if role is Role.TECHNICIAN and assignee_id == person_id:\n",
        "    if role is Role.TECHNICIAN:\n",
        PAYLOAD_TESTS,
        "a technician presses another technician's job buttons",
    ),
    Mutation(
        "payload: actor not checked",
        "core/lifecycle.py",
        "    if not allowed & actors:\n",
        "    if False:\n",
        PAYLOAD_TESTS,
        "anyone may take any action the state allows",
    ),
    Mutation(
        "outbox: a chat's later message overtakes",
        "core/storage/queues.py",
        "            or_(OutboxItem.answer, ~behind),\n",
        "",
        OUTBOX_TESTS,
        "a retried message is overtaken by the chat's next one",
    ),
    Mutation(
        "outbox: the newest pending goes first",
        "core/storage/queues.py",
        "            earlier.id < OutboxItem.id,\n",
        "            earlier.id > OutboxItem.id,\n",
        OUTBOX_TESTS,
        "one chat's messages are sent newest first",
    ),
    Mutation(
        "reminder: no unique key",
        "core/storage/migrations/versions/0003_dispatch_operations.py",
        '        sa.UniqueConstraint("request_id", "kind", "period",'
        ' name=op.f("uq_reminders_request_id")),\n',
        "",
        REMINDER_TESTS,
        "every sweep records and sends the same reminder again",
    ),
    Mutation(
        "reminder: claim always succeeds",
        "core/dispatching.py",
        "    return bool(result.rowcount)\n\n\nasync def claim_digest",
        "    return True\n\n\nasync def claim_digest",
        REMINDER_TESTS,
        "a reminder recorded before is sent again",
    ),
    Mutation(
        "reminder: overdue keyed by the sweep's time",
        "core/reminders.py",
        '        items.append(Due(f"overdue:{epoch}", period, "remind_overdue"))\n',
        '        items.append(Due(f"overdue:{int(now.timestamp())}", period, "remind_overdue"))\n',
        REMINDER_TESTS,
        "each sweep after the deadline reminds again",
    ),
    Mutation(
        "state: the question asked is forgotten",
        "bot/conversations/resident/draft.py",
        '        self.step = member(raw, "step", Step)\n',
        "        self.step = None\n",
        STATE_TESTS,
        "a resident halfway through filing starts again after every message",
    ),
    Mutation(
        "state: an unreadable state fails the turn",
        "bot/conversations/state.py",
        "        except Unreadable:\n            pass\n",
        "        except KeyError:\n            pass\n",
        STATE_TESTS,
        "a stored state this code cannot read sets the person's every message aside",
    ),
)


@dataclass
class Outcome:
    name: str
    tests: int
    failed: int
    verdict: str  # "caught", "SURVIVED", "NOT APPLIED", "TIMEOUT", "ERROR"
    seconds: float


SUMMARY = re.compile(r"(\d+) (passed|failed|errors?)")


def counts(output: str) -> tuple[int, int]:
    """(tests run, tests failed or errored) from pytest's closing line."""
    lines = [line for line in output.splitlines() if line.strip()]
    closing = lines[-1] if lines else ""
    found = {kind: int(n) for n, kind in SUMMARY.findall(closing)}
    failed = found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0)
    return found.get("passed", 0) + failed, failed


def scratch_copy(into: Path) -> Path:
    target = into / "repo"
    shutil.copytree(ROOT, target, ignore=IGNORED)
    return target


def apply(repo: Path, mutation: Mutation) -> None:
    path = repo / mutation.path
    source = path.read_text(encoding="utf-8")
    found = source.count(mutation.original)
    if found != 1:
        raise LookupError(f"{mutation.path}: the line to mutate occurs {found} times, not once")
    path.write_text(source.replace(mutation.original, mutation.replacement), encoding="utf-8")


def run_tests(repo: Path, tests: tuple[str, ...], timeout: float) -> tuple[int, str]:
    """pytest in ``repo`` (its code, not the installed copy, comes first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"}
    present = [t for t in tests if (repo / t).exists()]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *present]
    process = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        command, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout
    )
    return process.returncode, process.stdout + process.stderr


def check_imports_from(repo: Path) -> None:
    """Make sure the scratch copy's code is what its tests import."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    probe = "import core.payloads, sys; sys.stdout.write(core.payloads.__file__)"
    where = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", probe], cwd=repo, env=env, capture_output=True, text=True
    ).stdout
    if not Path(where).resolve().is_relative_to(repo.resolve()):
        raise RuntimeError(f"the scratch copy imports {where}, not its own code")


def one(mutation: Mutation | None, tests: tuple[str, ...], timeout: float, keep: bool) -> Outcome:
    name = mutation.name if mutation else "(none: the same tests unmutated)"
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="mutation-"))
    try:
        repo = scratch_copy(scratch)
        check_imports_from(repo)
        if mutation is not None:
            try:
                apply(repo, mutation)
            except LookupError as exc:
                print(f"  {name}: {exc}", file=sys.stderr)
                return Outcome(name, 0, 0, "NOT APPLIED", time.monotonic() - started)
        try:
            code, output = run_tests(repo, tests, timeout)
        except subprocess.TimeoutExpired:
            return Outcome(name, 0, 0, "TIMEOUT", time.monotonic() - started)
        ran, failed = counts(output)
        if mutation is None:
            verdict = "passed" if code == 0 else "ERROR"
        elif code == 1 and failed:
            verdict = "caught"
        elif code == 0:
            verdict = "SURVIVED"
        else:
            verdict = "ERROR"
        if verdict in ("ERROR", "SURVIVED") or (mutation is None and code != 0):
            tail = "\n".join(output.splitlines()[-15:])
            print(f"  {name}: pytest exit {code}\n{tail}", file=sys.stderr)
        return Outcome(name, ran, failed, verdict, time.monotonic() - started)
    finally:
        if keep:
            print(f"  kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="names containing these words")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per test run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directories")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or any(w in m.name for w in args.only)]
    every_test = tuple(dict.fromkeys(t for m in chosen for t in m.tests))

    outcomes = [one(None, every_test, args.timeout, args.keep)]
    for mutation in chosen:
        outcomes.append(one(mutation, mutation.tests, args.timeout, args.keep))
        print(f"  {outcomes[-1].name}: {outcomes[-1].verdict}", file=sys.stderr)

    width = max(len(o.name) for o in outcomes)
    print(f"{'mutation':<{width}}  {'tests run':>9}  {'failed':>6}  {'caught':<11}  seconds")
    for o in outcomes:
        caught = {"caught": "yes", "passed": "-"}.get(o.verdict, o.verdict)
        print(f"{o.name:<{width}}  {o.tests:>9}  {o.failed:>6}  {caught:<11}  {o.seconds:7.0f}")
    baseline_ok = outcomes[0].verdict == "passed"
    all_caught = all(o.verdict == "caught" for o in outcomes[1:])
    return 0 if baseline_ok and all_caught else 1


if __name__ == "__main__":
    raise SystemExit(main())
