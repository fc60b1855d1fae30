"""Teams-shaped activities, as Teams posts them to /api/messages."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field

BOT_ID = "28:larmlotsen-bot"
BOT_NAME = "Larmlotsen"
TENANT_ID = "72f988bf-0000-4000-8000-000000000001"
TEAM_ID = "19:team-general@thread.tacv2"


@dataclass
class User:
    id: str = "29:user-anna"
    name: str = "Anna Andersson"
    aad_object_id: str = "00000000-0000-4000-8000-0000000000a1"

    def account(self) -> dict:
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}


ANNA = User()
BERTIL = User(id="29:user-bertil", name="Bertil Berg", aad_object_id="00000000-0000-4000-8000-0000000000b2")


@dataclass
class Conversation:
    id: str
    kind: str = "personal"  # personal | channel | groupChat
    team_id: str | None = None
    tenant_id: str = TENANT_ID
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def account(self) -> dict:
        account = {"id": self.id, "conversationType": self.kind, "tenantId": self.tenant_id}
        if self.kind != "personal":
            account["isGroup"] = True
        return account

    def channel_data(self) -> dict:
        data = {"tenant": {"id": self.tenant_id}}
        if self.kind == "channel":
            data["team"] = {"id": self.team_id or TEAM_ID, "name": "Hemtjänst Söder"}
            data["channel"] = {"id": self.id, "name": "Allmänt"}
        return data

    def next_id(self) -> str:
        return f"act-{uuid.uuid4().hex[:12]}-{next(self._ids)}"


def personal(user: User = ANNA) -> Conversation:
    return Conversation(id=f"a:personal-{user.aad_object_id[-4:]}-{uuid.uuid4().hex[:6]}")


def channel(team_id: str = TEAM_ID) -> Conversation:
    return Conversation(id=f"{team_id};messageid={uuid.uuid4().int % 10**13}", kind="channel", team_id=team_id)


def _base(conversation: Conversation, service_url: str, user: User, activity_type: str) -> dict:
    return {
        "type": activity_type,
        "id": conversation.next_id(),
        "timestamp": "2026-11-26T09:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": user.account(),
        "conversation": conversation.account(),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "channelData": conversation.channel_data(),
        "locale": "sv-SE",
    }


def message(conversation: Conversation, service_url: str, text: str, user: User = ANNA, *, mention: bool | None = None) -> dict:
    activity = _base(conversation, service_url, user, "message")
    activity["textFormat"] = "plain"
    if mention is None:
        mention = conversation.kind != "personal"
    if mention:
        at = f"<at>{BOT_NAME}</at>"
        activity["text"] = f"{at} {text}"
        activity["entities"] = [{"type": "mention", "text": at, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}]
    else:
        activity["text"] = text
    return activity


def card_submit(conversation: Conversation, service_url: str, value: dict, user: User = ANNA, reply_to: str = "sent-1") -> dict:
    activity = _base(conversation, service_url, user, "message")
    activity["value"] = value
    activity["replyToId"] = reply_to
    return activity


def card_execute(conversation: Conversation, service_url: str, verb: str, data: dict, user: User = ANNA,
                 reply_to: str = "sent-1") -> dict:
    activity = _base(conversation, service_url, user, "invoke")
    activity["name"] = "adaptiveCard/action"
    activity["replyToId"] = reply_to
    activity["value"] = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    return activity


def bot_added(conversation: Conversation, service_url: str, user: User = ANNA) -> dict:
    activity = _base(conversation, service_url, user, "conversationUpdate")
    activity["membersAdded"] = [{"id": BOT_ID, "name": BOT_NAME}]
    if conversation.kind == "channel":
        activity["channelData"]["eventType"] = "teamMemberAdded"
    return activity


def bot_removed(conversation: Conversation, service_url: str, user: User = ANNA) -> dict:
    """The bot taken out of a team or group chat's members."""
    activity = _base(conversation, service_url, user, "conversationUpdate")
    activity["membersRemoved"] = [{"id": BOT_ID, "name": BOT_NAME}]
    if conversation.kind == "channel":
        activity["channelData"]["eventType"] = "teamMemberRemoved"
    return activity


def app_uninstalled(conversation: Conversation, service_url: str, user: User = ANNA) -> dict:
    """The app uninstalled from a team or chat (Teams' installationUpdate)."""
    activity = _base(conversation, service_url, user, "installationUpdate")
    activity["action"] = "remove"
    return activity
