"""Every SQL statement on the case tables (cases, case_events, case_reference_counters), in one place.

The case service, the reports, retention and the reminder scan ask here; nothing else reads or
writes these tables. The caller owns the transaction: each function runs on the connection or
session it is given. Rows come back as plain rows; turning them into domain cases needs the case
engine, which is the service's.

The hot statements are Core statements built once: loading and flushing ORM objects cost more than
the queries themselves (docs/performance.md).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import ARRAY, BigInteger, and_, any_, bindparam, delete, exists, func, insert, or_, select, union, update

from bot.dialect import insert_for, is_sqlite
from bot.domain.case import Actor, Case, CaseEvent, CaseStatus, Change, EventKind
from bot.domain.clock import utc
from bot.unit_of_work import DriverStatement

from .tables import CaseEventRow, CaseReferenceCounterRow, CaseRow

log = logging.getLogger(__name__)

_CASES = CaseRow.__table__
_EVENTS = CaseEventRow.__table__
_COUNTERS = CaseReferenceCounterRow.__table__
_OPEN = CaseStatus.OPEN.value
# Events the bot writes itself: they do not keep a case alive (retention).
_BOT_EVENT_KINDS = ("reminder_sent",)

# A case and its events in one statement (one round trip): one row per event, case columns repeated.
_CASE_WITH_EVENTS = (
    select(_CASES.c.id, _CASES.c.reference, _CASES.c.routine_key, _CASES.c.facts, _CASES.c.team_id,
           _CASES.c.conversation_id, _CASES.c.customer_ref, _EVENTS.c.seq, _EVENTS.c.kind, _EVENTS.c.at,
           _EVENTS.c.actor_id, _EVENTS.c.actor_name, _EVENTS.c.step_id, _EVENTS.c.text)
    .select_from(_CASES.outerjoin(_EVENTS, _EVENTS.c.case_id == _CASES.c.id))
    .where(_CASES.c.reference == bindparam("reference"))
    .order_by(_EVENTS.c.seq)
)
# Locking on PostgreSQL: after waiting for a lock, PostgreSQL returns the case row as committed by
# the other writer but a join's event rows from before the wait. The locked row's version (its
# number of events) tells: when it differs from the events read, a second statement reads them.
# Uncontended (the usual case), locking and loading is one statement.
_CASE_WITH_EVENTS_FOR_UPDATE = DriverStatement(_CASE_WITH_EVENTS.add_columns(_CASES.c.version).with_for_update(of=_CASES))
_CASE_WITH_EVENTS_BY_ID = DriverStatement(_CASE_WITH_EVENTS.where(_CASES.c.id == bindparam("case_id")))
_CASE_COLUMNS = select(_CASES.c.id, _CASES.c.reference, _CASES.c.routine_key, _CASES.c.facts, _CASES.c.team_id,
                       _CASES.c.conversation_id, _CASES.c.customer_ref)
_EVENT_COLUMNS = select(_EVENTS.c.case_id, _EVENTS.c.seq, _EVENTS.c.kind, _EVENTS.c.at, _EVENTS.c.actor_id,
                        _EVENTS.c.actor_name, _EVENTS.c.step_id, _EVENTS.c.text)
# The events of cases already found, by their ids, not by the cases' condition again as a subquery:
# on that, PostgreSQL at 100,000 cases planned a parallel scan of every case to find the 400 open
# ones (35 of the reminder scan's 70 ms; docs/performance.md). PostgreSQL takes the ids as one array.
_EVENTS_OF = _EVENT_COLUMNS.order_by(_EVENTS.c.case_id, _EVENTS.c.seq)


def _ids_in(column, dialect: str):
    """`column` is one of the ids given as the parameter case_ids."""
    if dialect == "postgresql":
        return column == any_(bindparam("case_ids", type_=ARRAY(BigInteger)))
    return column.in_(bindparam("case_ids", expanding=True))


_EVENTS_OF_IDS = {dialect: _EVENTS_OF.where(_ids_in(_EVENTS.c.case_id, dialect)) for dialect in ("postgresql", "sqlite")}
_IDS_PER_STATEMENT = 10_000  # SQLite takes up to 32,766 parameters in a statement
_INSERT_CASE = insert(_CASES).returning(_CASES.c.id)
_INSERT_EVENTS = insert(_EVENTS)
# Moving the projection on, only if nobody else did meanwhile (the version check).
_UPDATE_CASE = (
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"), _CASES.c.version == bindparam("old_version"))
    .values(version=bindparam("new_version", type_=_CASES.c.version.type),
            status=bindparam("new_status", type_=_CASES.c.status.type),
            updated_at=bindparam("new_updated_at", type_=_CASES.c.updated_at.type))
)
_UPDATE_ENDED_CASE = _UPDATE_CASE.values(ended_at=bindparam("new_ended_at", type_=_CASES.c.ended_at.type))


def _moved_then_one_event(move_case):
    """PostgreSQL: the projection moved on and one event appended, in one statement (one round trip);
    no event row when the version check finds another writer first."""
    moved = move_case.returning(_CASES.c.id).cte("moved")
    columns = ["seq", "kind", "step_id", "text", "actor_id", "actor_name", "at"]
    event = select(moved.c.id, *[bindparam(name, type_=_EVENTS.c[name].type) for name in columns])
    return insert(_EVENTS).from_select(["case_id", *columns], event).add_cte(moved)


_ONE_EVENT_AFTER = {_UPDATE_CASE: DriverStatement(_moved_then_one_event(_UPDATE_CASE)),
                    _UPDATE_ENDED_CASE: DriverStatement(_moved_then_one_event(_UPDATE_ENDED_CASE))}
# The next reference number of a year, per dialect (an upsert, safe under concurrency).
_NEXT_NUMBER = {
    name: dialect_insert(_COUNTERS)
    .values(year=bindparam("year"), last_value=1)
    .on_conflict_do_update(index_elements=[_COUNTERS.c.year], set_={"last_value": _COUNTERS.c.last_value + 1})
    .returning(_COUNTERS.c.last_value)
    for name, dialect_insert in ((name, insert_for(name)) for name in ("postgresql", "sqlite"))
}
# The audit export, as plain columns, not ORM objects: building two objects per exported event cost
# more than the query (docs/performance.md, export at 100,000 cases). The period is read on
# ix_case_events_at.
_EXPORT = (
    select(_CASES.c.reference, _CASES.c.routine_key, _CASES.c.status, _CASES.c.team_id, _CASES.c.customer_ref,
           _EVENTS.c.seq, _EVENTS.c.kind, _EVENTS.c.step_id, _EVENTS.c.text, _EVENTS.c.actor_id,
           _EVENTS.c.actor_name, _EVENTS.c.at)
    .select_from(_CASES.join(_EVENTS, _EVENTS.c.case_id == _CASES.c.id))
    .where(_EVENTS.c.at >= bindparam("begin"), _EVENTS.c.at < bindparam("finish"))
    .order_by(_EVENTS.c.at, _CASES.c.reference, _EVENTS.c.seq)
)


# --- one case -------------------------------------------------------------------------------------

async def case_with_events(conn, reference: str) -> list:
    """The case's row joined with its events (empty when there is no such case)."""
    return (await conn.execute(_CASE_WITH_EVENTS, {"reference": reference})).all()


async def lock_case_with_events(conn, reference: str) -> list:
    """The case row locked (FOR UPDATE OF cases), joined with its events; empty when there is none."""
    if is_sqlite(conn):
        # No FOR UPDATE there: the single pooled connection serialises writers, one statement does.
        return await case_with_events(conn, reference)
    rows = await _CASE_WITH_EVENTS_FOR_UPDATE.rows(conn, {"reference": reference})
    if rows and rows[0].version != len(event_rows(rows)):
        # We waited for another writer: its events are newer than this statement's snapshot.
        log.debug("case %s: locked after another writer; its events read again", reference)
        rows = await _CASE_WITH_EVENTS_BY_ID.rows(conn, {"reference": reference, "case_id": rows[0].id})
    return rows


def event_rows(rows: Sequence) -> list:
    """The event part of joined case rows (a case without events has one row with seq NULL)."""
    return [row for row in rows if row.seq is not None]


def event_from_row(row) -> CaseEvent:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return CaseEvent(row.seq, EventKind(row.kind), utc(row.at), Actor(row.actor_id, row.actor_name), row.step_id, row.text)


# --- many cases -----------------------------------------------------------------------------------

async def cases_where(conn, condition) -> tuple[list, dict[int, list]]:
    """The case rows matching `condition` (by id) and their event rows by case id: two statements,
    whatever their number."""
    rows = (await conn.execute(_CASE_COLUMNS.where(condition).order_by(_CASES.c.id))).all()
    if not rows:
        return [], {}
    statement = _EVENTS_OF_IDS["sqlite" if is_sqlite(conn) else "postgresql"]
    ids = [row.id for row in rows]
    events_by_case: dict[int, list] = {}
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        for event in await conn.execute(statement, {"case_ids": ids[start:start + _IDS_PER_STATEMENT]}):
            events_by_case.setdefault(event.case_id, []).append(event)
    return rows, events_by_case


def open_in(team_id: str | None, conversation_id: str | None):
    """Open cases of a team and/or a conversation (either match counts); None when neither is given."""
    places = _places(team_id, conversation_id)
    if not places:
        return None
    # "open and (team or conversation)" written as "(open and team) or (open and conversation)":
    # SQLite then reads each side on its (status, team) or (status, conversation) index instead
    # of every open case of every team (at 100,000 cases their rows are spread over the file).
    return or_(*(and_(_CASES.c.status == _OPEN, place) for place in places))


def open_and(condition=None):
    """Open cases, and of those the ones matching `condition` if one is given."""
    is_open = _CASES.c.status == _OPEN
    return is_open if condition is None else and_(is_open, condition)


def involving(user_id: str):
    """Cases the user started or acted on, as two indexed look-ups (created_by_id; actor_id, case_id)
    rather than a correlated EXISTS, which makes SQLite scan every case ever stored."""
    acted = select(_EVENTS.c.case_id).where(_EVENTS.c.actor_id == user_id)
    return or_(_CASES.c.created_by_id == user_id, _CASES.c.id.in_(acted.scalar_subquery()))


def ended_since(since: datetime, team_id: str | None, conversation_id: str | None, user_id: str | None):
    """Cases ended since `since` of a team and/or conversation, else of a user; None when none is
    given. Read on indexes that start with the team or conversation and then the end time, or from
    the user's own cases."""
    places = _places(team_id, conversation_id)
    if not places and user_id:
        places = [_started_or_acted_on(user_id)]
    if not places:
        return None
    return and_(_CASES.c.ended_at >= since, or_(*places))


def _started_or_acted_on(user_id: str):
    """Cases the user started or acted on, as one list of ids from two indexed look-ups: with
    `involving`'s OR, PostgreSQL read every team's cases of the period and filtered them (3,912 rows,
    18 ms for a month at 100,000 cases), where the user's own cases are a few hundred (1.7 ms)."""
    started = select(_CASES.c.id).where(_CASES.c.created_by_id == user_id)
    acted = select(_EVENTS.c.case_id).where(_EVENTS.c.actor_id == user_id)
    return _CASES.c.id.in_(union(started, acted))


def _places(team_id: str | None, conversation_id: str | None) -> list:
    places = []
    if team_id:
        places.append(_CASES.c.team_id == team_id)
    if conversation_id:
        places.append(_CASES.c.conversation_id == conversation_id)
    return places


# --- statistics: a narrow row per case from the database, not whole cases -------------------------

async def ended_with_step_times(conn, condition, start_step: str, end_step: str) -> list:
    """(id, status, routine_key, start_at, end_at) of each case matching `condition`, with when each
    of the two steps was done if it is done now (else None): one statement, one narrow row per case,
    the case's events read on its (case_id, seq) index and not returned."""
    return (await conn.execute(_WITH_STEP_TIMES.where(condition).order_by(_CASES.c.id),
                               {"start_step": start_step, "end_step": end_step})).all()


def _done_at(step: str):
    """When the step the parameter `step` names was done on the outer row's case, if it is done now:
    its last done-or-undone event is a done (as Case.done has it, where an undo takes it off again)."""
    done, marks = _EVENTS.alias(f"{step}_done"), _EVENTS.alias(f"{step}_marks")
    last_mark = (select(func.max(marks.c.seq))
                 .where(marks.c.case_id == _CASES.c.id, marks.c.step_id == bindparam(step),
                        marks.c.kind.in_(_STEP_MARKS))
                 .correlate(_CASES).scalar_subquery())
    return (select(done.c.at)
            .where(done.c.case_id == _CASES.c.id, done.c.seq == last_mark, done.c.kind == EventKind.STEP_DONE.value)
            .scalar_subquery())


_STEP_MARKS = (EventKind.STEP_DONE.value, EventKind.STEP_UNDONE.value)
_WITH_STEP_TIMES = select(_CASES.c.id, _CASES.c.status, _CASES.c.routine_key,
                          _done_at("start_step").label("start_at"), _done_at("end_step").label("end_at"))


# --- writing --------------------------------------------------------------------------------------

async def next_number(bind, year: int) -> int:
    """Take the next reference number of the year (an upsert, safe under concurrency)."""
    statement = _NEXT_NUMBER["sqlite" if is_sqlite(bind) else "postgresql"]
    return (await bind.execute(statement, {"year": year})).scalar_one()


async def insert_case(conn, change: Change) -> None:
    """A new case's row and its first events."""
    case_id = (await conn.execute(_INSERT_CASE, case_values(change.case))).scalar_one()
    await conn.execute(_INSERT_EVENTS, [event_values(case_id, event) for event in change.events])


async def append_events(conn, case_id: int, change: Change) -> bool:
    """Append the new events and move the projection on; False, with nothing written, when another
    writer moved it first (the version check)."""
    case = change.case
    values = {"case_id": case_id, "old_version": len(case.events) - len(change.events),
              "new_version": len(case.events), "new_status": case.status.value,
              "new_updated_at": case.events[-1].at}
    if case.is_open:
        statement = _UPDATE_CASE
    else:
        statement, values["new_ended_at"] = _UPDATE_ENDED_CASE, case.events[-1].at
    if len(change.events) == 1 and not is_sqlite(conn):  # SQLite has no UPDATE inside WITH
        values.update(event_values(case_id, change.events[0]))
        return await _ONE_EVENT_AFTER[statement].rowcount(conn, values) == 1
    if (await conn.execute(statement, values)).rowcount != 1:
        return False
    await conn.execute(_INSERT_EVENTS, [event_values(case_id, event) for event in change.events])
    return True


def case_values(case: Case) -> dict[str, Any]:
    opened = case.events[0]
    return dict(
        reference=case.reference,
        routine_key=case.routine.key,
        facts=_facts_to_json(case.facts),
        team_id=case.team_id,
        conversation_id=case.conversation_id,
        customer_ref=case.customer_ref,
        status=case.status.value,
        version=len(case.events),
        created_by_id=opened.actor.id,
        created_at=opened.at,
        updated_at=opened.at,
    )


def _facts_to_json(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in facts.items()}


def event_values(case_id: int, event: CaseEvent) -> dict[str, Any]:
    return dict(
        case_id=case_id,
        seq=event.seq,
        kind=event.kind.value,
        step_id=event.step_id,
        text=event.text,
        actor_id=event.actor.id,
        actor_name=event.actor.name,
        at=event.at,
    )


# --- the audit export -----------------------------------------------------------------------------

async def events_between(session, begin: datetime, finish: datetime) -> list:
    """Every event in [begin, finish) with its case's columns, by time."""
    return (await session.execute(_EXPORT, {"begin": begin, "finish": finish})).all()


# --- retention and the digest ---------------------------------------------------------------------

def _human_event_since(moment) -> object:
    return exists().where(CaseEventRow.case_id == CaseRow.id, CaseEventRow.at >= moment,
                          CaseEventRow.kind.not_in(_BOT_EVENT_KINDS))


async def revive_abandoned(session) -> list[str]:
    """Clear the abandoned mark of open cases someone acted on since it was set; their references."""
    return list((await session.execute(
        update(CaseRow).where(CaseRow.abandoned_at.is_not(None), CaseRow.status == _OPEN,
                              _human_event_since(CaseRow.abandoned_at))
        .values(abandoned_at=None).returning(CaseRow.reference))).scalars().all())


async def mark_abandoned(session, idle_since: datetime, now: datetime) -> list[str]:
    """Mark open cases nobody has acted on since `idle_since` as abandoned at `now`; their references."""
    return list((await session.execute(
        update(CaseRow).where(CaseRow.abandoned_at.is_(None), CaseRow.status == _OPEN,
                              CaseRow.created_at < idle_since, ~_human_event_since(idle_since))
        .values(abandoned_at=now).returning(CaseRow.reference))).scalars().all())


async def purgeable(session, ended_before: datetime, abandoned_before: datetime) -> list:
    """(id, reference) of cases that ended before `ended_before`, and of open cases marked abandoned
    before `abandoned_before` that nobody has acted on since the mark."""
    ended = and_(CaseRow.ended_at.is_not(None), CaseRow.ended_at < ended_before)
    abandoned = and_(CaseRow.status == _OPEN, CaseRow.abandoned_at.is_not(None),
                     CaseRow.abandoned_at < abandoned_before, ~_human_event_since(CaseRow.abandoned_at))
    return (await session.execute(select(CaseRow.id, CaseRow.reference).where(or_(ended, abandoned)))).all()


async def delete_cases(session, case_ids: list[int]) -> None:
    """Delete the cases and their events (retention is the only caller)."""
    await session.execute(delete(CaseEventRow).where(CaseEventRow.case_id.in_(case_ids)))
    await session.execute(delete(CaseRow).where(CaseRow.id.in_(case_ids)))


def case_touched_in(scope, since: datetime):
    """A condition: some case of the team or conversation `scope` (a column or value) changed since."""
    return exists().where(or_(CaseRow.team_id == scope, CaseRow.conversation_id == scope), CaseRow.updated_at >= since)


def acted_on_a_case(user_id, since: datetime):
    """A condition: the user `user_id` (a column or value) acted on some case since."""
    return exists().where(CaseEventRow.actor_id == user_id, CaseEventRow.at >= since)


async def abandoned_open_cases(session, *, team_id: str | None = None, conversation_id: str | None = None) -> list:
    """(reference, abandoned_at) of the open cases of a team or conversation marked abandoned, oldest first."""
    place = CaseRow.team_id == team_id if team_id is not None else CaseRow.conversation_id == conversation_id
    return (await session.execute(
        select(CaseRow.reference, CaseRow.abandoned_at)
        .where(place, CaseRow.status == _OPEN, CaseRow.abandoned_at.is_not(None))
        .order_by(CaseRow.abandoned_at, CaseRow.reference))).all()
