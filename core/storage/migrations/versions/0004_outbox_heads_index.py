"""outbox: each chat's next message found through an index, whatever the history

The outbox worker looks for the oldest pending message of every chat.  Done with an
index on the chat alone, that read each chat's whole history of sent messages, a cost
growing with the history; an index over (status, channel, chat, id) finds the heads
among the pending rows only.  The answers to button
presses, which go out whatever the chat's order, are marked by a column instead of
being read out of every pending body.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answer", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_index(batch_op.f("ix_outbox_chat"))
        batch_op.create_index("ix_outbox_heads", ["status", "channel", "chat", "id"], unique=False)
    answer_to = (
        "body ->> 'answer_to'"
        if op.get_bind().dialect.name == "postgresql"
        else "json_extract(body, '$.answer_to')"
    )
    op.execute(
        f"UPDATE outbox SET answer = true WHERE status = 'pending' "  # noqa: S608 - constant SQL
        f"AND coalesce({answer_to}, '') != ''"
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_heads")
        batch_op.create_index(batch_op.f("ix_outbox_chat"), ["chat"], unique=False)
        batch_op.drop_column("answer")
