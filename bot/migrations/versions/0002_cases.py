"""Cases: the case log (cases, append-only events) and the per-year reference counter.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("routine_key", sa.String(40), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("team_id", sa.String(255)),
        sa.Column("conversation_id", sa.String(512)),
        sa.Column("customer_ref", sa.String(64)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("reference", name="uq_cases_reference"),
    )
    op.create_index("ix_cases_status_team", "cases", ["status", "team_id"])
    op.create_index("ix_cases_status_conversation", "cases", ["status", "conversation_id"])
    op.create_index("ix_cases_created_by_id", "cases", ["created_by_id"])
    op.create_index("ix_cases_ended_at", "cases", ["ended_at"])
    op.create_table(
        "case_events",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("case_id", _BigId, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("step_id", sa.String(64)),
        sa.Column("text", sa.Text()),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="uq_case_events_case_seq"),
    )
    op.create_index("ix_case_events_actor_case", "case_events", ["actor_id", "case_id"])
    op.create_table(
        "case_reference_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("case_reference_counters")
    op.drop_table("case_events")
    op.drop_table("cases")
