"""The signing keys that Teams' tokens are checked against, fetched off the request path.

botbuilder's JwtTokenExtractor fetches the OpenID metadata and its keys with `requests.get`
(no timeout) on the event loop, the first time and then once a day, inside a request: an endpoint
that accepts and never answers freezes the whole process, and one that fails makes every request
— genuine Teams traffic too — a 401, which Teams does not retry.

Here, the extractor's per-URL cache (its documented class attribute) holds a `SigningKeys` of
ours for each metadata URL the SDK uses. It fetches with aiohttp and a timeout, refreshes in the
background (daily, and sooner after a failure), keeps using the last good keys while a refresh
fails, and, when it has never had keys, raises `SigningKeysUnavailable`: an outage, which the
HTTP edge answers with 503 + Retry-After (Teams delivers again) and /healthz reports.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass

import aiohttp
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 10.0
REFRESH_EVERY_S = 24 * 3600.0
RETRY_FIRST_S, RETRY_MOST_S = 5.0, 300.0
UNKNOWN_KEY_REFETCH_S = 300.0  # an unknown key id makes a refetch at most this often
FIRST_FETCH_WAIT_S = 5.0  # a request arriving before the first fetch ended waits this long for it
RETRY_AFTER_S = 30  # what Teams is told when there are no keys


class SigningKeysUnavailable(Exception):
    """No signing keys could be had: tokens cannot be checked, which is not the caller's fault."""

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f"signing keys from {url} unavailable: {cause}")
        self.url = url
        self.cause = cause


@dataclass(frozen=True)
class SigningKey:
    """What JwtTokenExtractor reads of a key: the public key and its endorsements."""

    public_key: object
    endorsements: list


class SigningKeys:
    """The keys behind one OpenID metadata document, kept fresh in the background."""

    def __init__(self, url: str, fetch_from: str | None = None, *, timeout_s: float | None = None,
                 connector_factory=None) -> None:
        self.url = url  # the SDK's name for it
        self.fetch_from = fetch_from or url  # where it is fetched (a mirror, or a test server)
        self._timeout_s = timeout_s or FETCH_TIMEOUT_S
        self._connector_factory = connector_factory
        self._keys: dict[str, SigningKey] = {}
        self.fetched_at: float | None = None
        self.failing_since: float | None = None
        self.last_error: str | None = None
        self._last_attempt = 0.0
        self._fetching: asyncio.Task | None = None

    # --- what JwtTokenExtractor calls ----------------------------------------------------------------

    async def get(self, key_id: str | None) -> SigningKey | None:
        if not self._keys:
            await self._wait_for_first_fetch()
        if not self._keys:
            raise SigningKeysUnavailable(self.fetch_from, self.last_error or "not fetched yet")
        key = self._keys.get(key_id or "")
        if key is None and time.monotonic() - self._last_attempt > UNKNOWN_KEY_REFETCH_S:
            await self._fetch_now(wait_s=FIRST_FETCH_WAIT_S)  # the keys may have been rotated
            key = self._keys.get(key_id or "")
        if key is None:
            raise PermissionError("the token is signed with an unknown key")
        return key

    # --- state ------------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return bool(self._keys)

    def health(self) -> dict:
        state = "ok" if self._keys else ("unavailable" if self.last_error else "not fetched yet")
        body = {"state": state}
        if self.last_error:
            body["last_error"] = self.last_error
        if self.fetched_at is not None:
            body["age_s"] = round(time.monotonic() - self.fetched_at)
        return body

    # --- fetching -----------------------------------------------------------------------------------

    async def keep_fresh(self) -> None:
        """Background task: fetch now, then daily; after a failure sooner, backing off."""
        pause = RETRY_FIRST_S
        while True:
            if await self._fetch_now(wait_s=None):
                pause = RETRY_FIRST_S
                await asyncio.sleep(REFRESH_EVERY_S)
            else:
                await asyncio.sleep(pause)
                pause = min(RETRY_MOST_S, pause * 2)

    async def _wait_for_first_fetch(self) -> None:
        if self._fetching is None or self._fetching.done():
            if time.monotonic() - self._last_attempt < RETRY_FIRST_S:
                return  # a fetch just failed: do not hammer the endpoint from the request path
            self._start_fetch()
        if self.last_error is None:  # the very first fetch (start-up): worth a short wait
            await self._wait(FIRST_FETCH_WAIT_S)

    async def _fetch_now(self, wait_s: float | None) -> bool:
        if self._fetching is None or self._fetching.done():
            self._start_fetch()
        return await self._wait(wait_s)

    def _start_fetch(self) -> None:
        self._last_attempt = time.monotonic()
        self._fetching = asyncio.create_task(self._fetch(), name="openid-keys")

    async def _wait(self, wait_s: float | None) -> bool:
        task = self._fetching
        try:
            if wait_s is None:
                return await asyncio.shield(task)
            async with asyncio.timeout(wait_s):
                return await asyncio.shield(task)
        except TimeoutError:
            return False

    async def _fetch(self) -> bool:
        try:
            async with asyncio.timeout(self._timeout_s):
                async with aiohttp.ClientSession(connector=self._make_connector()) as http:
                    metadata = await _get_json(http, self.fetch_from)
                    keys = _parse_keys(await _get_json(http, metadata["jwks_uri"]))
        except (TimeoutError, aiohttp.ClientError, OSError, KeyError, TypeError, ValueError) as error:
            self._failed(_describe(error))
            return False
        self._keys, self.fetched_at, self.last_error = keys, time.monotonic(), None
        if self.failing_since is not None:
            log.warning("authentication outage over: signing keys fetched from %s again", self.fetch_from)
        self.failing_since = None
        log.info("signing keys fetched from %s: %d key(s)", self.fetch_from, len(keys))
        return True

    def _failed(self, cause: str) -> None:
        self.last_error = cause
        if self.failing_since is None:
            self.failing_since = time.monotonic()
        if self._keys:
            log.warning("could not refresh the signing keys from %s (%s); the last good keys stay in use",
                        self.fetch_from, cause)
        else:
            log.error("AUTHENTICATION OUTAGE: no signing keys: %s could not be fetched (%s); requests to "
                      "/api/messages are answered 503 until it can", self.fetch_from, cause)

    def _make_connector(self):
        return self._connector_factory() if self._connector_factory else None


async def _get_json(http: aiohttp.ClientSession, url: str):
    async with http.get(url) as response:
        response.raise_for_status()
        return json.loads(await response.text())


def _parse_keys(document) -> dict[str, SigningKey]:
    keys = {}
    for item in document["keys"]:
        if isinstance(item, dict) and item.get("kid"):
            keys[item["kid"]] = SigningKey(RSAAlgorithm.from_jwk(json.dumps(item)), list(item.get("endorsements", [])))
    if not keys:
        raise ValueError("the key document holds no keys")
    return keys


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, aiohttp.ClientResponseError):
        return f"http {error.status}"
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect ({error.os_error.__class__.__name__ if error.os_error else 'error'})"
    return error.__class__.__name__


class OpenIdKeys:
    """The SigningKeys of every metadata URL the SDK uses, put where its token extractor looks."""

    def __init__(self, channel_metadata_url: str | None = None) -> None:
        self.channel = SigningKeys(AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
                                   channel_metadata_url)
        # Tokens issued by Entra ID (the Emulator, skills): fetched only when one arrives.
        self.entra = SigningKeys(AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL)

    def install(self) -> None:
        for keys in (self.channel, self.entra):
            JwtTokenExtractor.metadataCache[keys.url] = keys

    def health(self) -> dict:
        return self.channel.health()

    @property
    def outage(self) -> bool:
        return not self.channel.available and self.channel.last_error is not None
