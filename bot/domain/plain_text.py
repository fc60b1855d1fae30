"""User text as plain text: what may be stored of what someone typed or Teams handed over.

Format characters (zero-width, bidi embeddings, overrides and isolates, soft hyphen) are
removed: they are invisible, and bidi controls can make a card show text in another order than
it was stored (a reference that reads differently from what it is). Control characters and runs
of whitespace become one space.
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def plain_text(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return _WHITESPACE.sub(" ", text).strip()
