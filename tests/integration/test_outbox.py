"""The outbox: a notice is stored in the same transaction as the case event that causes it, one
per event and kind, and a whole case's life reads well in the channel: one card updated in
place, short lines in its thread."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from botbuilder.schema import Activity

from bot.domain import DomainError
from bot.teams.delivery import channel_reference
from bot.notifications.outbox import NewNotice, enqueue
from tests.support import teams

from tests.support.notices import ANNA, fast_policy

STEPS = ("accept", "inform_customer", "secure_access", "notify_installation", "installation_feedback", "activate")


def now() -> datetime:
    return datetime.now(timezone.utc)


async def kinds(world) -> list[str]:
    return [row.kind for row in await world.outbox.all()]


async def test_each_event_queues_its_notices_in_its_own_transaction(world):
    started = await world.cases.start_case("new_order", actor=ANNA, facts={"priority": True}, team_id=teams.TEAM_ID)
    assert await kinds(world) == ["case_card"]
    reference = started.reference
    with pytest.raises(DomainError):
        await world.cases.complete_step(reference, "activate", ANNA)  # out of order: refused
    await world.cases.add_note(reference, ANNA, "Ringt installation och service")
    assert await kinds(world) == ["case_card"], "a refused step and a note queue nothing"

    async def broken_listener(session, case, events):
        raise RuntimeError("after the outbox row was added")

    world.cases.add_listener(broken_listener)
    with pytest.raises(RuntimeError):
        await world.cases.complete_step(reference, "accept", ANNA)
    world.cases.listeners.remove(broken_listener)
    case = await world.cases.get_by_reference(reference)
    assert not case.is_done("accept") and await kinds(world) == ["case_card"], "event and notice roll back together"

    await world.cases.complete_step(reference, "accept", ANNA)
    assert Counter(await kinds(world)) == {"case_card": 2, "step_done": 1}


async def test_no_channel_no_notice_and_personal_cases_without_a_team(world):
    await world.cases.start_case("new_order", actor=ANNA, facts={}, team_id="19:another-team@thread.tacv2")
    await world.cases.start_case("new_order", actor=ANNA, facts={}, conversation_id="a:personal-chat")
    assert await kinds(world) == []


async def test_a_case_from_start_to_finish_reads_well_in_the_channel(world, connector):
    started = await world.cases.start_case("new_order", actor=ANNA, facts={}, team_id=teams.TEAM_ID)
    reference = started.reference
    worker = world.worker()
    await worker.drain()
    [card_post] = connector.sent
    assert card_post.method == "POST" and card_post.conversation_id == teams.TEAM_ID
    card_id = "sent-1"
    for step in STEPS:
        await world.cases.complete_step(reference, step, ANNA)
    await world.cases.close(reference, ANNA)
    await worker.drain()

    updates = [s for s in connector.sent if s.method == "PUT"]
    assert len(updates) == len(STEPS) + 1 and {s.reply_to for s in updates} == {card_id}
    assert "Avslutat" in str(updates[-1].cards[0]), "the card ends showing the closed case"
    thread = [s for s in connector.sent if s.conversation_id == f"{teams.TEAM_ID};messageid={card_id}"]
    assert len(thread) == len(STEPS) + 1
    assert "avslutat" in str(thread[-1].cards[0])
    assert [s for s in connector.sent if s.method == "POST" and s.conversation_id == teams.TEAM_ID] == [card_post]


async def test_a_declined_order_is_its_own_notice(world, connector):
    started = await world.cases.start_case("new_order", actor=ANNA, facts={}, team_id=teams.TEAM_ID)
    await world.cases.decline(started.reference, ANNA, reason="Fel utförare")
    await world.worker().drain()
    posts = [s for s in connector.sent if s.method == "POST" and s.conversation_id == teams.TEAM_ID]
    assert len(posts) == 2 and "Beställningen avböjdes" in str(posts[1].cards[0])
    assert "Avböjt" in str([s for s in connector.sent if s.method == "PUT"][0].cards[0])


async def test_an_older_card_never_overwrites_a_newer_one(world, connector):
    started = await world.cases.start_case("new_order", actor=ANNA, facts={}, team_id=teams.TEAM_ID)
    await world.cases.complete_step(started.reference, "accept", ANNA)
    worker = world.worker()
    await worker.drain()
    shown = await world.outbox.case_card(world.channel.id, started.reference)
    assert shown.version == 2
    sent_before = len(connector.sent)
    stale = NewNotice(world.channel.id, f"{world.channel.id}:{started.reference}", "case_card", "stale-card",
                      {"mode": "case_card", "summary": None, "card": {"type": "AdaptiveCard"}, "version": 1},
                      started.reference)
    async with world.sessions.begin() as session:
        await enqueue(session, stale, now())
    await worker.drain()
    assert len(connector.sent) == sent_before, "the stale card was not sent"
    assert {row.status for row in await world.outbox.all()} == {"sent"}


async def test_a_failed_notice_is_logged_with_its_id(world, connector, caplog):
    connector.fail_next(503, times=1000)
    await world.queue_plain(1, now())
    worker = world.worker(policy=fast_policy(give_up_after=timedelta(seconds=0.2)))
    with caplog.at_level(logging.INFO, logger="bot.notifications"):
        await worker.drain()
    connector.failures.clear()
    [row] = await world.outbox.all()
    failed = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failed) == 1 and f"notice id={row.id}" in failed[0].getMessage()
    assert "n-0" not in caplog.text, "the log never carries a message's text"


async def test_moving_the_notices_to_another_channel_posts_fresh_cards_there(world, connector):
    started = await world.cases.start_case("new_order", actor=ANNA, facts={}, team_id=teams.TEAM_ID)
    worker = world.worker()
    await worker.drain()
    other = teams.channel()
    other.id = "19:larm-kanal@thread.tacv2"
    activity = Activity().deserialize(teams.message(other, connector.url, "notiser här"))
    await world.subscriptions.subscribe(scope=teams.TEAM_ID, kind="channel", conversation_id=other.id,
                                        reference=channel_reference(activity), actor_id=ANNA.id, actor_name=ANNA.name,
                                        now=now())
    await world.cases.complete_step(started.reference, "accept", ANNA)
    await worker.drain()
    moved = [s for s in connector.sent if s.conversation_id.startswith(other.id)]
    assert [s.method for s in moved] == ["POST", "POST"], "a fresh card, then the line in its thread"
    assert moved[1].conversation_id == f"{other.id};messageid=sent-2"


async def test_finished_notices_are_forgotten_after_the_keep_time_pending_ones_never(world, connector):
    await world.queue_plain(3, now())
    await world.worker().drain()
    await world.queue_plain(2, now(), prefix="later")
    assert await world.outbox.purge_finished(now() - timedelta(days=30)) == 0
    assert await world.outbox.purge_finished(now() + timedelta(seconds=1)) == 3
    assert Counter(row.status for row in await world.outbox.all()) == {"pending": 2}
