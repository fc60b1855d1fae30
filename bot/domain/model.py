"""The shapes a routine is declared in: steps, facts, rules, contacts and deadline rules.

Plain frozen dataclasses, so the routines in `routines.py` read like a table and cannot be
changed by accident at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, Mapping

Facts = Mapping[str, Any]
# A condition is a set of fact values that must all hold, e.g. when(lock=True). Empty = always.
# Kept as a tuple of pairs so that steps stay hashable and immutable.
Condition = tuple[tuple[str, Any], ...]

ALWAYS: Condition = ()


def when(**facts: Any) -> Condition:
    return tuple(sorted(facts.items()))


def holds(condition: Condition, facts: Facts) -> bool:
    return all(facts.get(name) == value for name, value in condition)


# --- contacts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """Who to contact and how; the UI turns it into a mailto:/tel: link."""

    kind: Literal["email", "phone"]
    address: str
    recipient: str  # Swedish name of the recipient
    purpose: str  # Swedish: why to contact them in this step
    when: Condition = ALWAYS
    # Swedish, shown with the contact: the page sentence or decision it rests on.
    basis: str = ""
    # True when the page ties this contact to this step; False when the page names no channel
    # for the step and this is only the page's address for the unit (the card says so).
    page_tied: bool = True
    # The prefilled e-mail's body, in the sender's voice: facts, no instructions (may contain
    # {wanted_date}, {role}, {reason}; see cards/checklist.py).
    mail: str = ""

    @property
    def link(self) -> str:
        if self.kind == "email":
            return f"mailto:{self.address}"
        return f"tel:{_e164_swedish(self.address)}"


def _e164_swedish(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "+46" + digits[1:] if digits.startswith("0") else "+" + digits


# --- deadline rules (computed in calendar.py / deadlines.py) ----------------------------------


@dataclass(frozen=True)
class Immediately:
    """'Omgående': the page gives no interval; a reminder follows the configured number of
    working hours after the step opens. Never "late": the hours are a setting, not the page's."""

    page_given = False


@dataclass(frozen=True)
class BeforeClosing:
    """Due `margin` before installation och service closes on the day the step opens
    (or on the next working day when that moment has passed)."""

    margin: timedelta = timedelta(hours=1)
    page_given = True  # "minst en timme innan stängning" (the closing time itself is a setting)


@dataclass(frozen=True)
class WorkingDaysBeforeFact:
    """Due at closing time `days` working days before the date held in fact `fact`."""

    fact: str
    days: int
    page_given = True  # "minst fem arbetsdagar innan önskat byte"


@dataclass(frozen=True)
class WithinConfiguredWorkingDays:
    """Expected within N working days of the step opening; N is the named configuration value."""

    setting: Literal["install_feedback_working_days"]
    page_given = False  # the page gives no time for the feedback: a reminder only


DeadlineRule = Immediately | BeforeClosing | WorkingDaysBeforeFact | WithinConfiguredWorkingDays


# --- steps, facts, rules, routines -----------------------------------------------------------


@dataclass(frozen=True)
class Step:
    id: str
    title: str  # Swedish, imperative, short; may contain {system}
    source: str  # the sentence of the city's page this step comes from, quoted exactly
    instruction: str = ""  # Swedish, may contain {system}
    requires: tuple[str, ...] = ()  # step ids; those that do not apply to the case are skipped
    when: Condition = ALWAYS
    phase: Literal["main", "preparation"] = "main"
    contacts: tuple[Contact, ...] = ()
    form: str | None = None
    deadline: DeadlineRule | None = None
    # Swedish: what to do once the step's (page-given) deadline has passed.
    when_late: str = ""
    # The key guard: a step that hands back keys waits for a step that confirms the alarm returned.
    confirms_alarm_returned: bool = False
    hands_back_keys: bool = False

    def applies_to(self, facts: Facts) -> bool:
        return holds(self.when, facts)

    def contacts_for(self, facts: Facts) -> tuple[Contact, ...]:
        return tuple(contact for contact in self.contacts if holds(contact.when, facts))


@dataclass(frozen=True)
class Rule:
    """An instruction of the page that is not a step to tick off, shown as guidance."""

    id: str
    text: str  # Swedish, may contain {system}
    source: str
    when: Condition = ALWAYS


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # Swedish


@dataclass(frozen=True)
class FactSpec:
    """A branching fact asked when a case starts."""

    name: str
    kind: Literal["bool", "choice", "date"]
    question: str  # Swedish
    choices: tuple[Choice, ...] = ()
    default: Any = None  # None = must be answered
    required_when: Condition | None = None  # for optional facts that become mandatory
    working_day_only: bool = False  # a date that must be a Swedish working day
    # Answer buttons that say what they mean; `yes_means` is the fact's value for "Ja" (a
    # question is asked the plain way round even where the fact is named the other way).
    note: str = ""  # Swedish, shown with the question: the page's rule that makes the answer matter
    yes_label: str = "Ja"
    no_label: str = "Nej"
    yes_means: bool = True
    # For cases stored before the fact existed: the value that keeps them as they were.
    missing_means: Any = None

    def answer_label(self, value: Any) -> str:
        """The button label that gave `value` (a bool fact)."""
        return self.yes_label if value == self.yes_means else self.no_label

    def is_required(self, facts: Facts) -> bool:
        if self.required_when is not None:
            return holds(self.required_when, facts)
        return self.default is None


@dataclass(frozen=True)
class Decline:
    """How to decline an order: an immediate contact, and the case ends as declined."""

    title: str
    instruction: str
    contact: Contact
    source: str
    allowed_until_step: str  # declining is refused once this step is done


@dataclass(frozen=True)
class Routine:
    key: str
    title: str  # Swedish
    summary: str  # Swedish
    facts: tuple[FactSpec, ...]
    steps: tuple[Step, ...]
    rules: tuple[Rule, ...] = ()
    done_message: str | None = None  # Swedish, shown when every step is done
    decline: Decline | None = None
    sources: tuple[str, ...] = field(default=())  # page sentences that introduce the routine

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)

    def fact(self, name: str) -> FactSpec | None:
        return next((spec for spec in self.facts if spec.name == name), None)

    def applicable_steps(self, facts: Facts) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.applies_to(facts))

    def rules_for(self, facts: Facts) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if holds(rule.when, facts))


def parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
