"""The aiohttp application: POST /api/messages through botbuilder's CloudAdapter, GET /healthz.

The HTTP edge is ours rather than CloudAdapter.process(): it refuses malformed requests with a
4xx before the SDK sees them, and it serialises invoke responses exactly once (botbuilder 4.17's
own path serialises an Action.Execute response twice and answers 500).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from typing import Any

from aiohttp import web

from . import __version__, jsontext
from .composition import Runtime, build_runtime
from .cases.export_links import claim_export_link
from .config import Settings
from .db import migrate, ping, sqlite_off_the_loop
from .domain.clock import Clock, system_clock
from .log_guard import install_log_guard
from .teams.activity_json import Activity, UnreadableActivity, read_activity
from .teams.adapter import widen_default_executor
from .teams.inbound import MAX_JSON_DEPTH, authorization_problem, invoke_problem, too_deep
from .teams.openid import RETRY_AFTER_S as OUTAGE_RETRY_AFTER_S, SigningKeysUnavailable
from .teams.turns import RepliesNotDelivered

log = logging.getLogger(__name__)

APP_KEY = web.AppKey("larmlotsen", object)
_MAINTENANCE_EVERY_S = 3600


def create_app(settings: Settings, clock: Clock = system_clock) -> web.Application:
    install_log_guard()
    app = web.Application(client_max_size=settings.max_body_bytes)
    runtime = build_runtime(settings, clock)
    app[APP_KEY] = runtime
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/export/{token}", export_download)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app


async def _start(app: web.Application) -> None:
    runtime: Runtime = app[APP_KEY]
    widen_default_executor(asyncio.get_running_loop())
    # Listen at once and get ready in the background, so /healthz can say 503 until then.
    runtime.background.append(asyncio.create_task(_get_ready(runtime), name="get-ready"))
    if runtime.openid is not None:  # the signing keys, fetched and refreshed off the request path
        runtime.background.append(asyncio.create_task(runtime.openid.channel.keep_fresh(), name="openid-keys"))


async def _get_ready(runtime: Runtime) -> None:
    try:
        if runtime.settings.run_migrations:
            await migrate(runtime.engine)
        runtime.background.extend(runtime.notifications.start())
    except Exception:
        log.exception("start-up failed: the bot stays not ready (see /healthz)")
        return
    runtime.ready.set()
    log.info("ready in %.2f s", time.monotonic() - runtime.started_at)
    runtime.background.append(asyncio.create_task(_maintenance(runtime), name="maintenance"))


async def _maintenance(runtime: Runtime) -> None:
    """Hourly housekeeping: forget old activity ids and the state of long-idle conversations, and
    run the retention purge (bot/cases/retention.py)."""
    while True:
        try:
            with sqlite_off_the_loop():  # large deletes: keep the event loop free for turns
                await _housekeeping(runtime)
        except Exception:  # noqa: BLE001 - housekeeping must never stop the bot
            log.exception("housekeeping failed; will try again")
        await asyncio.sleep(_MAINTENANCE_EVERY_S)


async def _housekeeping(runtime: Runtime) -> None:
    purged_ids = await runtime.redelivery.purge_expired()
    purged_states = await runtime.storage.purge_idle(timedelta(days=runtime.settings.state_ttl_days))
    if purged_ids or purged_states:
        log.info("housekeeping: %d activity ids and %d idle conversation states purged", purged_ids, purged_states)
    await runtime.services.purge(runtime.clock())


async def _stop(app: web.Application) -> None:
    runtime: Runtime = app[APP_KEY]
    for task in runtime.background:
        task.cancel()
    await asyncio.gather(*runtime.background, return_exceptions=True)
    await runtime.notifications.stop()
    await runtime.adapter.connector.close()
    await runtime.cases.dispose()
    await runtime.engine.dispose()
    if runtime.lock_engine is not None:
        await runtime.lock_engine.dispose()


def _bad_request(reason: str, status: int = 400) -> web.Response:
    return web.json_response({"error": reason}, status=status)


async def _read_activity(request: web.Request, max_bytes: int) -> Activity | web.Response:
    if request.content_type != "application/json":
        return _bad_request("Content-Type must be application/json")
    if request.content_length is not None and request.content_length > max_bytes:
        return _bad_request("request body too large", 413)
    try:
        body = await request.json()
    except web.HTTPRequestEntityTooLarge:
        return _bad_request("request body too large", 413)
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return _bad_request("body is not valid JSON")
    except RecursionError:
        return _bad_request("body is nested too deeply")
    problem = _activity_problem(body) or (isinstance(body, dict) and invoke_problem(body))
    if not problem and too_deep(body):
        problem = f"body is nested more than {MAX_JSON_DEPTH} levels deep"
    if problem:
        return _bad_request(problem)
    try:
        return read_activity(body)
    except UnreadableActivity as error:
        return _bad_request(f"not a valid activity: {error}")


def _activity_problem(body: Any) -> str | None:
    """What makes this JSON unusable as an inbound activity, if anything."""
    if not isinstance(body, dict):
        return "activity must be a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "activity.type is required"
    if not isinstance(body.get("channelId"), str) or not body["channelId"]:
        return "activity.channelId is required"
    service_url = body.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.startswith(("http://", "https://")):
        return "activity.serviceUrl must be an http(s) URL"
    conversation = body.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str) or not conversation["id"]:
        return "activity.conversation.id is required"
    for key in ("from", "recipient"):
        if key in body and body[key] is not None and not isinstance(body[key], dict):
            return f"activity.{key} must be an object"
    for key in ("text", "id", "name", "channelId", "locale"):
        if key in body and body[key] is not None and not isinstance(body[key], str):
            return f"activity.{key} must be a string"
    if "entities" in body and body["entities"] is not None and not isinstance(body["entities"], list):
        return "activity.entities must be a list"
    return None


def _serialise_body(body: Any) -> Any:
    if body is None or isinstance(body, (dict, list, str, int, float, bool)):
        return body
    if hasattr(body, "serialize"):
        return body.serialize()
    return body


async def messages(request: web.Request) -> web.Response:
    runtime: Runtime = request.app[APP_KEY]
    if not runtime.ready.is_set():
        return web.json_response({"error": "not ready"}, status=503, headers={"Retry-After": "1"})
    activity = await _read_activity(request, runtime.settings.max_body_bytes)
    if isinstance(activity, web.Response):
        log.info("refused a bad request to /api/messages: %s", activity.text)
        return activity
    malformed = authorization_problem(request.headers.get("Authorization", ""))
    if malformed is not None:
        log.warning("refused activity id=%s: %s", activity.id, malformed[1])
        return _bad_request(malformed[1], malformed[0])
    if not _channel_allowed(runtime.settings, activity):
        log.warning("refused activity id=%s from channel %r (not in ALLOWED_CHANNELS)", activity.id,
                    activity.channel_id)
        return web.json_response({"error": "channel not allowed"}, status=403)
    try:
        authenticated = await _authenticate(runtime, activity, request.headers.get("Authorization", ""))
    except SigningKeysUnavailable as outage:
        # Not the caller's fault: Teams delivers a 503 again; a 401 it would drop.
        log.error("authentication outage: activity id=%s answered 503 (%s)", activity.id, outage)
        return web.json_response({"error": "authentication temporarily unavailable"}, status=503,
                                 headers={"Retry-After": str(OUTAGE_RETRY_AFTER_S)})
    if authenticated is None:
        return web.json_response({"error": "unauthorized"}, status=401)
    try:
        invoke_response = await runtime.adapter.process_activity(authenticated, activity, runtime.bot.on_turn)
    except RepliesNotDelivered:
        # The turn is saved; its replies are kept and sent when Teams delivers the activity again.
        return web.json_response({"error": "reply not delivered, please deliver again"}, status=503,
                                 headers={"Retry-After": "1"})
    if invoke_response is not None:
        return web.json_response(_serialise_body(invoke_response.body), status=invoke_response.status or 200,
                                 dumps=jsontext.dumps)  # the refreshed card: the bot's own document
    return web.Response(status=200)


def _channel_allowed(settings: Settings, activity: Activity) -> bool:
    """With credentials only Teams gets in: on Web Chat or Direct Line the client picks its own ids
    and name, so nothing there is vouched for by Teams (a deliberate deployment lists the channel)."""
    if not settings.has_credentials:
        return True
    return (activity.channel_id or "").lower() in settings.allowed_channels


async def _authenticate(runtime: Runtime, activity: Activity, auth_header: str):
    """The SDK's JWT validation, kept apart from the turn: any failure in it is a 401.

    (A token that is not even well-formed makes the SDK raise KeyError or ValueError rather than
    PermissionError; it is still only an unauthenticated caller.)
    """
    try:
        return await runtime.adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
    except SigningKeysUnavailable:
        raise
    except Exception as error:  # noqa: BLE001
        log.warning("unauthorised request to /api/messages (activity id=%s): %s", activity.id,
                    error.__class__.__name__)
        return None


async def export_download(request: web.Request) -> web.Response:
    """The CSV behind an export card's link: only with a valid, unexpired signed token."""
    runtime: Runtime = request.app[APP_KEY]
    now = runtime.clock()
    grant = runtime.export_links.verify(request.match_info["token"], now)
    if grant is None:
        return web.json_response({"error": "the link is invalid or has expired"}, status=403)
    if grant.admin_id.lower() not in {admin.lower() for admin in runtime.settings.admin_ids}:
        log.warning("audit export link refused: its admin is no longer on ADMIN_IDS")
        return web.json_response({"error": "the link is invalid or has expired"}, status=403)
    if not await claim_export_link(runtime.sessions, grant, now):
        log.warning("audit export link %s…: a second download refused", grant.link_id[:6])
        return web.json_response({"error": "the link has already been used; ask for a new export"}, status=410)
    csv_text = await runtime.cases.export_events_csv(grant.start, grant.end)
    log.info("audit export %s..%s downloaded (granted to %s)", grant.start, grant.end, grant.admin_id)
    filename = f"larmlotsen-{grant.start}-{grant.end}.csv"
    return web.Response(body=("\ufeff" + csv_text).encode("utf-8"), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def healthz(request: web.Request) -> web.Response:
    runtime: Runtime = request.app[APP_KEY]
    if not runtime.ready.is_set():
        return web.json_response({"status": "starting", "version": __version__}, status=503)
    database_ok = await ping(runtime.engine)
    body = {"status": "ok" if database_ok else "degraded", "version": __version__, "database": database_ok,
            "time": runtime.clock().isoformat(timespec="seconds")}  # the bot's clock (python -m bot --now)
    if runtime.openid is not None:
        # Reported, but not a 503 here: a balancer would take the instance out and Teams would get
        # no answer at all instead of the 503s it retries.
        body["authentication"] = runtime.openid.health()
        if runtime.openid.outage:
            body["status"] = "degraded"
    return web.json_response(body, status=200 if database_ok else 503)
