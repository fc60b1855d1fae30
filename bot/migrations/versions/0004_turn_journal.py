"""The turn journal: each processed activity keeps the replies its turn produced, how many of them
reached the connector, and an invoke's response (bot/teams/turns.py).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_UNSENT = "replies_sent < reply_count"


def upgrade() -> None:
    with op.batch_alter_table("processed_activity") as table:
        table.add_column(sa.Column("conversation_key", sa.String(64)))
        table.add_column(sa.Column("replies", sa.Text()))
        table.add_column(sa.Column("reply_count", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("replies_sent", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("invoke_response", sa.Text()))
    op.create_index("ix_processed_activity_unsent", "processed_activity", ["conversation_key"],
                    postgresql_where=sa.text(_UNSENT), sqlite_where=sa.text(_UNSENT))


def downgrade() -> None:
    op.drop_index("ix_processed_activity_unsent", table_name="processed_activity")
    with op.batch_alter_table("processed_activity") as table:
        for column in ("invoke_response", "replies_sent", "reply_count", "replies", "conversation_key"):
            table.drop_column(column)
