"""Checks of an inbound request to /api/messages that the SDK would otherwise meet with an
exception (a 500 or 501): JSON nested too deeply, a card action of the wrong shape, an
Authorization header that is not ASCII or not a token at all. Each names the problem for the
operator's log and the 400 body; none looks at whether the caller is who they claim to be (the
SDK's authentication does that)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from botframework.connector.auth import AuthenticationConstants

# Teams' activities are a few levels deep (an Adaptive Card's data inside value inside the
# activity); far below anything that would strain a recursive reader.
MAX_JSON_DEPTH = 64
MAX_TOKEN_CHARS = 16 * 1024
_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON value nests deeper than `limit` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def invoke_problem(body: dict) -> str | None:
    """What is wrong with a card action (an `adaptiveCard/action` invoke), if anything."""
    if body.get("type") != "invoke" or body.get("name") != "adaptiveCard/action":
        return None
    value = body.get("value")
    if not isinstance(value, dict):
        return "activity.value of a card action must be an object"
    action = value.get("action")
    if not isinstance(action, dict):
        return "activity.value.action must be an object"
    if not isinstance(action.get("verb"), str):
        return "activity.value.action.verb must be a string"
    if action.get("data") is not None and not isinstance(action["data"], dict):
        return "activity.value.action.data must be an object"
    return None


def authorization_problem(header: str) -> tuple[int, str] | None:
    """(status, reason) for an Authorization header that cannot be a Bot Framework token: 400 when
    it is not even well-formed, 401 when it is a token signed in a way never accepted."""
    if not header:
        return None
    if not header.isascii() or not header.isprintable():
        return 400, "the Authorization header is not printable ASCII"
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer":
        return None  # another scheme: the SDK refuses it (401)
    if not token or len(token) > MAX_TOKEN_CHARS or not _JWT.fullmatch(token):
        return 400, "the Authorization header does not hold a token"
    try:
        segment = token.split(".", 1)[0]
        header_claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except ValueError:
        return 400, "the token's header is not base64url JSON"
    if not isinstance(header_claims, dict):
        return 400, "the token's header is not a JSON object"
    if header_claims.get("alg") not in AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS:
        return 401, "the token is not signed with an accepted algorithm"
    return None
