"""Small builders shared by every card (plain dicts, Adaptive Cards schema 1.5)."""

from __future__ import annotations

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"


def adaptive_card(body: list[dict], actions: list[dict] | None = None, **extra) -> dict:
    card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body,
            "msteams": {"width": "Full"}}
    if actions:
        card["actions"] = actions
    card.update(extra)
    return card


def text_block(text: str, **style) -> dict:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}
