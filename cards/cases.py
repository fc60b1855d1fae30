"""The list of open cases (mine, or the team's), each with its next step and deadline."""

from __future__ import annotations

from datetime import datetime

from bot.domain import Case
from bot.domain.timefmt import local_time

from . import wording as w
from .base import adaptive_card, container, heading, literal, page_deadline, submit, subtle, text_block

MAX_LISTED = 15


def case_list_card(cases: list[tuple[Case, datetime | None]], now: datetime, *, team: bool,
                   closing_basis: str = "") -> dict:
    """`cases`: each open case with the deadline of its next step (or None); `closing_basis`: what
    the page's "senast" times rest on (the configured closing time), shown when a row has one."""
    body = [heading(w.LIST_TITLE_TEAM if team else w.LIST_TITLE_MINE)]
    if not cases:
        body.append(text_block(w.LIST_EMPTY))
    for case, due_at in cases[:MAX_LISTED]:
        body.append(_row(case, due_at, now))
    if closing_basis and any(due_at is not None and case.next_step is not None and page_deadline(case.next_step)
                             for case, due_at in cases[:MAX_LISTED]):
        body.append(text_block(w.DIGEST_TIMES_BASIS.format(basis=closing_basis), isSubtle=True, size="Small",
                               separator=True, spacing="Medium"))
    return adaptive_card(body)


def _row(case: Case, due_at: datetime | None, now: datetime) -> dict:
    step = case.next_step
    line = w.LIST_NEXT.format(label=case.label(step.id), title=step.title) if step else w.LIST_NO_NEXT
    if due_at is not None:
        template = (w.LIST_OVERDUE if due_at <= now else w.LIST_DUE) if page_deadline(step) else w.LIST_REMINDER
        line += template.format(time=local_time(due_at))
    title = f"**{case.reference}** · {case.routine.title}"
    if case.customer_ref:
        title += f" · {literal(case.customer_ref)}"
    return container([text_block(title), subtle(line)], separator=True,
                     selectAction=submit(w.SHOW.format(ref=case.reference), {"command": f"ärende {case.reference}"}))
