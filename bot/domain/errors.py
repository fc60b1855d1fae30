"""Domain errors: each carries a Swedish message that the UI can show as it is."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action. `message` is Swedish and safe to show to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnknownRoutineError(DomainError):
    pass


class UnknownStepError(DomainError):
    pass


class StepNotApplicableError(DomainError):
    """The step exists in the routine but not for this case's facts (e.g. a lock step without lock)."""


class StepOrderError(DomainError):
    """A step whose prerequisites are not done yet."""

    def __init__(self, message: str, blocking_step_id: str | None = None):
        super().__init__(message)
        self.blocking_step_id = blocking_step_id


class KeysBeforeAlarmError(StepOrderError):
    """The customer's keys may never be handed back before the alarm has been returned."""


class CaseNotOpenError(DomainError):
    pass


class NothingToUndoError(DomainError):
    pass


class CaseIncompleteError(DomainError):
    pass


class DeclineNotAllowedError(DomainError):
    pass


class InvalidFactsError(DomainError):
    pass


class PersonalDataError(DomainError):
    """Free text that contains a personnummer or samordningsnummer."""


class InvalidTextError(DomainError):
    pass


class CaseNotFoundError(DomainError):
    pass


class ConcurrentUpdateError(DomainError):
    """Someone else changed the case at the same moment; the caller may retry."""
