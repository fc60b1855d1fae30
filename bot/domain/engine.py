"""The case engine: opens cases of any routine, restores them from storage, computes deadlines.

One engine for every routine: it knows nothing about a particular routine beyond its data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, Mapping

from . import wording
from .calendar import DomainConfig, WorkingCalendar
from .case import Actor, Case, CaseEvent, Change, EventKind, guard_free_text, CUSTOMER_REF_MAX
from .clock import utc
from .errors import InvalidFactsError, UnknownRoutineError
from .model import (
    BeforeClosing,
    Contact,
    FactSpec,
    Immediately,
    Routine,
    Step,
    WithinConfiguredWorkingDays,
    WorkingDaysBeforeFact,
    parse_date,
)
from .routines import SETTING_BASIS, routine_catalog
from .timefmt import clock_text, local_time

_TRUE = {"true", "1", "ja", "yes", "on"}
_FALSE = {"false", "0", "nej", "no", "off"}


@dataclass(frozen=True)
class StepDeadline:
    case_reference: str
    step_id: str
    label: str
    title: str
    opened_at: datetime  # when the step became possible
    due_at: datetime
    last_reminder_at: datetime | None
    page_given: bool = True  # False: a configured reminder time, never "late"


@dataclass(frozen=True)
class DeadlineView:
    """A step's deadline as staff read it: when, whether the page gives it, how close it is,
    and what the time rests on."""

    due_at: datetime
    page_given: bool
    state: Literal["ok", "soon", "passed"]
    basis: str  # Swedish: the page's words and the settings the clock time comes from
    missed_at: datetime | None = None  # today's page-given moment, already passed when the step opened


@dataclass(frozen=True)
class StepState:
    """Everything a card needs to draw one step of a case."""

    step: Step
    label: str
    done: CaseEvent | None  # the event that did it, if done
    available: bool  # may be marked done now
    blocked_by: Step | None  # the first prerequisite not done yet
    due_at: datetime | None  # only for available steps with a deadline rule
    contacts: tuple[Contact, ...]


class CaseEngine:
    def __init__(self, config: DomainConfig = DomainConfig()):
        self.config = config
        self.calendar = WorkingCalendar(config)
        self.routines: dict[str, Routine] = routine_catalog(config.case_system_name)

    def routine(self, key: str) -> Routine:
        try:
            return self.routines[key]
        except KeyError:
            raise UnknownRoutineError(wording.unknown_routine(key)) from None

    # --- opening and restoring ----------------------------------------------------------------

    def open_case(
        self,
        routine_key: str,
        *,
        reference: str,
        actor: Actor,
        at: datetime,
        facts: Mapping[str, Any] | None = None,
        team_id: str | None = None,
        conversation_id: str | None = None,
        customer_ref: str | None = None,
    ) -> Change:
        routine = self.routine(routine_key)
        parsed = self.parse_facts(routine, facts or {}, today=self.calendar.local_date(utc(at)))
        customer_ref = guard_free_text(customer_ref, wording.FIELD_CUSTOMER_REF, limit=CUSTOMER_REF_MAX)
        opened = CaseEvent(1, EventKind.OPENED, utc(at), actor)
        case = Case(reference, routine, parsed, (opened,), team_id, conversation_id, customer_ref)
        return Change(case, (opened,), warnings=self.notice_warnings(case))

    def restore(
        self,
        *,
        reference: str,
        routine_key: str,
        facts: Mapping[str, Any],
        events: tuple[CaseEvent, ...],
        team_id: str | None = None,
        conversation_id: str | None = None,
        customer_ref: str | None = None,
    ) -> Case:
        """A stored case, rebuilt without re-validating (the rules may have changed since)."""
        routine = self.routine(routine_key)
        return Case(reference, routine, self._coerce_stored(routine, facts), tuple(events), team_id, conversation_id,
                    customer_ref)

    # --- facts --------------------------------------------------------------------------------

    def parse_facts(self, routine: Routine, raw: Mapping[str, Any], *, today: date) -> dict[str, Any]:
        for name in raw:
            if routine.fact(name) is None:
                raise InvalidFactsError(wording.fact_unknown(name))
        facts: dict[str, Any] = {}
        for spec in routine.facts:
            value = raw.get(spec.name)
            facts[spec.name] = spec.default if value is None or value == "" else _parse_value(spec, value)
        for spec in routine.facts:
            if spec.is_required(facts) and facts[spec.name] is None:
                raise InvalidFactsError(wording.fact_missing(spec.question))
            if spec.kind == "date" and facts[spec.name] is not None:
                self.check_date(spec, facts[spec.name], today)
        return facts

    def check_date(self, spec: FactSpec, day: date, today: date) -> None:
        """Refuse a date in the past, or a non-working day where the fact asks for one."""
        if day < today:
            raise InvalidFactsError(wording.date_in_past(day))
        if spec.working_day_only and not self.calendar.is_working_day(day):
            raise InvalidFactsError(wording.date_not_working_day(day, self.calendar.holiday_name(day)))

    def _coerce_stored(self, routine: Routine, facts: Mapping[str, Any]) -> dict[str, Any]:
        coerced = dict(facts)
        for spec in routine.facts:
            if spec.name not in coerced and spec.missing_means is not None:
                coerced[spec.name] = spec.missing_means
            if spec.kind == "date" and coerced.get(spec.name):
                coerced[spec.name] = parse_date(coerced[spec.name])
        return coerced

    # --- deadlines ----------------------------------------------------------------------------

    def due_at(self, case: Case, step: Step) -> datetime | None:
        rule = step.deadline
        if rule is None:
            return None
        opened = case.step_opened_at(step.id)
        match rule:
            case Immediately():
                return self.calendar.add_working_hours(opened, self.config.immediate_within_hours)
            case BeforeClosing(margin=margin):
                return self.calendar.before_closing_deadline(opened, margin)
            case WorkingDaysBeforeFact(fact=fact, days=days):
                wanted = case.facts.get(fact)
                if not wanted:
                    return None
                return self.calendar.closing_at(self.calendar.working_days_before(wanted, days))
            case WithinConfiguredWorkingDays(setting=setting):
                return self.calendar.end_of_working_day_after(opened, getattr(self.config, setting))
        raise TypeError(f"unknown deadline rule {rule!r}")

    def step_states(self, case: Case) -> list[StepState]:
        """The case's applicable steps in order, with what the UI shows for each."""
        available = {step.id for step in case.available_steps}
        return [
            StepState(
                step,
                case.label(step.id),
                case.done.get(step.id),
                step.id in available,
                case.blocking_step(step),
                self.due_at(case, step) if step.id in available else None,
                step.contacts_for(case.facts),
            )
            for step in case.steps
        ]

    def deadlines(self, case: Case) -> list[StepDeadline]:
        """Deadlines of the steps that can be done now."""
        result = []
        for step in case.available_steps:
            due = self.due_at(case, step)
            if due is not None:
                result.append(
                    StepDeadline(
                        case.reference,
                        step.id,
                        case.label(step.id),
                        step.title,
                        case.step_opened_at(step.id),
                        due,
                        case.last_reminder_at(step.id),
                        step.deadline.page_given,
                    )
                )
        return result

    def overdue(self, case: Case, now: datetime) -> list[StepDeadline]:
        """Steps late against a deadline the page gives (a configured reminder time makes nothing late)."""
        return [d for d in self.deadlines(case) if d.page_given and d.due_at < utc(now)]

    def deadline_view(self, case: Case, step: Step, now: datetime) -> DeadlineView | None:
        """The deadline of an open step that can be done now, as the cards and replies tell it."""
        if step.deadline is None or case.is_done(step.id) or step not in case.available_steps:
            return None
        due = self.due_at(case, step)
        if due is None:
            return None
        now = utc(now)
        lead = timedelta(minutes=self.config.reminder_lead_minutes)
        state = "passed" if due <= now else "soon" if due - lead <= now else "ok"
        basis = self.deadline_basis(case, step, due)
        if state == "soon":
            basis += "; " + SETTING_BASIS["reminder_lead_minutes"].format(value=self.config.reminder_lead_minutes)
        return DeadlineView(due, step.deadline.page_given, state, basis, self._missed_today(case, step))

    def deadline_views(self, case: Case, now: datetime) -> dict[str, DeadlineView]:
        """Step id → deadline view, for every step that can be done now and has a deadline."""
        views = {}
        for step in case.available_steps:
            view = self.deadline_view(case, step, now)
            if view is not None:
                views[step.id] = view
        return views

    def deadline_basis(self, case: Case, step: Step, due: datetime) -> str:
        config = self.config
        closing = clock_text(config.closing_time)
        match step.deadline:
            case BeforeClosing(margin=margin):
                return wording.basis_before_closing(
                    _hours_text(margin), clock_text((datetime.combine(date.min, config.closing_time) - margin).time()),
                    SETTING_BASIS["closing_time"].format(value=closing))
            case WorkingDaysBeforeFact(fact=fact, days=days):
                return wording.basis_days_before(days, local_time(due),
                                                 SETTING_BASIS["closing_time"].format(value=closing))
            case Immediately():
                return wording.basis_immediately(
                    SETTING_BASIS["immediate_within_hours"].format(value=config.immediate_within_hours))
            case WithinConfiguredWorkingDays(setting=setting):
                return wording.basis_no_page_time(SETTING_BASIS[setting].format(value=getattr(config, setting)))
        return ""

    def closing_basis(self) -> str:
        """What every "senast … kl." rests on: the configured closing time (the page gives none)."""
        return SETTING_BASIS["closing_time"].format(value=clock_text(self.config.closing_time))

    def _missed_today(self, case: Case, step: Step) -> datetime | None:
        """For "minst en timme innan stängning": the moment on the day the step opened that had
        already passed when it opened (the deadline then moved to the next working day)."""
        if not isinstance(step.deadline, BeforeClosing):
            return None
        opened = case.step_opened_at(step.id)
        day = self.calendar.local_date(opened)
        if not self.calendar.is_working_day(day):
            return None
        today = self.calendar.closing_at(day) - step.deadline.margin
        return today if opened > today else None

    def notice_warnings(self, case: Case) -> tuple[str, ...]:
        """Flags for deadlines that were already missed when the case was opened (e.g. a wanted
        date fewer than five working days away)."""
        warnings = []
        for step in case.steps:
            if isinstance(step.deadline, WorkingDaysBeforeFact):
                due = self.due_at(case, step)
                if due is not None and due < case.opened_at:
                    warnings.append(wording.too_short_notice(case.facts[step.deadline.fact], step.deadline.days, due,
                                                             self.closing_basis()))
        return tuple(warnings)

    def early_date_warning(self, routine: Routine, fact: str, day: date, now: datetime) -> str | None:
        """At the date question itself: the wanted date leaves too little notice for a step that
        must be done a number of working days before it (None when it does not)."""
        for step in routine.steps:
            rule = step.deadline
            if isinstance(rule, WorkingDaysBeforeFact) and rule.fact == fact:
                latest = self.calendar.closing_at(self.calendar.working_days_before(day, rule.days))
                if latest < utc(now):
                    return wording.too_short_notice(day, rule.days, latest, self.closing_basis())
        return None


def _hours_text(margin: timedelta) -> str:
    hours = margin.total_seconds() / 3600
    return wording.ONE_HOUR if hours == 1 else wording.hours(hours)


def _parse_value(spec: FactSpec, value: Any) -> Any:
    try:
        if spec.kind == "bool":
            return _parse_bool(value)
        if spec.kind == "choice":
            if str(value) not in {choice.value for choice in spec.choices}:
                raise ValueError(value)
            return str(value)
        if spec.kind == "date":
            return parse_date(value)
    except (ValueError, TypeError):
        raise InvalidFactsError(wording.fact_invalid(spec.question)) from None
    raise InvalidFactsError(wording.fact_invalid(spec.question))


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)
