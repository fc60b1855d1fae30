"""Foundation: bot state storage and processed activity ids.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_state",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_bot_state_updated_at", "bot_state", ["updated_at"])
    op.create_table(
        "processed_activity",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_processed_activity_received_at", "processed_activity", ["received_at"])


def downgrade() -> None:
    op.drop_table("processed_activity")
    op.drop_table("bot_state")
