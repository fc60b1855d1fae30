"""A conversation as a staff member has it, one user action at a time, recording what each action
asked for, so that afterwards the case can be compared with the actions: exactly once, nothing
lost, nothing nobody asked for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.support import teams
from tests.support.cards import execute_actions

from .harness import CARD, Delivery, ScriptedConnector, TeamsClient, answer_for, intake_field, last_card

REFERENCE = re.compile(r"TL-\d{4}-\d{4,6}")
# What each kind of action adds to the case's log.
EVENT_OF = {"start": "opened", "done": "step_done", "click": "step_done", "undo": "step_undone",
            "decline": "declined", "close": "closed"}


class WalkFailed(AssertionError):
    pass


@dataclass
class Walk:
    client: TeamsClient
    connector: ScriptedConnector
    chat: teams.Conversation
    user: teams.User
    service_url: str
    customer_ref: str
    reference: str | None = None
    actions: list[str] = field(default_factory=list)  # the case actions that took effect, in order
    card: dict | None = None  # the newest checklist card the user has
    invoke_replies: list[dict] = field(default_factory=list)
    activity_ids: list[str] = field(default_factory=list)  # every activity of the walk, once each

    # --- sending -----------------------------------------------------------------------------

    def _message(self, text: str) -> dict:
        return teams.message(self.chat, self.service_url, text, self.user)

    async def _post(self, activity: dict) -> Delivery:
        self.activity_ids.append(activity["id"])
        delivery = await self.client.post(activity)
        if delivery.status is None or not 200 <= delivery.status < 300:
            raise WalkFailed(f"{self.chat.id}: activity {activity['id']} never got a 2xx: {delivery}")
        return delivery

    def _newest_card(self) -> tuple[dict | None, str]:
        return last_card(self.connector, self.chat.id)

    # --- the actions -------------------------------------------------------------------------

    async def start(self, routine: str = "flytt") -> None:
        await self.answer_questions(routine)
        await self.answer_customer_ref()

    async def answer_questions(self, routine: str = "flytt") -> None:
        await self._post(self._message(routine))
        card, _ = self._newest_card()
        while (fact := intake_field(card)) != "customerRef":
            if fact is None:
                raise WalkFailed(f"{self.chat.id}: expected a question card, got {card}")
            await self._post(teams.card_submit(self.chat, self.service_url,
                                               {"intake": fact, "answer": answer_for(card)}, self.user))
            card, _ = self._newest_card()

    async def answer_customer_ref(self) -> None:
        """The last intake answer: the turn that creates the case."""
        await self._post(self._message(self.customer_ref))
        card, text = self._newest_card()
        found = REFERENCE.search(text or "")
        if not found:
            raise WalkFailed(f"{self.chat.id}: no case reference in the answer {text!r}")
        self.reference, self.card = found.group(0), card
        self.actions.append("start")

    async def typed_done(self) -> None:
        await self._post(self._message("klar"))
        self.card, _ = self._newest_card()
        self.actions.append("done")

    async def click_done(self) -> None:
        action = execute_actions(self.card, "completeStep")[0]
        delivery = await self._post(teams.card_execute(self.chat, self.service_url, "completeStep", action["data"],
                                                       self.user))
        self._take_invoke_card(delivery)
        self.actions.append("click")

    async def submit_done(self) -> None:
        """The Action.Submit fallback of a checklist button (a message with the card's data)."""
        action = execute_actions(self.card, "completeStep")[0]
        await self._post(teams.card_submit(self.chat, self.service_url, {"verb": "completeStep", **action["data"]},
                                           self.user))
        self.card, _ = self._newest_card()
        self.actions.append("click")

    async def submit_undo(self) -> None:
        """The Action.Submit fallback of 'Ångra' (a message with the card's data)."""
        action = execute_actions(self.card, "undoStep")[0]
        value = {"verb": "undoStep", **action["data"], "undoReason": "fel steg markerades"}
        await self._post(teams.card_submit(self.chat, self.service_url, value, self.user))
        self.card, _ = self._newest_card()
        self.actions.append("undo")

    async def click_undo(self) -> None:
        action = execute_actions(self.card, "undoStep")[0]
        data = {**action["data"], "undoReason": "fel steg markerades"}
        delivery = await self._post(teams.card_execute(self.chat, self.service_url, "undoStep", data, self.user))
        self._take_invoke_card(delivery)
        self.actions.append("undo")

    async def show_case(self) -> None:
        """`ärende <ref>`: the whole case card (a typed `klar` answers with the short next-step card,
        which has no undo)."""
        await self._post(self._message(f"ärende {self.reference}"))
        self.card, _ = self._newest_card()

    async def typed_decline(self) -> None:
        await self._post(self._message("avböj kunden tackade nej"))
        self.card, _ = self._newest_card()
        self.actions.append("decline")

    async def typed_close(self) -> None:
        await self._post(self._message("avsluta ärendet"))
        self.actions.append("close")

    async def click_close(self) -> None:
        action = execute_actions(self.card, "closeCase")[0]
        delivery = await self._post(teams.card_execute(self.chat, self.service_url, "closeCase", action["data"],
                                                       self.user))
        self._take_invoke_card(delivery)
        self.actions.append("close")

    async def finish_steps(self) -> None:
        """'klar' until the checklist offers no step any more."""
        while execute_actions(self.card, "completeStep"):
            await self.typed_done()

    async def can_go_on(self) -> bool:
        """The dialog is not stuck: a new intake starts and can be left."""
        await self._post(self._message("flytt"))
        card, _ = self._newest_card()
        if intake_field(card) is None:
            return False
        await self._post(self._message("avbryt"))
        return "avbrutit" in (self.connector.to(self.chat.id)[-1].text or "")

    def _take_invoke_card(self, delivery: Delivery) -> None:
        body = delivery.body if isinstance(delivery.body, dict) else {}
        if body.get("type") != CARD:
            raise WalkFailed(f"{self.chat.id}: the click was not answered with a card: {body}")
        self.card = body["value"]
        self.invoke_replies.append(body)

    # --- the expectation ---------------------------------------------------------------------

    def expected_kinds(self) -> list[str]:
        return [EVENT_OF[action] for action in self.actions]


def user_number(number: int) -> teams.User:
    return teams.User(id=f"29:fault-{number}", name=f"Fault User {number}",
                      aad_object_id=f"00000000-0000-4000-9000-{number:012d}")
