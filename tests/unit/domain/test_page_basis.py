"""Nothing the page does not say is shown as the city's rule: every contact carries its basis,
contacts sit only on the steps the page ties them to, configured times name their setting, and
steps wait only where the page orders them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

import bot.domain
from bot.domain import Actor, CaseEngine, DomainConfig, ROUTINES
from bot.domain.routines import INSTALLATION_OCH_SERVICE_PHONE, SETTING_BASIS

PAGE = (Path(bot.domain.__file__).parent / "source_page.txt").read_text(encoding="utf-8")
ANNA = Actor("a1", "Anna")
BY_KEY = {routine.key: routine for routine in ROUTINES}


def _contacts():
    for routine in ROUTINES:
        for step in routine.steps:
            for contact in step.contacts:
                yield routine, step, contact
        if routine.decline is not None:
            yield routine, None, routine.decline.contact


@pytest.mark.parametrize("found", list(_contacts()), ids=lambda f: f"{f[0].key}.{f[1].id if f[1] else 'decline'}")
def test_every_contact_is_on_the_page_and_says_what_it_rests_on(found):
    routine, step, contact = found
    assert contact.address in PAGE
    assert contact.basis, "the card shows the basis next to the contact"
    if contact.kind == "email":
        assert contact.mail, "a prefilled e-mail in the sender's voice"
    if not contact.page_tied:
        assert "ingen kanal" in contact.basis


def test_the_priority_number_is_offered_only_for_priority_orders_at_step_2():
    phones = [(routine.key, step.id, contact.when) for routine, step, contact in _contacts() if contact.kind == "phone"]
    assert phones == [("new_order", "notify_installation", (("priority", True),))]
    assert all(INSTALLATION_OCH_SERVICE_PHONE not in contact.mail for _, _, contact in _contacts())


def test_alarm_chain_offers_no_invented_channel():
    step = BY_KEY["alarm_chain"].steps[0]
    assert step.contacts == ()
    assert "e-tjänst" in step.instruction and "inte i Larmlotsen" in step.instruction


def test_only_page_deadlines_make_a_step_late():
    rules = {step.id: step.deadline for routine in ROUTINES for step in routine.steps if step.deadline}
    assert {k for k, rule in rules.items() if rule.page_given} == {"contact_before_large_change", "notify_lock"}
    assert {k for k, rule in rules.items() if not rule.page_given} == {"installation_feedback", "notify_lock_removal"}
    for step in (s for r in ROUTINES for s in r.steps if s.deadline and s.deadline.page_given):
        assert step.when_late, f"{step.id}: a passed deadline says what to do now"


def test_configured_values_name_their_setting():
    assert set(SETTING_BASIS) >= {"closing_time", "immediate_within_hours", "install_feedback_working_days",
                                  "reminder_lead_minutes"}
    assert all("(inställning)" in text for text in SETTING_BASIS.values())


def test_the_closing_time_deadline_shows_its_basis_with_the_configured_hour():
    engine = CaseEngine(DomainConfig.from_values(closing_time="17:00"))
    at = datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)  # Thursday 09:00 in Stockholm
    case = engine.open_case("provider_change", reference="r", actor=ANNA, at=at,
                            facts={"provider_role": "leaving", "lock": True}).case
    view = engine.deadline_view(case, case.routine.step("notify_lock"), at)
    assert view.basis == ("senast en timme före stängning (sidan) – kl. 16:00 om installation och service stänger "
                          "kl. 17:00 (inställning)")


def test_a_missed_same_day_deadline_is_told():
    engine = CaseEngine()
    at = datetime(2026, 12, 3, 14, 30, tzinfo=timezone.utc)  # Thursday 15:30 in Stockholm
    case = engine.open_case("provider_change", reference="r", actor=ANNA, at=at,
                            facts={"provider_role": "leaving", "lock": True}).case
    view = engine.deadline_view(case, case.routine.step("notify_lock"), at)
    assert view.missed_at == datetime(2026, 12, 3, 14, 0, tzinfo=timezone.utc)
    assert view.due_at == datetime(2026, 12, 4, 14, 0, tzinfo=timezone.utc)


# --- order only where the page orders -------------------------------------------------------------------


@pytest.mark.parametrize("routine_key, step_id", [
    ("move", "notify_installation"), ("move", "lock_moves_too"), ("takeover", "send_change_form"),
    ("provider_change", "send_change_form"), ("provider_change", "notify_lock"),
])
def test_change_forms_are_not_gated_on_the_notice_tick(routine_key, step_id):
    engine = CaseEngine()
    case = engine.open_case(routine_key, reference="r", actor=ANNA, at=datetime(2026, 12, 3, 9, tzinfo=timezone.utc),
                            facts={"lock": True, "provider_role": "leaving"} if routine_key == "provider_change"
                            else ({"lock": True} if routine_key == "move" else {})).case
    assert step_id in {step.id for step in case.available_steps}


@pytest.mark.parametrize("role", ["leaving", "receiving"])
def test_key_handover_at_provider_change_only_when_keys_are_held(role):
    engine = CaseEngine()
    at = datetime(2026, 12, 3, 9, tzinfo=timezone.utc)
    without = engine.open_case("provider_change", reference="r", actor=ANNA, at=at,
                               facts={"provider_role": role, "lock": False, "keys_handover": False}).case
    assert {s.id for s in without.steps} == {"change_notice_received", "send_change_form"}
    with_keys = engine.open_case("provider_change", reference="r", actor=ANNA, at=at,
                                 facts={"provider_role": role, "lock": False, "keys_handover": True}).case
    assert {"hand_over_keys", "receive_keys"} & {s.id for s in with_keys.steps}


def test_a_stored_provider_change_from_before_the_keys_question_keeps_its_handover():
    engine = CaseEngine()
    opened = engine.open_case("provider_change", reference="r", actor=ANNA,
                              at=datetime(2026, 12, 3, 9, tzinfo=timezone.utc),
                              facts={"provider_role": "leaving", "lock": False}).case
    stored = {k: v for k, v in opened.facts.items() if k != "keys_handover"}
    restored = engine.restore(reference="r", routine_key="provider_change", facts=stored, events=opened.events)
    assert "hand_over_keys" in {s.id for s in restored.steps}


def test_termination_without_lock_collects_the_alarm_before_the_system_notice_is_ticked():
    engine = CaseEngine()
    case = engine.open_case("termination", reference="r", actor=ANNA, at=datetime(2026, 12, 3, 9, tzinfo=timezone.utc),
                            facts={"lock": False}).case
    assert {"end_in_system", "collect_alarm"} <= {s.id for s in case.available_steps}
    # The written contact still comes after the end is in the case system ("När det är klart …").
    assert set(case.routine.step("notify_ready_for_pickup").requires) == {"end_in_system", "collect_alarm"}


def test_plain_questions_with_answers_that_say_what_they_mean():
    for routine in ROUTINES:
        for spec in routine.facts:
            words = spec.question.lower().split()
            assert not {"inte", "varken", "ej", "aldrig"} & set(words), spec.question
            if spec.kind == "bool":
                assert spec.yes_label.startswith("Ja,") and spec.no_label.startswith("Nej,"), spec.name
    keys = BY_KEY["new_order"].fact("declines_keys_and_keyless")
    assert keys.yes_label == "Ja, ett exemplar av nycklarna"
    assert keys.no_label == "Nej, kunden avstår både nycklar och nyckelfri hemtjänst"
    assert keys.yes_means is False  # "Ja" = the customer does hand over keys
