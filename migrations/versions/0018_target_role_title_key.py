"""target role title keys in the contacts' format

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 20:15:00

A target role's title key was its sorted words ("manager product") while a contact's had a
space at each end (" manager product "). Both are now crm.normalize.title_key's format, so
a role added again after this upgrade still finds its twin.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE target_role SET title_key = substr(' ' || title_key || ' ', 1, 200) "
            "WHERE title_key NOT LIKE ' %'"
        )
    )


def downgrade() -> None:
    op.execute(sa.text("UPDATE target_role SET title_key = trim(title_key)"))
