"""A thousand cases of every routine, driven concurrently through the real database."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

from bot.domain import CaseStatus, EventKind
from bot.cases.service import CaseService

from tests.support.case_fixtures import ANNA, BERTIL, at_local

CASES = 1000
CONCURRENCY = 20
TEAMS = [f"team-{n}" for n in range(10)]
FACTS = {
    "new_order": lambda r: {"priority": r.random() < 0.2, "declines_keys_and_keyless": r.random() < 0.1},
    "provider_change": lambda r: {"provider_role": r.choice(["leaving", "receiving"]), "lock": r.random() < 0.5},
    "move": lambda r: {"lock": r.random() < 0.5},
    "takeover": lambda r: {},
    "termination": lambda r: {"lock": r.random() < 0.5},
    "return_alarm": lambda r: {"device": r.choice(["grey_button", "back_lid"])},
    "alarm_chain": lambda r: {},
}
MONDAY = at_local(2026, 11, 23, 9)


async def _drive(service: CaseService, number: int, plan: str, seen: dict) -> None:
    r = random.Random(number)
    routine_key = list(FACTS)[number % len(FACTS)]
    team = TEAMS[number % len(TEAMS)]
    started = await service.start_case(
        routine_key, actor=ANNA, facts=FACTS[routine_key](r), team_id=team, customer_ref=f"K{number}", now=MONDAY
    )
    ref = started.reference
    if plan == "decline" and routine_key == "new_order":
        await service.decline(ref, BERTIL, reason="Ingen kapacitet", now=MONDAY)
        seen[ref] = CaseStatus.DECLINED
        return
    case = started.case
    steps_to_do = len(case.steps) if plan == "finish" else r.randrange(len(case.steps) // 2 + 1)
    for _ in range(steps_to_do):
        step = case.next_step
        result = await service.complete_step(ref, step.id, BERTIL, now=MONDAY)
        if r.random() < 0.05:  # a double click now and then
            assert (await service.complete_step(ref, step.id, ANNA, now=MONDAY)).already_done
        case = result.case
    if plan == "finish":
        case = (await service.close(ref, ANNA, now=MONDAY)).case
    elif plan == "cancel":
        case = (await service.cancel(ref, ANNA, "Kunden avböjde", now=MONDAY)).case
    seen[ref] = case.status


async def test_thousand_cases(service):
    plans = ["finish", "open", "open", "cancel", "decline"]
    seen: dict[str, CaseStatus] = {}
    limit = asyncio.Semaphore(CONCURRENCY)

    async def run(number):
        async with limit:
            await _drive(service, number, plans[number % len(plans)], seen)

    await asyncio.gather(*(run(n) for n in range(CASES)))

    assert sorted(seen) == [f"TL-2026-{n:04d}" for n in range(1, CASES + 1)]
    open_refs = {ref for ref, status in seen.items() if status is CaseStatus.OPEN}
    by_team = []
    for team in TEAMS:
        cases = await service.open_cases_for_team(team)
        assert all(case.team_id == team and case.is_open for case in cases)
        by_team.extend(case.reference for case in cases)
    assert sorted(by_team) == sorted(open_refs)
    assert {case.reference for case in await service.open_cases_for_user(BERTIL.id)} <= open_refs
    assert {case.reference for case in await service.open_cases_for_user(ANNA.id)} == open_refs

    overdue = await service.overdue_steps(at_local(2026, 12, 31, 12))
    assert overdue and {o.case.reference for o in overdue} <= open_refs

    counts = Counter(seen.values())
    assert counts[CaseStatus.CLOSED] > 0 and counts[CaseStatus.CANCELLED] > 0 and counts[CaseStatus.DECLINED] > 0
    sample = await service.get_by_reference(sorted(seen)[-1])
    assert sample.status is seen[sample.reference]
    for case in await service.open_cases_for_team(TEAMS[0]):
        done = [e.step_id for e in case.events if e.kind is EventKind.STEP_DONE]
        assert len(done) == len(set(done)), "a step was recorded twice"
