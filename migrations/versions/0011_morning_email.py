"""morning email settings

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 22:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("morning_email", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("morning_email_hour", sa.Integer(), nullable=False, server_default="8")
        )
        batch_op.add_column(sa.Column("morning_email_last_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("morning_email_last_on")
        batch_op.drop_column("morning_email_hour")
        batch_op.drop_column("morning_email")
