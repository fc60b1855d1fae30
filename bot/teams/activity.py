"""Reading an activity and building one: the user's words, a card's submitted data, the place a
message came from, the conversation without its thread part, and a card as a message.

In channels and group chats the message carries an @mention of the bot (`<at>Larmlotsen</at>`);
a card submit has no text at all, only `activity.value`. Who sent it and from which tenant:
bot/teams/identity.py.
"""

from __future__ import annotations

import html
import re
import unicodedata

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from bot.domain.access import Place

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


def conversation_base(conversation_id: str | None) -> str:
    """The conversation without its thread: a channel thread's id is `<channel id>;messageid=<root>`."""
    return (conversation_id or "").split(";", 1)[0]


def thread_id(conversation_id: str, thread_root: str) -> str:
    """The conversation id of the thread under the message `thread_root` (Teams' spelling)."""
    return f"{conversation_base(conversation_id)};messageid={thread_root}"


def place_of(activity: Activity) -> Place:
    conversation = activity.conversation
    kind = (conversation.conversation_type if conversation else None) or "personal"
    base_id = conversation_base(conversation.id) if conversation else ""
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = channel_data.get("team") if isinstance(channel_data.get("team"), dict) else {}
    team_id = team.get("id") if kind == "channel" else None
    return Place(kind, base_id, team_id)


def card_activity(card: dict, text: str | None = None, *, summary: str | None = None) -> Activity:
    """An Adaptive Card as a message; `summary` is the notification preview in Teams."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card), text=text)
    if summary is not None:
        activity.summary = summary
    return activity
