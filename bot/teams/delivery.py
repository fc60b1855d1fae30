"""The one module of bot/notifications that knows the Bot Framework: conversation references,
activities, and sending through `adapter.continue_conversation`.

Sends go through bot/teams/connector_http.py (via the adapter). Errors come back as a
`DeliveryError` carrying a `DeliveryProblem` (retryable or not, status, the connector's error
code, Retry-After), so the worker decides about retries without knowing the HTTP client.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from typing import Any, Awaitable, Callable

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.domain import mask_personal_numbers
from bot.notifications.retry import RETRYABLE_STATUSES, DeliveryProblem, parse_retry_after

from .activity import card_activity, conversation_base, thread_id
from .identity import tenant_of
from .connector_http import ConnectorError

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    def __init__(self, problem: DeliveryProblem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


# --- references and activities --------------------------------------------------------------------


def channel_reference(activity: Activity) -> str:
    """The activity's conversation reference as JSON, pointing at the channel itself.

    A channel message arrives in a thread (`<channel id>;messageid=<root>`); notices go to the
    channel's top level, so the thread part and the activity id are dropped. The channel is
    addressed, not the person who subscribed it: their name is not kept, and a personnummer in
    the conversation's name is masked.
    """
    reference = TurnContext.get_conversation_reference(activity)
    # Copies: the reference shares these objects with the activity the turn still reads.
    if reference.conversation is not None:
        reference.conversation = copy.copy(reference.conversation)
    if reference.user is not None:
        reference.user = ChannelAccount(id=reference.user.id, role=reference.user.role)
    if reference.conversation is not None and reference.conversation.id:
        reference.conversation.id = conversation_base(reference.conversation.id)
        # botbuilder reads the tenant from `tenantID`, Teams sends `tenantId` (and channelData.tenant):
        # without it a proactive turn would be refused by the tenant allow-list.
        reference.conversation.tenant_id = reference.conversation.tenant_id or tenant_of(activity)
        reference.conversation.name = mask_personal_numbers(reference.conversation.name)
    reference.activity_id = None
    return json.dumps(reference.serialize(), ensure_ascii=False, sort_keys=True)


def _reference_from_json(raw: str, thread_root: str | None = None) -> ConversationReference:
    reference = ConversationReference().deserialize(json.loads(raw))
    if thread_root and reference.conversation is not None:
        # A reply in the case card's thread: Teams' conversation id of a thread.
        reference.conversation.id = thread_id(reference.conversation.id, thread_root)
    return reference


# --- sending --------------------------------------------------------------------------------------


class ConnectorSender:
    """Posts and updates channel messages proactively, one attempt per call."""

    def __init__(self, adapter, app_id: str, timeout_s: float) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._timeout_s = timeout_s

    async def post(self, reference: str, card: dict, summary: str | None, *, thread_root: str | None = None) -> str:
        """Send a new message; returns its id (the ResourceResponse id)."""

        async def send(context: TurnContext) -> str:
            response = await context.send_activity(card_activity(card, summary=summary))
            return response.id if response is not None else ""

        return await self._run(_reference_from_json(reference, thread_root), send)

    async def update(self, reference: str, message_id: str, card: dict, summary: str | None) -> str:
        """Replace an earlier message (a case card) in place."""

        async def replace(context: TurnContext) -> str:
            activity = card_activity(card, summary=summary)
            activity.id = message_id
            await context.update_activity(activity)
            return message_id

        return await self._run(_reference_from_json(reference), replace)

    async def _run(self, reference: ConversationReference, action: Callable[[TurnContext], Awaitable[str]]) -> str:
        outcome: dict[str, Any] = {}

        async def callback(context: TurnContext) -> None:
            # Caught here: the adapter's on_turn_error would otherwise swallow the error and post
            # an apology into the channel.
            try:
                outcome["id"] = await action(context)
            except Exception as error:  # noqa: BLE001 - classified below
                outcome["error"] = error

        try:
            async with asyncio.timeout(self._timeout_s):
                await self._adapter.continue_conversation(reference, callback, self._app_id)
        except TimeoutError:
            raise DeliveryError(DeliveryProblem(True, "timeout")) from None
        except Exception as error:  # noqa: BLE001 - e.g. the token or connector could not be had
            raise DeliveryError(classify(error)) from error
        if "error" in outcome:
            raise DeliveryError(classify(outcome["error"])) from outcome["error"]
        if "id" not in outcome:
            # A middleware stopped the turn before our callback (the tenant allow-list, or a lock or
            # database error it met): retried, within the bounded time, and logged each time.
            raise DeliveryError(DeliveryProblem(True, "turn did not run"))
        return outcome["id"]


def classify(error: BaseException) -> DeliveryProblem:
    """What an error of the connector client means for retrying."""
    if isinstance(error, ConnectorError):
        retryable = error.status in RETRYABLE_STATUSES if error.status is not None else True
        return DeliveryProblem(retryable, error.reason, error.retry_after_s, error.status, error.code)
    if isinstance(error, HttpOperationError):
        response = getattr(error, "response", None)
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", None) or {}
        retry_after = parse_retry_after(headers.get("Retry-After")) if hasattr(headers, "get") else None
        retryable = status in RETRYABLE_STATUSES if status is not None else True
        return DeliveryProblem(retryable, f"http {status}", retry_after, status)
    if isinstance(error, (ClientRequestError, ConnectionError, TimeoutError, OSError)):
        return DeliveryProblem(True, error.__class__.__name__)
    # Unknown trouble: retry within the bounded time rather than lose the notice.
    return DeliveryProblem(True, error.__class__.__name__)
