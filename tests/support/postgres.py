"""A throwaway PostgreSQL server for the test run.

Load it as a pytest plugin (``pytest_plugins = ["tests.support.postgres"]`` in the
top-level ``tests/conftest.py``) and ask for the session-scoped ``postgres_url``
fixture::

    async def test_something(postgres_url: str) -> None:
        await reset_database(postgres_url)          # empty ``public`` schema
        engine = create_async_engine(postgres_url)
        try:
            ...
        finally:
            await engine.dispose()

``postgres_url`` is a SQLAlchemy URL, ``postgresql+asyncpg://postgres@127.0.0.1:PORT/DB``.

Behaviour:

* ``TEST_DATABASE_URL`` set: that database is used and no server is started
  (``postgresql://`` / ``postgres://`` URLs are switched to the asyncpg driver).
* Otherwise ``initdb`` + ``pg_ctl`` start a server in a temporary directory: loopback
  only, a random free port, the unix socket inside the temporary directory, trust
  auth, fsync off.  It is stopped (``pg_ctl stop -m immediate``) and the directory is
  removed when the session ends.  The binaries come from ``PG_BINDIR`` if set, else
  ``initdb``/``pg_ctl`` on ``PATH``, else the newest ``/usr/lib/postgresql/*/bin``.
* Running as root (initdb refuses to): the server runs as the ``postgres`` system
  user, or ``nobody`` if there is none, via ``runuser`` (or ``setpriv``).
* No binaries: the test is skipped, or fails if ``REQUIRE_POSTGRES=1`` (CI sets it).

The module has no asserts, so it opts out of pytest's assertion rewriting
(PYTEST_DONT_REWRITE): test modules and conftest may then import ``reset_database``
from it before or after it is registered as a plugin without a rewrite warning.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

__all__ = [
    "PgBinaries",
    "PgServer",
    "find_pg_binaries",
    "postgres_url",
    "reset_database",
    "throwaway_postgres",
]

ENV_URL = "TEST_DATABASE_URL"
ENV_REQUIRE = "REQUIRE_POSTGRES"
ENV_BINDIR = "PG_BINDIR"

DB_USER = "postgres"
DB_NAME = "housing_dispatch_test"

_DEBIAN_GLOB = "/usr/lib/postgresql/*/bin"
_START_ATTEMPTS = 5
_TRUTHY = {"1", "true", "yes", "on"}

# Appended to postgresql.conf: durability off, since the data is thrown away.
_SERVER_SETTINGS = """
# --- tests/support/postgres.py: throwaway test server ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_connections = 100
shared_buffers = 32MB
checkpoint_timeout = 1h
max_wal_size = 1GB
autovacuum = off
logging_collector = off
log_min_messages = warning
log_min_error_statement = panic
"""


@dataclass(frozen=True)
class PgBinaries:
    initdb: Path
    pg_ctl: Path

    @property
    def description(self) -> str:
        return f"initdb={self.initdb}, pg_ctl={self.pg_ctl}"


def _version_key(bindir: str) -> tuple[int, ...]:
    # /usr/lib/postgresql/<version>/bin -> (15,) or (9, 6)
    version = Path(bindir).parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version))


def find_pg_binaries() -> PgBinaries | None:
    """Locate ``initdb`` and ``pg_ctl``; ``None`` if there are none."""
    override = os.environ.get(ENV_BINDIR, "").strip()
    if override:
        bindir = Path(override)
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return PgBinaries(bindir / "initdb", bindir / "pg_ctl")
        return None

    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        # Resolve symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin).
        return PgBinaries(Path(initdb).resolve(), Path(pg_ctl).resolve())

    bindirs = [
        d
        for d in glob.glob(_DEBIAN_GLOB)
        if os.path.isfile(os.path.join(d, "initdb")) and os.path.isfile(os.path.join(d, "pg_ctl"))
    ]
    if not bindirs:
        return None
    newest = Path(max(bindirs, key=_version_key))
    return PgBinaries(newest / "initdb", newest / "pg_ctl")


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as, or ``None`` to run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError(
        "running as root, and there is neither a 'postgres' nor a 'nobody' user to run "
        "the throwaway PostgreSQL server as (initdb refuses to run as root)"
    )


def _as_account(cmd: list[str], account: pwd.struct_passwd | None) -> list[str]:
    if account is None:
        return cmd
    runuser = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.access(p, os.X_OK)), None
    )
    if runuser:
        return [runuser, "-u", account.pw_name, "--", *cmd]
    setpriv = shutil.which("setpriv") or (
        "/usr/bin/setpriv" if os.access("/usr/bin/setpriv", os.X_OK) else None
    )
    if setpriv:
        return [
            setpriv,
            f"--reuid={account.pw_uid}",
            f"--regid={account.pw_gid}",
            "--clear-groups",
            *cmd,
        ]
    raise RuntimeError(
        f"running as root: need runuser or setpriv to start PostgreSQL as {account.pw_name!r}"
    )


def _child_env(account: pwd.struct_passwd | None) -> dict[str, str]:
    # Drop PG* variables (PGDATA, PGPORT, PGHOST, ...) so nothing outside leaks in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    if account is not None:
        env["HOME"] = account.pw_dir
        env["USER"] = env["LOGNAME"] = account.pw_name
    return env


def _run(
    cmd: list[str], *, cwd: Path, env: dict[str, str], what: str, log_file: Path | None = None
) -> None:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}" + _log_tail(log_file)
        )


def _log_tail(log_file: Path | None, lines: int = 40) -> str:
    if log_file is None or not log_file.exists():
        return ""
    tail = log_file.read_text(errors="replace").splitlines()[-lines:]
    return f"\n--- {log_file} ---\n" + "\n".join(tail)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _port_was_taken(log_file: Path) -> bool:
    return log_file.exists() and "could not bind" in log_file.read_text(errors="replace")


def _create_database(port: int, dbname: str) -> None:
    """``CREATE DATABASE`` through asyncpg, on a private event loop in its own thread
    (so it works whether or not the calling thread already runs a loop)."""
    import asyncpg

    async def create() -> None:
        conn = await asyncpg.connect(
            host="127.0.0.1", port=port, user=DB_USER, database="postgres", timeout=30
        )
        try:
            await conn.execute(f'CREATE DATABASE "{dbname}"')
        finally:
            await conn.close()

    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(create())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target, name="create-test-database")
    thread.start()
    thread.join()
    if errors:
        raise RuntimeError(f"could not create database {dbname!r}") from errors[0]


def _stop_server(
    bins: PgBinaries, data_dir: Path, base_dir: Path, account: pwd.struct_passwd | None
) -> None:
    cmd = [str(bins.pg_ctl), "stop", "-D", str(data_dir), "-m", "immediate", "-w", "-t", "30"]
    proc = subprocess.run(
        _as_account(cmd, account),
        cwd=base_dir,
        env=_child_env(account),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 0:
        return
    # Last resort: signal the postmaster directly (SIGQUIT = immediate shutdown).
    pid_file = data_dir / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, signal.SIGQUIT)


@dataclass(frozen=True)
class PgServer:
    """A running throwaway server: its URL, and what a fault or load harness needs."""

    url: str
    bins: PgBinaries
    data_dir: Path
    base_dir: Path
    account: pwd.struct_passwd | None

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every connection is cut, the server comes back."""
        cmd = [str(self.bins.pg_ctl), "restart", "-D", str(self.data_dir), "-m", "fast"]
        cmd += ["-w", "-t", "60", "-l", str(self.base_dir / "server.log")]
        _run(
            _as_account(cmd, self.account),
            cwd=self.base_dir,
            env=_child_env(self.account),
            what="pg_ctl restart",
            log_file=self.base_dir / "server.log",
        )

    def postmaster_pid(self) -> int:
        return int((self.data_dir / "postmaster.pid").read_text().splitlines()[0])


@contextlib.contextmanager
def throwaway_postgres(bins: PgBinaries | None = None, dbname: str = DB_NAME) -> Iterator[PgServer]:
    """Start a throwaway server with a fresh database, yield it (``.url`` is a
    ``postgresql+asyncpg://`` URL), and stop the server and delete its files afterwards."""
    bins = bins or find_pg_binaries()
    if bins is None:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    account = _server_account()
    env = _child_env(account)
    # As root, keep the directory somewhere the server account can reach.
    parent = "/tmp" if account is not None and os.path.isdir("/tmp") else None
    base_dir = Path(tempfile.mkdtemp(prefix="pytest-postgres-", dir=parent))
    data_dir = base_dir / "data"
    log_file = base_dir / "server.log"
    started = False
    try:
        if account is not None:
            os.chown(base_dir, account.pw_uid, account.pw_gid)
        initdb = [
            str(bins.initdb),
            "-D",
            str(data_dir),
            "-U",
            DB_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]
        _run(_as_account(initdb, account), cwd=base_dir, env=env, what="initdb")
        with (data_dir / "postgresql.conf").open("a") as conf:
            conf.write(_SERVER_SETTINGS.format(socket_dir=base_dir))

        port = 0
        for attempt in range(1, _START_ATTEMPTS + 1):
            port = _free_port()
            start = [
                str(bins.pg_ctl),
                "start",
                "-D",
                str(data_dir),
                "-l",
                str(log_file),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {port}",
            ]
            started = True  # from here on, always try to stop it
            try:
                _run(
                    _as_account(start, account),
                    cwd=base_dir,
                    env=env,
                    what="pg_ctl start",
                    log_file=log_file,
                )
                break
            except RuntimeError:
                # Another process may have taken the port between probe and bind: retry.
                if attempt == _START_ATTEMPTS or not _port_was_taken(log_file):
                    raise
                _stop_server(bins, data_dir, base_dir, account)
                started = False
                log_file.unlink(missing_ok=True)

        _create_database(port, dbname)
        url = f"postgresql+asyncpg://{DB_USER}@127.0.0.1:{port}/{dbname}"
        yield PgServer(url, bins, data_dir, base_dir, account)
    finally:
        if started:
            _stop_server(bins, data_dir, base_dir, account)
        shutil.rmtree(base_dir, ignore_errors=True)


def _normalise_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a PostgreSQL database for this test session."""
    external = os.environ.get(ENV_URL, "").strip()
    if external:
        yield _normalise_url(external)
        return

    bins = find_pg_binaries()
    if bins is None:
        bindir = os.environ.get(ENV_BINDIR, "").strip()
        where = (
            f"no initdb/pg_ctl in {ENV_BINDIR}={bindir}"
            if bindir
            else f"initdb/pg_ctl neither on PATH nor under {_DEBIAN_GLOB}"
        )
        reason = (
            f"PostgreSQL server binaries not found ({where}); install the Debian "
            f"'postgresql' package, set {ENV_BINDIR}, or point {ENV_URL} at a database"
        )
        if os.environ.get(ENV_REQUIRE, "").strip().lower() in _TRUTHY:
            pytest.fail(f"{ENV_REQUIRE} is set but {reason}", pytrace=False)
        pytest.skip(reason)

    with throwaway_postgres(bins) as server:
        yield server.url


async def reset_database(url: str) -> None:
    """Drop and recreate the ``public`` schema: every table, type and sequence in it goes."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
