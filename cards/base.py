"""Small builders shared by every card (plain dicts, Adaptive Cards schema 1.5).

Cards are plain dicts so that tests can validate them against the official schema and render
them; the dialogs wrap them in Bot Framework attachments.
"""

from __future__ import annotations

import re

from bot.domain import plain_text

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


# --- user text ----------------------------------------------------------------------------------

# What a user typed (or Teams handed over as a name) is shown as text, never as markup: Teams
# renders markdown in TextBlocks and FactSets and turns URLs, domains and e-mail addresses into
# links. Markdown's punctuation is backslash-escaped (CommonMark: an escaped character is shown
# as itself) and the characters that make a link are swapped for look-alikes that no link
# detector takes: the text reads the same, but nobody can post a link with the bot's authority.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")
_LINK_LOOKALIKES = (
    (re.compile(r":(?=/)"), "\uA789"),  # "https://" -> "https꞉//" (modifier letter colon)
    (re.compile(r"\.(?=[^\W\d_])"), "\u2024"),  # "kund.se", "www.x" -> "kund․se" (one dot leader)
    (re.compile(r"@"), "\uFF20"),  # e-mail addresses and mentions (full-width commercial at)
)
_NUMBERED_ITEM = re.compile(r"^\d+(?=\.)")
LITERAL_MAX = 120


def literal(text: str | None, limit: int = LITERAL_MAX, *, markdown: bool = True) -> str:
    """A user-supplied string for a card, a notice or a mailto body, shown literally: invisible
    and bidi characters removed, one line, at most `limit` characters, nothing a client would
    make a link of, and (for text that is rendered as markdown) markdown and HTML escaped.
    `markdown=False` for text that never is (a mailto body, a notification summary), where
    escapes would show as backslashes."""
    text = plain_text(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    for pattern, lookalike in _LINK_LOOKALIKES:
        text = pattern.sub(lookalike, text)
    if not markdown:
        return text
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    # "- x" or "1. x" at the start would make a list.
    if text.startswith("-"):
        return "\\" + text
    numbered = _NUMBERED_ITEM.match(text)
    return f"{text[:numbered.end()]}\\{text[numbered.end():]}" if numbered else text


FALLBACK_MAX = 400


def adaptive_card(body: list[dict], actions: list[dict] | None = None, *, fallback_text: str | None = None,
                  **extra) -> dict:
    """A card with a `fallbackText` (what a client that cannot draw it shows): given, or the card's
    first lines."""
    card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body,
            "msteams": {"width": "Full"}, "fallbackText": fallback_text or _first_lines(body)}
    if actions:
        card["actions"] = actions
    card.update(extra)
    return card


def _first_lines(body: list[dict]) -> str:
    texts: list[str] = []
    for element in _visible_text_blocks(body):
        texts.append(element)
        if sum(len(t) for t in texts) >= FALLBACK_MAX:
            break
    text = " – ".join(texts).replace("**", "")
    return (text[: FALLBACK_MAX - 1] + "…") if len(text) > FALLBACK_MAX else text or "Larmlotsen"


def _visible_text_blocks(node):
    if isinstance(node, dict):
        if node.get("isVisible") is False:
            return
        if node.get("type") == "TextBlock" and isinstance(node.get("text"), str):
            yield node["text"]
        for key in ("items", "columns", "body"):
            if isinstance(node.get(key), list):
                yield from _visible_text_blocks(node[key])
    elif isinstance(node, list):
        for item in node:
            yield from _visible_text_blocks(item)


def attachment(card: dict) -> dict:
    return {"contentType": CONTENT_TYPE, "content": card}


def text_block(text: str, **style) -> dict:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def heading(text: str) -> dict:
    return text_block(text, size="Large", weight="Bolder", style="heading")


def subtle(text: str, **style) -> dict:
    return text_block(text, isSubtle=True, spacing="None", size="Small", **style)


def fact_set(pairs: list[tuple[str, str]]) -> dict:
    return {"type": "FactSet", "facts": [{"title": title, "value": value} for title, value in pairs]}


def container(items: list[dict], **style) -> dict:
    return {"type": "Container", "items": items, **style}


def submit(title: str, data: dict, **extra) -> dict:
    return {"type": "Action.Submit", "title": title, "data": data, **extra}


def open_url(title: str, url: str) -> dict:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def form_links(text: str, form_url: str) -> str:
    """Every mention of the city's form as a link, when its address is configured (FORM_URL)."""
    if not form_url or "blanketten" not in text:
        return text
    return text.replace("blanketten", f"[blanketten]({form_url})")


def page_deadline(step) -> bool:
    """Whether a step's deadline is the page's (only those make a step late; a configured time
    only reminds)."""
    return step is not None and step.deadline is not None and step.deadline.page_given


def execute(title: str, verb: str, data: dict, **extra) -> dict:
    """Action.Execute (Universal Actions), falling back to Action.Submit with the same data for
    clients that do not know it; the bot treats both the same way."""
    fallback = submit(title, {"verb": verb, **data})
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data, "fallback": fallback, **extra}
