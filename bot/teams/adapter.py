"""The Bot Framework adapter: botbuilder's CloudAdapter with credentials from configuration.

Replies, notices and card updates do not go through the SDK's msrest client: the adapter's
`send_activities` and `update_activity` post them with bot/teams/connector_http.py (aiohttp on the
event loop, one pooled session, a bounded time, Retry-After honoured). The SDK still builds a
ConnectorClient per turn; only its credentials object is used (for the bearer token).

Two costs of the stock SDK are removed here, in the project's own setup rather than in a
patched site-packages (see ../README.md, "Performance"):

* CloudAdapter builds a new ConnectorClient and UserTokenClient on every turn. Each build runs
  msrest's ClientRetryPolicy.__init__, which tests 999 status codes for membership in a list of
  about 500 (roughly 5 ms of CPU a time), and each new client opens a new HTTP session. We cache
  the clients per (app id, service url, audience). The credentials object inside a client fetches
  and refreshes its own token per request, so reuse does not freeze a token.
* The retry policy's membership list becomes a frozenset, so a client that must still be built
  (the first of each key) is cheap too.
* msrest serialises every outgoing activity with `Serializer.serialize_object` for its
  free-form parts (an Adaptive Card is one): a Python call, an `eval` and a few dict look-ups per
  value, about 1 ms for a checklist card. For a tree made only of dict (with str keys), list,
  str, int, float, bool and None its result is an equal copy of the tree; such a tree is now
  copied directly, anything else still goes through msrest's own code.

And one of the SDK's own: TurnContext.send_activities deep-copies every outgoing activity (a
whole Adaptive Card each time) only to set a few top-level fields on the copy. Our turn context
makes a shallow copy, which leaves the caller's activity just as untouched.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from copy import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Awaitable, Callable, List

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes, ResourceResponse
from botframework.connector import Channels
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
    UserTokenClient,
)
from msrest.serialization import Serializer
from msrest.universal_http.requests import ClientRetryPolicy

from . import wording as texts
from bot.config import Settings
from .connector_http import ConnectorHttp
from .turns import ReplyBuffer, RepliesNotDelivered

log = logging.getLogger(__name__)

_MAX_CACHED_CLIENTS = 256


def make_retry_policy_cheap() -> None:
    """Turn msrest's list of 'safe' status codes into a frozenset (same members, O(1) lookups)."""
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)


class _NotPlainJson(Exception):
    pass


_JSON_SCALARS = frozenset((str, int, float, bool))


def _plain_json_copy(value):
    """A copy of a tree of exactly dict (str keys), list, str, int, float, bool and None; raises
    _NotPlainJson at anything else (subclasses included: msrest treats those differently)."""
    kind = type(value)
    if kind is dict:
        copied = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlainJson
            copied[key] = _plain_json_copy(item)
        return copied
    if kind is list:
        return [_plain_json_copy(item) for item in value]
    if value is None or kind in _JSON_SCALARS:
        return value
    raise _NotPlainJson


def make_serializer_cheap() -> None:
    """Serializer.serialize_object, with a direct copy of plain JSON trees (same result)."""
    if getattr(Serializer.serialize_object, "plain_json_fast_path", False):
        return
    stock = Serializer.serialize_object

    def serialize_object(self, attr, **kwargs):
        # Custom or XML serialisers of basic types could change the scalars: msrest's own code then.
        if type(attr) in (dict, list) and not kwargs.get("basic_types_serializers") and not kwargs.get("is_xml"):
            try:
                return _plain_json_copy(attr)
            except _NotPlainJson:
                pass
        return stock(self, attr, **kwargs)

    serialize_object.plain_json_fast_path = True
    serialize_object.stock = stock
    Serializer.serialize_object = serialize_object


class _ClientCache:
    """A small thread-safe LRU of clients keyed by (kind, app id, service url, audience)."""

    def __init__(self, limit: int = _MAX_CACHED_CLIENTS) -> None:
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, key: tuple):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple, item):
        with self._lock:
            existing = self._items.get(key)
            if existing is not None:
                return existing
            self._items[key] = item
            while len(self._items) > self._limit:
                self._items.popitem(last=False)
            return item

    def __len__(self) -> int:
        return len(self._items)


def _app_id_of(claims_identity: ClaimsIdentity | None) -> str:
    if claims_identity is None:
        return ""
    return JwtTokenValidation.get_app_id_from_claims(claims_identity.claims) or ""


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, app_id: str, cache: _ClientCache) -> None:
        self._inner = inner
        self._app_id = app_id
        self._cache = cache

    async def create(self, service_url: str, audience: str = None) -> ConnectorClient:
        key = ("connector", self._app_id, service_url, audience)
        client = self._cache.get(key)
        if client is None:
            client = self._cache.put(key, await self._inner.create(service_url, audience))
        return client


class CachingBotFrameworkAuthentication(ConfigurationBotFrameworkAuthentication):
    """ConfigurationBotFrameworkAuthentication that hands out cached connector and token clients."""

    def __init__(self, configuration, **kwargs) -> None:
        super().__init__(configuration, **kwargs)
        self.clients = _ClientCache()

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _CachingConnectorFactory(
                result.connector_factory, _app_id_of(result.claims_identity), self.clients
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachingConnectorFactory(
            super().create_connector_factory(claims_identity), _app_id_of(claims_identity), self.clients
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = ("token", _app_id_of(claims_identity))
        client = self.clients.get(key)
        if client is None:
            client = self.clients.put(key, await super().create_user_token_client(claims_identity))
        return client


class _LeanTurnContext(TurnContext):
    """TurnContext.send_activities of botbuilder 4.17, with a shallow copy instead of deepcopy."""

    async def send_activities(self, activities: List[Activity]) -> List[ResourceResponse]:
        reference = TurnContext.get_conversation_reference(self.activity)
        output = [_outgoing(TurnContext.apply_conversation_reference(copy(activity), reference))
                  for activity in activities]
        sends_non_trace = any(activity.type != ActivityTypes.trace for activity in output)

        async def logic():
            held = self.turn_state.get(ReplyBuffer)
            if held is not None:  # the turn has not committed yet: bot/teams/turns.py sends them after
                responses = held.hold(self, output)
            elif self.activity.delivery_mode == DeliveryModes.expect_replies:
                self.buffered_reply_activities.extend(output)
                for activity in output:
                    if activity.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity  # noqa: SLF001
                responses = [ResourceResponse() for _ in output]
            else:
                responses = await self.adapter.send_activities(self, output)
            if sends_non_trace:
                self.responded = True
            return responses

        return await self._emit(self._on_send_activities, output, logic())

    async def update_activity(self, activity: Activity):
        held = self.turn_state.get(ReplyBuffer)
        if held is None:
            return await super().update_activity(activity)
        reference = TurnContext.get_conversation_reference(self.activity)
        return held.hold_update(TurnContext.apply_conversation_reference(copy(activity), reference))


def _outgoing(activity: Activity) -> Activity:
    """What the SDK's activity_validator does to each outgoing copy."""
    if not getattr(activity, "type", None):
        activity.type = ActivityTypes.message
    if not activity.input_hint:
        activity.input_hint = "acceptingInput"
    activity.id = None
    return activity


class LarmlotsenCloudAdapter(CloudAdapter):
    """CloudAdapter whose sends and updates go through bot/teams/connector_http.py (aiohttp, bounded
    in time) rather than the SDK's msrest client; that client is still built per turn, for its
    credentials only."""

    def __init__(self, authentication, connector: ConnectorHttp) -> None:
        super().__init__(authentication)
        self.connector = connector

    def _create_turn_context(self, activity: Activity, *args, **kwargs) -> TurnContext:
        stock = super()._create_turn_context(activity, *args, **kwargs)
        context = _LeanTurnContext(self, activity)
        context.turn_state.update(stock.turn_state)
        return context

    async def send_activities(self, context: TurnContext, activities: List[Activity]) -> List[ResourceResponse]:
        responses = []
        for activity in activities:
            activity.id = None
            if activity.type == ActivityTypes.invoke_response:
                context.turn_state[self._INVOKE_RESPONSE_KEY] = activity
                responses.append(ResourceResponse(id=""))
            elif activity.type == "delay":
                await asyncio.sleep((activity.value or 1000) / 1000)
                responses.append(ResourceResponse(id=""))
            elif activity.type == ActivityTypes.trace and activity.channel_id != Channels.emulator:
                responses.append(ResourceResponse(id=""))
            else:
                responses.append(await self.connector.send(activity, _credentials_of(context, self)))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity):
        response = await self.connector.update(activity, _credentials_of(context, self))
        return response if response.id else None


def _credentials_of(context: TurnContext, adapter: CloudAdapter):
    """The SDK's credentials for this turn (the connector client it built holds them)."""
    client = context.turn_state.get(adapter.BOT_CONNECTOR_CLIENT_KEY)
    return getattr(getattr(client, "config", None), "credentials", None)


def create_adapter(settings: Settings) -> CloudAdapter:
    make_retry_policy_cheap()
    make_serializer_cheap()
    connector = ConnectorHttp(timeout_s=settings.reply_timeout_seconds)
    adapter = LarmlotsenCloudAdapter(CachingBotFrameworkAuthentication(settings), connector)
    adapter.on_turn_error = _on_turn_error
    return adapter


async def _on_turn_error(context: TurnContext, error: Exception) -> None:
    """An exception inside a turn: a stack trace for the operator, a short apology for the user.

    A failed turn rolled back as a whole (bot/teams/turns.py), so "nothing was saved" is true. A turn
    that committed but could not deliver its replies is no failure of the turn: the HTTP layer
    asks Teams to deliver the activity again, and the replies are sent then.
    """
    if isinstance(error, RepliesNotDelivered):
        raise error
    activity = context.activity
    log.error(
        "turn failed: activity id=%s type=%s conversation=%s",
        activity.id,
        activity.type,
        activity.conversation.id if activity.conversation else None,
        exc_info=error,
    )
    if activity.type != "message":
        # Only someone who wrote or clicked is waiting for an answer; an invoke is answered by the
        # HTTP layer, and a proactive notice turn must not post an apology into a channel.
        return
    try:
        await context.send_activity(texts.TURN_FAILED)
    except Exception:  # noqa: BLE001 - the apology is best effort
        log.warning("could not send the apology for activity id=%s", activity.id, exc_info=True)


def widen_default_executor(loop, workers: int = 16) -> None:
    """Blocking SDK calls (token and OpenID metadata fetches) run in the loop's default executor;
    replies do not (bot/teams/connector_http.py). A few more threads than cores keep a slow token
    endpoint from queueing everything else behind it."""
    loop.set_default_executor(ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bf-blocking"))


Logic = Callable[[TurnContext], Awaitable]
