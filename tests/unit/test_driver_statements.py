"""The statements a turn sends straight to asyncpg (unit_of_work.DriverStatement) carry no value that
SQLAlchemy would have converted on its way: on the driver nobody would."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Numeric, PickleType, Table, bindparam, select, update

from bot.cases import repository
from bot.notifications import subscriptions
from bot.teams import storage, turns
from bot.unit_of_work import DriverStatement

_WRAPPED = {
    "case row locked with its events": repository._CASE_WITH_EVENTS_FOR_UPDATE,
    "case row with its events, again": repository._CASE_WITH_EVENTS_BY_ID,
    "case moved on with one event": repository._ONE_EVENT_AFTER[repository._UPDATE_CASE],
    "case ended with one event": repository._ONE_EVENT_AFTER[repository._UPDATE_ENDED_CASE],
    "notice channel": subscriptions._CHANNEL_BY_SCOPE,
    "dialog state, conditional": storage._UPDATE_IF_CURRENT,
    "dialog state, upsert": storage._upsert_for("postgresql"),
    "journal entry": turns._RECORD,
}


@pytest.mark.parametrize("name", sorted(_WRAPPED))
def test_each_statement_on_the_driver_compiles_for_asyncpg_without_conversions(name):
    sql, names = _WRAPPED[name]._compiled
    assert sql.count("$") == len(names) and all(f"${n}" in sql for n in range(1, len(names) + 1))


_T = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("amount", Numeric),
           Column("blob", PickleType))


@pytest.mark.parametrize("statement, converted", [
    (select(_T.c.id, _T.c.amount), "amount"),  # Numeric: processed on the way out
    (update(_T).values(blob=bindparam("b")).where(_T.c.id == bindparam("i")), "b"),  # pickled on the way in
])
def test_a_statement_whose_values_sqlalchemy_converts_is_refused(statement, converted):
    with pytest.raises(TypeError, match=converted):
        DriverStatement(statement)._compiled
