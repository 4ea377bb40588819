"""outbox: the messenger's receipt on a sent message (delivered, seen, failed)

A messenger may report what became of each message it took: delivered to the person's
device, seen, or failed there.  The latest report is kept on the message's outbox row, found
by the id the messenger gave at the send (indexed: receipts come for every message).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.tables

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt", sa.String(length=12), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("receipt_at", core.storage.tables.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_outbox_delivery", ["channel", "delivery_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_delivery")
        batch_op.drop_column("receipt_at")
        batch_op.drop_column("receipt")
