"""JSON of the bot's own documents — dialog state, the turn journal, the cards in the outbox and the
replies it posts: orjson where it can, the standard library where it cannot.

A routine turn writes its replies, its dialog state and its notices' cards as JSON and reads some
of them back; with the standard library that was the largest single piece of the bot's own CPU
after the database layer. orjson writes the same documents (UTF-8, no ASCII escapes, compact) at a
fraction of the cost.

What orjson cannot write — a lone UTF-16 surrogate, an integer beyond 64 bits — is written by the
standard library, with a leading space (JSON allows it) that sends the document back to the
standard library when it is read: orjson would refuse the surrogate and read such an integer as a
float. JSON from outside (an inbound activity, the connector's answers) is read by the standard
library where it arrives, not here.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS  # {1: …} becomes {"1": …}, as the standard library writes it
_BY_THE_STANDARD_LIBRARY = " "


def dumps(value: Any) -> str:
    """Compact JSON text with non-ASCII characters as they are."""
    try:
        return orjson.dumps(value, option=_OPTIONS).decode("utf-8")
    except TypeError:
        return _BY_THE_STANDARD_LIBRARY + json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def dumps_bytes(value: Any) -> bytes:
    """The same, UTF-8 encoded (to send)."""
    try:
        return orjson.dumps(value, option=_OPTIONS)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def loads(document: str) -> Any:
    """A document this module wrote (or the standard library wrote before it)."""
    if not document.startswith(_BY_THE_STANDARD_LIBRARY):
        try:
            return orjson.loads(document)
        except orjson.JSONDecodeError:
            pass  # e.g. an older document with a lone surrogate; the standard library reads it or raises
    return json.loads(document)
