"""Several processes starting at once on one empty PostgreSQL database all migrate it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from core.storage.migrate import alembic_config
from tests.support.postgres import reset_database

ROOT = Path(__file__).resolve().parents[1]
STARTING_AT_ONCE = 4
#: A process of its own for each (Alembic's context is one per process, not per thread).
MIGRATE = "import sys; from core.storage.migrate import upgrade; upgrade(sys.argv[1])"


async def _migrate(url: str) -> tuple[int, bytes]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        MIGRATE,
        url,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, errors = await asyncio.wait_for(process.communicate(), 120)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return process.returncode, errors


async def test_processes_starting_together_all_migrate(postgres_url: str) -> None:
    await reset_database(postgres_url)
    runs = await asyncio.gather(*(_migrate(postgres_url) for _ in range(STARTING_AT_ONCE)))
    assert [(code, errors.decode()[-300:]) for code, errors in runs if code] == []
    head = ScriptDirectory.from_config(alembic_config(postgres_url)).get_current_head()
    engine = create_async_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            versions = await connection.execute(text("SELECT version_num FROM alembic_version"))
            assert list(versions.scalars()) == [head]
            # The migrations' work was done once: the request numbers start where they should.
            assert await connection.scalar(text("SELECT nextval('request_numbers')")) == 1001
    finally:
        await engine.dispose()
