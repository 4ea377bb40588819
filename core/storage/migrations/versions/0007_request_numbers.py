"""requests: numbers from a sequence (PostgreSQL) or a counter row (SQLite)

A new request took the highest number so far plus one.  Two processes filing at once
on PostgreSQL read the same highest number, and the second insert failed on the unique
number.  PostgreSQL hands numbers out from a sequence; SQLite, whose writers take the
database's write lock at the start of their transaction, from a one-row counter.  Both
go on after the highest number filed so far (1000 on an empty database, as before).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.schema.CreateSequence(sa.Sequence("request_numbers")))
        op.execute(
            "SELECT setval('request_numbers', greatest(coalesce(max(number), 1000), 1000)) "
            "FROM requests"
        )
        return
    op.create_table(
        "request_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_counter")),
    )
    op.execute(
        "INSERT INTO request_counter (id, last) "
        "SELECT 1, max(coalesce(max(number), 1000), 1000) FROM requests"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.schema.DropSequence(sa.Sequence("request_numbers")))
    else:
        op.drop_table("request_counter")
