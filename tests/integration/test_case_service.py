"""The case log through a real database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.cases.service import CaseService
from bot.cases.tables import CaseEventRow, CaseRow
from bot.domain import (
    CaseNotFoundError,
    CaseStatus,
    EventKind,
    PersonalDataError,
    StepOrderError,
)

from tests.support.case_fixtures import ANNA, BERTIL, at_local

MONDAY_9 = at_local(2026, 11, 23, 9)


async def _new_order(service: CaseService, **kwargs):
    return await service.start_case(
        "new_order", actor=ANNA, team_id="team-1", conversation_id="conv-1", now=MONDAY_9, **kwargs
    )


async def test_references_count_per_year(service):
    first = await _new_order(service)
    second = await _new_order(service)
    next_year = await service.start_case("takeover", actor=ANNA, team_id="team-1", now=at_local(2027, 1, 4))
    assert (first.reference, second.reference, next_year.reference) == ("TL-2026-0001", "TL-2026-0002", "TL-2027-0001")


async def test_a_new_order_runs_in_order_and_is_stored(service):
    started = await _new_order(service, facts={"priority": True}, customer_ref="Kund Ö7")
    ref = started.reference
    assert [e.kind for e in started.events] == [EventKind.OPENED]
    with pytest.raises(StepOrderError) as refused:
        await service.complete_step(ref, "notify_installation", ANNA, now=MONDAY_9)
    assert "steg 1 (Acceptera beställningen i Paraplysystemet)" in refused.value.message
    for step in ("accept", "inform_customer", "secure_access", "notify_installation", "installation_feedback", "activate"):
        result = await service.complete_step(ref, step, BERTIL, now=MONDAY_9)
        assert [e.step_id for e in result.events] == [step]
    closed = await service.close(ref, ANNA, now=MONDAY_9)
    assert closed.case.status is CaseStatus.CLOSED
    stored = await service.get_by_reference(ref)
    assert stored.status is CaseStatus.CLOSED
    assert stored.customer_ref == "Kund Ö7"
    assert stored.facts["priority"] is True
    assert stored.events == closed.case.events
    assert all(event.at.tzinfo is not None for event in stored.events)


async def test_double_click_records_the_step_once(service):
    ref = (await _new_order(service)).reference
    results = await asyncio.gather(*(service.complete_step(ref, "accept", ANNA, now=MONDAY_9) for _ in range(8)))
    assert sum(1 for r in results if r.events) == 1
    assert sum(1 for r in results if r.already_done) == 7
    case = await service.get_by_reference(ref)
    assert [e.kind for e in case.events] == [EventKind.OPENED, EventKind.STEP_DONE]


async def test_concurrent_starts_get_unique_consecutive_references(service):
    results = await asyncio.gather(*(_new_order(service) for _ in range(25)))
    numbers = sorted(int(r.reference.rsplit("-", 1)[1]) for r in results)
    assert numbers == list(range(1, 26))


async def test_concurrent_different_actions_all_land(service):
    ref = (await _new_order(service)).reference
    await asyncio.gather(
        *(service.add_note(ref, ANNA, f"anteckning {n}", now=MONDAY_9) for n in range(10)),
        service.complete_step(ref, "accept", BERTIL, now=MONDAY_9),
    )
    case = await service.get_by_reference(ref)
    assert [e.seq for e in case.events] == list(range(1, 13))
    assert case.is_done("accept")


async def test_listeners_run_inside_the_transaction(service, sessions):
    seen = []

    async def listener(session, case, new_events):
        assert session.in_transaction()
        # What a listener writes is visible in the same transaction as the events.
        count = await session.scalar(select(func.count()).select_from(CaseEventRow))
        seen.append((case.reference, [e.kind for e in new_events], count))

    service.add_listener(listener)
    ref = (await _new_order(service)).reference
    await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
    await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)  # already done: no events, no call
    assert seen == [(ref, [EventKind.OPENED], 1), (ref, [EventKind.STEP_DONE], 2)]


async def test_a_failing_listener_rolls_the_action_back(service):
    ref = (await _new_order(service)).reference

    async def broken(session, case, new_events):
        raise RuntimeError("outbox down")

    service.add_listener(broken)
    with pytest.raises(RuntimeError):
        await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
    case = await service.get_by_reference(ref)
    assert not case.is_done("accept")
    assert len(case.events) == 1


async def test_personal_numbers_are_refused_everywhere(service):
    with pytest.raises(PersonalDataError):
        await _new_order(service, customer_ref="19121212-1212")
    ref = (await _new_order(service)).reference
    with pytest.raises(PersonalDataError):
        await service.add_note(ref, ANNA, "Kunden 121212-1212 är bortrest")
    await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
    with pytest.raises(PersonalDataError):
        await service.undo_last_step(ref, ANNA, "fel kund, rätt är 1212121212", now=MONDAY_9)
    with pytest.raises(PersonalDataError):
        await service.cancel(ref, ANNA, "121212+1212", now=MONDAY_9)
    case = await service.get_by_reference(ref)
    assert [e.kind for e in case.events] == [EventKind.OPENED, EventKind.STEP_DONE]


async def test_refused_start_does_not_burn_a_reference(service):
    with pytest.raises(PersonalDataError):
        await _new_order(service, customer_ref="121212-1212")
    assert (await _new_order(service)).reference == "TL-2026-0001"


async def test_unknown_reference(service):
    assert await service.get_by_reference("TL-2026-9999") is None
    with pytest.raises(CaseNotFoundError):
        await service.complete_step("TL-2026-9999", "accept", ANNA)


async def test_open_cases_for_team_and_user(service):
    a = (await _new_order(service)).reference
    b = (await service.start_case("takeover", actor=BERTIL, team_id="team-2", now=MONDAY_9)).reference
    c = (await service.start_case("alarm_chain", actor=BERTIL, conversation_id="conv-1", now=MONDAY_9)).reference
    await service.add_note(b, ANNA, "Ringde kunden")
    await service.cancel(c, BERTIL, "Dubblett")
    assert [case.reference for case in await service.open_cases_for_team("team-1")] == [a]
    assert [case.reference for case in await service.open_cases_for_team(conversation_id="conv-1")] == [a]
    assert [case.reference for case in await service.open_cases_for_user(ANNA.id)] == [a, b]
    assert [case.reference for case in await service.open_cases_for_user(BERTIL.id)] == [b]
    assert await service.open_cases_for_team() == []


async def test_undo_and_decline_are_logged(service):
    ref = (await _new_order(service)).reference
    await service.complete_step(ref, "inform_customer", ANNA, now=MONDAY_9)
    undone = await service.undo_last_step(ref, ANNA, "Fel ärende", now=MONDAY_9)
    assert undone.events[0].kind is EventKind.STEP_UNDONE and undone.events[0].text == "Fel ärende"
    declined = await service.decline(ref, BERTIL, reason="Ingen kapacitet", now=MONDAY_9)
    assert declined.case.status is CaseStatus.DECLINED
    assert declined.case.routine.decline.contact.link == "mailto:trygghetslarm@stockholm.se"
    assert await service.open_cases_for_team("team-1") == []


async def test_overdue_steps(service):
    # "minst en timme innan stängning": a deadline the page gives, so the step can be late.
    ref = (await service.start_case("provider_change", actor=ANNA, facts={"provider_role": "leaving", "lock": True},
                                    team_id="t", now=MONDAY_9)).reference
    assert await service.overdue_steps(at_local(2026, 11, 23, 15)) == []
    overdue = await service.overdue_steps(at_local(2026, 11, 23, 15, 1))
    assert [(o.case.reference, o.deadline.step_id) for o in overdue] == [(ref, "notify_lock")]
    await service.record_reminder(ref, "notify_lock", BERTIL, now=at_local(2026, 11, 23, 15, 2))
    (again,) = await service.overdue_steps(at_local(2026, 11, 23, 15, 30))
    assert again.deadline.last_reminder_at == at_local(2026, 11, 23, 15, 2)


async def test_a_configured_reminder_time_makes_no_step_late(service):
    # "omgående" has no interval on the page: the configured hours remind, they do not make it late.
    ref = (await service.start_case("termination", actor=ANNA, facts={"lock": True}, team_id="t", now=MONDAY_9)).reference
    await service.complete_step(ref, "end_in_system", ANNA, now=MONDAY_9)
    assert await service.overdue_steps(at_local(2026, 11, 24, 16)) == []


async def test_status_column_follows_the_events(service, sessions):
    ref = (await _new_order(service)).reference
    await service.cancel(ref, ANNA, "Kunden tackade nej", now=MONDAY_9)
    async with sessions() as session:
        row = await session.scalar(select(CaseRow).where(CaseRow.reference == ref))
        assert (row.status, row.version, row.ended_at is not None) == ("cancelled", 2, True)


async def test_configuration_flows_into_the_domain(sessions):
    from bot.cases.service import domain_config_from_settings
    from bot.config import load_settings
    from bot.domain import CaseEngine, DomainConfig

    assert domain_config_from_settings(load_settings({})) == DomainConfig()
    settings = load_settings({"CASE_SYSTEM_NAME": "Nya systemet", "CLOSING_TIME": "17:00"})
    service = CaseService(sessions, CaseEngine(domain_config_from_settings(settings)))
    started = await service.start_case("new_order", actor=ANNA, team_id="t", now=MONDAY_9)
    assert started.case.next_step.title == "Acceptera beställningen i Nya systemet"
    assert service.engine.calendar.closing_at(MONDAY_9.date()) == at_local(2026, 11, 23, 17)


async def test_reference_year_follows_stockholm_time(service):
    from datetime import datetime, timezone

    # 23:30 UTC on New Year's Eve is already 2027 in Stockholm.
    result = await service.start_case("takeover", actor=ANNA, now=datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert result.reference == "TL-2027-0001"


async def test_authorize_sees_the_locked_case_and_a_refusal_writes_nothing(service):
    ref = (await _new_order(service)).reference
    seen = []
    notified = []

    async def listener(session, case, events):
        notified.append(events)

    service.add_listener(listener)

    class Refused(Exception):
        pass

    def refuse(case):
        seen.append(case)
        raise Refused(case.reference)

    with pytest.raises(Refused):
        await service.complete_step(ref, "accept", BERTIL, now=MONDAY_9, authorize=refuse)
    assert [case.reference for case in seen] == [ref] and len(seen[0].events) == 1
    assert notified == []
    case = await service.get_by_reference(ref)
    assert [e.kind for e in case.events] == [EventKind.OPENED]

    allowed = []
    result = await service.complete_step(ref, "accept", BERTIL, now=MONDAY_9, authorize=allowed.append)
    assert [e.step_id for e in result.events] == ["accept"]
    assert [len(case.events) for case in allowed] == [1]


async def test_authorize_is_not_called_for_a_missing_case(service):
    called = []
    with pytest.raises(CaseNotFoundError):
        await service.close("TL-2026-9999", ANNA, now=MONDAY_9, authorize=called.append)
    assert called == []


async def test_a_turn_that_starts_a_case_leaves_the_reference_counter_unlocked(service, db_engine):
    """On PostgreSQL the year's counter row is updated apart from the turn's transaction: the turn
    keeps no lock on it, so other conversations starting cases do not wait for the turn to end.
    (On SQLite the turn holds the one writer's lock anyway.)"""
    from sqlalchemy import text

    from bot.unit_of_work import turn_unit

    if db_engine.url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL's row locks")
    try:
        async with turn_unit(db_engine) as unit:
            first = await _new_order(service)
            async with db_engine.connect() as other:
                held = (await other.execute(text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "WHERE c.relname = 'case_reference_counters' AND l.pid <> pg_backend_pid() AND l.database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"))).scalar()
                assert held == 0  # (else the UPDATE below would wait for the turn)
                second = (await other.execute(text(
                    "UPDATE case_reference_counters SET last_value = last_value WHERE year = 2026 "
                    "RETURNING last_value"))).scalar()
                await other.commit()
            await unit.commit()
        assert (first.reference, second) == ("TL-2026-0001", 1)
        assert (await _new_order(service)).reference == "TL-2026-0002"
    finally:
        await service.dispose()


def _statements_of(db_engine):
    from sqlalchemy import event

    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split()[0].upper())

    event.listen(db_engine.sync_engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(db_engine.sync_engine, "before_cursor_execute", record)


async def test_an_action_in_a_turn_takes_no_savepoint_and_commits_with_the_turn(service, db_engine):
    from bot.unit_of_work import turn_unit

    ref = (await _new_order(service)).reference
    seen, stop = _statements_of(db_engine)
    try:
        async with turn_unit(db_engine) as unit:
            await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
            await unit.commit()
    finally:
        stop()
    # Read and lock, then write: on PostgreSQL the case's update and its event are one statement.
    assert seen == (["SELECT", "UPDATE", "INSERT"] if db_engine.dialect.name == "sqlite" else ["SELECT", "WITH"])
    assert (await service.get_by_reference(ref)).is_done("accept")


async def test_a_failing_listener_in_a_turn_fails_the_turn_and_nothing_of_it_stays(service, db_engine):
    from bot.unit_of_work import turn_unit

    ref = (await _new_order(service)).reference

    async def broken(session, case, new_events):
        raise RuntimeError("outbox down")

    service.add_listener(broken)
    with pytest.raises(RuntimeError):
        async with turn_unit(db_engine) as unit:
            await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
            await unit.commit()
    case = await service.get_by_reference(ref)
    assert not case.is_done("accept") and len(case.events) == 1
    # The case row was not moved on either: the next action sees version 1 and lands.
    service.listeners.remove(broken)
    assert (await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)).case.is_done("accept")


async def test_a_version_conflict_in_a_turn_is_tried_again_on_fresh_state(service, db_engine, monkeypatch):
    from bot.cases import repository
    from bot.unit_of_work import turn_unit

    ref = (await _new_order(service)).reference
    real_append, calls = repository.append_events, []

    async def first_loses(conn, case_id, change):
        calls.append(case_id)
        if len(calls) == 1:
            return False  # another writer moved the case first: nothing was written
        return await real_append(conn, case_id, change)

    monkeypatch.setattr(repository, "append_events", first_loses)
    async with turn_unit(db_engine) as unit:
        result = await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
        await unit.commit()
    assert len(calls) == 2 and result.case.is_done("accept")
    assert len((await service.get_by_reference(ref)).events) == 2


async def test_an_integrity_error_after_the_version_check_in_a_turn_is_not_tried_again(service, db_engine,
                                                                                         monkeypatch):
    """Without a savepoint the attempt's update would stay behind a retry: the turn fails instead."""
    from sqlalchemy.exc import IntegrityError

    from bot.cases import repository
    from bot.unit_of_work import turn_unit

    ref = (await _new_order(service)).reference
    real_append, calls = repository.append_events, []

    async def events_clash(conn, case_id, change):
        calls.append(case_id)
        await real_append(conn, case_id, change)
        raise IntegrityError("INSERT INTO case_events", {}, Exception("uq_case_events_case_seq"))

    monkeypatch.setattr(repository, "append_events", events_clash)
    with pytest.raises(IntegrityError):
        async with turn_unit(db_engine) as unit:
            await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
            await unit.commit()
    assert len(calls) == 1
    case = await service.get_by_reference(ref)
    assert not case.is_done("accept") and len(case.events) == 1


@pytest.mark.parametrize("stale", [False, True])
async def test_appending_an_event_writes_it_and_moves_the_case_on_only_at_the_version_read(service, db_engine,
                                                                                             stale):
    """On PostgreSQL the case's update and its one new event are one statement: a stale version must
    still leave both untouched (and a fresh one write both)."""
    from bot.cases import repository

    opened = await _new_order(service)
    case = await service.get_by_reference(opened.reference)
    change = case.complete_step("accept", ANNA, MONDAY_9)
    async with db_engine.begin() as conn:
        case_id = (await conn.execute(select(CaseRow.id).where(CaseRow.reference == case.reference))).scalar_one()
        if stale:  # another writer moved the case on after it was read
            await conn.execute(CaseRow.__table__.update().where(CaseRow.id == case_id)
                               .values(version=CaseRow.version + 1))
        written = await repository.append_events(conn, case_id, change)
        events = (await conn.execute(select(func.count()).select_from(CaseEventRow)
                                     .where(CaseEventRow.case_id == case_id))).scalar_one()
        version = (await conn.execute(select(CaseRow.version).where(CaseRow.id == case_id))).scalar_one()
    assert written is not stale
    assert (events, version) == ((1, 2) if stale else (2, 2))


# --- a turn on the lock's connection: the case statements straight on asyncpg ----------------------

class _DriverCalls:
    """The statements sent straight to asyncpg (not through SQLAlchemy's cursor), by connection."""

    def __init__(self, monkeypatch) -> None:
        import asyncpg

        self.sent: list[tuple[object, str]] = []
        real_fetch, real_execute = asyncpg.Connection.fetch, asyncpg.Connection.execute

        async def fetch(conn, query, *args, **kwargs):
            self.sent.append((conn, query))
            return await real_fetch(conn, query, *args, **kwargs)

        async def execute(conn, query, *args, **kwargs):
            self.sent.append((conn, query))
            return await real_execute(conn, query, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, "fetch", fetch)
        monkeypatch.setattr(asyncpg.Connection, "execute", execute)


def _lent_turn(db_engine):
    """A turn unit on a lent autocommit connection, as AtomicTurns runs one on the connection that
    holds the conversation's lock (PostgreSQL only)."""
    from contextlib import asynccontextmanager

    from bot.db import autocommit
    from bot.unit_of_work import turn_unit

    if db_engine.dialect.name != "postgresql":
        pytest.skip("the turn's transaction on the lock's connection is PostgreSQL's")

    @asynccontextmanager
    async def turn():
        async with autocommit(db_engine).connect() as lent:
            async with turn_unit(db_engine, lent) as unit:
                yield unit, lent

    return turn()


async def test_a_case_action_in_a_turn_on_the_lock_connection_goes_to_the_driver_and_commits_with_it(
        service, db_engine, monkeypatch):
    from bot.notifications.events import CaseNoticeListener
    from bot.unit_of_work import _driver

    ref = (await _new_order(service)).reference
    before = await service.get_by_reference(ref)
    service.add_listener(CaseNoticeListener(service.engine))  # reads the team's notice channel
    seen, stop = _statements_of(db_engine)
    calls = _DriverCalls(monkeypatch)
    try:
        async with _lent_turn(db_engine) as (unit, lent):
            result = await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
            driver = _driver(lent)
            await unit.commit()
    finally:
        stop()
    assert seen == []  # nothing of the action went through SQLAlchemy's cursor
    sent = [query.split()[0] for conn, query in calls.sent if conn is driver]
    assert sent == ["BEGIN", "SELECT", "WITH", "SELECT", "COMMIT"]  # lock and read, update + event, channel
    stored = await service.get_by_reference(ref)
    assert stored == result.case and stored.events[:1] == before.events and stored.is_done("accept")


async def test_a_failing_listener_in_a_turn_on_the_lock_connection_leaves_nothing_of_the_driver_writes(
        service, db_engine):
    ref = (await _new_order(service)).reference

    async def broken(session, case, new_events):
        raise RuntimeError("outbox down")

    service.add_listener(broken)
    with pytest.raises(RuntimeError):
        async with _lent_turn(db_engine) as (unit, lent):
            await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
            await unit.commit()
    service.listeners.remove(broken)
    case = await service.get_by_reference(ref)
    assert not case.is_done("accept") and len(case.events) == 1
    assert (await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)).case.is_done("accept")


async def test_on_the_driver_a_write_at_a_stale_version_is_told_apart_and_changes_nothing(service, db_engine):
    """The version check's row count is read from asyncpg's status: the same change written twice
    lands once, and the second write (its version gone) reports that it wrote nothing."""
    from bot.cases import repository

    ref = (await _new_order(service)).reference
    case = await service.get_by_reference(ref)
    change = case.complete_step("accept", ANNA, MONDAY_9)
    async with _lent_turn(db_engine) as (unit, lent):
        conn = await unit.connection()
        case_id = (await conn.execute(select(CaseRow.id).where(CaseRow.reference == ref))).scalar_one()
        assert await repository.append_events(conn, case_id, change) is True
        assert await repository.append_events(conn, case_id, change) is False  # version 1 is gone
        await unit.commit()
    stored = await service.get_by_reference(ref)
    assert len(stored.events) == 2 and stored.is_done("accept")


async def test_two_turns_on_one_case_on_their_lock_connections_each_see_the_others_event(service, db_engine,
                                                                                         caplog):
    """The second turn waits on the case's row lock; after it, the read on the driver must take in
    the event the first turn committed (the locked row's version tells) and act on it at once, not
    fail its version check and start over."""
    import logging

    caplog.set_level(logging.INFO, logger="bot.cases.service")
    ref = (await _new_order(service)).reference
    first_holds, release_first = asyncio.Event(), asyncio.Event()

    async def first():
        async with _lent_turn(db_engine) as (unit, lent):
            await service.complete_step(ref, "accept", ANNA, now=MONDAY_9)
            first_holds.set()
            await release_first.wait()
            await unit.commit()

    async def second():
        await first_holds.wait()
        async with _lent_turn(db_engine) as (unit, lent):
            waiting = asyncio.create_task(service.add_note(ref, BERTIL, "ringt kunden", now=MONDAY_9))
            await asyncio.sleep(0.3)
            assert not waiting.done()  # held by the first turn's row lock
            release_first.set()
            result = await waiting
            await unit.commit()
        return result

    _, noted = await asyncio.gather(first(), second())
    stored = await service.get_by_reference(ref)
    assert [event.seq for event in stored.events] == [1, 2, 3]
    assert stored.is_done("accept") and noted.case == stored
    assert not [r for r in caplog.records if "concurrent case update" in r.getMessage()]
