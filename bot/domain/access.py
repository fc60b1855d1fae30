"""Who may see and change a case, from where: the place a message came from and the access rule."""

from __future__ import annotations

from dataclasses import dataclass

from .case import Actor, Case


@dataclass(frozen=True)
class Place:
    """Where a message came from: a team channel, a group chat, or a personal chat."""

    kind: str  # channel | groupChat | personal
    conversation_id: str  # without a channel thread's ";messageid=…"
    team_id: str | None

    @property
    def is_shared(self) -> bool:
        return self.kind in ("channel", "groupChat")


def may_access(case: Case, actor: Actor, place: Place) -> bool:
    """A case is seen and changed within its team (or group chat), or by the people who belong to it:
    its creator and everyone who acted on it."""
    if case.team_id and place.team_id == case.team_id:
        return True
    if place.is_shared and case.conversation_id == place.conversation_id:
        return True
    return actor.id in case.participants
