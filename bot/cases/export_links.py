"""Short-lived signed links to download an audit export.

Teams cannot take a file from a bot in a channel without a consent dance, so the export card
carries a link to this bot's own /export endpoint. The link names the period and expires after
EXPORT_LINK_MINUTES; its HMAC signature uses a secret shared by every instance. Each link has an
id of its own and downloads once (the used ids are kept in the database until they expire, so
this holds across instances); it names the admin who asked, who must still be one to download.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .tables import ExportLinkUseRow


@dataclass(frozen=True)
class ExportGrant:
    start: date
    end: date
    admin_id: str
    expires: datetime
    link_id: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ExportLinks:
    def __init__(self, secret: str, minutes: int) -> None:
        self._key = hashlib.sha256(("larmlotsen-export:" + (secret or secrets.token_hex(32))).encode()).digest()
        self._lifetime = timedelta(minutes=minutes)

    def token(self, start: date, end: date, admin_id: str, now: datetime) -> str:
        payload = {"s": start.isoformat(), "e": end.isoformat(), "a": admin_id,
                   "x": int((now + self._lifetime).timestamp()), "j": secrets.token_urlsafe(18)}
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def verify(self, token: str, now: datetime) -> ExportGrant | None:
        if not token.isascii():  # never ours; and compare_digest refuses non-ASCII strings
            return None
        body, _, signature = token.partition(".")
        if not body or not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            payload = json.loads(_unb64(body))
            grant = ExportGrant(date.fromisoformat(payload["s"]), date.fromisoformat(payload["e"]), str(payload["a"]),
                                datetime.fromtimestamp(int(payload["x"]), timezone.utc), str(payload["j"]))
        except (ValueError, KeyError, TypeError):
            return None
        return grant if grant.expires > now else None

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest()[:24])


async def claim_export_link(sessions: async_sessionmaker, grant: ExportGrant, now: datetime) -> bool:
    """Mark the link used; False when it already was (by this or another instance)."""
    try:
        async with sessions.begin() as session:
            session.add(ExportLinkUseRow(link_id=grant.link_id, admin_id=grant.admin_id, used_at=now,
                                         expires_at=grant.expires))
        return True
    except IntegrityError:
        return False


async def forget_expired_export_links(session: AsyncSession, now: datetime) -> int:
    """Forget the used links that have expired (they are refused anyway)."""
    return (await session.execute(delete(ExportLinkUseRow).where(ExportLinkUseRow.expires_at < now))).rowcount or 0
