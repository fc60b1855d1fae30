"""Settings read from the environment, with the names the Bot Framework uses.

Everything the city's page does not state (opening hours, reminder intervals) lives here as a
default that is marked as an assumption, so operations can confirm or change it without code.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

DEFAULT_DATABASE_URL = "sqlite:///./data/larmlotsen.db"


EVENT_LOOPS = ("uvloop", "asyncio")


class ConfigurationError(ValueError):
    """A setting is missing or wrong; the message tells the operator which and how to fix it."""


def _split_list(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}.") from None


def _bool(raw: str | None, default: bool) -> bool:
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on", "ja"}


@dataclass(frozen=True)
class Settings:
    # Bot Framework credentials (empty app id = local development server).
    app_id: str = ""
    app_password: str = ""
    app_type: str = "SingleTenant"
    app_tenant_id: str = ""
    # HTTP server.
    host: str | None = None
    port: int = 3978
    max_body_bytes: int = 256 * 1024
    # uvloop (libuv) or asyncio's own event loop for `python -m bot`.
    event_loop: str = "uvloop"
    # Database.
    database_url: str = DEFAULT_DATABASE_URL
    run_migrations: bool = True
    db_pool_size: int = 10
    # Without credentials, a non-loopback HOST is refused unless this is set (--insecure-public).
    insecure_public: bool = False
    # Access.
    tenant_allowlist: tuple[str, ...] = ()
    admin_ids: tuple[str, ...] = ()
    # With credentials, activities from other Bot Framework channels (Web Chat, Direct Line, where
    # the client chooses its own ids) are refused; add e.g. "webchat" for a deliberate deployment.
    allowed_channels: tuple[str, ...] = ("msteams",)
    # How long a processed activity id is remembered for redelivery detection.
    dedupe_ttl_hours: int = 48
    # ASSUMPTION (the page gives no hours): installation och service is open Mon-Fri 08:00-16:00.
    opening_time: str = "08:00"
    closing_time: str = "16:00"
    timezone: str = "Europe/Stockholm"
    # ASSUMPTION: an "omgående" step counts as late after this many working hours.
    immediate_within_hours: int = 4
    # ASSUMPTION: installation feedback is chased after this many working days.
    install_feedback_working_days: int = 5
    # ASSUMPTION: the daily digest goes out at this local time on working days.
    digest_time: str = "08:30"
    # ASSUMPTION: a step is "near" its deadline this many minutes before it (reminder lead time).
    reminder_lead_minutes: int = 60
    # How often the reminder and digest scan runs.
    reminder_scan_seconds: int = 60
    # A notice that could not be delivered for this long is marked failed (and shown by `notiser`).
    notice_give_up_hours: int = 24
    # A turn's replies must reach the Bot Connector within this many seconds in all (Teams waits
    # 15 s for the bot's answer); a 429's Retry-After is honoured within it.
    reply_timeout_seconds: int = 10
    # One delivery attempt of a notice to the Bot Connector counts as timed out after this many seconds.
    notice_send_timeout_seconds: int = 10
    # A worker's claim on a notice expires after this many seconds (a crashed worker's notices resume).
    notice_lease_seconds: int = 300
    # Delivered, failed and cancelled notices are forgotten after this many days.
    notice_keep_days: int = 30
    # Retention (months) of closed cases before the purge; also of notice channels, home teams
    # and everything else personal that has not been used for that long.
    retention_months: int = 24
    # An open case nobody has touched for this many months is marked abandoned (announced in the
    # digest) and purged ABANDONED_GRACE_DAYS later unless someone acts on it. 0: RETENTION_MONTHS.
    abandon_after_months: int = 0
    abandoned_grace_days: int = 14
    # Idle conversation state expires after this many days.
    state_ttl_days: int = 90
    # Name of the city's case system: the city is procuring a replacement.
    case_system_name: str = "Paraplysystemet"
    # Where the city's form (blanketten) is downloaded; no default (the page's PDF link is not in
    # our copy of the page). When set, every mention of the form is a link.
    form_url: str = ""
    # Where this bot is reached from outside (for the export download link).
    public_base_url: str = ""
    # Signs export download links; shared by every instance. Empty: derived from the app password,
    # or a random secret per process on a development server.
    export_secret: str = ""
    export_link_minutes: int = 15
    # Where the Bot Framework's OpenID metadata (the keys Teams' tokens are signed with) is fetched;
    # empty: the Bot Framework's own address. A mirror, for a network that cannot reach it directly.
    openid_metadata_url: str = ""
    log_level: str = "INFO"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id and self.app_password)

    @property
    def abandon_months(self) -> int:
        return self.abandon_after_months or self.retention_months

    @property
    def bind_host(self) -> str:
        """Without credentials the server is a development server: loopback unless HOST says otherwise."""
        if self.host:
            return self.host
        return "0.0.0.0" if self.has_credentials else "127.0.0.1"

    # Attribute names ConfigurationBotFrameworkAuthentication reads with getattr().
    @property
    def APP_ID(self) -> str:  # noqa: N802 - name fixed by botbuilder
        return self.app_id

    @property
    def APP_PASSWORD(self) -> str:  # noqa: N802
        return self.app_password

    @property
    def APP_TYPE(self) -> str:  # noqa: N802
        # Without credentials the SDK's MultiTenant factory is the one that accepts an empty app id
        # (no authentication: the local development server).
        return self.app_type if self.has_credentials else "MultiTenant"

    @property
    def APP_TENANTID(self) -> str:  # noqa: N802
        return self.app_tenant_id


def check_settings(settings: Settings) -> Settings:
    if bool(settings.app_id) != bool(settings.app_password):
        raise ConfigurationError("Set both MicrosoftAppId and MicrosoftAppPassword, or neither (local development).")
    if settings.app_type.lower() not in ("singletenant", "multitenant", "userassignedmsi"):
        raise ConfigurationError("MicrosoftAppType must be SingleTenant, MultiTenant or UserAssignedMSI.")
    if settings.has_credentials and settings.app_type.lower() == "singletenant" and not settings.app_tenant_id:
        raise ConfigurationError("MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId (the Entra tenant id).")
    if not 1 <= settings.port <= 65535:
        raise ConfigurationError(f"PORT must be between 1 and 65535, not {settings.port}.")
    if settings.event_loop not in EVENT_LOOPS:
        raise ConfigurationError(f"EVENT_LOOP must be uvloop or asyncio, not {settings.event_loop!r}.")
    _check_retention(settings)
    if not 1 <= settings.reply_timeout_seconds <= 14:
        raise ConfigurationError(f"REPLY_TIMEOUT_SECONDS must be between 1 and 14 (Teams waits 15 s for the bot), "
                                 f"not {settings.reply_timeout_seconds}.")
    if settings.notice_send_timeout_seconds < 1:
        raise ConfigurationError("NOTICE_SEND_TIMEOUT_SECONDS must be at least 1.")
    if not settings.has_credentials and not is_loopback(settings.bind_host) and not settings.insecure_public:
        raise ConfigurationError(
            f"HOST={settings.bind_host} without MicrosoftAppId/MicrosoftAppPassword would serve the bot without "
            "authentication to the network: set the credentials, listen on 127.0.0.1, or pass --insecure-public "
            "(INSECURE_PUBLIC=true) if that is really meant.")
    return settings


def _check_retention(settings: Settings) -> None:
    """Settings that would purge everything at the next housekeeping round are refused."""
    for name, value in (("RETENTION_MONTHS", settings.retention_months), ("STATE_TTL_DAYS", settings.state_ttl_days),
                        ("ABANDONED_GRACE_DAYS", settings.abandoned_grace_days)):
        if value < 1:
            raise ConfigurationError(f"{name} must be at least 1 (not {value}): a lower value would purge everything.")
    if settings.abandon_after_months < 0:
        raise ConfigurationError(f"ABANDON_AFTER_MONTHS must be 0 (= RETENTION_MONTHS) or more, "
                                 f"not {settings.abandon_after_months}.")


def is_loopback(host: str) -> bool:
    if host in ("localhost", "::1") or host.startswith("127."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(env: Mapping[str, str] | None = None, **overrides) -> Settings:
    env = os.environ if env is None else env
    values = dict(
        app_id=env.get("MicrosoftAppId", ""),
        app_password=env.get("MicrosoftAppPassword", ""),
        app_type=env.get("MicrosoftAppType") or "SingleTenant",
        app_tenant_id=env.get("MicrosoftAppTenantId", ""),
        host=env.get("HOST") or None,
        port=_int(env, "PORT", 3978),
        event_loop=(env.get("EVENT_LOOP") or "uvloop").strip().lower(),
        database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        run_migrations=_bool(env.get("RUN_MIGRATIONS"), True),
        db_pool_size=_int(env, "DB_POOL_SIZE", 10),
        insecure_public=_bool(env.get("INSECURE_PUBLIC"), False),
        tenant_allowlist=_split_list(env.get("TENANT_ALLOWLIST")),
        admin_ids=_split_list(env.get("ADMIN_IDS")),
        allowed_channels=tuple(c.lower() for c in _split_list(env.get("ALLOWED_CHANNELS"))) or ("msteams",),
        dedupe_ttl_hours=_int(env, "DEDUPE_TTL_HOURS", 48),
        opening_time=env.get("OPENING_TIME") or "08:00",
        closing_time=env.get("CLOSING_TIME") or "16:00",
        timezone=env.get("TIMEZONE") or "Europe/Stockholm",
        immediate_within_hours=_int(env, "IMMEDIATE_WITHIN_HOURS", 4),
        install_feedback_working_days=_int(env, "INSTALL_FEEDBACK_WORKING_DAYS", 5),
        digest_time=env.get("DIGEST_TIME") or "08:30",
        reminder_lead_minutes=_int(env, "REMINDER_LEAD_MINUTES", 60),
        reminder_scan_seconds=_int(env, "REMINDER_SCAN_SECONDS", 60),
        notice_give_up_hours=_int(env, "NOTICE_GIVE_UP_HOURS", 24),
        reply_timeout_seconds=_int(env, "REPLY_TIMEOUT_SECONDS", 10),
        notice_send_timeout_seconds=_int(env, "NOTICE_SEND_TIMEOUT_SECONDS", 10),
        notice_lease_seconds=_int(env, "NOTICE_LEASE_SECONDS", 300),
        notice_keep_days=_int(env, "NOTICE_KEEP_DAYS", 30),
        retention_months=_int(env, "RETENTION_MONTHS", 24),
        abandon_after_months=_int(env, "ABANDON_AFTER_MONTHS", 0),
        abandoned_grace_days=_int(env, "ABANDONED_GRACE_DAYS", 14),
        state_ttl_days=_int(env, "STATE_TTL_DAYS", 90),
        case_system_name=env.get("CASE_SYSTEM_NAME") or "Paraplysystemet",
        form_url=(env.get("FORM_URL") or "").strip(),
        public_base_url=(env.get("PUBLIC_BASE_URL") or "").rstrip("/"),
        export_secret=env.get("EXPORT_SECRET") or "",
        export_link_minutes=_int(env, "EXPORT_LINK_MINUTES", 15),
        openid_metadata_url=env.get("OPENID_METADATA_URL") or "",
        log_level=env.get("LOG_LEVEL") or "INFO",
    )
    values.update({k: v for k, v in overrides.items() if v is not None})
    return check_settings(Settings(**values))


def ensure_sqlite_dir(database_url: str) -> None:
    """Create the folder of a file-based SQLite database on first start."""
    if database_url.startswith("sqlite") and ":memory:" not in database_url:
        path = database_url.split("///", 1)[-1].split("?", 1)[0]
        if path:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
