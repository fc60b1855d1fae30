"""Every routine walked through /api/messages the way Teams does it: typing its name, answering
its questions on cards and by typing, refusing an out-of-order step, clicking each next step
(Action.Execute), to the last step and the closed case."""

from __future__ import annotations

import re

import pytest

from bot.domain import routine_catalog
from tests.support import teams
from tests.support.cards import execute_actions

ROUTINES = routine_catalog("Paraplysystemet")

# How each routine's questions are answered: (card value or typed text) per fact, in order.
WALKS = {
    "ny beställning": ("new_order", [{"answer": "ja"}, "nej"]),
    "utförarbyte": ("provider_change", [{"answer": "nej"}, {"answer": "leaving"}, "ja", {"answer": "ja"}]),
    "flytt": ("move", ["ja"]),
    "övertagande": ("takeover", []),
    "avslut": ("termination", [{"answer": "nej"}, "ja"]),
    "aterlamna larm": ("return_alarm", [{"answer": "back_lid"}, {"answer": "ja"}]),
    "larmkedja": ("alarm_chain", []),
}


async def answer(bot, chat, reply):
    if isinstance(reply, dict):
        return await bot.post(teams.card_submit(chat, bot.service_url, {"intake": "x", **reply}))
    return await bot.post(teams.message(chat, bot.service_url, reply))


@pytest.mark.parametrize("typed", list(WALKS))
async def test_walk_every_routine_to_its_last_step(bot, connector, typed):
    routine_key, answers = WALKS[typed]
    chat = teams.personal()
    await bot.post(teams.message(chat, bot.service_url, typed))
    for reply in answers:
        assert connector.sent[-1].cards, "each question comes as a card"
        await answer(bot, chat, reply)
    # the optional customer reference: skipped with the button
    assert "kundreferens" in str(connector.sent[-1].cards[0]).lower()
    await bot.post(teams.card_submit(chat, bot.service_url, {"intake": "customerRef", "skip": True}))
    started = connector.sent[-1]
    reference = re.search(r"TL-\d{4}-\d{4}", started.text).group(0)
    card = started.cards[0]
    assert reference in str(card)

    routine = ROUTINES[routine_key]
    await _refuse_one_out_of_order_step(bot, chat, card, routine, reference)

    clicks = 0
    while True:
        done_actions = [a for a in execute_actions(card) if a["verb"] == "completeStep"]
        if not done_actions:
            break
        action = done_actions[0]
        reply = await bot.post(teams.card_execute(chat, bot.service_url, "completeStep", action["data"]))
        assert reply.status == 200
        assert reply.body["type"] == "application/vnd.microsoft.card.adaptive", reply.body
        card = reply.body["value"]
        clicks += 1
        assert clicks < 20
    close = [a for a in execute_actions(card) if a["verb"] == "closeCase"]
    assert close, "every step done: the card offers to close the case"
    reply = await bot.post(teams.card_execute(chat, bot.service_url, "closeCase", close[0]["data"]))
    assert "Avslutat" in str(reply.body["value"])
    case = await bot.runtime.cases.get_by_reference(reference)
    assert case.status.value == "closed"
    assert clicks == len(case.steps)


async def _refuse_one_out_of_order_step(bot, chat, card, routine, reference):
    available = {a["data"]["stepId"] for a in execute_actions(card) if a["verb"] == "completeStep"}
    case = await bot.runtime.cases.get_by_reference(reference)
    blocked = [step for step in case.steps if step.id not in available]
    if not blocked:
        return  # a one-step routine: nothing can be out of order
    step = blocked[-1]
    reply = await bot.post(teams.card_execute(chat, bot.service_url, "completeStep",
                                              {"caseId": reference, "stepId": step.id}))
    assert reply.status == 200
    assert reply.body["type"] == "application/vnd.microsoft.activity.message"
    assert reply.body["value"].startswith("Det gick inte: ")
    assert "kan inte markeras klart förrän" in reply.body["value"] or "nycklar" in reply.body["value"]
    after = await bot.runtime.cases.get_by_reference(reference)
    assert after.events == case.events, "a refused step changes nothing"
