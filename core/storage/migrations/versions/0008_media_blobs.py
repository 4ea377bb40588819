"""media_blobs: photo bytes in the database, for several machines around one PostgreSQL

With ``MEDIA_STORE=database`` the bytes of each photo are kept once by sha256 in this
table instead of a file under ``MEDIA_DIR``, so every service machine serves them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["media.sha256"], name=op.f("fk_media_blobs_sha256_media")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_media_blobs")),
    )


def downgrade() -> None:
    op.drop_table("media_blobs")
