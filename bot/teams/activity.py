"""Turning what Teams sends into plain text the bot can match.

In channels and group chats the message carries an @mention of the bot (`<at>Larmlotsen</at>`);
a card submit has no text at all, only `activity.value`.
"""

from __future__ import annotations

import html
import re
import unicodedata

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def message_text(activity: Activity) -> str:
    """The user's words, without the bot's @mention, HTML or surrounding space."""
    text = activity.text or ""
    if activity.recipient is not None and activity.recipient.id and activity.entities:
        try:
            text = TurnContext.remove_mention_text(activity, activity.recipient.id) or ""
        except (KeyError, TypeError, AttributeError):
            pass  # a malformed mention entity: fall back to stripping tags below
    text = re.sub(r"<at[^>]*>.*?</at>", " ", text, flags=re.IGNORECASE | re.DOTALL)
    text = html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ")
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case without diacritics and punctuation: 'Återlämna  larm!' -> 'aterlamna larm'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = re.sub(r"[^\w\s-]", " ", ascii_only)
    return _SPACE.sub(" ", ascii_only).strip()


def submitted_value(activity: Activity) -> dict | None:
    """The data of a card submit (Action.Submit), if this message is one."""
    value = activity.value
    return value if isinstance(value, dict) else None
