"""A case: one run of one routine for one customer, as an append-only list of events.

Everything else about a case (its status, which steps are done, which step is next) is derived
from the events by replaying them. Actions never mutate a case: they return a `Change` with a
new case and the new events, so storage can append exactly those events.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, Mapping

from . import wording
from .clock import utc
from .errors import (
    CaseIncompleteError,
    CaseNotOpenError,
    DeclineNotAllowedError,
    DomainError,
    InvalidTextError,
    KeysBeforeAlarmError,
    NothingToUndoError,
    PersonalDataError,
    StepNotApplicableError,
    StepOrderError,
    UnknownStepError,
)
from .model import Routine, Step
from .personal_data import contains_personal_number
from .plain_text import plain_text

CUSTOMER_REF_MAX = 64
TEXT_MAX = 2000


class EventKind(StrEnum):
    OPENED = "opened"
    STEP_DONE = "step_done"
    STEP_UNDONE = "step_undone"
    NOTE = "note"
    REMINDER_SENT = "reminder_sent"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    DECLINED = "declined"


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    DECLINED = "declined"


_FINAL_STATUS = {
    EventKind.CLOSED: CaseStatus.CLOSED,
    EventKind.CANCELLED: CaseStatus.CANCELLED,
    EventKind.DECLINED: CaseStatus.DECLINED,
}


@dataclass(frozen=True)
class Actor:
    """Who acted: the Teams user's aadObjectId and display name."""

    id: str
    name: str


@dataclass(frozen=True)
class CaseEvent:
    seq: int  # 1, 2, 3 … per case; unique, so two writers cannot both append the same event
    kind: EventKind
    at: datetime  # UTC
    actor: Actor
    step_id: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Change:
    """The result of an action: the case after it and the events it added (maybe none)."""

    case: "Case"
    events: tuple[CaseEvent, ...]
    already_done: bool = False
    message: str = ""  # Swedish confirmation or notice
    warnings: tuple[str, ...] = ()


def guard_free_text(text: str | None, field_label: str, *, limit: int = TEXT_MAX) -> str | None:
    """Refuse free text with a personnummer; trim; enforce a length limit."""
    if text is None:
        return None
    text = plain_text(text)
    if contains_personal_number(text):
        raise PersonalDataError(wording.personal_number_found(field_label))
    if len(text) > limit:
        raise InvalidTextError(wording.text_too_long(field_label, limit))
    return text or None


def _required_text(text: str | None, field_label: str, missing_message: str) -> str:
    cleaned = guard_free_text(text, field_label)
    if not cleaned:
        raise InvalidTextError(missing_message)
    return cleaned


@dataclass(frozen=True)
class Case:
    reference: str
    routine: Routine
    facts: Mapping[str, Any]
    events: tuple[CaseEvent, ...]
    team_id: str | None = None
    conversation_id: str | None = None
    customer_ref: str | None = None

    # --- derived state ------------------------------------------------------------------------

    @cached_property
    def status(self) -> CaseStatus:
        for event in reversed(self.events):
            if event.kind in _FINAL_STATUS:
                return _FINAL_STATUS[event.kind]
        return CaseStatus.OPEN

    @property
    def is_open(self) -> bool:
        return self.status is CaseStatus.OPEN

    @property
    def version(self) -> int:
        """How many events the case has: a card drawn from it names this, so a click on an older
        card can be told apart from one on the current card."""
        return len(self.events)

    @cached_property
    def done(self) -> dict[str, CaseEvent]:
        """Done step ids → the event that did them, in the order they were done (a stack)."""
        done: dict[str, CaseEvent] = {}
        for event in self.events:
            if event.kind is EventKind.STEP_DONE:
                done[event.step_id] = event
            elif event.kind is EventKind.STEP_UNDONE:
                done.pop(event.step_id, None)
        return done

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """The steps that apply to this case's facts, in routine order."""
        return self.routine.applicable_steps(self.facts)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Main steps are numbered 1, 2, 3 …; preparation steps are lettered A, B …"""
        labels, number, letter = {}, 0, 0
        for step in self.steps:
            if step.phase == "preparation":
                labels[step.id] = chr(ord("A") + letter)
                letter += 1
            else:
                number += 1
                labels[step.id] = str(number)
        return labels

    def label(self, step_id: str) -> str:
        return self.labels[step_id]

    def is_done(self, step_id: str) -> bool:
        return step_id in self.done

    def applies(self, step_id: str) -> bool:
        return step_id in self.labels

    def blocking_step(self, step: Step) -> Step | None:
        """The first prerequisite of `step` that applies to the case and is not done."""
        for required_id in step.requires:
            if self.applies(required_id) and not self.is_done(required_id):
                return self.routine.step(required_id)
        return None

    @cached_property
    def alarm_returned(self) -> bool:
        return any(step.confirms_alarm_returned and self.is_done(step.id) for step in self.steps)

    def can_complete(self, step: Step) -> bool:
        return self.blocking_step(step) is None and (not step.hands_back_keys or self.alarm_returned)

    @cached_property
    def available_steps(self) -> tuple[Step, ...]:
        """Steps that may be marked done now."""
        if not self.is_open:
            return ()
        return tuple(step for step in self.steps if not self.is_done(step.id) and self.can_complete(step))

    @property
    def next_step(self) -> Step | None:
        return self.available_steps[0] if self.available_steps else None

    @property
    def remaining_steps(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if not self.is_done(step.id))

    @property
    def is_complete(self) -> bool:
        return not self.remaining_steps

    @property
    def last_done_step(self) -> Step | None:
        if not self.done:
            return None
        return self.routine.step(next(reversed(self.done)))

    @property
    def opened_at(self) -> datetime:
        return self.events[0].at

    @property
    def opened_by(self) -> Actor:
        return self.events[0].actor

    @property
    def participants(self) -> frozenset[str]:
        """Ids of everyone who acted on the case."""
        return frozenset(event.actor.id for event in self.events)

    def step_opened_at(self, step_id: str) -> datetime:
        """When the step became possible: its last prerequisite done, or the case opened."""
        step = self.routine.step(step_id)
        moments = [self.done[r].at for r in step.requires if self.applies(r) and self.is_done(r)]
        return max(moments, default=self.opened_at)

    def last_reminder_at(self, step_id: str) -> datetime | None:
        return max(
            (e.at for e in self.events if e.kind is EventKind.REMINDER_SENT and e.step_id == step_id),
            default=None,
        )

    # --- actions ------------------------------------------------------------------------------

    def complete_step(self, step_id: str, actor: Actor, at: datetime) -> Change:
        step = self._applicable_step(step_id)
        label = self.label(step_id)
        if self.is_done(step_id):
            # Double clicks and redelivered activities: harmless, nothing recorded.
            return Change(self, (), already_done=True, message=wording.already_done(label, step.title))
        self._require_open()
        blocking = self.blocking_step(step)
        if blocking is not None:
            message = wording.blocked_by(label, self.label(blocking.id), blocking.title)
            raise StepOrderError(message, blocking.id)
        if step.hands_back_keys and not self.alarm_returned:
            raise KeysBeforeAlarmError(wording.keys_before_alarm(self._alarm_confirmation()), self._alarm_step_id())
        return self._append(EventKind.STEP_DONE, actor, at, step_id=step_id, message=wording.step_done(label, step.title))

    def undo_last_step(self, actor: Actor, reason: str, at: datetime) -> Change:
        self._require_open()
        last = self.last_done_step
        if last is None:
            raise NothingToUndoError(wording.NOTHING_TO_UNDO)
        reason = _required_text(reason, wording.FIELD_REASON, wording.REASON_REQUIRED)
        message = wording.step_undone(self.label(last.id), last.title)
        return self._append(EventKind.STEP_UNDONE, actor, at, step_id=last.id, text=reason, message=message)

    def add_note(self, actor: Actor, text: str, at: datetime) -> Change:
        text = _required_text(text, wording.FIELD_NOTE, wording.NOTE_REQUIRED)
        return self._append(EventKind.NOTE, actor, at, text=text, message=wording.NOTE_ADDED)

    def record_reminder(self, step_id: str, actor: Actor, at: datetime, text: str | None = None) -> Change:
        self._require_open()
        step = self._applicable_step(step_id)
        if self.is_done(step_id):
            raise DomainError(wording.reminder_for_done_step(self.label(step_id), step.title))
        text = guard_free_text(text, wording.FIELD_NOTE)
        return self._append(EventKind.REMINDER_SENT, actor, at, step_id=step_id, text=text, message=wording.REMINDER_RECORDED)

    def close(self, actor: Actor, at: datetime, text: str | None = None) -> Change:
        self._require_open()
        if not self.is_complete:
            pending = self.next_step or self.remaining_steps[0]
            raise CaseIncompleteError(wording.not_complete(self.label(pending.id), pending.title))
        text = guard_free_text(text, wording.FIELD_NOTE)
        return self._append(EventKind.CLOSED, actor, at, text=text, message=wording.case_closed(self.reference))

    def cancel(self, actor: Actor, reason: str, at: datetime) -> Change:
        self._require_open()
        reason = _required_text(reason, wording.FIELD_REASON, wording.REASON_REQUIRED)
        return self._append(EventKind.CANCELLED, actor, at, text=reason, message=wording.CASE_CANCELLED)

    def decline(self, actor: Actor, at: datetime, reason: str | None = None) -> Change:
        """Decline the order; the caller shows `routine.decline.contact` (mail the alarm centre at once)."""
        self._require_open()
        decline = self.routine.decline
        if decline is None:
            raise DeclineNotAllowedError(wording.decline_not_offered(self.routine.title))
        if self.is_done(decline.allowed_until_step):
            step = self.routine.step(decline.allowed_until_step)
            raise DeclineNotAllowedError(wording.decline_too_late(self.label(step.id), step.title))
        reason = guard_free_text(reason, wording.FIELD_REASON)
        return self._append(EventKind.DECLINED, actor, at, text=reason, message=decline.instruction)

    # --- helpers ------------------------------------------------------------------------------

    def _applicable_step(self, step_id: str) -> Step:
        step = self.routine.step(step_id)
        if step is None:
            raise UnknownStepError(wording.unknown_step(step_id, self.routine.title))
        if not self.applies(step_id):
            raise StepNotApplicableError(wording.step_not_applicable(step.title))
        return step

    def _require_open(self) -> None:
        if not self.is_open:
            raise CaseNotOpenError(wording.case_not_open(self.reference, self.status))

    def _alarm_step_id(self) -> str | None:
        return next((s.id for s in self.steps if s.confirms_alarm_returned), None)

    def _alarm_confirmation(self) -> tuple[str, str] | None:
        step_id = self._alarm_step_id()
        return None if step_id is None else (self.label(step_id), self.routine.step(step_id).title)

    def _append(self, kind: EventKind, actor: Actor, at: datetime, *, step_id=None, text=None, message="") -> Change:
        event = CaseEvent(len(self.events) + 1, kind, utc(at), actor, step_id, text)
        return Change(self.with_events(self.events + (event,)), (event,), message=message)

    def with_events(self, events: tuple[CaseEvent, ...]) -> "Case":
        return replace(self, events=events)
