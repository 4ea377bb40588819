"""The real service as a subprocess (`python -m bot`), for browser and restart tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveService:
    def __init__(
        self, workdir: Path, command: Sequence[str] = ("-m", "bot", "serve"), **env: str
    ) -> None:
        #: The Python arguments that run the service.
        self.command = list(command)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/live.db",
            "MEDIA_DIR": str(workdir / "media"),
            "DEMO_DATA": "1",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, **env: str) -> None:
        log = (self.workdir / "service.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, *self.command],
            cwd=self.workdir,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"service exited: {(self.workdir / 'service.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("service did not start in 60 s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="session")
def live_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real service with demo data on SQLite."""
    service = LiveService(tmp_path_factory.mktemp("live"))
    service.start()
    try:
        yield service.url
    finally:
        service.stop()
