"""Conversations over HTTP: typing instead of clicking, interruptions, personal data, restarts,
channels and double clicks."""

from __future__ import annotations

import asyncio
import re

from bot.teams.turn_guards import _lock_number
from tests.support import teams


async def say(bot, chat, text, user=teams.ANNA):
    return await bot.post(teams.message(chat, bot.service_url, text, user))


def last_reference(connector) -> str:
    for sent in reversed(connector.sent):
        found = re.search(r"TL-\d{4}-\d{4}", sent.text)
        if found:
            return found.group(0)
    raise AssertionError("no case was started")


async def start_move_case(bot, connector, chat, customer_ref="skip", user=teams.ANNA):
    await say(bot, chat, "flytt", user)
    await say(bot, chat, "ja", user)
    await say(bot, chat, "hoppa över" if customer_ref == "skip" else customer_ref, user)
    return last_reference(connector)


async def test_a_dialog_survives_a_restart_of_the_bot(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "ny beställning")
    assert "fråga 1 av 2" in str(connector.sent[-1].cards[0])
    await say(bot, chat, "ja")
    assert "fråga 2 av 2" in str(connector.sent[-1].cards[0])
    await bot.restart()
    await say(bot, chat, "nej")
    assert "kundreferens" in str(connector.sent[-1].cards[0]).lower()
    await say(bot, chat, "Lpnr 55")
    reference = last_reference(connector)
    case = await bot.runtime.cases.get_by_reference(reference)
    assert case.facts["priority"] is True and case.customer_ref == "Lpnr 55"


async def test_everything_on_the_checklist_can_be_done_by_typing(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    await say(bot, chat, "klar")
    assert "Steg 1" in connector.sent[-1].text and "är klart" in connector.sent[-1].text
    await say(bot, chat, "ångra")
    assert connector.texts()[-1].startswith("Skriv **ångra** följt av orsaken")
    await say(bot, chat, "ångra fel kund")
    assert "Steg 1" in connector.sent[-1].text and "ångrat" in connector.sent[-1].text
    for _ in range(3):
        await say(bot, chat, "klar")
    await say(bot, chat, "avsluta ärendet")
    assert connector.sent[-1].text == f"Ärende {reference} är avslutat."
    case = await bot.runtime.cases.get_by_reference(reference)
    kinds = [event.kind.value for event in case.events]
    assert kinds == ["opened", "step_done", "step_undone", "step_done", "step_done", "step_done", "closed"]
    assert case.events[2].text == "fel kund"


async def test_typed_out_of_order_step_is_refused_with_the_blocking_step(bot, connector):
    chat = teams.personal()
    for text in ("ny beställning", "nej", "ja", "hoppa över"):
        await say(bot, chat, text)
    await say(bot, chat, "klar 2")
    assert connector.texts()[-1] == ("Steg 2 kan inte markeras klart förrän steg 1 "
                                     "(Acceptera beställningen i Paraplysystemet) är klart.")


async def test_my_cases_and_show_case(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    await say(bot, chat, "mina ärenden")
    listing = str(connector.sent[-1].cards[0])
    assert reference in listing and "Nästa: steg 1" in listing
    await say(bot, chat, f"ärende {reference.lower()}")
    assert reference in str(connector.sent[-1].cards[0])
    await say(bot, chat, "ärende TL-2026-9999")
    assert connector.texts()[-1].startswith("Jag hittar inget ärende TL-2026-9999")


async def test_another_users_personal_case_is_not_visible(bot, connector):
    reference = await start_move_case(bot, connector, teams.personal())
    other = teams.personal(teams.BERTIL)
    await say(bot, other, f"ärende {reference}", teams.BERTIL)
    assert "hör till ett annat team" in connector.texts()[-1]
    await say(bot, other, f"klar {reference}", teams.BERTIL)
    assert "hör till ett annat team" in connector.texts()[-1]
    case = await bot.runtime.cases.get_by_reference(reference)
    assert len(case.events) == 1


async def test_channel_cases_are_the_teams_cases(bot, connector):
    room = teams.channel()
    reference = await start_move_case(bot, connector, room, user=teams.ANNA)
    await say(bot, room, "mina ärenden", teams.BERTIL)
    assert reference in str(connector.sent[-1].cards[0])
    assert "Teamets öppna ärenden" in str(connector.sent[-1].cards[0])
    await say(bot, room, f"klar {reference}", teams.BERTIL)
    case = await bot.runtime.cases.get_by_reference(reference)
    assert case.events[-1].actor.name == "Bertil Berg"


async def test_personal_number_in_the_customer_reference_is_refused_and_never_stored(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "flytt")
    await say(bot, chat, "nej")
    await say(bot, chat, "19121212-1212")
    card = str(connector.sent[-1].cards[0])
    assert "ser ut som ett personnummer" in card
    await bot.post(teams.card_submit(chat, bot.service_url, {"intake": "customerRef", "customerRef": "kund 8112189876"}))
    assert "ser ut som ett personnummer" in str(connector.sent[-1].cards[0])
    await say(bot, chat, "Lpnr 9")
    reference = last_reference(connector)
    case = await bot.runtime.cases.get_by_reference(reference)
    assert case.customer_ref == "Lpnr 9"
    await _assert_not_in_database(bot, ["191212121212", "19121212", "8112189876"])


async def _assert_not_in_database(bot, fragments):
    from sqlalchemy import text

    async with bot.runtime.engine.connect() as conn:
        for table in ("bot_state", "cases", "case_events"):
            rows = (await conn.execute(text(f"SELECT * FROM {table}"))).all()
            dump = re.sub(r"[-+ ]", "", str(rows))
            for fragment in fragments:
                assert fragment not in dump, f"{fragment} found in {table}"


async def test_avbryt_leaves_the_questions_and_creates_nothing(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "utförarbyte")
    await say(bot, chat, "avbryt")
    assert connector.texts()[-1] == "Okej, jag har avbrutit. Inget ärende skapades."
    await say(bot, chat, "avbryt")
    assert connector.texts()[-1] == "Det finns inget att avbryta just nu."
    assert await bot.runtime.cases.open_cases_for_user(teams.ANNA.aad_object_id) == []


async def test_help_and_a_question_mid_intake_keep_the_step(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "avslut")
    await say(bot, chat, "hjälp")
    assert "Larmlotsen – det här kan jag" in str(connector.sent[-1].cards[0])
    await say(bot, chat, "när får vi lämna tillbaka nycklarna?")
    assert "nycklar" in str(connector.sent[-1].cards[0]).lower()
    await say(bot, chat, "nej")  # still the first question: lock?
    assert "fråga 2 av 2" in str(connector.sent[-1].cards[0])


async def test_an_unreadable_answer_is_asked_again_with_the_reason(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "utförarbyte")
    await say(bot, chat, "kanske")
    card = str(connector.sent[-1].cards[0])
    assert "fråga 1 av" in card and "Det svaret förstod jag inte" in card


async def test_tolerant_routine_names(bot, connector):
    for typed, title in (("ÅTERLÄMNA LARM", "Återlämning"), ("aterlamna larm", "Återlämning"),
                         ("utforarbyte", "Utförarbyte"), ("ny bestälning", "Ny beställning")):
        chat = teams.personal()
        await say(bot, chat, typed)
        assert title in str(connector.sent[-1].cards[0]), typed


async def test_help_card_button_starts_a_routine(bot, connector):
    chat = teams.personal()
    await bot.post(teams.card_submit(chat, bot.service_url, {"command": "flytt"}))
    assert "Kunden flyttar" in str(connector.sent[-1].cards[0])


async def test_double_click_records_the_step_once(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    data = {"caseId": reference, "stepId": "move_notice_received"}
    replies = await asyncio.gather(*(bot.post(teams.card_execute(chat, bot.service_url, "completeStep", data))
                                     for _ in range(4)))
    assert all(reply.status == 200 for reply in replies)
    assert all(reply.body["type"] == "application/vnd.microsoft.card.adaptive" for reply in replies)
    case = await bot.runtime.cases.get_by_reference(reference)
    assert [e.kind.value for e in case.events].count("step_done") == 1


async def test_card_submit_fallback_acts_like_the_universal_action(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    await bot.post(teams.card_submit(chat, bot.service_url,
                                     {"verb": "completeStep", "caseId": reference, "stepId": "move_notice_received"}))
    assert reference in str(connector.sent[-1].cards[0])
    case = await bot.runtime.cases.get_by_reference(reference)
    assert case.is_done("move_notice_received")


async def test_bad_card_actions_get_a_polite_answer_and_change_nothing(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    for verb, data in (("explode", {"caseId": reference}), ("completeStep", {"caseId": "'; drop table cases"}),
                       ("completeStep", {"caseId": reference, "stepId": 7}),
                       ("completeStep", {"caseId": reference, "stepId": "no_such_step"})):
        reply = await bot.post(teams.card_execute(chat, bot.service_url, verb, data))
        assert reply.status == 200
        assert reply.body["type"] == "application/vnd.microsoft.activity.message"
    case = await bot.runtime.cases.get_by_reference(reference)
    assert len(case.events) == 1


async def test_a_question_gets_an_answer_with_its_section(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "vilket nummer ringer jag vid prioriterad beställning?")
    card = str(connector.sent[-1].cards[0])
    assert "08-508 40 613" in card and "Ur stadens sida" in card


async def test_an_out_of_scope_question_is_not_answered(bot, connector):
    chat = teams.personal()
    await say(bot, chat, "vad blir det för väder i helgen?")
    assert connector.texts()[-2].startswith("Det vet jag tyvärr inget säkert svar på")


async def test_in_a_channel_the_clicked_card_is_updated_in_place_for_everyone(bot, connector):
    room = teams.channel()
    reference = await start_move_case(bot, connector, room)
    card_message_id = "sent-card-1"
    reply = await bot.post(teams.card_execute(room, bot.service_url, "completeStep",
                                              {"caseId": reference, "stepId": "move_notice_received"},
                                              reply_to=card_message_id))
    assert reply.body["type"] == "application/vnd.microsoft.card.adaptive"
    updates = [s for s in connector.sent if s.method == "PUT"]
    assert updates and updates[-1].reply_to == card_message_id
    assert reference in str(updates[-1].cards[0]) and "✓ 1. Ta emot meddelandet" in str(updates[-1].cards[0])


async def test_a_clicked_step_says_what_happened_on_the_card_itself(bot, connector):
    chat = teams.personal()
    reference = await start_move_case(bot, connector, chat)
    data = {"caseId": reference, "stepId": "move_notice_received"}
    first = await bot.post(teams.card_execute(chat, bot.service_url, "completeStep", data))
    assert "är klart." in str(first.body["value"]["body"][:3])
    again = await bot.post(teams.card_execute(chat, bot.service_url, "completeStep", data))
    assert "är redan klart." in str(again.body["value"]["body"][:3])


async def test_card_actions_on_another_users_case_or_a_missing_case_are_refused(bot, connector):
    reference = await start_move_case(bot, connector, teams.personal())
    other = teams.personal(teams.BERTIL)
    for verb, data in (("completeStep", {"caseId": reference, "stepId": "move_notice_received"}),
                       ("undoStep", {"caseId": reference, "undoReason": "fel"}),
                       ("closeCase", {"caseId": reference})):
        reply = await bot.post(teams.card_execute(other, bot.service_url, verb, data, teams.BERTIL))
        assert reply.body["type"] == "application/vnd.microsoft.activity.message"
        assert reply.body["value"].startswith("Det gick inte: Ärende " + reference + " hör till ett annat team")
    reply = await bot.post(teams.card_execute(other, bot.service_url, "completeStep",
                                              {"caseId": "TL-2026-9999", "stepId": "move_notice_received"},
                                              teams.BERTIL))
    assert reply.body["value"] == "Det gick inte: Jag hittar inget ärende TL-2026-9999. Kontrollera numret, eller skriv **mina ärenden**."
    case = await bot.runtime.cases.get_by_reference(reference)
    assert len(case.events) == 1


async def test_on_postgresql_a_turn_takes_its_lock_with_its_first_read_and_counts_with_the_unlock(
        bot, connector, database_url, monkeypatch):
    """Two round trips fewer a turn: the conversation's lock is taken by the statement that reads the
    journal and the dialog state, and the count of replies sent goes in the unlock's round trip; the
    dialog goes on from that state exactly as from its own read. The turn's transaction runs on the
    same connection, the journal entry and the dialog state written straight to it."""
    import asyncpg
    import pytest

    from bot.teams import storage, turns

    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's lock connection")
    queries: list[str] = []
    real_fetch, real_execute = asyncpg.Connection.fetch, asyncpg.Connection.execute

    async def fetch(self, query, *args, **kwargs):
        queries.append(query)
        return await real_fetch(self, query, *args, **kwargs)

    async def execute(self, query, *args, **kwargs):
        queries.append(query)
        return await real_execute(self, query, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Connection, "fetch", fetch)
    monkeypatch.setattr(asyncpg.Connection, "execute", execute)
    chat = teams.personal()
    await say(bot, chat, "ny beställning")  # a new conversation: no state yet
    queries.clear()
    await say(bot, chat, "ja")  # the intake goes on from the stored dialog state
    assert "fråga 2 av 2" in str(connector.sent[-1].cards[0])
    on_the_lock = [q for q in queries if q == turns._TURN_START or "advisory" in q or "processed_activity" in q]
    assert on_the_lock[0] == turns._TURN_START and len(on_the_lock) == 3
    assert on_the_lock[1] == turns._RECORD._compiled[0]  # the journal entry, straight on the driver
    assert on_the_lock[2].startswith("BEGIN; UPDATE processed_activity SET replies_sent = 1 WHERE key = '")
    assert on_the_lock[2].endswith("; COMMIT; SELECT pg_advisory_unlock(" + str(_lock_number(chat.id)) + ")")
    assert queries.count("BEGIN") == 1 and queries.count("COMMIT") == 1  # the turn's transaction, on it too
    # ... and the dialog state's write in it, straight on the driver too (not SQLAlchemy's prepared statements)
    assert [q.split(" WHERE")[0] for q in queries if q.startswith("UPDATE bot_state")] == [
        "UPDATE bot_state SET document=$1::VARCHAR, etag=$2::VARCHAR, updated_at=$3::TIMESTAMP WITH TIME ZONE"]
    await say(bot, chat, "nej")
    assert "kundreferens" in str(connector.sent[-1].cards[0]).lower()
    assert queries.count(turns._TURN_START) == 2 and storage._HELD_READ not in queries
    async with bot.runtime.engine.connect() as conn:
        held = (await conn.exec_driver_sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())")).scalar_one()
    assert held == 0  # every turn released its lock (other tests' bots may hold some on their databases)
