"""requests remember an emergency the resident called themselves

An emergency the resident marked at the summary (the classifier and the rules found
none) is shown to dispatchers as the resident's word, and is not exported for training
until a dispatcher has ruled on the urgency.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("emergency_claim", sa.String(length=12), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_column("emergency_claim")
