"""Notifications: notice channels, home teams, the notice outbox and the case cards in channels.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notice_channels",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("conversation_id", sa.String(512), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("subscribed_by_id", sa.String(64), nullable=False),
        sa.Column("subscribed_by_name", sa.String(200), nullable=False),
        sa.Column("subscribed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scope", name="uq_notice_channels_scope"),
    )
    op.create_table(
        "home_teams",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("team_id", sa.String(255), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "notices",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("channel_id", _BigId, sa.ForeignKey("notice_channels.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lane", sa.String(600), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("case_reference", sa.String(32)),
        sa.Column("dedupe_key", sa.String(300), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(200)),
        sa.Column("message_id", sa.String(255)),
        sa.UniqueConstraint("dedupe_key", name="uq_notices_dedupe_key"),
    )
    op.create_index("ix_notices_status_next", "notices", ["status", "next_attempt_at"])
    op.create_index("ix_notices_lane_status", "notices", ["lane", "status", "id"])
    op.create_index("ix_notices_channel_status", "notices", ["channel_id", "status"])
    op.create_table(
        "case_cards",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("channel_id", _BigId, sa.ForeignKey("notice_channels.id", ondelete="CASCADE"), nullable=False),
        sa.Column("case_reference", sa.String(32), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel_id", "case_reference", name="uq_case_cards_channel_case"),
    )


def downgrade() -> None:
    op.drop_table("case_cards")
    op.drop_index("ix_notices_channel_status", table_name="notices")
    op.drop_index("ix_notices_lane_status", table_name="notices")
    op.drop_index("ix_notices_status_next", table_name="notices")
    op.drop_table("notices")
    op.drop_table("home_teams")
    op.drop_table("notice_channels")
