"""One user action, one effect, over HTTP: a turn whose reply failed is answered again, not run
again; invokes are deduplicated with their response; a click on a stale card changes nothing;
in a channel thread each person's intake is their own."""

from __future__ import annotations

import asyncio

from tests.support import teams
from tests.support.cards import execute_actions

from .test_conversation import last_reference, say, start_move_case

# A 500 is the connector's answer for good: the reply sender does not try it again within the turn
# (502/503/504 and 429 it does, within the reply budget: tests/e2e/test_reply_sender.py).
TEAMS_TRIES = 4


async def _case(bot, reference):
    return await bot.runtime.cases.get_by_reference(reference)


async def test_a_failed_reply_is_sent_again_on_redelivery_and_the_action_is_not_repeated(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "flytt")
    await say(bot, chat, "ja")
    answer = teams.message(chat, bot.service_url, "hoppa över")
    connector.fail_next(500)
    first = await bot.post(answer)
    assert first.status == 503, "Teams is asked to deliver the activity again"
    assert not any("ingenting sparades" in text for text in connector.texts())
    for _ in range(TEAMS_TRIES):  # Teams' redeliveries: the same activity id
        if (await bot.post(answer)).status == 200:
            break
    else:
        raise AssertionError("the redelivery never got its reply through")
    reference = last_reference(connector)
    assert connector.sent[-1].cards and reference in connector.sent[-1].text
    cases = await bot.runtime.cases.open_cases_for_user(teams.ANNA.aad_object_id)
    assert [case.reference for case in cases] == [reference]
    third = await bot.post(answer)  # delivered once more: nothing left to send, nothing run
    assert third.status == 200
    assert sum(reference in s.text for s in connector.sent) == 1


async def test_a_reply_that_never_arrived_comes_with_the_next_message(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    connector.fail_next(500)
    assert (await say(bot, chat, "klar")).status == 503  # Teams gives up; the user writes again
    connector.failures.clear()
    sent_before = len(connector.sent)
    await say(bot, chat, "mina ärenden")
    new = connector.sent[sent_before:]
    assert new[0].text.startswith("Mitt förra svar till dig kom inte fram")
    assert "Steg 1" in new[1].text and "är klart" in new[1].text, "what was saved is said"
    assert len(new) == 3, "the note, the saved reply, then the answer to the new message"
    case = await _case(bot, reference)
    assert [e.kind.value for e in case.events].count("step_done") == 1


async def test_a_failed_turn_saves_nothing_and_says_so(bot, connector, monkeypatch):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    listener_calls = []

    async def broken_listener(session, case, events):
        listener_calls.append(case.reference)
        raise RuntimeError("the outbox is broken")

    bot.runtime.cases.add_listener(broken_listener)
    reply = await say(bot, chat, "klar")
    assert reply.status == 200 and listener_calls == [reference]
    assert "ingenting sparades" in connector.texts()[-1]
    case = await _case(bot, reference)
    assert [e.kind.value for e in case.events] == ["opened"], "the apology is true"


async def test_a_redelivered_invoke_gets_the_same_response_and_acts_once(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    case = await _case(bot, reference)
    click = teams.card_execute(chat, bot.service_url, "completeStep",
                               {"caseId": reference, "stepId": "move_notice_received", "version": case.version})
    first = await bot.post(click)
    again = await bot.post(click)
    assert first.status == again.status == 200
    assert again.body == first.body, "the cached invoke response, not a 'stale card' answer"
    case = await _case(bot, reference)
    assert [e.kind.value for e in case.events].count("step_done") == 1


async def test_undo_double_clicked_undoes_one_step(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    for _ in range(3):
        await say(bot, chat, "klar")
    await say(bot, chat, f"ärende {reference}")  # the whole card, with its undo
    card = connector.sent[-1].cards[0]
    undo = execute_actions(card, "undoStep")[0]
    data = {**undo["data"], "undoReason": "fel steg"}
    replies = await asyncio.gather(*(bot.post(teams.card_execute(chat, bot.service_url, "undoStep", data))
                                     for _ in range(2)))
    replies.append(await bot.post(teams.card_execute(chat, bot.service_url, "undoStep", data)))
    assert all(reply.status == 200 for reply in replies)
    case = await _case(bot, reference)
    kinds = [e.kind.value for e in case.events]
    assert kinds.count("step_undone") == 1 and len(case.done) == 2
    assert sum("Kortet visade inte längre" in str(reply.body) for reply in replies) == 2


async def test_a_click_on_a_stale_card_changes_nothing_and_shows_the_current_card(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    old_card = connector.sent[-1].cards[0]
    await say(bot, chat, "klar")  # the case moves on; the old card is still in the chat
    done = execute_actions(old_card, "completeStep")[0]
    reply = await bot.post(teams.card_execute(chat, bot.service_url, "completeStep", done["data"]))
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Kortet visade inte längre" in str(reply.body["value"])
    case = await _case(bot, reference)
    assert [e.kind.value for e in case.events] == ["opened", "step_done"]


async def test_in_a_channel_thread_another_persons_answer_does_not_touch_an_intake(bot, connector):
    room = teams.channel()
    await say(bot, room, "flytt", teams.ANNA)
    question = connector.sent[-1].cards[0]
    await say(bot, room, "ja", teams.BERTIL)
    assert "kollegas pågående rutin" in connector.texts()[-1]
    await bot.post(teams.card_submit(room, bot.service_url, {"intake": "lock", "answer": "ja"}, teams.BERTIL))
    assert "kollegas pågående rutin" in connector.texts()[-1]
    assert question is not None
    await say(bot, room, "övertagande", teams.BERTIL)  # Bertil starts his own beside Anna's
    await say(bot, room, "nej", teams.ANNA)
    await say(bot, room, "hoppa över", teams.ANNA)
    anna_reference = last_reference(connector)
    case = await _case(bot, anna_reference)
    assert case.facts == {"lock": False} and case.events[0].actor.id == teams.ANNA.aad_object_id
    assert "kundreferens" not in connector.texts()[-1].lower()


async def test_on_postgresql_a_connection_lost_mid_turn_saves_nothing_says_so_and_the_next_turn_works(
        bot, connector, database_url):
    """The turn's transaction runs on the lock's connection, its case statements straight on asyncpg:
    when that connection dies between the case's update and the commit, PostgreSQL keeps nothing of
    the turn, the user is told nothing was saved, and the next message runs on a fresh connection."""
    import pytest

    from bot.teams.turn_guards import held_connection

    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's lock connection")
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    killed = []

    async def lose_the_connection(session, case, events):
        pid = held_connection().get_server_pid()
        async with bot.runtime.engine.connect() as other:
            await other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
        killed.append(pid)

    bot.runtime.cases.add_listener(lose_the_connection)
    reply = await say(bot, chat, "klar")
    bot.runtime.cases.listeners.remove(lose_the_connection)
    assert len(killed) == 1 and reply.status == 200
    assert "ingenting sparades" in connector.texts()[-1]
    assert [e.kind.value for e in (await _case(bot, reference)).events] == ["opened"], "the apology is true"
    await say(bot, chat, "klar")
    assert "är klart" in connector.texts()[-1]
    assert [e.kind.value for e in (await _case(bot, reference)).events] == ["opened", "step_done"]
