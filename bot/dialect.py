"""The one place that knows SQLite and PostgreSQL spell 'insert or update' differently."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite


def _insert_for(session):
    name = session.bind.dialect.name if session.bind is not None else "sqlite"
    return postgresql.insert if name == "postgresql" else sqlite.insert


def upsert(session, model, values: dict, *, index_elements: list[str], update_columns: list[str]):
    statement = _insert_for(session)(model).values(**values)
    return statement.on_conflict_do_update(
        index_elements=index_elements,
        set_={column: statement.excluded[column] for column in update_columns},
    )


def insert_ignore(session, model, values: dict, *, index_elements: list[str]):
    statement = _insert_for(session)(model).values(**values)
    return statement.on_conflict_do_nothing(index_elements=index_elements)
