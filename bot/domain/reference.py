"""The case reference, TL-<year>-<number> (TL-2026-0042): how it is written, recognised in what
staff type, and checked when a card sends it back."""

from __future__ import annotations

import re

PREFIX = "TL"
# Typed: any case, the dashes or spaces optional, the number without its leading zeros ("tl 2026 42").
_TYPED = re.compile(rf"\b{PREFIX}-?\s?(\d{{4}})-?\s?(\d{{1,6}})\b", re.IGNORECASE)
_EXACT = re.compile(rf"^{PREFIX}-\d{{4}}-\d{{4,6}}$")


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:04d}"


def find_reference(text: str) -> str | None:
    """The first reference in a typed text, written the canonical way."""
    match = _TYPED.search(text)
    return format_reference(int(match.group(1)), int(match.group(2))) if match else None


def without_reference(text: str) -> str:
    return _TYPED.sub(" ", text).strip()


def is_reference(value: object) -> bool:
    """Exactly a reference as the bot writes it (what a card's data must carry)."""
    return isinstance(value, str) and _EXACT.match(value) is not None
