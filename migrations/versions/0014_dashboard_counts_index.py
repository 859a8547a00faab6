"""an index for the dashboard's counts per network: contacts, reached and replied

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 13:00:00

At 30,000 contacts the dashboard counted per network by reading every contact's row: 28-37
ms on SQLite. Read from this index alone (the losing-touch count from its own index) the
same counts take about 6 ms. Its WHERE holds for every row (network is NOT NULL); it keeps
the index to the statement that repeats it, since SQLite otherwise chose it for the list's
searches and read the rows out of order (150 ms instead of 90 at 30,000 contacts).
"""

import sqlalchemy as sa
from alembic import op

NETWORK_SET = sa.text("network IS NOT NULL")

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_contact_user_network_reach",
        "contact",
        ["user_id", "network", "first_outreach_on", "replied_on"],
        sqlite_where=NETWORK_SET,
        postgresql_where=NETWORK_SET,
    )


def downgrade() -> None:
    op.drop_index("ix_contact_user_network_reach", table_name="contact")
