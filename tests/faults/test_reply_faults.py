"""A failed reply must not duplicate what the user did, lose it, or make the bot say nothing was
saved when it was: the real `python -m bot` against a Bot Connector that fails on purpose.

Every kind of turn (the last intake answer, typed `klar`, a card click, undo, decline, close) meets
every kind of reply fault (500, 429 with a Retry-After within the reply bound and beyond it, 503
several times, a refused connection, a connector that hangs far longer than the bound), each in a conversation of its own, all at once. Teams
delivers an activity again until the bot answers 2xx.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from tests.support import teams

from .harness import Fault, ScriptedConnector, TeamsClient, bot_process, read_cases, told_nothing_saved
from .walks import Walk, user_number

# Each fault answers one request of the bot. The reply sender (bot/teams/connector_http.py) gives a
# turn's replies REPLY_TIMEOUT_SECONDS (10 s) in all: within it, a 429's Retry-After is waited out and
# 502/503/504 and refused connections are tried again; a 500 is not. What does not fit in the bound
# makes the turn answer Teams 503, and the reply goes out on redelivery.
REPLY_BOUND_S = 10
FAULTS = {
    "500": [Fault(status=500)] * 2,
    "429 Retry-After": [Fault(status=429, headers={"Retry-After": "1"})],  # waited out within the turn
    "429 Retry-After beyond the bound": [Fault(status=429, headers={"Retry-After": "30"})],
    "503 several times": [Fault(status=503)] * 8,  # more than fit in one turn's bound
    "refused": [],  # the connector's address stops listening for a while
    "hang": [Fault(hang_s=3 * REPLY_BOUND_S)],  # far longer than the bound
}
# Longer than two bounds, so even a turn that reaches its reply late sees the refusal through.
REFUSED_FOR_S = 2 * REPLY_BOUND_S + 4.0
WITHIN_THE_BOUND = {"429 Retry-After"}


async def _prepare(walk: Walk, turn: str) -> None:
    """Everything before the turn that meets the fault."""
    if turn == "intake answer":
        await walk.answer_questions("flytt")
        return
    await walk.start("ny beställning" if turn == "decline" else "flytt")
    if turn == "undo":
        await walk.typed_done()
        await walk.show_case()
    if turn == "close":
        await walk.finish_steps()


async def _faulty_turn(walk: Walk, turn: str) -> None:
    if turn == "intake answer":
        await walk.answer_customer_ref()
    elif turn == "typed klar":
        await walk.typed_done()
    elif turn == "card click":
        await walk.submit_done()
    elif turn == "undo":
        await walk.submit_undo()
    elif turn == "decline":
        await walk.typed_decline()
    elif turn == "close":
        await walk.typed_close()


TURNS = ["intake answer", "typed klar", "card click", "undo", "decline", "close"]


@pytest.fixture
async def connector():
    fake = await ScriptedConnector().start()
    yield fake
    await fake.close()


async def test_every_turn_survives_every_reply_fault_with_one_effect(database_url, connector, tmp_path):
    bot = bot_process(database_url, tmp_path)
    bot.start()
    scenarios = [(turn, fault) for turn in TURNS for fault in FAULTS]
    try:
        async with aiohttp.ClientSession() as http:
            await bot.wait_ready(http)
            walks = {}
            for number, (turn, fault) in enumerate(scenarios):
                user = user_number(number)
                url = connector.flaky_url if fault == "refused" else connector.url
                client = TeamsClient(http, bot, timeout_s=15.0, attempts=8, pause_s=0.5)
                walks[turn, fault] = Walk(client, connector, teams.personal(user), user, url, f"ref-{number}")
            await asyncio.gather(*(_prepare(walks[key], key[0]) for key in scenarios))
            for (turn, fault), walk in walks.items():
                connector.script(walk.chat.id, *FAULTS[fault])
            await connector.close_flaky()
            reopen = asyncio.create_task(_reopen_later(connector))
            await asyncio.gather(*(_faulty_turn(walks[key], key[0]) for key in scenarios))
            await reopen
    finally:
        bot.stop()

    cases = await read_cases(database_url)
    by_user = {}
    for case in cases.values():
        by_user.setdefault(case.created_by, []).append(case)
    report, problems = {}, []
    for (turn, fault), walk in walks.items():
        own = by_user.get(walk.user.aad_object_id, [])
        sent = connector.to(walk.chat.id)
        row = report.setdefault(fault, {"scenarios": 0, "redeliveries": 0, "duplicated": 0, "lost": 0,
                                        "phantom": 0, "false apology": 0, "replies missing": 0,
                                        "replies twice": 0})
        row["scenarios"] += 1
        row["redeliveries"] += walk.client.redeliveries()
        if len(own) != 1:
            problems.append(f"{turn}/{fault}: {len(own)} cases")
            row["duplicated" if len(own) > 1 else "lost"] += 1
            continue
        kinds, expected = own[0].kinds(), walk.expected_kinds()
        if kinds != expected:
            problems.append(f"{turn}/{fault}: events {kinds}, the user asked for {expected}")
            row["duplicated" if len(kinds) > len(expected) else "lost" if len(kinds) < len(expected)
                else "phantom"] += 1
        if told_nothing_saved(sent):
            problems.append(f"{turn}/{fault}: told 'ingenting sparades'")
            row["false apology"] += 1
        replies, activities = len(sent), len(walk.activity_ids)
        if replies < activities:
            problems.append(f"{turn}/{fault}: {activities} activities, {replies} replies")
            row["replies missing"] += 1
        elif replies > activities:
            problems.append(f"{turn}/{fault}: {activities} activities, {replies} replies")
            row["replies twice"] += 1
    report["faults served by the connector"] = dict(connector.faults_served)
    print("\nreply faults:", json.dumps(report, ensure_ascii=False, indent=1))
    (tmp_path / "reply-faults.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    assert not problems, "\n".join(problems) + "\n" + bot.log_tail()
    for fault in FAULTS:
        if fault in WITHIN_THE_BOUND:  # honoured inside the turn: most turns need no redelivery
            assert report[fault]["redeliveries"] < len(TURNS), report
        else:  # every turn needed Teams to deliver again
            assert report[fault]["redeliveries"] >= len(TURNS), report
    for kind in ("500", "429 Retry-After", "503", "hang"):
        assert connector.faults_served.get(kind, 0) >= len(TURNS), (kind, connector.faults_served)


async def _reopen_later(connector: ScriptedConnector) -> None:
    await asyncio.sleep(REFUSED_FOR_S)
    await connector.open_flaky()
