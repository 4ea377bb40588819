"""residents' answers to duplicate offers

Each answered offer to join an open request of the same building and type is kept: the
offered request, the resident, the type, the answer, and what their words are in (the
"joined" event, or the request they filed instead), so that real use gives labelled
pairs for the duplicate decision.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.tables

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_INDEXED = ("request_id", "person_id", "joined_event_id", "filed_request_id")


def upgrade() -> None:
    op.create_table(
        "duplicate_offers",
        sa.Column("id", _ID, nullable=False),
        sa.Column("request_id", _ID, nullable=False),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("answer", sa.String(length=12), nullable=False),
        sa.Column("joined_event_id", _ID, nullable=True),
        sa.Column("filed_request_id", _ID, nullable=True),
        sa.Column("created_at", core.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_duplicate_offers_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_duplicate_offers_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["joined_event_id"],
            ["request_events.id"],
            name=op.f("fk_duplicate_offers_joined_event_id_request_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["filed_request_id"],
            ["requests.id"],
            name=op.f("fk_duplicate_offers_filed_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_offers")),
    )
    for column in _INDEXED:
        op.create_index(
            op.f(f"ix_duplicate_offers_{column}"), "duplicate_offers", [column], unique=False
        )


def downgrade() -> None:
    for column in _INDEXED:
        op.drop_index(op.f(f"ix_duplicate_offers_{column}"), table_name="duplicate_offers")
    op.drop_table("duplicate_offers")
