"""The checklist card of a case: every step with its state, deadlines, contacts and the actions
that move the case on. A function of the case's state, nothing else."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from bot.domain import Case, Contact, Step

from . import wording as w
from .base import (
    adaptive_card,
    container,
    day_text,
    execute,
    fact_set,
    heading,
    literal,
    local_time,
    open_url,
    subtle,
    text_block,
)

MAX_DONE_BUTTONS = 3


def checklist_card(case: Case, due: dict[str, datetime], now: datetime, notice: str = "") -> dict:
    """`due` maps step ids to deadlines (from the engine); `now` decides what is overdue; `notice`
    is what the last button did (a card that replaces itself has no other place to say it)."""
    body = [_header(case)]
    if notice:
        body.append(text_block(notice, weight="Bolder", color="Accent", spacing="Small"))
    body.append(_facts(case))
    body += _step_sections(case, due, now)
    body += _guidance(case)
    body += _contacts(case)
    body.append(subtle(w.TYPE_HINT.format(ref=case.reference)))
    return adaptive_card(body, _actions(case))


def _header(case: Case) -> dict:
    status = w.STATUS_LINE[case.status.value]
    if case.is_open and case.is_complete:
        status = f"{status} – {w.ALL_DONE}"
    elif case.is_complete and case.routine.done_message and case.status.value == "closed":
        status = f"{status} – {case.routine.done_message}"
    style = {"open": "emphasis", "closed": "good", "cancelled": "warning", "declined": "attention"}[case.status.value]
    return container([heading(f"{case.reference} · {case.routine.title}"), text_block(status, weight="Bolder")],
                     style=style, bleed=True)


def _facts(case: Case) -> dict:
    pairs = [(w.CUSTOMER_REF, literal(case.customer_ref) or w.NO_CUSTOMER_REF),
             (w.STARTED, f"{literal(case.opened_by.name)}, {local_time(case.opened_at)}")]
    pairs += [(spec.question, _fact_value(spec, case.facts.get(spec.name))) for spec in case.routine.facts
              if case.facts.get(spec.name) is not None]
    return fact_set(pairs)


def _fact_value(spec, value) -> str:
    if spec.kind == "bool":
        return w.YES if value else w.NO
    if spec.kind == "choice":
        return next((choice.label for choice in spec.choices if choice.value == value), str(value))
    if spec.kind == "date":
        return day_text(value)
    return str(value)


def _step_sections(case: Case, due: dict[str, datetime], now: datetime) -> list[dict]:
    preparation = [s for s in case.steps if s.phase == "preparation"]
    main = [s for s in case.steps if s.phase != "preparation"]
    sections = []
    for title, steps in ((w.STEPS, main), (w.PREPARATION, preparation)):
        if steps:
            sections.append(text_block(title, weight="Bolder", spacing="Medium", separator=True))
            sections += [_step_row(case, step, due.get(step.id), now) for step in steps]
    return sections


def _step_row(case: Case, step: Step, due_at: datetime | None, now: datetime) -> dict:
    label = case.label(step.id)
    icon, state, colour = _state_of(case, step)
    lines = [text_block(f"{icon} **{label}.** {step.title}", spacing="Small", color=colour)]
    if state:
        lines.append(subtle(state))
    if due_at is not None and not case.is_done(step.id) and case.is_open:
        late = due_at <= now
        lines.append(subtle((w.OVERDUE if late else w.DUE).format(time=local_time(due_at)),
                            color="Attention" if late else "Default"))
    return container(lines, spacing="Small")


def _state_of(case: Case, step: Step) -> tuple[str, str, str]:
    if case.is_done(step.id):
        event = case.done[step.id]
        return "✓", w.DONE_BY.format(name=literal(event.actor.name), time=local_time(event.at)), "Good"
    if not case.is_open:
        return "○", "", "Default"
    if step in case.available_steps:
        return "→", w.NEXT, "Accent"
    blocking = case.blocking_step(step)
    if blocking is not None:
        return "○", w.WAITING_FOR.format(label=case.label(blocking.id), title=blocking.title), "Default"
    return "○", w.WAITING_FOR_ALARM, "Default"


def _guidance(case: Case) -> list[dict]:
    rules = case.routine.rules_for(case.facts)
    if not rules:
        return []
    items = [text_block(w.GUIDANCE, weight="Bolder", spacing="Medium", separator=True)]
    items += [text_block(f"• {rule.text}", spacing="None") for rule in rules]
    return items


def _contacts(case: Case) -> list[dict]:
    items: list[dict] = []
    for step in case.available_steps:
        contacts = step.contacts_for(case.facts)
        if not contacts and not step.form:
            continue
        items.append(text_block(w.CONTACT_FOR.format(label=case.label(step.id)), weight="Bolder",
                                spacing="Medium", separator=True))
        if step.instruction:
            items.append(text_block(step.instruction, spacing="None"))
        if step.form:
            items.append(text_block(w.FORM.format(form=step.form), spacing="Small"))
        if contacts:
            items += [text_block(_contact_line(c), spacing="None") for c in contacts]
            items.append({"type": "ActionSet", "actions": [_contact_action(case, step, c) for c in contacts]})
    return items


def _contact_line(contact: Contact) -> str:
    how = w.EMAIL if contact.kind == "email" else w.PHONE
    return f"{contact.recipient} – {how}: {contact.address}"


def _contact_action(case: Case, step: Step, contact: Contact) -> dict:
    if contact.kind == "phone":
        return open_url(w.CALL.format(number=contact.address), contact.link)
    return open_url(w.MAIL_TO, mail_link(case, step, contact))


def mail_link(case: Case, step: Step, contact: Contact) -> str:
    """A mailto: link with subject and body filled in. Only the case reference, the routine, the
    facts and the staff's own customer reference go in; never a personnummer (refused at input)."""
    subject = w.MAIL_SUBJECT.format(ref=case.reference, routine=case.routine.title)
    lines = [w.MAIL_GREETING, "", contact.purpose, "",
             w.MAIL_ABOUT.format(routine=case.routine.title, step=step.title),
             w.MAIL_CASE.format(ref=case.reference)]
    if case.customer_ref:
        lines.append(w.MAIL_CUSTOMER.format(ref=literal(case.customer_ref, markdown=False)))
    facts = [f"- {spec.question} {_fact_value(spec, case.facts[spec.name])}" for spec in case.routine.facts
             if case.facts.get(spec.name) is not None]
    if facts:
        lines += ["", w.MAIL_FACTS, *facts]
    if step.form:
        lines += ["", w.MAIL_FORM.format(form=step.form)]
    return f"{contact.link}?subject={quote(subject)}&body={quote(chr(10).join(lines))}"


def _actions(case: Case) -> list[dict]:
    if not case.is_open:
        return []
    # What a button acts on: the case, the step, and the version of the case the card shows.
    data = {"caseId": case.reference, "version": case.version}
    actions = [execute(w.MARK_DONE.format(label=case.label(step.id)), "completeStep", {**data, "stepId": step.id},
                       style="positive")
               for step in case.available_steps[:MAX_DONE_BUTTONS]]
    if case.is_complete:
        actions.append(execute(w.CLOSE_CASE, "closeCase", data, style="positive"))
    last = case.last_done_step
    if last is not None:
        actions.append(_show_card(w.UNDO_LAST, "undoReason", w.UNDO_REASON,
                                  execute(w.UNDO_CONFIRM.format(label=case.label(last.id)), "undoStep",
                                          {**data, "stepId": last.id})))
    decline = case.routine.decline
    if decline is not None and not case.is_done(decline.allowed_until_step):
        actions.append(_show_card(decline.title, "declineReason", w.DECLINE_REASON,
                                  execute(decline.title, "declineOrder", data, style="destructive")))
    return actions


def _show_card(title: str, input_id: str, label: str, confirm: dict) -> dict:
    form = adaptive_card([{"type": "Input.Text", "id": input_id, "label": label, "maxLength": 300,
                           "isMultiline": True}], [confirm])
    form.pop("$schema")
    form.pop("msteams")
    return {"type": "Action.ShowCard", "title": title, "card": form}
