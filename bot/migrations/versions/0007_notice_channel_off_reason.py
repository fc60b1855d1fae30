"""Why a notice channel is off: switched off by staff (`notiser av`) or the bot removed from the
team or chat. A channel switched off because the bot was removed comes back on by itself when
the bot is added again; one switched off by staff stays off.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notice_channels") as table:
        table.add_column(sa.Column("off_reason", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notice_channels") as table:
        table.drop_column("off_reason")
