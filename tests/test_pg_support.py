"""The throwaway PostgreSQL fixture (tests/support/postgres.py) works."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.postgres import reset_database

# Harmless when tests/conftest.py already loads the plugin; makes this module
# self-sufficient when it does not.


async def test_postgres_url_answers_select_version(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+asyncpg://")
    engine = create_async_engine(postgres_url)
    try:
        async with engine.connect() as conn:
            version = (await conn.execute(text("SELECT version()"))).scalar_one()
    finally:
        await engine.dispose()
    assert version.startswith("PostgreSQL")


async def test_reset_database_empties_public_schema(postgres_url: str) -> None:
    engine = create_async_engine(postgres_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE leftover (id integer PRIMARY KEY)"))
            await conn.execute(text("INSERT INTO leftover VALUES (1)"))

        await reset_database(postgres_url)

        async with engine.connect() as conn:
            tables = (
                await conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                )
            ).all()
            # The schema is back and usable.
            await conn.execute(text("CREATE TABLE fresh (id integer)"))
            await conn.rollback()
    finally:
        await engine.dispose()
    assert tables == []
