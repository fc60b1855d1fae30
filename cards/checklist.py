"""The checklist card of a case, drawn for a phone first: the first screen (about 600 px at
412 px wide) holds the case, its kind, the steps to do now with their buttons, contacts and
deadlines; done and waiting steps are one line each; the rest (facts, guidance, contacts, the
log) sits behind "Visa mer". A function of the case's state, nothing else.
"""

from __future__ import annotations

from typing import Mapping
from urllib.parse import quote

from bot.domain import Case, Contact, DeadlineView, Step
from bot.domain.timefmt import day_text, local_time

from . import wording as w
from .base import (
    adaptive_card,
    container,
    execute,
    fact_set,
    form_links,
    heading,
    literal,
    open_url,
    submit,
    subtle,
    text_block,
)

MAIL_URL_MAX = 1800  # longer mailto: links are cut or refused by some mail clients


def checklist_card(case: Case, deadlines: Mapping[str, DeadlineView], notice: str = "", *,
                   form_url: str = "") -> dict:
    """The whole case. `deadlines`: the engine's views of the steps that can be done now (they
    carry how close each deadline is); `notice`: what the last action did (a card that replaces
    itself has no other place to say it); `form_url`: where the form is, when configured."""
    body = [_header(case), *_kind(case)]
    if notice:
        body.append(text_block(notice, weight="Bolder", color="Accent", spacing="Small"))
    body += _now_section(case, deadlines, form_url)
    body += _more(case, form_url)
    return adaptive_card(body, _actions(case), fallback_text=_fallback(case, deadlines))


def next_step_card(case: Case, deadlines: Mapping[str, DeadlineView], notice: str, *, form_url: str = "") -> dict:
    """The short answer to a typed `klar`: what was done and what to do next, not the whole case."""
    body = [text_block(notice, weight="Bolder", color="Good"),
            subtle(f"{case.reference} · {case.routine.title}"), *_kind(case)]
    body += _now_section(case, deadlines, form_url, waiting=False)
    actions = [submit(w.SHOW_WHOLE_CASE, {"command": f"ärende {case.reference}"})]
    return adaptive_card(body, actions, fallback_text=f"{notice} {_fallback(case, deadlines)}")


# --- the first screen ------------------------------------------------------------------------------


def _header(case: Case) -> dict:
    status = w.STATUS_LINE[case.status.value]
    done = sum(1 for step in case.steps if case.is_done(step.id))
    if case.is_open:
        status = f"{status} · {w.PROGRESS.format(done=done, total=len(case.steps))}"
    elif case.status.value == "closed" and case.routine.done_message:
        status = f"{status} – {case.routine.done_message}"
    style = {"open": "emphasis", "closed": "good", "cancelled": "warning", "declined": "attention"}[case.status.value]
    if case.is_open and case.is_complete:
        style = "good"
    items = [heading(f"{case.reference} · {case.routine.title}"), text_block(status, weight="Bolder", spacing="None")]
    if case.customer_ref:
        items.append(subtle(f"{w.CUSTOMER_REF}: {literal(case.customer_ref)}"))
    return container(items, style=style, bleed=True)


def _kind(case: Case) -> list[dict]:
    """A priority order stands out as it does in the channel: red, with the number to call."""
    if not case.facts.get("priority"):
        return []
    phones = [c for step in case.steps for c in step.contacts_for(case.facts) if c.kind == "phone"]
    items = [text_block(w.PRIORITY, weight="Bolder", color="Attention", spacing="None")]
    calling = case.is_open and any(not case.is_done(step.id) for step in case.steps
                                   if any(c.kind == "phone" for c in step.contacts_for(case.facts)))
    if calling and phones:
        items.append(text_block(w.PRIORITY_CALL.format(number=_link(phones[0])), spacing="None"))
        items.append({"type": "ActionSet", "actions": [open_url(w.CALL.format(number=phones[0].address),
                                                                phones[0].link)]})
    return [container(items, style="attention", spacing="Small")]


def _now_section(case: Case, deadlines: Mapping[str, DeadlineView], form_url: str, *,
                 waiting: bool = True) -> list[dict]:
    if case.status.value == "declined":
        return _declined(case)
    if not case.is_open:
        return [_step_line(case, step, form_url) for step in case.steps] if waiting else []
    if case.is_complete:
        return [_finished(case)] + ([_step_line(case, step, form_url) for step in case.steps] if waiting else [])
    items = []
    for step in case.steps:
        if step in case.available_steps:
            items.append(_step_block(case, step, deadlines.get(step.id), form_url))
        elif waiting:
            items.append(_step_line(case, step, form_url))
    return items


def _step_block(case: Case, step: Step, deadline: DeadlineView | None, form_url: str) -> dict:
    label = case.label(step.id)
    items = [text_block(f"→ **{label}. {form_links(step.title, form_url)}**", color="Accent", spacing="None")]
    if step.instruction:
        items.append(text_block(form_links(step.instruction, form_url), spacing="None", size="Small"))
    if deadline is not None:
        items += _deadline_lines(step, deadline)
    contacts = step.contacts_for(case.facts)
    for contact in contacts:
        items.append(text_block(_contact_line(contact), spacing="None", size="Small"))
        if not contact.page_tied:
            items.append(subtle(contact.basis))
    if step.form:
        items.append(text_block(w.FORM.format(form=_form_name(step.form, form_url)), spacing="None", size="Small"))
    actions = [execute(w.MARK_DONE.format(label=label), "completeStep",
                       {"caseId": case.reference, "version": case.version, "stepId": step.id}, style="positive")]
    actions += [_contact_action(case, step, contact) for contact in contacts]
    if actions:
        items.append({"type": "ActionSet", "actions": actions, "spacing": "Small"})
    return container(items, spacing="Medium", separator=True)


def _deadline_lines(step: Step, deadline: DeadlineView) -> list[dict]:
    when = local_time(deadline.due_at)
    lines = []
    if deadline.missed_at is not None:
        lines.append(text_block(w.MISSED_TODAY.format(time=local_time(deadline.missed_at)), color="Attention",
                                weight="Bolder", spacing="Small", size="Small"))
    if deadline.page_given:
        if deadline.state == "passed":
            text, colour = w.DEADLINE_PASSED.format(time=when), "Attention"
        elif deadline.state == "soon":
            text, colour = w.DEADLINE_SOON.format(time=when), "Warning"
        else:
            text, colour = w.DUE.format(time=when), "Default"
    elif deadline.state == "passed":
        text, colour = w.REMINDER_PASSED.format(time=when), "Warning"
    else:
        text, colour = w.REMINDER_AT.format(time=when), "Default"
    lines.append(text_block(text, color=colour, weight="Bolder" if colour != "Default" else "Default",
                            spacing="Small", size="Small"))
    if deadline.page_given and (deadline.state == "passed" or deadline.missed_at) and step.when_late:
        lines.append(text_block(w.DO_NOW.format(what=step.when_late), spacing="None", size="Small"))
    lines.append(subtle(w.BASIS.format(basis=deadline.basis)))
    return lines


def _step_line(case: Case, step: Step, form_url: str = "") -> dict:
    label = case.label(step.id)
    if case.is_done(step.id):
        return text_block(f"✓ {label}. {form_links(step.title, form_url)}", color="Good", size="Small",
                          spacing="Small")
    blocking = case.blocking_step(step)
    if not case.is_open:
        why = ""
    elif blocking is not None:
        why = w.WAITING_FOR.format(label=case.label(blocking.id))
    else:
        why = w.WAITING_FOR_ALARM
    return text_block(f"○ {label}. {form_links(step.title, form_url)}{why}", isSubtle=True, size="Small",
                      spacing="Small")


def _finished(case: Case) -> dict:
    done = case.routine.done_message or w.ROUTINE_DONE
    items = [text_block(w.ALL_DONE.format(done=done), weight="Bolder", color="Good"),
             {"type": "ActionSet", "actions": [execute(w.CLOSE_CASE, "closeCase",
                                                       {"caseId": case.reference, "version": case.version},
                                                       style="positive")]}]
    return container(items, style="good", spacing="Small")


def _declined(case: Case) -> list[dict]:
    decline = case.routine.decline
    if decline is None:
        return []
    contact = decline.contact
    reason = next((e.text for e in reversed(case.events) if e.kind.value == "declined"), None)
    items = [text_block(decline.instruction, weight="Bolder"),
             text_block(_contact_line(contact, mail_link(case, contact, reason=reason)), spacing="None"),
             {"type": "ActionSet", "actions": [open_url(w.MAIL_TO_RECIPIENT.format(recipient=contact.recipient),
                                                        mail_link(case, contact, reason=reason))]}]
    return [container(items, style="attention", spacing="Small")]


# --- behind "Visa mer" ---------------------------------------------------------------------------------


def _more(case: Case, form_url: str) -> list[dict]:
    target = f"more-{case.reference}"
    items = [_facts(case), *_guidance(case, form_url), *_page_contacts(case), *_log(case),
             subtle(w.TYPE_HINT.format(ref=case.reference))]
    toggle = {"type": "ActionSet", "spacing": "Medium",
              "actions": [{"type": "Action.ToggleVisibility", "title": w.SHOW_MORE, "targetElements": [target]}]}
    return [toggle, container(items, id=target, isVisible=False, spacing="Small")]


def _facts(case: Case) -> dict:
    pairs = [(w.CUSTOMER_REF, literal(case.customer_ref) or w.NO_CUSTOMER_REF),
             (w.STARTED, f"{literal(case.opened_by.name)}, {local_time(case.opened_at)}")]
    pairs += [(spec.question, _fact_value(spec, case.facts.get(spec.name))) for spec in case.routine.facts
              if case.facts.get(spec.name) is not None]
    return fact_set(pairs)


def _fact_value(spec, value) -> str:
    if spec.kind == "bool":
        return spec.answer_label(value)
    if spec.kind == "choice":
        return next((choice.label for choice in spec.choices if choice.value == value), str(value))
    if spec.kind == "date":
        return day_text(value)
    return str(value)


def _guidance(case: Case, form_url: str) -> list[dict]:
    rules = case.routine.rules_for(case.facts)
    if not rules:
        return []
    items = [text_block(w.GUIDANCE, weight="Bolder", spacing="Medium", separator=True)]
    items += [text_block(f"• {form_links(rule.text, form_url)}", spacing="None", size="Small") for rule in rules]
    return items


def _page_contacts(case: Case) -> list[dict]:
    """Every contact the case's steps use, with the page's basis for it."""
    seen: dict[tuple[str, str], Contact] = {}
    for step in case.steps:
        for contact in step.contacts_for(case.facts):
            seen.setdefault((contact.kind, contact.address), contact)
    if case.routine.decline is not None:
        seen.setdefault(("email", case.routine.decline.contact.address), case.routine.decline.contact)
    if not seen:
        return []
    items = [text_block(w.CONTACTS, weight="Bolder", spacing="Medium", separator=True)]
    for contact in seen.values():
        items.append(text_block(_contact_line(contact), spacing="None", size="Small"))
        items.append(subtle(contact.basis))
    return items


def _log(case: Case) -> list[dict]:
    items = [text_block(w.LOG, weight="Bolder", spacing="Medium", separator=True)]
    for event in case.events:
        what = w.EVENT_NAMES.get(event.kind.value, event.kind.value)
        if event.step_id and case.applies(event.step_id):
            what = f"{what} {case.label(event.step_id)}"
        items.append(text_block(f"{local_time(event.at)} – {what} – {literal(event.actor.name)}", spacing="None",
                                size="Small", isSubtle=True))
    return items


def _actions(case: Case) -> list[dict]:
    if not case.is_open:
        return []
    data = {"caseId": case.reference, "version": case.version}
    actions = []
    last = case.last_done_step
    if last is not None:
        actions.append(_show_card(w.UNDO_LAST, "undoReason", w.UNDO_REASON, [],
                                  execute(w.UNDO_CONFIRM.format(label=case.label(last.id)), "undoStep",
                                          {**data, "stepId": last.id})))
    decline = case.routine.decline
    if decline is not None and not case.is_done(decline.allowed_until_step):
        warning = [text_block(decline.instruction, size="Small"),
                   text_block(_contact_line(decline.contact), size="Small", spacing="None")]
        actions.append(_show_card(decline.title, "declineReason", w.DECLINE_REASON, warning,
                                  execute(decline.title, "declineOrder", data, style="destructive")))
    return actions


def _show_card(title: str, input_id: str, label: str, before: list[dict], confirm: dict) -> dict:
    form = adaptive_card([*before, {"type": "Input.Text", "id": input_id, "label": label, "maxLength": 300,
                                    "isMultiline": True}], [confirm])
    for key in ("$schema", "msteams", "fallbackText"):
        form.pop(key)
    return {"type": "Action.ShowCard", "title": title, "card": form}


def _fallback(case: Case, deadlines: Mapping[str, DeadlineView]) -> str:
    step = case.next_step
    if step is None:
        return f"{case.reference} · {case.routine.title}: {w.STATUS_LINE[case.status.value]}"
    return w.FALLBACK.format(ref=case.reference, routine=case.routine.title, label=case.label(step.id),
                             title=step.title)


# --- contacts, the form and e-mail -------------------------------------------------------------------------


def _link(contact: Contact) -> str:
    return f"[{contact.address}]({contact.link})"


def _contact_line(contact: Contact, link: str | None = None) -> str:
    how = w.EMAIL if contact.kind == "email" else w.PHONE
    return f"{how}: [{contact.address}]({link or contact.link})"


def _contact_action(case: Case, step: Step, contact: Contact) -> dict:
    if contact.kind == "phone":
        return open_url(w.CALL.format(number=contact.address), contact.link)
    return open_url(w.MAIL_TO, mail_link(case, contact))


def _form_name(form: str, form_url: str) -> str:
    return f"[{form}]({form_url})" if form_url else form


def mail_link(case: Case, contact: Contact, *, reason: str | None = None) -> str:
    """A mailto: link written as the provider writes to that unit: the case reference and routine
    in the subject, the facts in the body, the staff's own customer reference; never a
    personnummer (refused at input), and short enough for every mail client."""
    subject = w.MAIL_SUBJECT.format(ref=case.reference, routine=case.routine.title)
    facts = _mail_facts(case, reason)
    for optional in (True, False):
        sentence = contact.mail.format(**facts) if contact.mail else contact.purpose
        lines = [w.MAIL_GREETING, "", sentence, "", w.MAIL_CASE.format(ref=case.reference, routine=case.routine.title)]
        if case.customer_ref:
            lines.append(w.MAIL_CUSTOMER.format(ref=literal(case.customer_ref, 64, markdown=False)))
        lines += ["", w.MAIL_REGARDS]
        url = f"{contact.link}?subject={quote(subject)}&body={quote(chr(10).join(lines))}"
        if len(url) <= MAIL_URL_MAX:
            return url
        facts["reason_text"] = ""  # the optional free text goes first
    return f"{contact.link}?subject={quote(subject)}"


def _mail_facts(case: Case, reason: str | None) -> dict[str, str]:
    facts = case.facts
    wanted = facts.get("wanted_date")
    role = facts.get("provider_role")
    return {
        "wanted_date": day_text(wanted) if wanted else "",
        "role_text": {"leaving": w.MAIL_ROLE_LEAVING, "receiving": w.MAIL_ROLE_RECEIVING}.get(role, ""),
        "lock_text": "" if facts.get("declines_keys_and_keyless") else w.MAIL_AND_LOCK,
        "priority_text": w.MAIL_PRIORITY if facts.get("priority") else "",
        "reason_text": w.MAIL_REASON.format(reason=literal(reason, 200, markdown=False)) if reason else "",
    }
