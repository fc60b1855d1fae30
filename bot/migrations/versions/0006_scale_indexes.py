"""Indexes for paths that read by time: the export of a period (case events by time) and the
statistics' recently ended cases of a team or group chat. Without them both read every case
ever stored (docs/performance.md, query plans at 100,000 cases).

Revision ID: 0006
Revises: 0003
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_events_at", "case_events", ["at"])
    op.create_index("ix_cases_team_ended", "cases", ["team_id", "ended_at"])
    op.create_index("ix_cases_conversation_ended", "cases", ["conversation_id", "ended_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_conversation_ended", table_name="cases")
    op.drop_index("ix_cases_team_ended", table_name="cases")
    op.drop_index("ix_case_events_at", table_name="case_events")
