"""one-time form tokens, so a form sent twice writes once

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 20:30:00

The same outreach posted twenty times at once left twenty rows, each with its follow-ups.
Each form now carries a one-time token; the first request that writes with it stores it here,
and the primary key refuses it to any twin (crm/submissions.py).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submission",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_form_submission_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "token", name=op.f("pk_form_submission")),
    )


def downgrade():
    op.drop_table("form_submission")
