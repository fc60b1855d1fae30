"""What makes a quoted passage a complete answer: its contacts as links, and the answers
that come from the routine data (the step after a step, when the keys go back).

Contacts are the page's own: an address or number in the quoted text, the section's
contact lines, and for a passage that names the unit that must be told, that unit's
address as the routine data (`bot/domain/routines.py`) gives it. The routine data quotes
the page for every step, so an answer built from it is still the page's wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from bot.domain.model import Routine, Step
from bot.domain.routines import (
    CHANNEL_ONLY_ON_PAGE,
    INSTALLATION_OCH_SERVICE_EMAIL,
    INSTALLATION_OCH_SERVICE_PHONE,
    ROUTINES,
    TRYGGHETSJOUR_EMAIL,
)
from bot.knowledge import wording as w
from bot.knowledge.answer import AnswerContact, Block
from bot.knowledge.normalize import fold_letters

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\b0\d{1,3}-\d{2,3}(?: \d{2,3}){1,3}\b")

RECIPIENTS = {
    TRYGGHETSJOUR_EMAIL: "Stockholms trygghetsjour",
    INSTALLATION_OCH_SERVICE_EMAIL: "installation och service",
    INSTALLATION_OCH_SERVICE_PHONE: "installation och service",
}
_NAMES_INSTALLATION = re.compile(r"installation (och|o|&) service")
# "enheten för installation och service vid/på Stockholms trygghetsjour" is the unit, not the
# alarm centre's own address.
# The return form is sent "via e-post till Stockholms trygghetsjour", and the page gives
# installationochservice@stockholm.se right under it: that is the form's address.
_FORM_TO_CENTRE = re.compile(r"skicka den via e-post till stockholms trygghetsjour")
_UNIT_OF_TRYGGHETSJOUR = re.compile(r"installation och service (vid|pa) stockholms trygghetsjour")


def email_contact(address: str, topic: str) -> AnswerContact:
    recipient = RECIPIENTS.get(address, address)
    subject = quote(w.MAIL_SUBJECT.format(topic=topic.lower()))
    return AnswerContact("email", w.MAIL_TO.format(recipient=recipient), address, f"mailto:{address}?subject={subject}")


def phone_contact(number: str) -> AnswerContact:
    digits = re.sub(r"\D", "", number)
    e164 = "+46" + digits[1:] if digits.startswith("0") else "+" + digits
    return AnswerContact("phone", w.CALL.format(recipient=RECIPIENTS.get(number, ""), number=number).replace("  ", " "),
                         number, f"tel:{e164}")


def contacts_for(text: str, topic: str, named_units: bool = True) -> tuple[AnswerContact, ...]:
    """Every address and number the text gives, then the address of each unit it names
    that must be told something (when `named_units`)."""
    emails = list(dict.fromkeys(_EMAIL.findall(text)))
    phones = list(dict.fromkeys(_PHONE.findall(text)))
    folded = fold_letters(text)
    if named_units:
        if _NAMES_INSTALLATION.search(folded) and INSTALLATION_OCH_SERVICE_EMAIL not in emails:
            emails.append(INSTALLATION_OCH_SERVICE_EMAIL)
        names_centre = "stockholms trygghetsjour" in _FORM_TO_CENTRE.sub("", _UNIT_OF_TRYGGHETSJOUR.sub("", folded))
        if names_centre and not emails:
            emails.append(TRYGGHETSJOUR_EMAIL)
    return tuple(email_contact(a, topic) for a in emails) + tuple(phone_contact(n) for n in phones)


def channels_only_on_page(text: str) -> tuple[tuple[str, ...], str]:
    """The notes for the sentences of `text` whose channel is a link on the city's page the bot
    does not have ("Här kan hemtjänstutförare meddela ändringar i larmkedjor …": an e-service), and
    the text without those sentences, to look for contacts in: the unit such a sentence names is
    no channel for it, so its address is not offered."""
    flat = " ".join(text.split())
    notes = tuple(note for sentence, note in CHANNEL_ONLY_ON_PAGE.items() if sentence in flat)
    for sentence in CHANNEL_ONLY_ON_PAGE:
        flat = flat.replace(sentence, "")
    return notes, flat


def form_recipient(contacts: Sequence[AnswerContact], topic: str) -> tuple[AnswerContact, ...]:
    """The form goes to installation och service: the page gives its address under the
    form's own instructions ("skicka den via e-post" / "E-post: installationochservice@...")."""
    if any(c.value == INSTALLATION_OCH_SERVICE_EMAIL for c in contacts):
        return ()
    return (email_contact(INSTALLATION_OCH_SERVICE_EMAIL, topic),)


def whom_to_ask(topic: str, ask: str = "installation") -> tuple[AnswerContact, ...]:
    """For what the page does not say: the unit that installs and services, by mail and phone,
    or Stockholms trygghetsjour by mail (the page gives it no phone)."""
    if ask == "trygghetsjour":
        return (email_contact(TRYGGHETSJOUR_EMAIL, topic),)
    return email_contact(INSTALLATION_OCH_SERVICE_EMAIL, topic), phone_contact(INSTALLATION_OCH_SERVICE_PHONE)


# --- answers from the routine data ---------------------------------------------------------------

def condition_text(step: Step) -> str | None:
    parts = [w.CONDITIONS.get(pair) for pair in step.when]
    return " och ".join(p for p in parts if p) or None


def next_steps(routine: Routine, done: Step) -> list[Step]:
    """The steps that wait directly for `done`, in the routine's order (preparation steps of
    a new order come before step 2 and do not follow any step)."""
    following = [step for step in routine.steps if done.id in step.requires and step.phase == "main"]
    # "Trygghetslarmet är återlämnat" marks a state, quoting the section's opening: what the
    # staff do next is the step after it (the keys).
    return [after for step in following
            for after in (next_steps(routine, step) if step.confirms_alarm_returned else [step])]


def last_steps(routine: Routine) -> list[Step]:
    """The steps the staff end the routine with, one per branch: those no later step waits
    for, leaving out a state the routine reaches and the keys that wait for it."""
    doing = [step for step in routine.steps if step.phase == "main" and not step.confirms_alarm_returned
             and not step.hands_back_keys]
    awaited = {required for step in doing for required in step.requires}
    return [step for step in doing if step.id not in awaited]


def next_step_blocks(routine: Routine, done: Step) -> tuple[Block, ...]:
    following = next_steps(routine, done)
    if not following:
        return ()
    blocks = []
    for step in following:
        condition = condition_text(step)
        title = w.NEXT_STEP_IF.format(condition=condition) if condition else w.NEXT_STEP
        blocks.append(Block((step.source,), title))
    return tuple(merge_same_source(blocks))


def merge_same_source(blocks: Sequence[Block]) -> list[Block]:
    """One block per sentence; a sentence that several conditions share applies to all of
    them ("Överlämning av nycklar sker hos den enskilde", leaving and receiving), so it loses
    its title."""
    merged: dict[tuple[str, ...], Block] = {}
    for block in blocks:
        if block.lines in merged and merged[block.lines].title != block.title:
            merged[block.lines] = Block(block.lines)
        else:
            merged.setdefault(block.lines, block)
    return list(merged.values())


def routines_by_key() -> dict[str, Routine]:
    return {routine.key: routine for routine in ROUTINES}


def keys_rule_sources() -> tuple[str, str]:
    """The page's two sentences on handing the customer's keys back: after installation
    (the provider decides), and at the end (not before the alarm is returned)."""
    catalog = routines_by_key()
    after_installation = next(r.source for r in catalog["new_order"].rules if r.id == "keys_back_when_provider_decides")
    at_end = next(r.source for r in catalog["termination"].rules if r.id == "keys_after_alarm")
    return after_installation, at_end


def may_apply(condition, facts: dict) -> bool:
    """A step applies unless a fact the question gives contradicts its condition."""
    return all(facts.get(name, value) == value for name, value in condition)


def procedure_blocks(routine: Routine, facts: dict, order=None) -> tuple[Block, ...]:
    """The routine's steps and rules that may apply, each as its page sentence, in the order
    `order` gives (a sentence's place on the page); a step that applies only under a condition
    the question leaves open says so in its title."""
    blocks: list[Block] = []
    for step in routine.steps:
        if not may_apply(step.when, facts):
            continue
        open_condition = tuple(pair for pair in step.when if pair[0] not in facts)
        condition = " och ".join(t for t in (w.CONDITIONS.get(p) for p in open_condition) if t)
        blocks.append(Block((step.source,), condition[:1].upper() + condition[1:] if condition else None))
    quoted = {" ".join(step.source.split()) for step in routine.steps}
    for rule in routine.rules:
        # A rule of this routine that no step quotes ("Utförarbyten sker vardagar ..."); the
        # rules all changes share are the steps' own sentences already, or the why.
        if rule.id in SHARED_CHANGE_RULES or not may_apply(rule.when, facts):
            continue
        if " ".join(rule.source.split()) not in quoted and ":" not in rule.source[-1:]:
            blocks.append(Block((rule.source,)))
    merged = merge_same_source(blocks)
    if order is not None:
        merged.sort(key=lambda block: order(block.lines[0]))  # the page's own order
    return tuple(_joined_untitled(merged))


SHARED_CHANGE_RULES = frozenset({"changes_arrive_in_system", "changes_reported_with_form", "why_report_changes"})


def _joined_untitled(blocks: Iterable[Block]) -> Iterable[Block]:
    """Consecutive sentences without a condition read as one paragraph."""
    pending: list[str] = []
    for block in blocks:
        if block.title is None:
            pending.extend(block.lines)
            continue
        if pending:
            yield Block(tuple(pending))
            pending = []
        yield block
    if pending:
        yield Block(tuple(pending))
