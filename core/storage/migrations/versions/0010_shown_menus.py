"""shown_menus: the options a chat was shown as text, to recognise a typed reply

Where a channel cannot show a question's buttons as they are (too many, titles too
long), the options go out as a numbered text, a list or shortened titles; the menu a
chat was shown last is kept here so that "2", "второй" or the option's words map back.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.tables

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shown_menus",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("chat", sa.String(length=64), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("free_text", sa.String(length=8), nullable=False),
        sa.Column("shown_at", core.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shown_menus")),
        sa.UniqueConstraint("channel", "chat", name=op.f("uq_shown_menus_channel")),
    )


def downgrade() -> None:
    op.drop_table("shown_menus")
