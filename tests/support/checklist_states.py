"""Every routine's checklist card in its first, middle and last state, built from real domain
objects: what the first-screen browser test measures and `tools/checklist_pngs.py` draws. The
card catalogue (tests/unit/cards/catalogue.py) starts from the same user, facts and walk."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.domain import Actor, CaseEngine
from cards.checklist import checklist_card

ANNA = Actor("00000000-0000-4000-8000-0000000000a1", "Anna Andersson")
# A Thursday morning in Stockholm (09:30 local).
NOW = datetime(2026, 11, 26, 8, 30, tzinfo=timezone.utc)
FACTS = {
    "new_order": {"priority": True, "declines_keys_and_keyless": False},
    "provider_change": {"provider_role": "leaving", "lock": True, "large_org_change": True,
                        "wanted_date": "2026-12-15"},
    "move": {"lock": True},
    "takeover": {},
    "termination": {"lock": True, "keys_held": True},
    "return_alarm": {"device": "grey_button", "keys_held": True},
    "alarm_chain": {},
}
STATES = ("first", "middle", "last")


def walk(case, steps: int, at: datetime):
    """The case after its next `steps` steps are done by Anna at `at` (fewer if it runs out)."""
    for _ in range(steps):
        if case.next_step is None:
            break
        case = case.complete_step(case.next_step.id, ANNA, at).case
    return case


def checklist_cases(engine: CaseEngine | None = None) -> dict[str, object]:
    """`<routine>_<state>` → the case in that state (last: every step done, not closed)."""
    engine = engine or CaseEngine()
    cases = {}
    for number, (key, facts) in enumerate(FACTS.items(), start=1):
        case = engine.open_case(key, reference=f"TL-2026-{number:04d}", actor=ANNA, at=NOW - timedelta(hours=2),
                                facts=facts, customer_ref="Löpnr 7", team_id="19:team").case
        cases[f"{key}_first"] = case
        cases[f"{key}_middle"] = walk(case, len(case.steps) // 2, NOW - timedelta(hours=1))
        cases[f"{key}_last"] = walk(case, len(case.steps), NOW - timedelta(minutes=5))
    return cases


def checklist_cards(engine: CaseEngine | None = None) -> dict[str, dict]:
    engine = engine or CaseEngine()
    cards = {}
    for name, case in checklist_cases(engine).items():
        cards[name] = checklist_card(case, engine.deadline_views(case, NOW))
    return cards
