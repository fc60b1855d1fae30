"""Working days and deadlines: holidays, midsommarafton, DST, requests after closing."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain import CaseEngine, DomainConfig, InvalidFactsError, WorkingCalendar

from tests.support.case_fixtures import ANNA, at_local

CAL = WorkingCalendar(DomainConfig())


def test_swedish_holidays_and_de_facto_holidays_are_not_working_days():
    assert not CAL.is_working_day(date(2026, 6, 19))  # midsommarafton
    assert not CAL.is_working_day(date(2026, 12, 24))  # julafton
    assert not CAL.is_working_day(date(2026, 12, 31))  # nyårsafton
    assert not CAL.is_working_day(date(2026, 5, 14))  # Kristi himmelsfärdsdag
    assert not CAL.is_working_day(date(2026, 11, 28))  # a Saturday
    assert CAL.is_working_day(date(2026, 5, 15))  # the day after Ascension is an ordinary working day
    assert CAL.is_working_day(date(2026, 6, 18))
    assert CAL.holiday_name(date(2026, 6, 19)) == "Midsommarafton"


def test_a_week_with_a_holiday_easter_2026():
    # Good Friday 3 April and Easter Monday 6 April.
    assert CAL.add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert CAL.working_days_between(date(2026, 3, 30), date(2026, 4, 10)) == 7
    assert CAL.working_days_before(date(2026, 4, 7), 1) == date(2026, 4, 2)


def test_new_year_spans_nyarsafton_nyarsdagen_and_a_weekend():
    assert CAL.add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 4)


def test_installation_feedback_expected_within_configured_working_days_over_easter():
    engine = CaseEngine(DomainConfig())
    case = _new_order_at_step_3(engine, at_local(2026, 4, 1, 10))
    (deadline,) = engine.deadlines(case)
    assert deadline.step_id == "installation_feedback"
    assert deadline.due_at == at_local(2026, 4, 10, 16)  # 2, 7, 8, 9, 10 April

    shorter = CaseEngine(DomainConfig(install_feedback_working_days=2))
    assert shorter.deadlines(_new_order_at_step_3(shorter, at_local(2026, 4, 1, 10)))[0].due_at == at_local(2026, 4, 7, 16)


def _new_order_at_step_3(engine, at):
    case = engine.open_case("new_order", reference="r", actor=ANNA, at=at).case
    for step in ("accept", "inform_customer", "secure_access", "notify_installation"):
        case = case.complete_step(step, ANNA, at).case
    return case


# --- provider change with a lock: one hour before closing -----------------------------------------------


def _lock_deadline(engine, requested_at):
    case = engine.open_case(
        "provider_change", reference="r", actor=ANNA, at=requested_at, facts={"provider_role": "leaving", "lock": True}
    ).case
    case = case.complete_step("change_notice_received", ANNA, requested_at).case
    return {d.step_id: d.due_at for d in engine.deadlines(case)}["notify_lock"]


@pytest.mark.parametrize(
    "requested,due",
    [
        (at_local(2026, 11, 26, 10), at_local(2026, 11, 26, 15)),  # same day, one hour before closing
        (at_local(2026, 11, 26, 15, 30), at_local(2026, 11, 27, 15)),  # the margin has passed
        (at_local(2026, 11, 26, 17), at_local(2026, 11, 27, 15)),  # after closing: next working day
        (at_local(2026, 11, 27, 17), at_local(2026, 11, 30, 15)),  # Friday after closing: Monday
        (at_local(2026, 11, 28, 11), at_local(2026, 11, 30, 15)),  # Saturday
        (at_local(2026, 6, 18, 17), at_local(2026, 6, 22, 15)),  # midsommarafton skipped
        (at_local(2026, 3, 27, 15, 30), at_local(2026, 3, 30, 15)),  # over the spring DST change
        (at_local(2026, 10, 23, 16, 30), at_local(2026, 10, 26, 15)),  # over the autumn DST change
    ],
)
def test_lock_notice_due_one_hour_before_closing(requested, due):
    assert _lock_deadline(CaseEngine(DomainConfig()), requested) == due


def test_dst_keeps_local_wall_clock_times():
    # 15:00 in Stockholm is 14:00 UTC in winter and 13:00 UTC in summer.
    assert CAL.before_closing_deadline(at_local(2026, 3, 27, 10)).hour == 14
    assert CAL.before_closing_deadline(at_local(2026, 3, 27, 15, 30)).hour == 13
    assert CAL.closing_at(date(2026, 10, 23)).hour == 14 and CAL.closing_at(date(2026, 10, 26)).hour == 15


def test_opening_hours_come_from_configuration():
    late = CaseEngine(DomainConfig.from_values(opening_time="09:00", closing_time="17:00"))
    assert _lock_deadline(late, at_local(2026, 11, 26, 15, 30)) == at_local(2026, 11, 26, 16)
    assert late.calendar.is_open(at_local(2026, 11, 26, 16, 30))
    assert not CAL.is_open(at_local(2026, 11, 26, 16, 30))
    assert not CAL.is_open(at_local(2026, 6, 19, 10))


# --- "omgående": within the configured working hours ---------------------------------------------------


def test_immediate_step_due_within_configured_working_hours_over_christmas():
    engine = CaseEngine(DomainConfig(immediate_within_hours=4))
    at = at_local(2026, 12, 23, 14)
    case = engine.open_case("termination", reference="r", actor=ANNA, at=at, facts={"lock": True}).case
    case = case.complete_step("end_in_system", ANNA, at).case
    (deadline,) = engine.deadlines(case)
    assert deadline.step_id == "notify_lock_removal"
    # Two hours on the 23rd, then julafton, juldagen and a weekend, then two hours on the 28th.
    assert deadline.due_at == at_local(2026, 12, 28, 10)
    # The page says "omgående" and gives no interval: the hours are a setting, so the step is
    # reminded of but never called late.
    assert not deadline.page_given
    assert engine.overdue(case, at_local(2026, 12, 28, 10, 1)) == []
    step = case.routine.step("notify_lock_removal")
    view = engine.deadline_view(case, step, at_local(2026, 12, 28, 10, 1))
    assert view.state == "passed" and not view.page_given
    assert view.basis == "omgående (sidan) – påminnelse efter 4 arbetstimmar (inställning)"
    assert engine.deadline_view(case, step, at_local(2026, 12, 28, 9, 59)).state == "soon"


def test_working_hours_across_the_spring_dst_change():
    assert CAL.add_working_hours(at_local(2026, 3, 27, 14), 4) == at_local(2026, 3, 30, 10)
    assert CAL.add_working_hours(at_local(2026, 3, 28, 12), 1) == at_local(2026, 3, 30, 9)


# --- large organisational change: five working days before the wanted date ------------------------------


def _large_change(engine, requested_at, wanted):
    return engine.open_case(
        "provider_change",
        reference="r",
        actor=ANNA,
        at=requested_at,
        facts={"provider_role": "receiving", "lock": False, "large_org_change": True, "wanted_date": wanted},
    )


def test_large_change_in_time_has_a_deadline_five_working_days_before():
    engine = CaseEngine(DomainConfig())
    opened = _large_change(engine, at_local(2026, 6, 15, 9), "2026-06-29")
    assert opened.warnings == ()
    deadlines = {d.step_id: d.due_at for d in engine.deadlines(opened.case)}
    assert deadlines["contact_before_large_change"] == at_local(2026, 6, 22, 16)


def test_large_change_too_soon_is_flagged_counting_midsommarafton_out():
    engine = CaseEngine(DomainConfig())
    # 22 June is Monday; five working days before it (19 June is midsommarafton) is Friday 12 June.
    opened = _large_change(engine, at_local(2026, 6, 15, 9), date(2026, 6, 22))
    (warning,) = opened.warnings
    assert "minst 5 arbetsdagar" in warning and "12 jun 2026 kl. 16:00" in warning
    assert engine.overdue(opened.case, at_local(2026, 6, 15, 9, 1))[0].step_id == "contact_before_large_change"


@pytest.mark.parametrize("wanted", ["2026-06-19", "2026-06-20", "2026-12-24"])
def test_wanted_date_must_be_a_working_day(wanted):
    with pytest.raises(InvalidFactsError) as refused:
        _large_change(CaseEngine(DomainConfig()), at_local(2026, 6, 1, 9), wanted)
    assert "ingen arbetsdag" in refused.value.message


def test_wanted_date_in_the_past_is_refused():
    with pytest.raises(InvalidFactsError, match="passerat"):
        _large_change(CaseEngine(DomainConfig()), at_local(2026, 6, 15, 9), "2026-06-12")
