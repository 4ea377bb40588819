"""an emergency's stage, escalation ladders, outages told to residents

Requests get the emergency's stage (accepted, arrived, localised, restored, repaired);
escalation ladders name who is told how long after a job became late, per building,
area or everywhere; incidents get a kind (a planned or unplanned outage told to every
resident of the building) and the moment the outage starts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.storage.tables

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stage", sa.String(length=12), server_default="", nullable=False)
        )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=12), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("starts_at", core.storage.tables.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "escalation_steps",
        sa.Column("id", _ID, nullable=False),
        sa.Column("building_id", _ID, nullable=True),
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("after_minutes", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("person_id", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["buildings.id"],
            name=op.f("fk_escalation_steps_building_id_buildings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_escalation_steps_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_steps")),
    )
    op.create_index(
        op.f("ix_escalation_steps_building_id"), "escalation_steps", ["building_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_escalation_steps_building_id"), table_name="escalation_steps")
    op.drop_table("escalation_steps")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("starts_at")
        batch_op.drop_column("kind")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_column("stage")
