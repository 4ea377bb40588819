"""inbox: the album id as a column, and quarantined events

Reading ``event->>'media_group'`` made PostgreSQL parse every pending body, and one
body holding an escaped NUL or lone surrogate failed the query for every chat.  The
album id becomes a column filled at the insert.  Events whose handling failed every
time are marked quarantined and shown to dispatchers.

The backfill reads each pending body as text and parses it in Python, one row at a
time: a body that cannot be read keeps an empty album id (its parts are handled one
by one) instead of stopping the migration.

Revision ID: 0006p
Revises: 0005
Create Date: 2026-12-02 04:30:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.text_safety import without_controls

revision: str = "0006p"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: What the event handling tried before giving up, when these columns were added.
_GAVE_UP_AFTER = 3


def upgrade() -> None:
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("media_group", sa.String(length=100), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("quarantined", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            "ix_inbox_quarantined",
            ["id"],
            unique=False,
            postgresql_where=sa.text("quarantined"),
            sqlite_where=sa.text("quarantined"),
        )
    connection = op.get_bind()
    pending = connection.execute(
        sa.text("SELECT id, CAST(event AS TEXT) FROM inbox WHERE processed_at IS NULL")
    ).all()
    groups = []
    for item_id, body in pending:
        group = _media_group(body)
        if group:
            groups.append({"id": item_id, "group": group})
    if groups:
        connection.execute(sa.text("UPDATE inbox SET media_group = :group WHERE id = :id"), groups)
    connection.execute(
        sa.text(
            "UPDATE inbox SET quarantined = :yes"
            " WHERE processed_at IS NOT NULL AND attempts >= :gave_up"
        ),
        {"yes": True, "gave_up": _GAVE_UP_AFTER},
    )


def _media_group(body: object) -> str:
    try:
        value = json.loads(str(body)).get("media_group")
    except (ValueError, AttributeError, RecursionError):
        return ""
    return without_controls(value)[:100] if isinstance(value, str) else ""


def downgrade() -> None:
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_quarantined")
        batch_op.drop_column("quarantined")
        batch_op.drop_column("media_group")
