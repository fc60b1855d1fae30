"""Imports every module that declares tables, so Base.metadata is complete (Alembic, tests)."""

from . import models  # noqa: F401
from . import case_tables  # noqa: F401
from . import notification_tables  # noqa: F401
