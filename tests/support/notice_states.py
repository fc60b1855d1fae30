"""The notice channel's cards a team reads most, built from real domain objects the way the
notice listener and the reminder scan build them: the case card of a new priority order and of
a provider change whose next step has a page deadline, and a day's digest. What the notice
first-screen browser test measures and `tools/checklist_pngs.py` draws."""

from __future__ import annotations

import inspect
from datetime import datetime, time, timedelta, timezone

from bot.domain import CaseEngine
from bot.domain.routines import digest_schedule
from cards import notices

from .checklist_states import ANNA

# Thursday 26 November 2026, 09:30 in Stockholm.
NOW = datetime(2026, 11, 26, 8, 30, tzinfo=timezone.utc)
DIGEST_TIME = time(8, 30)


def _case_card(engine: CaseEngine, case, at: datetime) -> dict:
    """As `CaseNoticeListener` draws it: the next step's deadline and what its time rests on."""
    step = case.next_step
    due = engine.due_at(case, step) if step is not None else None
    if "basis" not in inspect.signature(notices.case_card).parameters:
        return notices.case_card(case, due, at)  # a card from before the basis was shown
    basis = engine.deadline_basis(case, step, due) if due is not None else ""
    return notices.case_card(case, due, at, basis)


def _digest(engine: CaseEngine, cases: list, at: datetime) -> dict:
    """As `ReminderScanner` draws it, with the settings behind its times when the card takes them."""
    rows = [notices.DigestRow(case, engine.due_at(case, case.next_step) if case.next_step else None)
            for case in cases]
    overdue = sorted(((case, d.step_id, d.due_at) for case in cases for d in engine.overdue(case, at)),
                     key=lambda item: item[2])
    day = engine.calendar.local_date(at)
    if "schedule" not in inspect.signature(notices.digest_card).parameters:
        return notices.digest_card(day, rows, overdue, at)
    return notices.digest_card(day, rows, overdue, at, schedule=digest_schedule(DIGEST_TIME),
                               closing_basis=engine.closing_basis())


def notice_cards(engine: CaseEngine | None = None) -> dict[str, dict]:
    """`notice_<what>` → the card."""
    engine = engine or CaseEngine()
    opened = NOW - timedelta(hours=2)

    def open_case(number: int, key: str, facts: dict):
        return engine.open_case(key, reference=f"TL-2026-{number:04d}", actor=ANNA, at=opened, facts=facts,
                                customer_ref="Löpnr 7", team_id="19:team").case

    priority = open_case(1, "new_order", {"priority": True, "declines_keys_and_keyless": False})
    change = open_case(2, "provider_change", {"provider_role": "leaving", "lock": True, "large_org_change": True,
                                              "wanted_date": "2026-12-15", "keys_handover": True})
    change = change.complete_step(change.next_step.id, ANNA, NOW - timedelta(hours=1)).case
    plain = open_case(3, "new_order", {"priority": False, "declines_keys_and_keyless": False})
    return {
        "notice_case_priority": _case_card(engine, priority, opened),
        "notice_case_deadline": _case_card(engine, change, NOW - timedelta(hours=1)),
        "notice_digest": _digest(engine, [priority, change, plain], NOW),
    }
