"""The bot over HTTP, the way Teams talks to it: requests in, replies to a fake Bot Connector."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone


from bot import __version__
from cards.wording import HELP_TITLE
from tests.support import teams


async def test_health_reports_version_and_database(bot):
    async with bot.http.get(bot.url("/healthz")) as response:
        assert response.status == 200
        body = await response.json()
    bot_time = datetime.fromisoformat(body.pop("time"))
    assert body == {"status": "ok", "version": __version__, "database": True}
    assert abs(bot_time - datetime.now(timezone.utc)) < timedelta(minutes=5), "the real clock when none is set"


async def test_help_in_personal_chat_answers_with_a_card(bot, connector):
    chat = teams.personal()
    reply = await bot.post(teams.message(chat, bot.service_url, "hjälp"))
    assert reply.status == 200
    assert len(connector.sent) == 1
    sent = connector.sent[0]
    assert sent.conversation_id == chat.id
    assert sent.cards and sent.cards[0]["type"] == "AdaptiveCard"
    # the turn's conversation state was saved (the failure test below relies on this key)
    assert await bot.runtime.storage.read([f"msteams/conversations/{chat.id}"]) != {}


async def test_channel_message_with_mention_is_understood(bot, connector):
    room = teams.channel()
    await bot.post(teams.message(room, bot.service_url, "Hjälp"))
    assert connector.sent[0].conversation_id == room.id
    # With the mention left in, "<at>Larmlotsen</at> Hjälp" would be a question: an apology first.
    assert len(connector.sent) == 1, "the @mention must be removed before matching"
    assert connector.sent[0].cards[0]["body"][0]["text"] == HELP_TITLE


async def test_card_submit_without_text_is_routed(bot, connector):
    chat = teams.personal()
    await bot.post(teams.card_submit(chat, bot.service_url, {"command": "hjälp"}))
    assert len(connector.sent) == 1
    assert connector.sent[0].cards[0]["body"][0]["text"] == HELP_TITLE


async def test_bot_added_to_personal_chat_and_team_says_welcome(bot, connector):
    await bot.post(teams.bot_added(teams.personal(), bot.service_url))
    await bot.post(teams.bot_added(teams.channel(), bot.service_url))
    first, second = connector.texts()
    assert first.startswith("Hej! Jag är Larmlotsen")
    assert second.startswith("Hej allihop!")


async def test_unknown_activity_type_is_acknowledged_and_ignored(bot, connector):
    activity = teams.message(teams.personal(), bot.service_url, "x")
    activity["type"] = "somethingNew"
    reply = await bot.post(activity)
    assert reply.status == 200
    assert connector.sent == []


async def test_redelivered_activity_is_processed_once(bot, connector):
    activity = teams.message(teams.personal(), bot.service_url, "hjälp")
    first = await bot.post(activity)
    second = await bot.post(activity)
    assert (first.status, second.status) == (200, 200)
    assert len(connector.sent) == 1


async def test_redelivery_is_remembered_across_a_restart(bot, connector):
    activity = teams.message(teams.personal(), bot.service_url, "hjälp")
    await bot.post(activity)
    await bot.restart()
    await bot.post(activity)
    assert len(connector.sent) == 1


async def test_concurrent_activities_of_one_conversation_are_all_answered(bot, connector):
    chat = teams.personal()
    activities = [teams.message(chat, bot.service_url, "hjälp") for _ in range(8)]
    replies = await asyncio.gather(*(bot.post(a) for a in activities))
    assert [r.status for r in replies] == [200] * 8
    assert len(connector.sent) == 8


async def test_exception_inside_a_turn_apologises_in_swedish_and_saves_nothing(bot, connector, monkeypatch):
    import dialogs.replies

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(dialogs.replies, "help_card", broken)
    chat = teams.personal()
    reply = await bot.post(teams.message(chat, bot.service_url, "hjälp"))
    assert reply.status == 200
    assert connector.texts() == ["Förlåt, något gick fel hos mig och ingenting sparades. Försök gärna igen om en stund."]
    assert await bot.runtime.storage.read([f"msteams/conversations/{chat.id}"]) == {}


async def test_concurrent_answers_in_one_dialog_are_serialised_not_lost(bot, connector):
    chat = teams.personal()
    await bot.post(teams.message(chat, bot.service_url, "ny beställning"))
    # Three identical answers, so the result does not depend on which one arrives first.
    answers = [teams.message(chat, bot.service_url, "ja") for _ in range(3)]
    replies = await asyncio.gather(*(bot.post(a) for a in answers))
    assert [r.status for r in replies] == [200, 200, 200]
    assert not any(text.startswith("Förlåt") for text in connector.texts()), "no turn failed on a state conflict"
    started = [s for s in connector.sent if "är startat" in s.text]
    assert len(started) == 1, "the three answers were applied one after another"
    cases = await bot.runtime.cases.open_cases_for_user(teams.ANNA.aad_object_id)
    assert len(cases) == 1
    assert (cases[0].facts["priority"], cases[0].facts["declines_keys_and_keyless"], cases[0].customer_ref) == (True, False, "ja")
