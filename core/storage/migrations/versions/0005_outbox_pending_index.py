"""outbox: the due messages found in id order, a round costing what it returns

The outbox worker asks for the oldest due messages that head their chat's queue.  With
an index on (status, next_attempt_at) it read every due pending row, sorted them by id
and kept those first in their chat, a cost growing with the backlog.  An index on
(status, id) walks the pending rows in id order and stops at the round's size, each
row's chat checked by the (status, channel, chat, id) index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")
        batch_op.create_index("ix_outbox_pending", ["status", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at"], unique=False)
