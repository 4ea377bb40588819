"""console: the report's index on request history, messages by chat, TOTP enrolment

* ``request_events (request_id, action, created_at)``: the monthly report takes each
  request's first acceptance and completion; with this index it reads them for the
  month's requests only (an index-only scan per request) instead of the whole history.
* ``inbox (channel, chat, received_at)`` and ``outbox (channel, chat, created_at)``: the
  request page shows the resident's conversation, found through the resident's chats and
  the request's time window.
* ``console_sessions.totp_pending``: a second factor being enrolled keeps its secret in
  the signed-in session's row, never in the page, until the first code confirms it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_request_events_firsts",
        "request_events",
        ["request_id", "action", "created_at"],
        unique=False,
    )
    op.create_index("ix_inbox_chat", "inbox", ["channel", "chat", "received_at"], unique=False)
    op.create_index("ix_outbox_chat", "outbox", ["channel", "chat", "created_at"], unique=False)
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("totp_pending", sa.String(length=64), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.drop_column("totp_pending")
    op.drop_index("ix_outbox_chat", table_name="outbox")
    op.drop_index("ix_inbox_chat", table_name="inbox")
    op.drop_index("ix_request_events_firsts", table_name="request_events")
