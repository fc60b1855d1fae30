"""Imports every module that declares tables, so Base.metadata is complete (Alembic, tests)."""

from bot.teams import state_tables  # noqa: F401
from bot.cases import tables as case_tables  # noqa: F401
from bot.notifications import tables as notification_tables  # noqa: F401
