"""outreach threads: the company where each person was reached, and the history window

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 22:30:00

An outreach keeps the company its contact was at when it was sent, so "Reach a second person"
names that company after a job change; existing rows take their contact's current company.
A user's history_days (default 30) says how recent a back-dated outreach must be to earn one
nudge.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("history_days", sa.Integer(), nullable=False, server_default="30")
        )
    with op.batch_alter_table("outreach") as batch:
        batch.add_column(sa.Column("company_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_outreach_company_id"), ["company_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_outreach_company_id_company"),
            "company",
            ["company_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        "UPDATE outreach SET company_id = "
        "(SELECT contact.company_id FROM contact WHERE contact.id = outreach.contact_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("outreach") as batch:
        batch.drop_constraint(batch.f("fk_outreach_company_id_company"), type_="foreignkey")
        batch.drop_index(batch.f("ix_outreach_company_id"))
        batch.drop_column("company_id")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("history_days")
