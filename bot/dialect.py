"""The one place that knows the bot runs on SQLite or PostgreSQL and how they differ: which one an
engine, connection or URL is, and how each spells 'insert or update' and 'insert or ignore'."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url


def name_of(bind) -> str:
    """'sqlite' or 'postgresql' for an engine, connection, session or URL."""
    if isinstance(bind, str):
        return make_url(bind).get_backend_name()
    if hasattr(bind, "get_bind"):  # a session
        bind = bind.get_bind()
    dialect = getattr(bind, "dialect", None)
    return dialect.name if dialect is not None else make_url(str(bind.url)).get_backend_name()


def is_sqlite(bind) -> bool:
    return name_of(bind) == "sqlite"


def insert_for(dialect_name: str):
    """The dialect's INSERT construct (both have ON CONFLICT)."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def upsert_statement(dialect_name: str, table, *, index_elements: list, update_columns: list[str]):
    statement = insert_for(dialect_name)(table)
    return statement.on_conflict_do_update(
        index_elements=index_elements,
        set_={column: statement.excluded[column] for column in update_columns},
    )


def _insert_for(session):
    return insert_for(session.bind.dialect.name if session.bind is not None else "sqlite")


def upsert(session, model, values: dict, *, index_elements: list[str], update_columns: list[str]):
    statement = _insert_for(session)(model).values(**values)
    return statement.on_conflict_do_update(
        index_elements=index_elements,
        set_={column: statement.excluded[column] for column in update_columns},
    )


def insert_ignore(session, model, values: dict, *, index_elements: list[str]):
    statement = _insert_for(session)(model).values(**values)
    return statement.on_conflict_do_nothing(index_elements=index_elements)
