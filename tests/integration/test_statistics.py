"""`statistik` counts in the database what it once computed case by case: the figures must not change.

A generated history (steps done and undone, cases closed, cancelled, declined or left open, inside
and outside the last 30 days, in channels and personal chats) is summed up both ways, on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import timedelta

from bot.cases.reports import TeamStatistics, lead_time_days, team_statistics
from bot.domain import CaseStatus, DomainError

from tests.support.case_fixtures import ANNA, BERTIL, at_local

NOW = at_local(2026, 11, 30, 15)
PLACES = (("team-1", "conv-1"), ("team-1", "a:personal-anna"), ("team-2", "conv-2"), (None, "a:group-chat"))
ROUTINES = ("new_order", "new_order", "new_order", "takeover", "alarm_chain")


async def per_case_statistics(service, *, team_id, conversation_id, user_id, now) -> TeamStatistics:
    """The computation `statistik` made before: every case of the period loaded with its events."""
    if team_id or conversation_id:
        open_cases = await service.open_cases_for_team(team_id=team_id, conversation_id=conversation_id)
    else:
        open_cases = await service.open_cases_for_user(user_id)
    overdue = [service.engine.overdue(case, now) for case in open_cases]
    recent = await service.ended_cases_since(now - timedelta(days=30), team_id=team_id,
                                             conversation_id=conversation_id, user_id=user_id)
    finished_orders = [case for case in recent + open_cases if case.routine.key == "new_order"]
    lead_times = tuple(t for t in (lead_time_days(case) for case in finished_orders) if t is not None)
    return TeamStatistics(len(open_cases), sum(1 for steps in overdue if steps), sum(len(s) for s in overdue),
                          sum(1 for case in recent if case.status is CaseStatus.CLOSED), lead_times)


async def _walk(service, rng: random.Random, routine: str, place: tuple, opened) -> None:
    """One case: some steps done (now and then the last one undone and done again), then an ending."""
    team_id, conversation_id = place
    actor = rng.choice((ANNA, BERTIL))
    case = (await service.start_case(routine, actor=actor, team_id=team_id, conversation_id=conversation_id,
                                     now=opened)).case
    at = opened
    moves = rng.choice((rng.randrange(len(case.steps) + 1), 3 * len(case.steps)))  # half of them to the end
    for _ in range(moves):
        if case.next_step is None:
            break
        at += timedelta(hours=rng.uniform(0.5, 40))
        doer = rng.choice((ANNA, BERTIL))
        if case.done and rng.random() < 0.15:
            case = (await service.undo_last_step(case.reference, doer, "Fel steg", now=at)).case
        else:
            case = (await service.complete_step(case.reference, case.next_step.id, doer, now=at)).case
    at += timedelta(hours=1)
    ending = rng.choice(("open", "closed", "closed", "cancelled", "declined"))
    try:
        if ending == "closed":
            await service.close(case.reference, actor, now=at)
        elif ending == "cancelled":
            await service.cancel(case.reference, actor, "Kunden flyttade", now=at)
        elif ending == "declined":
            await service.decline(case.reference, actor, now=at)
    except DomainError:
        await service.cancel(case.reference, actor, "Kunden flyttade", now=at)


async def _undone_after_activate(service, place: tuple) -> None:
    """A new order whose activation was undone before it was cancelled: it has no lead time."""
    team_id, conversation_id = place
    at = NOW - timedelta(days=3)
    reference = (await service.start_case("new_order", actor=ANNA, team_id=team_id, conversation_id=conversation_id,
                                          now=at)).reference
    case = (await service.get_by_reference(reference))
    while case.next_step is not None:
        at += timedelta(hours=2)
        case = (await service.complete_step(reference, case.next_step.id, ANNA, now=at)).case
    await service.undo_last_step(reference, ANNA, "Inte aktiverat ännu", now=at + timedelta(hours=1))
    await service.cancel(reference, ANNA, "Kunden flyttade", now=at + timedelta(hours=2))


async def test_statistics_equal_the_per_case_computation(service):
    rng = random.Random(17)
    for _ in range(70):
        opened = NOW - timedelta(days=rng.uniform(0, 50))
        await _walk(service, rng, rng.choice(ROUTINES), rng.choice(PLACES), opened)
    await _undone_after_activate(service, PLACES[0])
    scopes = [dict(team_id=team, conversation_id=conversation, user_id=ANNA.id) for team, conversation in PLACES]
    scopes += [dict(team_id=None, conversation_id=None, user_id=user.id) for user in (ANNA, BERTIL)]
    lead_times = 0
    for scope in scopes:
        expected = await per_case_statistics(service, now=NOW, **scope)
        assert await team_statistics(service, now=NOW, **scope) == expected, scope
        lead_times += len(expected.lead_times_days)
    assert lead_times > 5  # the generated history has lead times to compare, not only empty figures
