"""Reading an intake's typed date, and which step a typed `klar` completes. No database, no HTTP."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.domain import Actor, CaseEngine, DomainConfig, FactSpec
from dialogs.answers import interpret
from dialogs.case_actions import Refusal
from dialogs.router import _step_to_complete

TODAY = date(2026, 6, 18)
DATE = FactSpec(name="wanted", kind="date", question="När?")
ANNA = Actor("aad-anna", "Anna Andersson")
NOW = datetime(2026, 6, 18, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("typed, expected", [
    ("2026-12-07", date(2026, 12, 7)),
    ("2026-12-7", date(2026, 12, 7)),
    ("7/12", date(2026, 12, 7)),
    ("7.12.2026", date(2026, 12, 7)),
    ("7/12/27", date(2027, 12, 7)),
    ("7 dec", date(2026, 12, 7)),
    ("7 december 2026", date(2026, 12, 7)),
    ("1 mars", date(2027, 3, 1)),  # already past this year: next year's
    ("18 juni", date(2026, 6, 18)),  # today is not in the past
])
def test_a_typed_date_is_read_forward_from_today(typed, expected):
    assert interpret(DATE, typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["31/2", "i morgon", "2026-13-01", "", "7 decembe"])
def test_what_is_no_date_is_not_guessed(typed):
    assert interpret(DATE, typed, TODAY) is None


@pytest.fixture
def case():
    engine = CaseEngine(DomainConfig())
    return engine.open_case("alarm_chain", reference="TL-2026-0001", actor=ANNA, at=NOW).case


def test_klar_alone_completes_the_next_step(case):
    assert _step_to_complete(case, "") == case.next_step


def test_klar_with_a_label_names_that_step_even_out_of_order(case):
    last = case.steps[-1]
    assert _step_to_complete(case, case.label(last.id).lower() + ".") == last


def test_klar_with_a_label_the_case_lacks_is_refused_with_it(case):
    with pytest.raises(Refusal, match="Z"):
        _step_to_complete(case, "z")
