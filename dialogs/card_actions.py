"""Universal Actions: a checklist button (Action.Execute) arrives as an `adaptiveCard/action`
invoke; the answer carries the refreshed card, so the card updates in place. A refused action
answers with the Swedish reason and the card stays as it is (and true).

botbuilder 4.17's own path for this answers 500 under CloudAdapter (the response body is
serialised twice), so the invoke is handled here and the body is a plain dict that the HTTP
layer serialises once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from http import HTTPStatus

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity

from bot.domain import Actor
from bot.domain.access import Place
from bot.domain.reference import is_reference
from bot.teams.activity import card_activity, place_of
from bot.teams.identity import actor_of

from . import wording as w
from .case_actions import CaseActions, Outcome, Refusal
from .services import Services

log = logging.getLogger(__name__)

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
_STEP_ID = re.compile(r"^[a-z_]{1,64}$")
_VERBS = {"completeStep", "undoStep", "closeCase", "declineOrder", "showCase"}


@dataclass(frozen=True)
class Reply:
    card: dict | None = None
    message: str = ""

    def as_invoke_body(self) -> dict:
        if self.card is not None:
            return {"statusCode": 200, "type": CARD_TYPE, "value": self.card}
        return {"statusCode": 200, "type": MESSAGE_TYPE, "value": self.message}

    def as_message(self) -> Activity:
        if self.card is not None:
            return card_activity(self.card, self.message or None)
        return MessageFactory.text(self.message)


async def perform(actions: CaseActions, context: TurnContext, verb, data: dict) -> Reply:
    """Validate an action's fields (untrusted input), act, and say what happened."""
    reference = data.get("caseId")
    if not isinstance(verb, str) or verb not in _VERBS:
        return Reply(message=w.UNKNOWN_ACTION)
    if not is_reference(reference):
        return Reply(message=w.BAD_ACTION)
    version = data.get("version")
    if version is not None and (type(version) is not int or version < 1):
        return Reply(message=w.BAD_ACTION)
    actor, place = actor_of(context.activity), place_of(context.activity)
    try:
        if verb == "showCase":
            case = await actions.load(reference, actor, place)
            return Reply(card=actions.card(case))
        outcome = await _act(actions, verb, reference, data, actor, place, version)
    except Refusal as refusal:
        return Reply(message=w.REFUSED_PREFIX + refusal.message)
    return Reply(card=actions.card(outcome.case, notice=outcome.message), message=outcome.message)


async def _act(actions: CaseActions, verb: str, reference: str, data: dict, actor: Actor, place: Place,
               version: int | None) -> Outcome:
    """`version`: the case version the clicked card was drawn from (None on cards from before it was
    carried); a click on an older card changes nothing (CaseActions)."""
    if verb == "completeStep":
        step_id = data.get("stepId")
        if not isinstance(step_id, str) or not _STEP_ID.match(step_id):
            raise Refusal(w.BAD_ACTION)
        return await actions.complete(reference, step_id, actor, place, version=version)
    if verb == "undoStep":
        step_id = data.get("stepId")
        if step_id is not None and (not isinstance(step_id, str) or not _STEP_ID.match(step_id)):
            raise Refusal(w.BAD_ACTION)
        return await actions.undo(reference, _text(data.get("undoReason")), actor, place, step_id=step_id,
                                  version=version)
    if verb == "declineOrder":
        return await actions.decline(reference, _text(data.get("declineReason")), actor, place, version=version)
    if verb == "closeCase":
        return await actions.close(reference, actor, place, version=version)
    raise Refusal(w.UNKNOWN_ACTION)  # a verb without an action here changes nothing


def _text(value) -> str:
    return value.strip()[:300] if isinstance(value, str) else ""


class CardActionHandler:
    def __init__(self, actions: CaseActions, services: Services) -> None:
        self._actions = actions
        self._services = services

    async def __call__(self, context: TurnContext) -> InvokeResponse:
        value = context.activity.value if isinstance(context.activity.value, dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        reply = await perform(self._actions, context, action.get("verb"), data)
        if reply.card is not None:
            await self._services.set_focus(context, data["caseId"])
            await self._update_for_everyone(context, reply)
        return InvokeResponse(status=int(HTTPStatus.OK), body=reply.as_invoke_body())

    async def _update_for_everyone(self, context: TurnContext, reply: Reply) -> None:
        """In a channel or group chat, replace the card for everyone, not only for the one who clicked."""
        activity = context.activity
        if activity.conversation.conversation_type not in ("channel", "groupChat") or not activity.reply_to_id:
            return
        update = card_activity(reply.card)
        update.id = activity.reply_to_id
        try:
            await context.update_activity(update)
        except Exception:  # noqa: BLE001 - the clicker already has the new card; others see it on refresh
            log.warning("could not update the card in place (activity id=%s)", activity.id, exc_info=True)
