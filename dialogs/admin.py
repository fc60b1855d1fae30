"""Commands for statistics (anyone, within their team) and for export and retention (admins only,
in personal chat only).

An admin is identified by what Teams vouches for: the aadObjectId (never `from.id`) on
ADMIN_IDS, from an allowed tenant. Export and retention answer only in a personal chat, so the
download link (single use, bound to the admin) and the result are never posted where others read."""

from __future__ import annotations

import re
from datetime import date, timedelta

from botbuilder.core import TurnContext

from bot.cases.export_links import ExportLinks
from bot.cases.reports import team_statistics
from bot.domain.timefmt import day_text
from bot.teams.activity import card_activity, place_of
from bot.teams.identity import actor_of, is_verified, tenant_of
from cards import wording as cw
from cards.admin import export_card, statistics_card
from dialogs.commands import Command

from . import wording as w
from .services import Services

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_EXPORT_DAYS = 366


class AdminCommands:
    def __init__(self, services: Services, links: ExportLinks) -> None:
        self._services = services
        self._links = links

    def is_admin(self, context: TurnContext) -> bool:
        settings = self._services.settings
        actor = actor_of(context.activity)
        if not is_verified(actor) or actor.id.lower() not in {admin.lower() for admin in settings.admin_ids}:
            return False
        tenant = (tenant_of(context.activity) or "").lower()
        allowed = {t.lower() for t in (*settings.tenant_allowlist, settings.app_tenant_id) if t}
        return tenant in allowed if allowed else bool(tenant)

    async def handle(self, context: TurnContext, command: Command) -> None:
        if command.kind == "stats":
            await self._statistics(context)
        elif place_of(context.activity).kind != "personal":
            await context.send_activity(w.ADMIN_PERSONAL_ONLY)
        elif not self.is_admin(context):
            await context.send_activity(w.ADMIN_ONLY)
        elif command.kind == "export":
            await self._export(context, command.rest)
        elif command.kind == "purge":
            await self._purge(context)

    async def _statistics(self, context: TurnContext) -> None:
        place = place_of(context.activity)
        stats = await team_statistics(
            self._services.cases, team_id=place.team_id if place.is_shared else None,
            conversation_id=place.conversation_id if place.is_shared else None,
            user_id=actor_of(context.activity).id, now=self._services.clock())
        title = cw.STATS_TITLE_TEAM if place.is_shared else cw.STATS_TITLE_MINE
        card = statistics_card(title, stats.open_cases, stats.overdue_cases, stats.overdue_steps,
                               stats.closed_last_30_days, stats.median_lead_time_days, stats.mean_lead_time_days,
                               len(stats.lead_times_days))
        await context.send_activity(card_activity(card))

    async def _export(self, context: TurnContext, rest: str) -> None:
        period = self._period(rest)
        if period is None:
            await context.send_activity(w.EXPORT_USAGE)
            return
        start, end = period
        now = self._services.clock()
        csv_text = await self._services.cases.export_events_csv(start, end)
        token = self._links.token(start, end, actor_of(context.activity).id, now)  # single use, this admin's
        url = f"{self._base_url()}/export/{token}"
        events = max(csv_text.count("\r\n") - 1, 0)
        minutes = self._services.settings.export_link_minutes
        await context.send_activity(card_activity(export_card(day_text(start), day_text(end), events, url, minutes)))

    def _period(self, rest: str) -> tuple[date, date] | None:
        dates = _DATE.findall(rest)
        today = self._services.cases.engine.calendar.local_date(self._services.clock())  # a Stockholm day
        try:
            if not dates:
                return today - timedelta(days=30), today
            start = date.fromisoformat(dates[0])
            end = date.fromisoformat(dates[1]) if len(dates) > 1 else today
        except ValueError:
            return None
        if end < start or (end - start).days > MAX_EXPORT_DAYS:
            return None
        return start, end

    def _base_url(self) -> str:
        settings = self._services.settings
        return settings.public_base_url or f"http://{settings.bind_host}:{settings.port}"

    async def _purge(self, context: TurnContext) -> None:
        settings = self._services.settings
        result = await self._services.purge(self._services.clock())
        await context.send_activity(w.PURGED.format(count=len(result.purged_cases), months=settings.retention_months,
                                                    abandoned=len(result.abandoned)))
