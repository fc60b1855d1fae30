"""The cards the bot posts into a team's notice channel: the case card (updated in place as the
case moves on), compact lines for a step done or a case finished, a declined order, reminders,
the daily digest, and the `notiser` status. Functions of the data they are given, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import Case, CaseEvent, Contact
from bot.domain.timefmt import day_text, local_time

from . import wording as w
from .checklist import mail_link
from .base import (
    adaptive_card,
    container,
    fact_set,
    heading,
    literal,
    open_url,
    page_deadline,
    submit,
    subtle,
    text_block,
)

MAX_DIGEST_ROWS = 12
MAX_FAILED_ROWS = 8


# --- the case card --------------------------------------------------------------------------------


def case_card(case: Case, next_due: datetime | None, now: datetime, basis: str = "") -> dict:
    """The channel's card of a case. `next_due` is the deadline of the next step (from the engine);
    `basis` what its clock time rests on (the page's words and the settings), shown under it as
    the checklist card shows it."""
    priority = bool(case.facts.get("priority")) and case.is_open
    body = [_case_header(case, priority), _case_facts(case), _latest_line(case),
            *_next_lines(case, next_due, now, basis)]
    actions = [submit(w.SHOW_CASE, {"command": f"ärende {case.reference}"})]
    if priority:
        phones = priority_phones(case)
        body += [text_block(w.NOTICE_PRIORITY_CALL.format(number=phone.address), weight="Bolder", color="Attention")
                 for phone in phones]
        actions = [open_url(w.CALL.format(number=phone.address), phone.link) for phone in phones] + actions
    return adaptive_card(body, actions)


def priority_phones(case: Case) -> list[Contact]:
    """The phone contacts the routine data gives for this case's facts (the priority number)."""
    seen: dict[str, Contact] = {}
    for step in case.steps:
        for contact in step.contacts_for(case.facts):
            if contact.kind == "phone":
                seen.setdefault(contact.address, contact)
    return list(seen.values())


def _case_header(case: Case, priority: bool) -> dict:
    if priority:
        title, style = w.NEW_PRIORITY_ORDER, "attention"
    else:
        title = w.NEW_CASE
        style = {"open": "emphasis", "closed": "good", "cancelled": "warning", "declined": "attention"}[case.status.value]
    return container([subtle(title), heading(f"{case.reference} · {case.routine.title}"),
                      text_block(w.STATUS_LINE[case.status.value], weight="Bolder", spacing="None")],
                     style=style, bleed=True)


def _case_facts(case: Case) -> dict:
    pairs = [(w.STARTED_BY, f"{literal(case.opened_by.name)}, {local_time(case.opened_at)}")]
    if case.customer_ref:
        pairs.insert(0, (w.CUSTOMER_REF, literal(case.customer_ref)))
    return fact_set(pairs)


def _latest_line(case: Case) -> dict:
    event = _latest_event(case)
    name, time = literal(event.actor.name), local_time(event.at)
    if event.kind.value == "step_done":
        text = w.LATEST_STEP_DONE.format(label=_label(case, event.step_id), title=_title(case, event.step_id),
                                       name=name, time=time)
    elif event.kind.value == "step_undone":
        text = w.LATEST_STEP_UNDONE.format(label=_label(case, event.step_id), name=name, time=time)
    elif event.kind.value in ("closed", "cancelled", "declined"):
        text = w.LATEST_ENDED.format(status=w.STATUS_LINE[case.status.value], name=name, time=time)
    else:
        text = w.LATEST_OPENED.format(name=name, time=time)
    return container([text_block(w.LATEST, weight="Bolder", size="Small"), text_block(text, spacing="None")],
                     spacing="Medium")


def _latest_event(case: Case) -> CaseEvent:
    # Notes and reminders do not change what the card shows.
    shown = ("opened", "step_done", "step_undone", "closed", "cancelled", "declined")
    return next(event for event in reversed(case.events) if event.kind.value in shown)


def _next_lines(case: Case, next_due: datetime | None, now: datetime, basis: str) -> list[dict]:
    if not case.is_open:
        return []
    step = case.next_step
    if step is None:
        return [text_block(w.NOTICE_ALL_DONE if case.is_complete else w.NO_NEXT, spacing="Small")]
    # "2. Kontakta …" at the start of a TextBlock is Markdown's numbered list, which Teams draws
    # indented and cuts off at the right edge of a phone.
    line = w.STEP_LINE.format(label=case.label(step.id), title=step.title)
    items = [text_block(w.NEXT, weight="Bolder", size="Small"), text_block(line, spacing="None")]
    if next_due is not None:
        late = next_due <= now and page_deadline(step)
        template = (w.OVERDUE if late else w.NOTICE_DUE) if page_deadline(step) else w.NOTICE_REMINDER_AT
        items.append(subtle(template.format(time=local_time(next_due)), color="Attention" if late else "Default"))
        if basis:
            items.append(subtle(w.BASIS.format(basis=basis)))
    return [container(items, spacing="Small")]


def _label(case: Case, step_id: str | None) -> str:
    return case.labels.get(step_id or "", "?")


def _title(case: Case, step_id: str | None) -> str:
    step = case.routine.step(step_id or "")
    return step.title if step else ""


# --- compact lines ----------------------------------------------------------------------------------


def step_done_card(case: Case, event: CaseEvent) -> dict:
    text = w.STEP_DONE_LINE.format(ref=case.reference, label=_label(case, event.step_id),
                                 title=_title(case, event.step_id), name=literal(event.actor.name))
    return adaptive_card([text_block(text, spacing="None")])


def closed_card(case: Case, event: CaseEvent) -> dict:
    text = w.CLOSED_LINE.format(ref=case.reference, routine=case.routine.title, name=literal(event.actor.name))
    return adaptive_card([text_block(text, spacing="None", color="Good")])


def declined_card(case: Case, event: CaseEvent) -> dict:
    decline = case.routine.decline
    body = [container([heading(w.DECLINED_TITLE),
                       text_block(w.DECLINED_BY.format(ref=case.reference, routine=case.routine.title,
                                                     name=literal(event.actor.name), time=local_time(event.at)),
                                  spacing="None")],
                      style="attention", bleed=True)]
    actions = []
    if decline is not None:
        body.append(text_block(decline.instruction, weight="Bolder"))
        link = mail_link(case, decline.contact, reason=event.text)
        body.append(text_block(f"E-post: [{decline.contact.address}]({link})", spacing="None"))
        actions.append(open_url(w.NOTICE_MAIL_TO.format(recipient=decline.contact.recipient), link))
    actions.append(submit(w.SHOW_CASE, {"command": f"ärende {case.reference}"}))
    return adaptive_card(body, actions)


# --- reminders and the digest -------------------------------------------------------------------------


def reminder_card(case: Case, step_id: str, due_at: datetime, *, overdue: bool, basis: str = "") -> dict:
    """`basis`: what the deadline's clock time rests on (the page's words and the settings)."""
    page = page_deadline(case.routine.step(step_id))
    template = (w.REMINDER_OVERDUE if overdue else w.REMINDER_NEAR) if page else w.REMINDER_NOT_DONE
    text = template.format(ref=case.reference, label=_label(case, step_id), time=local_time(due_at))
    body = [container([text_block(text, weight="Bolder")], style="attention" if overdue else "warning", bleed=True),
            text_block(w.STEP_LINE.format(label=_label(case, step_id), title=_title(case, step_id)))]
    step = case.routine.step(step_id)
    if overdue and page and step.when_late:
        body.append(text_block(w.DO_NOW.format(what=step.when_late)))
    if basis:
        body.append(subtle(w.BASIS.format(basis=basis)))
    if case.customer_ref:
        body.append(subtle(f"{w.CUSTOMER_REF}: {literal(case.customer_ref)}"))
    return adaptive_card(body, [submit(w.SHOW_CASE, {"command": f"ärende {case.reference}"})])


@dataclass(frozen=True)
class DigestRow:
    case: Case
    next_due: datetime | None


def purged_card(reference: str) -> dict:
    """Replaces a purged case's card in the channel: nothing of the case is left in it."""
    return adaptive_card([container([heading(w.PURGED_TITLE), text_block(w.PURGED_TEXT.format(ref=reference),
                                                                      spacing="None")],
                                     style="emphasis", bleed=True)])


def digest_card(day: date, rows: list[DigestRow], overdue: list[tuple[Case, str, datetime]], now: datetime,
                abandoned: list[tuple[str, datetime]] = (), *, schedule: str = "", closing_basis: str = "") -> dict:
    """`rows`: the team's open cases; `overdue`: (case, step id, due at) of every overdue step;
    `abandoned`: (reference, purge time) of the open cases nobody touched, purged soon.
    `schedule`: when the digest comes (a setting); `closing_basis`: what the page's "senast"
    times rest on (the configured closing time). Both are shown as settings at the foot."""
    title = w.DIGEST_TITLE.format(day=f"{w.WEEKDAYS[day.weekday()]} {day_text(day)}")
    body = [heading(title), text_block(w.DIGEST_OPEN.format(count=len(rows)) if rows else w.DIGEST_NONE)]
    if overdue:
        items = [text_block(w.DIGEST_OVERDUE_TITLE.format(count=len(overdue)), weight="Bolder", color="Attention")]
        items += [text_block(f"**{case.reference}** · steg {_label(case, step_id)} – "
                             + w.OVERDUE.format(time=local_time(due_at)), spacing="None")
                  for case, step_id, due_at in overdue[:MAX_DIGEST_ROWS]]
        body.append(container(items, style="attention"))
    if abandoned:
        items = [text_block(w.DIGEST_ABANDONED_TITLE.format(count=len(abandoned)), weight="Bolder", color="Warning")]
        items += [text_block(w.DIGEST_ABANDONED_ROW.format(ref=reference, day=local_time(purge_at)), spacing="None")
                  for reference, purge_at in abandoned[:MAX_DIGEST_ROWS]]
        body.append(container(items, style="warning"))
    for row in rows[:MAX_DIGEST_ROWS]:
        body.append(text_block(_digest_line(row, now), separator=True, spacing="Small"))
    if len(rows) > MAX_DIGEST_ROWS:
        body.append(subtle(w.DIGEST_MORE.format(count=len(rows) - MAX_DIGEST_ROWS)))
    body += _digest_footer(rows, overdue, schedule, closing_basis)
    return adaptive_card(body)


def _digest_footer(rows: list[DigestRow], overdue: list, schedule: str, closing_basis: str) -> list[dict]:
    """The settings behind what the digest shows: the closing time behind its page times, and its
    own time of day."""
    lines = []
    page_times = bool(overdue) or any(row.next_due is not None and row.case.next_step is not None
                                      and page_deadline(row.case.next_step) for row in rows[:MAX_DIGEST_ROWS])
    if page_times and closing_basis:
        lines.append(subtle(w.DIGEST_TIMES_BASIS.format(basis=closing_basis)))
    if schedule:
        lines.append(subtle(w.DIGEST_SCHEDULE.format(when=schedule)))
    return [container(lines, separator=True, spacing="Medium")] if lines else []


def _digest_line(row: DigestRow, now: datetime) -> str:
    case = row.case
    customer = f" · {literal(case.customer_ref)}" if case.customer_ref else ""
    step = case.next_step
    if step is None:
        return w.DIGEST_ROW_WAITING.format(ref=case.reference, routine=case.routine.title, customer=customer)
    due = ""
    if row.next_due is not None:
        template = (w.OVERDUE if row.next_due <= now else w.NOTICE_DUE) if page_deadline(step) else w.NOTICE_REMINDER_AT
        due = " – " + template.format(time=local_time(row.next_due))
    return w.DIGEST_ROW.format(ref=case.reference, routine=case.routine.title, customer=customer,
                             label=case.label(step.id), title=step.title, due=due)


# --- the `notiser` status -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelStatus:
    active: bool
    here: bool  # the status is asked in the notice channel itself
    kind: str  # channel | groupChat
    subscribed_by: str
    subscribed_at: datetime
    bot_removed: bool = False  # off because the bot was removed, not by `notiser av`
    cancelled: int = 0  # notices cancelled when it was removed


@dataclass(frozen=True)
class FailedNotice:
    kind: str
    case_reference: str | None
    created_at: datetime
    attempts: int
    error: str


def status_card(channel: ChannelStatus | None, pending: int, failed: list[FailedNotice], *, retrying: int = 0,
                last_error: str | None = None, digest_schedule: str = "") -> dict:
    """`retrying`: pending notices that failed at least once (the connector is having trouble);
    `digest_schedule`: when the digest comes (a setting), told while notices are on."""
    body = [heading(w.STATUS_TITLE)]
    if channel is None:
        body.append(text_block(w.STATUS_NONE))
    elif channel.bot_removed:
        body.append(text_block(w.STATUS_BOT_REMOVED, color="Attention"))
        if channel.cancelled:
            body.append(text_block(w.STATUS_CANCELLED.format(count=channel.cancelled), spacing="None"))
    elif not channel.active:
        body.append(text_block(w.STATUS_OFF))
    else:
        place = (w.THIS_CHANNEL if channel.kind == "channel" else w.THIS_CHAT) if channel.here else w.OTHER_CHANNEL
        body.append(text_block(w.STATUS_ON.format(place=place, time=local_time(channel.subscribed_at),
                                                name=literal(channel.subscribed_by))))
        if digest_schedule:
            body.append(subtle(w.STATUS_DIGEST.format(when=digest_schedule)))
    if pending:
        body.append(text_block(w.STATUS_PENDING.format(count=pending)))
    if retrying:
        body.append(text_block(w.STATUS_RETRYING.format(count=retrying, error=last_error or "?"), color="Warning",
                               spacing="None"))
    if failed:
        items = [text_block(w.STATUS_FAILED_TITLE.format(count=len(failed)), weight="Bolder", color="Attention")]
        items += [text_block(w.STATUS_FAILED_ROW.format(kind=w.KIND_NAMES.get(notice.kind, notice.kind),
                                                      ref=f"{notice.case_reference} " if notice.case_reference else "",
                                                      time=local_time(notice.created_at), attempts=notice.attempts,
                                                      error=notice.error), spacing="None", size="Small")
                  for notice in failed[:MAX_FAILED_ROWS]]
        body.append(container(items, style="attention"))
    elif channel is not None and not pending:
        body.append(subtle(w.STATUS_ALL_SENT))
    return adaptive_card(body)
