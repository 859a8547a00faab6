"""attempt lock, so login attempts sent at once are counted one after another

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 20:10:00

Forty wrong passwords sent at once all read the count before any was recorded, so 24 were
checked against a limit of 10. Each attempt now locks its kind's row in attempt_lock (an
upsert, a row lock on PostgreSQL and the write lock on SQLite) while it counts and records.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attempt_lock",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_attempt_lock")),
    )


def downgrade():
    op.drop_table("attempt_lock")
