"""PostgreSQL: a turn's start in one round trip. `turn_start` takes the conversation's advisory lock,
then reads the activity's journal entry, the conversation's turns with replies still unsent, and
the conversation's dialog-state row (bot/teams/turns.py).

A function, not one statement: a statement reads from the snapshot it started with, which is older
than the lock when the lock had to be waited for, and would miss the turn that committed while it
waited. The function's second statement takes its own snapshot, after the lock (VOLATILE, READ
COMMITTED). SQLite has no such locks: nothing to create there.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_SIGNATURE = "turn_start(bigint, text, text, text)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
CREATE OR REPLACE FUNCTION turn_start(lock_number bigint, activity_key text, conversation text, state_key text)
RETURNS TABLE (source text, key text, received_at timestamptz, replies text, reply_count integer,
               replies_sent integer, invoke_response text)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_lock(lock_number);
    RETURN QUERY
        SELECT 'turn'::text, p.key::text, p.received_at, p.replies, p.reply_count, p.replies_sent, p.invoke_response
          FROM processed_activity p
         WHERE p.key = activity_key OR (p.conversation_key = conversation AND p.replies_sent < p.reply_count)
        UNION ALL
        SELECT 'state'::text, s.key, NULL::timestamptz, s.document, NULL::integer, NULL::integer, s.etag::text
          FROM bot_state s
         WHERE state_key IS NOT NULL AND s.key = state_key;
END
$$""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION IF EXISTS {_SIGNATURE}")
