"""The help card: every routine with a button to start it, and what can be typed."""

from __future__ import annotations

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from .base import adaptive_card, text_block


def help_card() -> Attachment:
    body = [
        text_block("Larmlotsen – det här kan jag", size="Large", weight="Bolder"),
        text_block("Jag guidar dig genom stadens rutiner för trygghetslarm och nyckelfri hemtjänst."),
    ]
    return CardFactory.adaptive_card(adaptive_card(body))
