"""What one benchmark conversation does, turn after turn, and how its turns are recorded.

A turn is one POST to /api/messages, timed from send to the HTTP answer (replies to the
connector are sent inside the request, so their delivery is part of the turn).

* `walk_routine`: the real thing. Types `ny beställning`, answers each question card with a card
  submit (reading the card the bot sent to the connector), skips the customer reference, then
  clicks the checklist's Action.Execute buttons (adaptiveCard/action invokes) until every step is
  done and closes the case: 12 turns with cards, case events and persistent dialog state.
* `walk_echo`: a message and its echo, for the stock echo bot.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

from tests.support import teams

from .fake_connector import BenchConnector, cards_of

ROUTINE_COMMAND = "ny beställning"
# How the questions of `ny beställning` are answered (fact name -> choice value on its card).
ANSWERS = {"priority": "ja", "declines_keys_and_keyless": "nej"}
_REFERENCE = re.compile(r"TL-\d{4}-\d{4,6}")
_MAX_TURNS_PER_WALK = 40


class WalkFailed(Exception):
    """The bot answered something a Teams client would not expect; the walk is abandoned."""


@dataclass
class Recorder:
    """Turn latencies inside the measuring window, and what went wrong anywhere."""

    measuring: bool = False
    latencies_ms: list[float] = field(default_factory=list)
    walks_done: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def turn(self, elapsed_s: float) -> None:
        if self.measuring:
            self.latencies_ms.append(elapsed_s * 1000)

    def walk_done(self) -> None:
        if self.measuring:
            self.walks_done += 1

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(message[:300])


@dataclass
class BotClient:
    http: aiohttp.ClientSession
    messages_url: str
    recorder: Recorder

    async def turn(self, activity: dict) -> tuple[int, object]:
        started = time.perf_counter()
        async with self.http.post(self.messages_url, json=activity) as response:
            body = await response.json() if response.content_type == "application/json" else await response.read()
            status = response.status
        self.recorder.turn(time.perf_counter() - started)
        if not 200 <= status < 300:  # the stock CloudAdapter answers a message with 201
            raise WalkFailed(f"HTTP {status} for a {activity['type']}: {str(body)[:200]}")
        return status, body


def bench_user(number: int) -> teams.User:
    return teams.User(id=f"29:bench-user-{number}", name=f"Bench User {number}",
                      aad_object_id=str(uuid.UUID(int=0xBE7C << 96 | number)))


def bench_chat(user: teams.User) -> teams.Conversation:
    return teams.personal(user)


async def walk_routine(client: BotClient, connector: BenchConnector, chat: teams.Conversation,
                       user: teams.User, stop: asyncio.Event) -> bool:
    """One case of `ny beställning` from the typed command to the closed case. False if stopped."""
    service_url = connector.url
    await client.turn(teams.message(chat, service_url, ROUTINE_COMMAND, user))
    card, text = _last_card(connector, chat)
    while _intake_field(card) != "customerRef":
        if stop.is_set():
            return False
        fact = _intake_field(card)
        await client.turn(teams.card_submit(chat, service_url, {"intake": fact, "answer": _choice(card, fact)}, user))
        card, text = _last_card(connector, chat)
    await client.turn(teams.card_submit(chat, service_url, {"intake": "customerRef", "skip": True}, user))
    card, text = _last_card(connector, chat)
    reference = _REFERENCE.search(text or "")
    if reference is None:
        raise WalkFailed(f"no case reference in the reply after the intake: {text!r}")
    return await _tick_off_checklist(client, chat, user, service_url, card, stop)


async def _tick_off_checklist(client: BotClient, chat, user, service_url: str, card: dict,
                              stop: asyncio.Event) -> bool:
    for _ in range(_MAX_TURNS_PER_WALK):
        if stop.is_set():
            return False
        actions = {action["verb"]: action for action in reversed(_execute_actions(card))}
        action = actions.get("completeStep") or actions.get("closeCase")
        if action is None:
            if "Avslutat" not in str(card):
                raise WalkFailed("the checklist offers neither a next step nor closing the case")
            return True
        _, body = await client.turn(teams.card_execute(chat, service_url, action["verb"], action["data"], user))
        if not isinstance(body, dict) or body.get("type") != "application/vnd.microsoft.card.adaptive":
            raise WalkFailed(f"{action['verb']} was not answered with a card: {str(body)[:200]}")
        card = body["value"]
    raise WalkFailed("the checklist never ended")


async def walk_echo(client: BotClient, connector: BenchConnector, chat: teams.Conversation,
                    user: teams.User, stop: asyncio.Event, turns: int = 12) -> bool:
    for number in range(turns):
        if stop.is_set():
            return False
        text = f"hej {number}"
        await client.turn(teams.message(chat, connector.url, text, user))
        reply = connector.last(chat.id)
        if not reply or reply.get("text") != f"Echo: {text}":
            raise WalkFailed(f"no echo of {text!r}: {reply!r}")
    return True


def _last_card(connector: BenchConnector, chat: teams.Conversation) -> tuple[dict, str]:
    activity = connector.last(chat.id)
    cards = cards_of(activity)
    if not cards:
        raise WalkFailed(f"expected a card, the bot sent {str(activity)[:200]}")
    return cards[0], activity.get("text") or ""


def _intake_field(card: dict) -> str | None:
    for action in card.get("actions") or []:
        if action.get("type") == "Action.Submit" and isinstance(action.get("data"), dict):
            return action["data"].get("intake")
    return None


def _choice(card: dict, fact: str) -> str:
    """The wanted answer if the card offers it, otherwise its first choice."""
    choices = [choice["value"] for item in card.get("body", []) if item.get("type") == "Input.ChoiceSet"
               for choice in item["choices"]]
    if not choices:
        raise WalkFailed(f"question card for {fact!r} has no choices")
    wanted = ANSWERS.get(fact)
    return wanted if wanted in choices else choices[0]


def _execute_actions(card: dict) -> list[dict]:
    found = []

    def visit(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found.append(node)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(card)
    return found
