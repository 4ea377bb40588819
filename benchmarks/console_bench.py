"""The staff console with many requests: the board's first page, a request's page and the
monthly report, each timed against a trivial page (``/healthz``) in the same run, and the
query plans of the board and the report (they must use indexes, not read every row).

In the same run it measures two choices against what they replaced: the report's query
without and with the history index ``ix_request_events_firsts`` (plans and times), and the
board's count of matching requests exact (``count(*)`` of every match) and bounded (a
LIMIT-ed count, "more than N" beyond).

    python -m benchmarks.console_bench --database sqlite --requests 100000
    python -m benchmarks.console_bench --database postgresql --requests 100000

The service runs in this process on an aiohttp test server; requests are written in bulk
(filed, accepted and done events each), spread over a year and the demo's buildings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, insert, select, text

from bot.app import bootstrap, load_demo
from bot.console import auth, queries
from bot.console.web import SESSION_COOKIE
from bot.settings import load_channel_settings, load_settings
from core.model import Category, Status, Urgency
from core.storage.database import Database
from core.storage.migrate import upgrade
from core.storage.tables import (
    Building,
    ConsoleAccount,
    Person,
    Request,
    RequestCounter,
    RequestEvent,
)
from tests.support.postgres import reset_database, throwaway_postgres

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
BATCH = 5000
ROUNDS = 30


@contextlib.contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir}/bench.db"
        return
    with throwaway_postgres() as server:
        yield server.url


async def fill(db: Database, count: int, seed: int = 7) -> None:
    """``count`` requests over the year before NOW, with their history."""
    rng = random.Random(seed)
    async with db.reading() as session:
        buildings = list(await session.scalars(select(Building.id)))
        people = list(await session.scalars(select(Person.id)))
        technicians = list(
            await session.scalars(select(Person.id).where(Person.role == "technician"))
        )
    statuses = [s.value for s in Status]
    for start in range(0, count, BATCH):
        requests, events = [], []
        for number in range(start + 1, min(count, start + BATCH) + 1):
            created = NOW - timedelta(minutes=rng.randrange(365 * 24 * 60))
            status = rng.choice(statuses)
            closed = created + timedelta(hours=rng.uniform(0.5, 72))
            requests.append(
                {
                    "id": number,
                    "number": number,
                    "building_id": rng.choice(buildings),
                    "location": f"apartment:{rng.randrange(1, 100)}",
                    "category": rng.choice(list(Category)).value,
                    "urgency": rng.choice(list(Urgency)).value,
                    "description": "течёт кран на кухне, вода на полу",
                    "status": status,
                    "deadline": created + timedelta(hours=rng.choice((1, 24, 120))),
                    "assignee_id": rng.choice(technicians),
                    "reporter_id": rng.choice(people),
                    "contact_phone": "",
                    "rating": rng.choice((None, 3, 4, 5)),
                    "rating_comment": "",
                    "suggested_category": "",
                    "suggested_emergency": False,
                    "label_confirmed": False,
                    "created_at": created,
                    "updated_at": closed,
                    "closed_at": closed if status in ("closed", "rejected", "cancelled") else None,
                    "version": 1,
                }
            )
            for action, at in (
                ("filed", created),
                ("accept", created + timedelta(minutes=rng.uniform(5, 120))),
                ("done", closed),
            ):
                events.append(
                    {
                        "request_id": number,
                        "action": action,
                        "from_status": "",
                        "to_status": "",
                        "comment": "",
                        "data": {},
                        "created_at": at,
                    }
                )
        async with db.transaction() as session:
            await session.execute(insert(Request), requests)
            await session.execute(insert(RequestEvent), events)
    async with db.transaction() as session:
        connection = await session.connection()
        if connection.dialect.name == "postgresql":
            await session.execute(text(f"SELECT setval('request_numbers', {count})"))
        else:
            await session.execute(RequestCounter.__table__.update().values(last=count))
    await analyze(db)


async def analyze(db: Database) -> None:
    """Fresh statistics; on PostgreSQL also the visibility map that index-only scans rely
    on (autovacuum keeps it in a live database; a bulk load has none yet)."""
    async with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.exec_driver_sql("VACUUM ANALYZE")
        else:
            await connection.exec_driver_sql("ANALYZE")
            await connection.commit()


async def plans(db: Database, tz: Any) -> dict[str, list[str]]:
    """The engine's plan of the board's first page and of the report."""
    board = queries.board_query(queries.Filters(), None, NOW, tz)
    open_board = queries.board_query(queries.Filters(open_only=True), None, NOW, tz)
    found: dict[str, list[str]] = {}
    async with db.reading() as session:
        connection = await session.connection()
        postgres = connection.dialect.name == "postgresql"
        start, end = queries.month_bounds("2026-10", tz)
        report = queries.report_query(start, end, None, connection.dialect.name)
        explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
        for name, statement in (
            ("board", board),
            ("board open", open_board),
            ("report", report),
        ):
            compiled = statement.compile(
                dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
            )
            values = compiled.construct_params()
            result = await connection.exec_driver_sql(
                explain + str(compiled), _bound(compiled, values)
            )
            found[name] = [" ".join(str(c) for c in row) for row in result.all()]
    return found


async def _plan(connection: Any, statement: Any) -> list[str]:
    postgres = connection.dialect.name == "postgresql"
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    values = compiled.construct_params()
    explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    result = await connection.exec_driver_sql(explain + str(compiled), _bound(compiled, values))
    return [" ".join(str(c) for c in row) for row in result.all()]


async def _median_ms(db: Database, statement: Any, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        async with db.reading() as session:
            started = time.perf_counter()
            (await session.execute(statement)).all()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


FIRSTS = "ix_request_events_firsts"


async def report_index_effect(db: Database, tz: Any, rounds: int) -> None:
    """The monthly report's query and plan before (a join of the period's events, no
    history index) and after (each request's events looked up in the index)."""
    start, end = queries.month_bounds("2026-10", tz)
    timings = {}
    for label, ddl, per_request in (
        ("without", f"DROP INDEX {FIRSTS}", False),
        ("with", f"CREATE INDEX {FIRSTS} ON request_events (request_id, action, created_at)", None),
    ):
        async with db.transaction() as session:
            await session.execute(text(ddl))
        await analyze(db)
        async with db.reading() as session:
            connection = await session.connection()
            statement = queries.report_query(
                start, end, None, connection.dialect.name, per_request=per_request
            )
            plan = await _plan(connection, statement)
        timings[label] = await _median_ms(db, statement, rounds)
        shape = "joined" if per_request is False else "as the report runs it"
        print(f"  report query {label} {FIRSTS} ({shape}): {timings[label]:.1f} ms; plan:")
        for line in plan:
            print(f"    {line}")
    print(f"  report query without/with the index: {timings['without'] / timings['with']:.1f} x")


async def count_effect(db: Database, tz: Any, rounds: int) -> None:
    """The board's count of every request: exact, then bounded as the board does it."""
    for name, filters in (("all", queries.Filters()), ("open", queries.Filters(open_only=True))):
        exact = queries._filtered(select(func.count()).select_from(Request), filters, None, NOW, tz)
        bound = queries.COUNT_AHEAD
        limited = queries._filtered(select(Request.id), filters, None, NOW, tz).limit(bound + 1)
        bounded = select(func.count()).select_from(limited.subquery())
        exact_ms = await _median_ms(db, exact, rounds)
        bounded_ms = await _median_ms(db, bounded, rounds)
        print(
            f"  board count ({name}): exact {exact_ms:.1f} ms, bounded at {bound} "
            f"{bounded_ms:.1f} ms = {exact_ms / bounded_ms:.1f} x faster"
        )


def _bound(compiled: Any, values: dict[str, Any]) -> Any:
    """The statement's values in the driver's order (both engines bind by position)."""
    if compiled.positiontup is None:
        return values
    return tuple(values[name] for name in compiled.positiontup)


@contextlib.asynccontextmanager
async def signed_in(url: str, workdir: Path) -> AsyncIterator[TestClient[Any, Any]]:
    settings = load_settings(
        database_url=url,
        media_dir=workdir / "media",
        demo_data=True,
        secret_key="bench-secret-bench-secret-bench-secret",  # noqa: S106
        _env_file=None,
    )
    app = bootstrap(
        settings, channel_settings=load_channel_settings(env_file=None), classifier=None
    )
    client = TestClient(TestServer(app.http))
    await client.start_server()
    try:
        async with app.db.transaction() as session:
            account = ConsoleAccount(
                login="bench", name="bench", role="dispatcher", created_at=NOW, buildings=[]
            )
            account.person_id = await session.scalar(
                select(Person.id).where(Person.role == "dispatcher").limit(1)
            )
            session.add(account)
            await session.flush()
            token = await auth.start_session(
                session, account, datetime.now(UTC), 1, complete=True, address=""
            )
        client.session.cookie_jar.update_cookies({SESSION_COOKIE: token})
        client.app_ref = app  # type: ignore[attr-defined]
        yield client
    finally:
        await client.close()
        await app.stop()


async def timed(client: TestClient[Any, Any], path: str) -> float:
    """Median milliseconds of ``ROUNDS`` GETs of ``path``."""
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = await client.get(path, allow_redirects=False)
        await response.read()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status == 200, (path, response.status)
    return statistics.median(samples)


async def run(kind: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        if kind == "postgresql":
            await reset_database(url)
        await asyncio.to_thread(upgrade, url)
        db = Database(url)
        await load_demo(db, NOW)
        started = time.perf_counter()
        await fill(db, count)
        print(f"{kind}: {count} requests written in {time.perf_counter() - started:.1f} s")
        async with db.reading() as session:
            middle = await session.scalar(select(func.max(Request.number))) or 1
        settings = load_settings(_env_file=None)
        for name, lines in (await plans(db, settings.tz)).items():
            print(f"  plan of {name}:")
            for line in lines:
                print(f"    {line}")
        await report_index_effect(db, settings.tz, rounds=10)
        await count_effect(db, settings.tz, rounds=ROUNDS)
        await db.close()
        async with signed_in(url, Path(tmp)) as client:
            trivial = await timed(client, "/healthz")
            print(f"  /healthz (baseline): {trivial:.2f} ms")
            for label, path in (
                ("board page (HTML)", "/console/"),
                ("board first page (JSON)", "/console/api/board"),
                ("board open, by deadline", "/console/api/board?open=1&sort=deadline&dir=asc"),
                ("request page", f"/console/requests/{middle // 2}"),
                ("monthly report", "/console/report?month=2026-10"),
            ):
                ms = await timed(client, path)
                print(f"  {label}: {ms:.2f} ms = {ms / trivial:.1f} x baseline")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args(argv)
    asyncio.run(run(args.database, args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
