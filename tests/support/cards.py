"""Finding things in a card the bot sent: its actions, of any nesting."""

from __future__ import annotations

from typing import Iterator


def elements(node) -> Iterator[dict]:
    """Every dict in a card, depth first (body elements, actions, show-card cards, fallbacks)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for item in node:
            yield from elements(item)


def actions_of_type(card: dict, action_type: str) -> list[dict]:
    return [element for element in elements(card) if element.get("type") == action_type]


def execute_actions(card: dict, verb: str | None = None) -> list[dict]:
    return [action for action in actions_of_type(card, "Action.Execute") if verb is None or action["verb"] == verb]
