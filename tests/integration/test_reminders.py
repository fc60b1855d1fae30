"""Reminders and the digest from a periodic scan with a frozen clock, across Easter 2027 (Good
Friday 26 March and Easter Monday 29 March are holidays) and the DST change on Sunday 28 March
(08:30 in Stockholm is 07:30 UTC before it and 06:30 UTC after)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, time, timedelta, timezone

from bot.domain import EventKind
from bot.notifications.reminders import ReminderScanner, reminder_due
from bot.domain.engine import StepDeadline
from tests.support import teams

from tests.support.notices import ANNA


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def scanner(world) -> ReminderScanner:
    return ReminderScanner(world.cases, world.subscriptions, world.sessions, lead=timedelta(minutes=60),
                           digest_time=time(8, 30))


async def new_order_waiting_for_installation(world, done_at: datetime) -> str:
    started = await world.cases.start_case("new_order", actor=ANNA, facts={"priority": False}, team_id=teams.TEAM_ID,
                                           now=done_at - timedelta(days=2))
    reference = started.reference
    for step in ("accept", "inform_customer", "secure_access", "notify_installation"):
        await world.cases.complete_step(reference, step, ANNA, now=done_at)
    return reference


async def kinds(world) -> Counter:
    return Counter(row.kind for row in await world.outbox.all())


async def test_installation_feedback_reminders_and_digest_across_easter_and_dst(world):
    # Installation och service was told on Wednesday 24 March 10:00 (CET).
    reference = await new_order_waiting_for_installation(world, utc(2027, 3, 24, 9, 0))
    case = await world.cases.get_by_reference(reference)
    [deadline] = world.cases.engine.deadlines(case)
    # Five working days, skipping Good Friday, the weekend and Easter Monday: Friday 2 April 16:00 CEST.
    assert deadline.step_id == "installation_feedback"
    assert deadline.due_at == utc(2027, 4, 2, 14, 0)
    scan = scanner(world)
    before = await kinds(world)

    # The digest: 08:30 local on working days only, once a day.
    assert (await scan.scan(utc(2027, 3, 25, 7, 29))).digests == 0   # 08:29 CET
    assert (await scan.scan(utc(2027, 3, 25, 7, 30))).digests == 1   # 08:30 CET
    assert (await scan.scan(utc(2027, 3, 25, 12, 0))).digests == 0   # already sent today
    assert (await scan.scan(utc(2027, 3, 26, 9, 0))).digests == 0    # Good Friday
    assert (await scan.scan(utc(2027, 3, 29, 9, 0))).digests == 0    # Easter Monday
    assert (await scan.scan(utc(2027, 3, 30, 6, 29))).digests == 0   # 08:29 CEST
    assert (await scan.scan(utc(2027, 3, 30, 6, 30))).digests == 1   # 08:30 CEST, after the change

    # Near the deadline (60 minutes before), then overdue: once each.
    assert (await scan.scan(utc(2027, 4, 2, 12, 59))).reminders == 0
    assert (await scan.scan(utc(2027, 4, 2, 13, 0))).reminders == 1
    assert (await scan.scan(utc(2027, 4, 2, 13, 30))).reminders == 0
    assert (await scan.scan(utc(2027, 4, 2, 14, 0))).reminders == 1
    assert (await scan.scan(utc(2027, 4, 5, 9, 0))).reminders == 0

    case = await world.cases.get_by_reference(reference)
    reminders = [e for e in case.events if e.kind is EventKind.REMINDER_SENT]
    assert [(e.step_id, e.at) for e in reminders] == [("installation_feedback", utc(2027, 4, 2, 13, 0)),
                                                      ("installation_feedback", utc(2027, 4, 2, 14, 0))]
    added = await kinds(world) - before
    assert added == {"reminder": 2, "digest": 4}  # 25 Mar, 30 Mar, 2 Apr, 5 Apr
    cards = [row.message["card"] for row in await world.outbox.all() if row.kind == "reminder"]
    assert "Påminnelse" in str(cards[0]) and "16:00" in str(cards[0])
    # The page gives no time for the installation feedback: a reminder, never "Försenat".
    assert "inte klart" in str(cards[1]) and "inställning" in str(cards[1]) and "Försenat" not in str(cards[1])
    assert "Grund: sidan anger ingen tid – påminnelse efter 5 arbetsdagar (inställning)" in str(cards[1])
    summaries = [row.message["summary"] for row in await world.outbox.all() if row.kind == "reminder"]
    assert all("försenat" not in summary for summary in summaries)


async def test_overdue_at_first_sight_and_a_done_step_is_not_reminded(world):
    reference = await new_order_waiting_for_installation(world, utc(2027, 3, 24, 9, 0))
    scan = scanner(world)
    assert (await scan.scan(utc(2027, 4, 2, 14, 30))).reminders == 1  # the bot was away: straight to overdue
    assert (await scan.scan(utc(2027, 4, 2, 14, 45))).reminders == 0
    await world.cases.complete_step(reference, "installation_feedback", ANNA, now=utc(2027, 4, 5, 8, 0))
    assert (await scan.scan(utc(2027, 4, 20, 9, 0))).reminders == 0  # activating has no deadline
    case = await world.cases.get_by_reference(reference)
    assert [e.text for e in case.events if e.kind is EventKind.REMINDER_SENT] == [
        "Påminnelse i kanalen: steget är inte klart vid påminnelsetiden (inställning)."]


async def test_two_scans_at_once_record_each_reminder_once(world):
    reference = await new_order_waiting_for_installation(world, utc(2027, 3, 24, 9, 0))
    first, second = scanner(world), scanner(world)
    moment = utc(2027, 4, 2, 13, 5)
    results = await asyncio.gather(first.scan(moment), second.scan(moment))
    assert sum(result.reminders for result in results) >= 1
    case = await world.cases.get_by_reference(reference)
    assert sum(1 for e in case.events if e.kind is EventKind.REMINDER_SENT) == 1
    assert (await kinds(world))["reminder"] == 1
    assert (await kinds(world))["digest"] == 1


def test_which_reminder_a_deadline_calls_for():
    due = utc(2027, 4, 2, 14, 0)
    opened = utc(2027, 3, 24, 9, 0)
    lead = timedelta(minutes=60)

    def deadline(reminded=None):
        return StepDeadline("TL-2027-0001", "s", "1", "t", opened, due, reminded)

    assert reminder_due(deadline(), due - timedelta(minutes=61), lead) is None
    assert reminder_due(deadline(), due - timedelta(minutes=60), lead) == "near"
    assert reminder_due(deadline(due - timedelta(minutes=50)), due - timedelta(minutes=10), lead) is None
    assert reminder_due(deadline(due - timedelta(minutes=50)), due, lead) == "overdue"
    assert reminder_due(deadline(due + timedelta(minutes=1)), due + timedelta(hours=5), lead) is None
    # A reminder from before the step was last reopened (undone and redone) does not count.
    assert reminder_due(deadline(opened - timedelta(days=1)), due, lead) == "overdue"


async def test_one_hour_before_closing_and_five_working_days_before_a_large_change(world):
    # The provider change is announced on Good Friday evening; the customer has a lock and the
    # change is part of a large reorganisation wanted on Tuesday 6 April.
    facts = {"provider_role": "leaving", "lock": True, "large_org_change": True, "wanted_date": "2027-04-06"}
    friday = utc(2027, 3, 26, 17, 0)
    started = await world.cases.start_case("provider_change", actor=ANNA, facts=facts, team_id=teams.TEAM_ID,
                                           now=friday)
    await world.cases.complete_step(started.reference, "change_notice_received", ANNA, now=friday)
    case = await world.cases.get_by_reference(started.reference)
    due = {d.step_id: d.due_at for d in world.cases.engine.deadlines(case)}
    # Next working day after Easter is Tuesday 30 March, in summer time: 15:00 CEST and 16:00 CEST.
    assert due == {"notify_lock": utc(2027, 3, 30, 13, 0), "contact_before_large_change": utc(2027, 3, 30, 14, 0)}
    scan = scanner(world)
    assert (await scan.scan(utc(2027, 3, 29, 12, 0))).reminders == 0   # Easter Monday: nothing due yet
    assert (await scan.scan(utc(2027, 3, 30, 11, 59))).reminders == 0
    assert (await scan.scan(utc(2027, 3, 30, 12, 0))).reminders == 1   # lock: near
    assert (await scan.scan(utc(2027, 3, 30, 13, 0))).reminders == 2   # lock: overdue; large change: near
    assert (await scan.scan(utc(2027, 3, 30, 14, 0))).reminders == 1   # large change: overdue
    assert (await scan.scan(utc(2027, 3, 31, 9, 0))).reminders == 0


async def test_an_omgaende_step_counts_working_hours_over_easter(world):
    # Termination with a lock: ended in the system on Maundy Thursday 15:00 CET, one opening hour
    # before closing. Four working hours (the configured "omgående") end Tuesday 30 March 11:00 CEST.
    thursday = utc(2027, 3, 25, 14, 0)
    started = await world.cases.start_case("termination", actor=ANNA, facts={"lock": True, "keys_held": True},
                                           team_id=teams.TEAM_ID, now=thursday)
    await world.cases.complete_step(started.reference, "end_in_system", ANNA, now=thursday)
    case = await world.cases.get_by_reference(started.reference)
    assert [(d.step_id, d.due_at) for d in world.cases.engine.deadlines(case)] == [
        ("notify_lock_removal", utc(2027, 3, 30, 9, 0))]
    scan = scanner(world)
    assert (await scan.scan(utc(2027, 3, 26, 10, 0))).reminders == 0   # Good Friday
    assert (await scan.scan(utc(2027, 3, 30, 8, 0))).reminders == 1    # 10:00 CEST: an hour left
    assert (await scan.scan(utc(2027, 3, 30, 9, 0))).reminders == 1    # 11:00 CEST: overdue


async def test_no_digest_for_a_team_without_open_cases(world):
    assert (await scanner(world).scan(utc(2027, 3, 25, 9, 0))).digests == 0
