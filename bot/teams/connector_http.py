"""Sending to the Bot Connector on the event loop: one shared aiohttp session, a bounded time.

The SDK's own path (msrest + `requests` in threads) waits up to ~100 s for a connector that does
not answer, keeps a conversation's lock all that time, and ignores Retry-After. Here:

* every request has a deadline (`timeout_s`, 10 s by default: Teams waits 15 s for our answer);
* a turn's replies share one budget (`reply_budget`), and within it a 429/503's Retry-After is
  honoured, and a refused connection or a 502/503/504 is tried again after a short pause. Outside a
  budget (the notice worker's proactive sends) each call is one attempt: the worker retries itself;
* the bearer token comes from the SDK's credentials object (MSAL), fetched in a thread and cached
  until shortly before it expires; without credentials no Authorization header is sent;
* one connection pool with keep-alive for all conversations.

Errors are `ConnectorError`s that say whether the request may have reached the connector.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import quote

import aiohttp
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.auth import AuthenticationConstants
from yarl import URL

from bot import __version__, jsontext
from bot.notifications.retry import parse_retry_after

from .activity_json import activity_to_json

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
# Statuses worth another try within a turn's budget: throttled, or the connector's upstream away.
_TRY_AGAIN = frozenset({429, 502, 503, 504})
_FIRST_PAUSE_S = 0.25
_TOKEN_MARGIN_S = 300.0  # a cached token is renewed this long before it expires
_TOKEN_FALLBACK_S = 600.0  # kept this long when its expiry cannot be read
_USER_AGENT = f"Larmlotsen/{__version__} (aiohttp)"

_budget_deadline: ContextVar[float | None] = ContextVar("reply_budget_deadline", default=None)


@contextmanager
def reply_budget(seconds: float):
    """All sends inside share one deadline, and may try again within it (a turn's replies)."""
    token = _budget_deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _budget_deadline.reset(token)


class ConnectorError(Exception):
    """A send that did not go through. `maybe_posted`: the connector may have it anyway."""

    def __init__(self, reason: str, *, status: int | None = None, code: str | None = None,
                 retry_after_s: float | None = None, maybe_posted: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code
        self.retry_after_s = retry_after_s
        self.maybe_posted = maybe_posted


class ConnectorUnreachable(ConnectorError):
    """No connection (refused, DNS): the request was never sent."""


class ConnectorTimeout(ConnectorError):
    """No answer in time, or the connection dropped mid-request: it may have been posted."""


@dataclass
class _Token:
    value: str
    renew_at: float


class _Tokens:
    """Bearer tokens from the SDK's credentials (MSAL, blocking: run in a thread), cached."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], _Token] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def header(self, credentials) -> str | None:
        app_id = getattr(credentials, "microsoft_app_id", None)
        if not app_id or app_id == AuthenticationConstants.ANONYMOUS_SKILL_APP_ID:
            return None  # the local development server: no token, as the SDK does
        key = (app_id, getattr(credentials, "oauth_scope", "") or "")
        cached = self._cache.get(key)
        if cached is not None and cached.renew_at > time.monotonic():
            return f"Bearer {cached.value}"
        async with self._locks.setdefault(key, asyncio.Lock()):
            cached = self._cache.get(key)
            if cached is None or cached.renew_at <= time.monotonic():
                value = await asyncio.to_thread(credentials.get_access_token)
                cached = self._cache[key] = _Token(value, time.monotonic() + _lifetime_s(value))
        return f"Bearer {cached.value}"


def _lifetime_s(token: str) -> float:
    """How long to keep a token: until shortly before its `exp` claim (read, not verified)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return max(0.0, float(claims["exp"]) - time.time() - _TOKEN_MARGIN_S)
    except (IndexError, KeyError, TypeError, ValueError):
        return _TOKEN_FALLBACK_S


class ConnectorHttp:
    """Posts and updates activities through one aiohttp session (created on first use)."""

    def __init__(self, *, timeout_s: float = DEFAULT_TIMEOUT_S, connections: int = 100) -> None:
        self.timeout_s = timeout_s
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None
        self._tokens = _Tokens()

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, keepalive_timeout=30)
            self._session = aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=None),
                                                  headers={"User-Agent": _USER_AGENT})
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def send(self, activity: Activity, credentials) -> ResourceResponse:
        """A new activity in its conversation (a reply to `reply_to_id` when it has one)."""
        path = f"v3/conversations/{_segment(activity.conversation.id)}/activities"
        if activity.reply_to_id:
            path += f"/{_segment(activity.reply_to_id)}"
        body = await self._request("POST", activity.service_url, path, activity, credentials)
        return ResourceResponse(id=body.get("id") if isinstance(body, dict) else None)

    async def update(self, activity: Activity, credentials) -> ResourceResponse:
        """Replace an activity already posted (`activity.id`)."""
        path = f"v3/conversations/{_segment(activity.conversation.id)}/activities/{_segment(activity.id)}"
        body = await self._request("PUT", activity.service_url, path, activity, credentials)
        return ResourceResponse(id=(body.get("id") if isinstance(body, dict) else None) or activity.id)

    async def _request(self, method: str, service_url: str, path: str, activity: Activity, credentials):
        budget = _budget_deadline.get()
        deadline = min(budget, time.monotonic() + self.timeout_s) if budget else time.monotonic() + self.timeout_s
        url = URL(f"{(service_url or '').rstrip('/')}/{path}", encoded=True)
        payload = jsontext.dumps_bytes(activity_to_json(activity))
        pause = _FIRST_PAUSE_S
        while True:
            try:
                return await self._attempt(method, url, payload, credentials, deadline)
            except ConnectorError as error:
                wait = _wait_before_next(error, pause)
                if budget is None or wait is None or time.monotonic() + wait >= deadline:
                    raise
                log.info("connector answered %s; trying again in %.2f s", error.reason, wait)
                await asyncio.sleep(wait)
                pause *= 2

    async def _attempt(self, method: str, url: URL, payload: bytes, credentials, deadline: float):
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                headers = {"Content-Type": "application/json; charset=utf-8"}
                authorization = await self._tokens.header(credentials)
                if authorization:
                    headers["Authorization"] = authorization
                async with self._http().request(method, url, data=payload, headers=headers) as response:
                    text = await response.text()
                    if 200 <= response.status < 300:
                        return _json_or_none(text)
                    raise ConnectorError(
                        f"http {response.status}", status=response.status, code=_error_code(text),
                        retry_after_s=parse_retry_after(response.headers.get("Retry-After")))
        except TimeoutError:
            raise ConnectorTimeout("timeout", maybe_posted=True) from None
        except aiohttp.ClientConnectorError as error:
            raise ConnectorUnreachable("unreachable") from error
        except aiohttp.ClientError as error:
            raise ConnectorTimeout(f"no answer ({error.__class__.__name__})", maybe_posted=True) from error


def _wait_before_next(error: ConnectorError, pause: float) -> float | None:
    """How long to wait before trying again, or None when another try would be wrong."""
    if isinstance(error, ConnectorUnreachable):
        return pause
    if error.maybe_posted or error.status not in _TRY_AGAIN:
        return None  # it may have been posted, or the connector said no for good
    return error.retry_after_s if error.retry_after_s is not None else pause


def _segment(value: str | None) -> str:
    return quote(value or "", safe="")


def _json_or_none(text: str):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _error_code(text: str) -> str | None:
    """The connector's error code (`{"error": {"code": ...}}`), e.g. BotNotInConversationRoster."""
    body = _json_or_none(text)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = body["error"].get("code")
        return code if isinstance(code, str) else None
    return None
