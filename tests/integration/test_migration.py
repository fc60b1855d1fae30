"""Migration 0002 matches the table declarations and can be rolled back."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import bot.migrations.tables  # noqa: F401 - registers every table
from bot.db import Base, create_engine, migrate

CASE_TABLES = {"cases", "case_events", "case_reference_counters"}


def _touches_case_tables(diff) -> bool:
    text = repr(diff)
    return any(f"'{name}'" in text or f"table={name}" in text or f"Table('{name}'" in text for name in CASE_TABLES)


def _case_table_diffs(sync_connection):
    context = MigrationContext.configure(sync_connection, opts={"compare_type": True})
    return [diff for diff in compare_metadata(context, Base.metadata) if _touches_case_tables(diff)]


async def test_schema_matches_the_declared_tables(db_engine):
    async with db_engine.connect() as conn:
        assert await conn.run_sync(_case_table_diffs) == []


async def test_downgrade_and_upgrade_again(tmp_path):
    from alembic import command

    from bot.db import _alembic_config

    db = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate(db)
        async with db.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(_alembic_config(sync), "0001"))
            names = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
            assert not names & CASE_TABLES
        await migrate(db)
        async with db.connect() as conn:
            names = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
            assert CASE_TABLES <= names
    finally:
        await db.dispose()
