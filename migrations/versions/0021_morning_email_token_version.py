"""morning email token version, so an unsubscribe link works once

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 20:00:00

The unsubscribe token signs this number with the password's fingerprint; using the link
adds one, so a used (or leaked) link stops working and the next email carries a new one.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column(
                "morning_email_token_version", sa.Integer(), nullable=False, server_default="0"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("morning_email_token_version")
