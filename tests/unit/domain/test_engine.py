"""The case engine in memory: order, idempotency, undo, close/cancel/decline, keys, facts."""

from __future__ import annotations

import pytest

from bot.domain import (
    CaseIncompleteError,
    CaseNotOpenError,
    CaseStatus,
    DeclineNotAllowedError,
    EventKind,
    InvalidFactsError,
    InvalidTextError,
    KeysBeforeAlarmError,
    NothingToUndoError,
    PersonalDataError,
    StepNotApplicableError,
    StepOrderError,
    UnknownRoutineError,
    UnknownStepError,
)

from tests.support.case_fixtures import ANNA, BERTIL, at_local

NOW = at_local(2026, 11, 23, 10)


def open_case(engine, routine_key, **facts):
    return engine.open_case(routine_key, reference="TL-2026-0001", actor=ANNA, at=NOW, facts=facts).case


def complete(case, *step_ids, actor=ANNA):
    for step_id in step_ids:
        case = case.complete_step(step_id, actor, NOW).case
    return case


def test_out_of_order_step_is_refused_naming_the_blocking_step(engine):
    case = open_case(engine, "new_order")
    with pytest.raises(StepOrderError) as refused:
        case.complete_step("notify_installation", ANNA, NOW)
    assert refused.value.message == (
        "Steg 2 kan inte markeras klart förrän steg 1 (Acceptera beställningen i Paraplysystemet) är klart."
    )
    assert refused.value.blocking_step_id == "accept"


def test_access_comes_before_step_2_and_informing_the_customer_before_step_3(engine):
    case = complete(open_case(engine, "new_order"), "accept")
    with pytest.raises(StepOrderError) as refused:
        case.complete_step("notify_installation", ANNA, NOW)
    assert "steg A (Säkra tillgången till bostaden" in refused.value.message
    # Informing the customer is "inför installationen": it does not hold up step 2.
    case = complete(case, "secure_access", "notify_installation")
    with pytest.raises(StepOrderError, match="steg B"):
        case.complete_step("installation_feedback", ANNA, NOW)
    case = complete(case, "inform_customer")
    assert case.next_step.id == "installation_feedback"


def test_new_order_labels_and_full_run(engine):
    case = open_case(engine, "new_order", declines_keys_and_keyless=True)
    assert case.labels == {
        "accept": "1", "inform_customer": "A", "inform_lock_opening_cost": "B",
        "notify_installation": "2", "installation_feedback": "3", "activate": "4",
    }
    with pytest.raises(StepNotApplicableError):
        case.complete_step("secure_access", ANNA, NOW)
    case = complete(case, "accept", "inform_customer", "inform_lock_opening_cost", "notify_installation")
    case = complete(case, "installation_feedback", "activate")
    assert case.is_complete and case.next_step is None
    closed = case.close(BERTIL, NOW)
    assert closed.case.status is CaseStatus.CLOSED
    assert closed.events[0].kind is EventKind.CLOSED


def test_completing_a_done_step_is_idempotent(engine):
    case = complete(open_case(engine, "new_order"), "accept")
    again = case.complete_step("accept", BERTIL, NOW)
    assert again.already_done and again.events == () and again.case is case
    assert again.message == "Steg 1 (Acceptera beställningen i Paraplysystemet) är redan klart."


def test_undo_only_the_last_step_with_a_reason(engine):
    case = open_case(engine, "new_order")
    with pytest.raises(NothingToUndoError):
        case.undo_last_step(ANNA, "fel", NOW)
    case = complete(case, "accept", "inform_customer")
    with pytest.raises(InvalidTextError):
        case.undo_last_step(ANNA, "  ", NOW)
    undone = case.undo_last_step(ANNA, "Klickade fel", NOW)
    assert undone.events[0].step_id == "inform_customer" and undone.events[0].text == "Klickade fel"
    case = undone.case.undo_last_step(ANNA, "Inte accepterad ännu", NOW).case
    assert case.done == {}
    assert [e.kind for e in case.events][-2:] == [EventKind.STEP_UNDONE, EventKind.STEP_UNDONE]
    # The log keeps everything: done, done, undone, undone.
    assert len(case.events) == 5


def test_undo_keeps_later_steps_blocked(engine):
    case = complete(open_case(engine, "new_order"), "accept", "inform_customer", "secure_access", "notify_installation")
    case = case.undo_last_step(ANNA, "Blanketten kom inte fram", NOW).case
    with pytest.raises(StepOrderError, match="steg 2"):
        case.complete_step("installation_feedback", ANNA, NOW)


def test_close_needs_every_step(engine):
    case = complete(open_case(engine, "takeover"), "takeover_notice_received")
    with pytest.raises(CaseIncompleteError) as refused:
        case.close(ANNA, NOW)
    assert "steg 2 (Meddela övertagandet till installation och service med blanketten)" in refused.value.message


def test_cancel_needs_a_reason_and_ends_the_case(engine):
    case = open_case(engine, "move", lock=True)
    with pytest.raises(InvalidTextError):
        case.cancel(ANNA, "", NOW)
    cancelled = case.cancel(ANNA, "Flytten blev inte av", NOW).case
    assert cancelled.status is CaseStatus.CANCELLED and cancelled.available_steps == ()
    with pytest.raises(CaseNotOpenError):
        cancelled.complete_step("move_notice_received", ANNA, NOW)
    with pytest.raises(CaseNotOpenError):
        cancelled.undo_last_step(ANNA, "x", NOW)
    # Notes may still be added to an ended case (the log stays useful).
    assert cancelled.add_note(ANNA, "Kunden ringde", NOW).events[0].kind is EventKind.NOTE


def test_decline_before_accepting_only(engine):
    case = open_case(engine, "new_order")
    declined = case.decline(ANNA, NOW, reason="Ingen kapacitet")
    assert declined.case.status is CaseStatus.DECLINED
    assert "omgående" in declined.message and "Stockholms trygghetsjour" in declined.message
    assert declined.case.routine.decline.contact.link == "mailto:trygghetslarm@stockholm.se"
    accepted = complete(case, "accept")
    with pytest.raises(DeclineNotAllowedError):
        accepted.decline(ANNA, NOW)
    with pytest.raises(DeclineNotAllowedError):
        open_case(engine, "move", lock=False).decline(ANNA, NOW)


def test_keys_wait_for_the_alarm_in_termination_without_lock(engine):
    case = complete(open_case(engine, "termination", lock=False), "end_in_system", "collect_alarm", "notify_ready_for_pickup")
    with pytest.raises(StepOrderError) as refused:
        case.complete_step("return_keys", ANNA, NOW)
    assert "steg 4 (Installation och service har hämtat trygghetslarmet på utförarenheten)" in refused.value.message
    case = complete(case, "alarm_picked_up", "return_keys")
    assert case.is_complete


def test_keys_wait_for_the_alarm_in_termination_with_lock(engine):
    case = open_case(engine, "termination", lock=True)
    assert [s.id for s in case.steps] == ["end_in_system", "notify_lock_removal", "alarm_and_lock_collected", "return_keys"]
    case = complete(case, "end_in_system", "notify_lock_removal")
    with pytest.raises(StepOrderError):
        case.complete_step("return_keys", ANNA, NOW)
    assert complete(case, "alarm_and_lock_collected", "return_keys").is_complete


def test_keys_guard_holds_even_if_the_data_forgets_the_prerequisite(engine):
    from dataclasses import replace

    case = open_case(engine, "return_alarm", device="back_lid")
    sloppy_step = replace(case.routine.step("return_keys"), requires=())
    sloppy = replace(case, routine=replace(case.routine, steps=tuple(
        sloppy_step if s.id == "return_keys" else s for s in case.routine.steps
    )))
    with pytest.raises(KeysBeforeAlarmError) as refused:
        sloppy.complete_step("return_keys", ANNA, NOW)
    assert refused.value.message.startswith("Kundens nycklar får inte lämnas tillbaka förrän trygghetslarmet är återlämnat.")


def test_return_alarm_variants(engine):
    grey = open_case(engine, "return_alarm", device="grey_button")
    assert [s.id for s in grey.steps] == [
        "switch_off", "wind_charger", "detach_band", "pack_separate_bag", "email_form", "alarm_returned", "return_keys",
    ]
    lid = open_case(engine, "return_alarm", device="back_lid", keys_held=False)
    assert [s.id for s in lid.steps] == ["open_back_lid", "disconnect_cord", "pack_own_bag", "email_form", "alarm_returned"]
    lid = complete(lid, "open_back_lid", "disconnect_cord", "pack_own_bag", "email_form", "alarm_returned")
    assert lid.is_complete
    email = lid.routine.step("email_form").contacts[0]
    assert (email.kind, email.address) == ("email", "installationochservice@stockholm.se")


def test_provider_change_branches(engine):
    leaving = open_case(engine, "provider_change", provider_role="leaving", lock=True)
    assert [s.id for s in leaving.steps] == ["change_notice_received", "notify_lock", "send_change_form", "hand_over_keys"]
    receiving = open_case(engine, "provider_change", provider_role="receiving", lock=False)
    assert [s.id for s in receiving.steps] == ["change_notice_received", "send_change_form", "receive_keys"]


def test_facts_are_validated(engine):
    with pytest.raises(InvalidFactsError, match="lämnar eller"):
        open_case(engine, "provider_change", lock=True)
    with pytest.raises(InvalidFactsError, match="Vilket datum"):
        open_case(engine, "provider_change", provider_role="leaving", lock=False, large_org_change=True)
    with pytest.raises(InvalidFactsError, match="hör inte till"):
        open_case(engine, "move", lock=True, colour="blå")
    with pytest.raises(InvalidFactsError):
        open_case(engine, "return_alarm", device="modell X")
    with pytest.raises(InvalidFactsError):
        open_case(engine, "move", lock="kanske")
    assert open_case(engine, "move", lock="ja").facts["lock"] is True
    assert open_case(engine, "termination", lock="false").facts == {"lock": False, "keys_held": True}
    with pytest.raises(UnknownRoutineError):
        open_case(engine, "teleport")


def test_unknown_step(engine):
    with pytest.raises(UnknownStepError):
        open_case(engine, "takeover").complete_step("fly", ANNA, NOW)


def test_customer_reference_and_notes_are_guarded(engine):
    with pytest.raises(PersonalDataError) as refused:
        engine.open_case("takeover", reference="r", actor=ANNA, at=NOW, customer_ref="19121212-1212")
    assert "personnummer" in refused.value.message
    with pytest.raises(InvalidTextError):
        engine.open_case("takeover", reference="r", actor=ANNA, at=NOW, customer_ref="x" * 65)
    case = open_case(engine, "takeover")
    with pytest.raises(PersonalDataError):
        case.add_note(ANNA, "pnr 121212-1212", NOW)


def test_participants_and_history(engine):
    case = complete(open_case(engine, "takeover"), "takeover_notice_received", actor=BERTIL)
    assert case.participants == {ANNA.id, BERTIL.id}
    assert case.opened_by == ANNA and case.opened_at == NOW
    assert [e.seq for e in case.events] == [1, 2]


def test_step_states_for_the_ui(engine):
    case = complete(open_case(engine, "new_order", priority=True), "accept")
    states = {state.step.id: state for state in engine.step_states(case)}
    assert states["accept"].done.actor == ANNA and not states["accept"].available
    assert states["secure_access"].available and states["secure_access"].label == "A"
    assert states["inform_customer"].available and states["inform_customer"].label == "B"
    assert states["notify_installation"].blocked_by.id == "secure_access"
    assert [c.link for c in states["notify_installation"].contacts] == [
        "tel:+46850840613",
        "mailto:installationochservice@stockholm.se",
    ]


def test_every_action_has_a_swedish_message(engine):
    case = open_case(engine, "takeover")
    done = case.complete_step("takeover_notice_received", ANNA, NOW)
    assert done.message == "Steg 1 (Ta emot meddelandet om övertagandet i Paraplysystemet) är klart."
    undone = done.case.undo_last_step(ANNA, "Fel", NOW)
    assert undone.message == ("Steg 1 (Ta emot meddelandet om övertagandet i Paraplysystemet) är ångrat. "
                              "Orsaken är sparad i ärendets logg.")
    assert undone.case.add_note(ANNA, "Hej", NOW).message == "Anteckningen är sparad."
    finished = complete(undone.case, "takeover_notice_received", "send_change_form")
    assert finished.close(ANNA, NOW).message == "Ärende TL-2026-0001 är avslutat."
    new_order = complete(
        open_case(engine, "new_order"),
        "accept", "inform_customer", "secure_access", "notify_installation", "installation_feedback", "activate",
    )
    assert new_order.close(ANNA, NOW).message == f"Ärende {new_order.reference} är avslutat."
