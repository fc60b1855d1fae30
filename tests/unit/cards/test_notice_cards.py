"""Every notice card passes the official schema, Teams' rules and the official renderer."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from bot.domain import Actor, CaseEngine
from bot.domain.routines import digest_schedule
from cards import notices as cards
from tests.support.cardcheck import assert_cards_valid

AT = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
ANNA = Actor("a1", "Anna Andersson")
ENGINE = CaseEngine()
SCHEDULE = digest_schedule(time(8, 30))


def new_order(priority: bool, **facts):
    return ENGINE.open_case("new_order", reference="TL-2026-0042", actor=ANNA, at=AT,
                            facts={"priority": priority, **facts}, team_id="team", customer_ref="Kund 7").case


def all_notice_cards() -> dict[str, dict]:
    priority = new_order(True)
    plain = new_order(False)
    accepted = plain.complete_step("accept", ANNA, AT + timedelta(minutes=5)).case
    declined = plain.decline(ANNA, AT + timedelta(minutes=5), "Kunden har flyttat").case
    walked = plain
    for step in ("accept", "inform_customer", "secure_access", "notify_installation", "installation_feedback",
                 "activate"):
        walked = walked.complete_step(step, ANNA, AT + timedelta(hours=1)).case
    closed = walked.close(ANNA, AT + timedelta(hours=2)).case
    due = AT + timedelta(hours=3)
    failed = [cards.FailedNotice("case_card", "TL-2026-0042", AT, 9, "http 503"),
              cards.FailedNotice("digest", None, AT, 1, "http 403")]
    channel = cards.ChannelStatus(True, True, "channel", "Anna Andersson", AT)
    return {
        "case_new_priority": cards.case_card(priority, due, AT),
        "case_new": cards.case_card(plain, None, AT),
        "case_step_done": cards.case_card(accepted, AT - timedelta(hours=1), AT),
        "case_with_basis": cards.case_card(accepted, due, AT, "senast en timme före stängning (sidan) – kl. 15:00 "
                                           + ENGINE.closing_basis()),
        "case_declined": cards.case_card(declined, None, AT),
        "case_closed": cards.case_card(closed, None, AT),
        "step_done": cards.step_done_card(accepted, accepted.events[-1]),
        "closed": cards.closed_card(closed, closed.events[-1]),
        "declined": cards.declined_card(declined, declined.events[-1]),
        "reminder_near": cards.reminder_card(accepted, "notify_installation", due, overdue=False),
        "reminder_overdue": cards.reminder_card(accepted, "notify_installation", due, overdue=True),
        "digest": cards.digest_card(AT.date(), [cards.DigestRow(priority, due), cards.DigestRow(accepted, None)],
                                    [(accepted, "notify_installation", AT - timedelta(hours=1))], AT,
                                    schedule=SCHEDULE, closing_basis=ENGINE.closing_basis()),
        "digest_empty": cards.digest_card(AT.date(), [], [], AT),
        "status_on_with_failures": cards.status_card(channel, 3, failed, retrying=2, last_error="http 429"),
        "status_on": cards.status_card(channel, 0, [], digest_schedule=SCHEDULE),
        "status_off": cards.status_card(cards.ChannelStatus(False, True, "channel", "Anna", AT), 0, []),
        "status_bot_removed": cards.status_card(
            cards.ChannelStatus(False, False, "channel", "Anna", AT, bot_removed=True, cancelled=4), 0, []),
        "status_none": cards.status_card(None, 0, []),
    }


def test_every_notice_card_is_valid():
    assert_cards_valid(all_notice_cards())


def test_the_priority_card_stands_out_and_carries_the_number_as_a_tel_link():
    card = cards.case_card(new_order(True), None, AT)
    assert card["body"][0]["style"] == "attention"
    calls = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert calls == [{"type": "Action.OpenUrl", "title": "Ring 08-508 40 613", "url": "tel:+46850840613"}]
    assert "tel:" not in str(cards.case_card(new_order(False), None, AT))


def test_the_declined_card_says_to_mail_the_alarm_centre_at_once():
    declined = new_order(False).decline(ANNA, AT, None).case
    card = cards.declined_card(declined, declined.events[-1])
    assert "omgående" in str(card)
    urls = [a["url"] for a in card["actions"] if a.get("url", "").startswith("mailto:")]
    assert urls and urls[0].startswith("mailto:trygghetslarm@stockholm.se?subject=")
    assert "Vi%20meddelar%20att%20vi%20inte%20accepterar" in urls[0]


def test_a_reminder_calls_a_step_late_only_against_a_page_deadline_and_says_what_to_do_now():
    engine = CaseEngine()
    at = datetime(2026, 12, 3, 14, 30, tzinfo=timezone.utc)
    change = engine.open_case("provider_change", reference="TL-2026-0007", actor=ANNA, at=at,
                              facts={"provider_role": "leaving", "lock": True}).case
    late = str(cards.reminder_card(change, "notify_lock", at, overdue=True))
    assert "Försenat" in late and "Gör nu: Meddela installation och service nu ändå" in late
    order = engine.open_case("new_order", reference="TL-2026-0008", actor=ANNA, at=at).case
    for step_id in ("accept", "secure_access", "notify_installation", "inform_customer"):
        order = order.complete_step(step_id, ANNA, at).case
    reminded = str(cards.reminder_card(order, "installation_feedback", at, overdue=True))
    assert "Försenat" not in reminded and "inte klart" in reminded and "inställning" in reminded
