"""The domain: routines as data, the case engine, deadlines and the personal-data guard.

Free of Bot Framework and of storage: it can be read, tested and changed without Teams.
"""

from .calendar import DomainConfig, WorkingCalendar
from .case import Actor, Case, CaseEvent, CaseStatus, Change, EventKind, guard_free_text
from .engine import CaseEngine, DeadlineView, StepDeadline, StepState
from .errors import (
    CaseIncompleteError,
    CaseNotFoundError,
    CaseNotOpenError,
    ConcurrentUpdateError,
    DeclineNotAllowedError,
    DomainError,
    InvalidFactsError,
    InvalidTextError,
    KeysBeforeAlarmError,
    NothingToUndoError,
    PersonalDataError,
    StepNotApplicableError,
    StepOrderError,
    UnknownRoutineError,
    UnknownStepError,
)
from .model import Contact, Decline, FactSpec, Routine, Rule, Step
from .personal_data import MASK, contains_personal_number, find_personal_number, mask_personal_numbers
from .plain_text import plain_text
from .routines import ROUTINES, routine_catalog

__all__ = [name for name in dir() if not name.startswith("_")]
