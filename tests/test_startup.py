"""Start-up and shutdown of the real ``python -m bot`` process.

A start that cannot succeed (the port taken, the database out of reach, a token Telegram
refuses, no SECRET_KEY with real data) ends within seconds with exit code 2 and one line
on stderr naming the setting, having changed nothing.  SIGTERM at any moment ends the
process with exit code 0 within seconds.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.app import DATABASE_TIMEOUT
from tests.support.live import ROOT, LiveService, free_port
from tests.telegram.fake_api import FakeTelegram

#: Generous: on a busy machine importing the messenger libraries alone takes over 10 s.
#: A start that retries instead of refusing never ends, so the bound still tells them apart.
WITHIN = 30.0
PASSWORD = "Sekr3t-Pa55word"
KEY = "k" * 40


@dataclass
class Outcome:
    code: int
    stderr: str
    seconds: float

    @property
    def line(self) -> str:
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        return lines[0]


def service_env(workdir: Path, **env: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/live.db",
        "MEDIA_DIR": str(workdir / "media"),
        "DEMO_DATA": "1",
        "LOG_LEVEL": "WARNING",
        **env,
    }


def run(workdir: Path, **env: str) -> Outcome:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=workdir,
        env=service_env(workdir, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Outcome(result.returncode, result.stderr, time.monotonic() - started)


def assert_refused(outcome: Outcome, setting: str) -> str:
    assert outcome.code == 2, outcome.stderr
    assert setting in outcome.line
    assert "Traceback" not in outcome.stderr
    assert outcome.seconds < WITHIN
    return outcome.line


def tables(path: Path) -> list[str]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM sqlite_master")]


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


# -- a start that cannot succeed ------------------------------------------------------


def test_a_taken_port_is_one_line_and_nothing_is_migrated(tmp_path: Path, taken_port: int) -> None:
    line = assert_refused(run(tmp_path, PORT=str(taken_port)), "PORT")
    assert str(taken_port) in line
    assert not (tmp_path / "live.db").exists()


def test_no_database_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://dispatch:{PASSWORD}@127.0.0.1:{free_port()}/dispatch"
    outcome = run(tmp_path, DATABASE_URL=url)
    assert_refused(outcome, "DATABASE_URL")
    assert PASSWORD not in outcome.stderr


def test_a_database_server_that_never_answers_is_one_line(tmp_path: Path, taken_port: int) -> None:
    """The socket accepts connections (the kernel completes them) but nobody answers."""
    url = f"postgresql+asyncpg://dispatch:{PASSWORD}@127.0.0.1:{taken_port}/dispatch"
    outcome = run(tmp_path, DATABASE_URL=url)
    assert outcome.code == 2, outcome.stderr
    assert "DATABASE_URL" in outcome.line
    assert "no answer" in outcome.line
    assert outcome.seconds < DATABASE_TIMEOUT + WITHIN


def test_an_unparsable_database_url_is_one_line_without_the_password(tmp_path: Path) -> None:
    outcome = run(tmp_path, DATABASE_URL=f"postgresql+asyncpg://u:{PASSWORD}@db:port/dispatch")
    assert_refused(outcome, "DATABASE_URL")
    assert PASSWORD not in outcome.stderr


def test_a_database_that_does_not_exist_is_one_line(tmp_path: Path, postgres_url: str) -> None:
    url = make_url(postgres_url).set(database="no_such_db").render_as_string(hide_password=False)
    line = assert_refused(run(tmp_path, DATABASE_URL=url), "DATABASE_URL")
    assert "no_such_db" in line


async def test_a_token_telegram_refuses_is_one_line_and_nothing_is_migrated(
    tmp_path: Path,
) -> None:
    fake = FakeTelegram()
    api = await fake.start()
    try:
        env = service_env(
            tmp_path,
            TELEGRAM_BOT_TOKEN="123:REFUSED",
            TELEGRAM_API_BASE=api,
            SECRET_KEY=KEY,
        )
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
        outcome = Outcome(process.returncode or 0, stderr.decode(), time.monotonic() - started)
    finally:
        await fake.close()
    assert_refused(outcome, "TELEGRAM_BOT_TOKEN")
    assert "REFUSED" not in outcome.stderr
    assert tables(tmp_path / "live.db") == []


# -- SECRET_KEY ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "env",
    [
        {"DEMO_DATA": "0"},
        {"TELEGRAM_BOT_TOKEN": "123:ABC", "TELEGRAM_API_BASE": "http://127.0.0.1:9"},
        {"DEMO_DATA": "0", "SECRET_KEY": "short-Key-7"},
    ],
    ids=["no-demo", "messenger-token", "short"],
)
def test_real_data_needs_a_fixed_secret_key(tmp_path: Path, env: dict[str, str]) -> None:
    outcome = run(tmp_path, **env)
    assert_refused(outcome, "SECRET_KEY")
    assert "short-Key-7" not in outcome.stderr
    assert not (tmp_path / "live.db").exists()


def test_the_demo_key_is_made_once_kept_private_and_never_logged(tmp_path: Path) -> None:
    service = LiveService(tmp_path, LOG_LEVEL="DEBUG")
    service.start()
    service.stop()
    key_file = tmp_path / "secret_key"  # beside MEDIA_DIR
    key = key_file.read_text(encoding="ascii")
    assert len(key) >= 32
    assert key_file.stat().st_mode & 0o777 == 0o600
    second = LiveService(tmp_path, LOG_LEVEL="DEBUG")  # another process, then a restart
    second.start()
    service.start()
    second.stop()
    service.stop()
    assert key_file.read_text(encoding="ascii") == key
    assert key not in (tmp_path / "service.log").read_text()


# -- SIGTERM ------------------------------------------------------------------------


def stop_after(process: subprocess.Popen[bytes], delay: float, signals: int = 1) -> float:
    """Seconds from the first SIGTERM to the exit; the exit code must be 0."""
    time.sleep(delay)
    asked = time.monotonic()
    for _ in range(signals):
        process.send_signal(signal.SIGTERM)
        time.sleep(0.05)
    code = process.wait(60)
    assert code == 0
    return time.monotonic() - asked


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_sigterm_during_the_start_exits_0(tmp_path: Path, delay: float) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=service_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert stop_after(process, delay) < WITHIN


@pytest.mark.parametrize("signals", [1, 3], ids=["serving", "again-while-stopping"])
def test_sigterm_while_serving_exits_0(tmp_path: Path, signals: int) -> None:
    service = LiveService(tmp_path)
    service.start()
    assert service.process is not None
    assert stop_after(service.process, 0, signals) < WITHIN
