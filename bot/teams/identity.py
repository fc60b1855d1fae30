"""Who sent an activity, from what Teams vouches for.

Teams sets `from.aadObjectId` (the user's Entra object id) and the tenant in `channelData`; the
Bot Framework authenticates that the activity came through the Bot Connector. `from.id` is
chosen by the client on other channels (Web Chat, Direct Line), so it never identifies anyone
for authorisation: a sender without an aadObjectId gets an id of its own namespace that can never
equal an aadObjectId (so it matches no admin and no case participant who came from Teams).

Display names are stored and shown, so a personnummer in one is masked here, once, for every use.
"""

from __future__ import annotations

import hashlib

from botbuilder.schema import Activity

from bot.domain import Actor, mask_personal_numbers, plain_text

UNKNOWN_NAME = "Okänd"
UNVERIFIED_PREFIX = "unverified:"


def actor_of(activity: Activity) -> Actor:
    sender = activity.from_property
    if sender is None:
        return Actor(UNVERIFIED_PREFIX + "none", UNKNOWN_NAME)
    return Actor(sender.aad_object_id or _unverified_id(activity.channel_id, sender.id),
                 safe_name(sender.name))


def _unverified_id(channel_id: str | None, sender_id: str | None) -> str:
    digest = hashlib.sha256(f"{channel_id}\x1f{sender_id}".encode("utf-8")).hexdigest()[:32]
    return UNVERIFIED_PREFIX + digest


def is_verified(actor: Actor) -> bool:
    return not actor.id.startswith(UNVERIFIED_PREFIX)


def safe_name(name: str | None, limit: int = 200) -> str:
    """A display name as it may be stored: personnummer masked, bounded length."""
    name = plain_text(name)
    if not name:
        return UNKNOWN_NAME
    return (mask_personal_numbers(name) or UNKNOWN_NAME)[:limit]


def tenant_of(activity: Activity) -> str | None:
    """The tenant Teams names in channelData (or the conversation's tenantId)."""
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant")
    tenant_id = tenant.get("id") if isinstance(tenant, dict) else None
    if not tenant_id and activity.conversation is not None:
        tenant_id = activity.conversation.tenant_id
    return tenant_id if isinstance(tenant_id, str) and tenant_id else None
