"""Alembic environment: runs on the connection the bot hands over (see bot.db.migrate)."""

from alembic import context

from bot.db import Base
import bot.migrations.tables  # noqa: F401 - registers every table on Base.metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `python -m bot migrate` (bot.db.migrate).")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
