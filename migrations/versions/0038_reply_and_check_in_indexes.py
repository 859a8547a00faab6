"""replies' index ends with the id; an index of each user's follow-ups by kind

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 11:20:00

The Plan page shows the latest five replies in (reply_on, id) order. With the index ending
at reply_on, PostgreSQL read every reply of the latest reply day to sort them by id (8,230
rows for five at 300,000 contacts): the page's wins statement took 54 ms, 3.3 ms with id in
the index. SQLite's indexes end with the row id already.

The dashboard and the Plan page read the user's latest check-in reminder (the follow-up of
kind check_in with the highest id). With no index on kind, PostgreSQL walked the follow-ups'
primary key backwards, through every account's newer follow-ups, until it met one: a cost
that grew with the whole server (22 ms with two accounts of 100,000 follow-ups each).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outreach_user_status_reply", table_name="outreach")
    op.create_index(
        "ix_outreach_user_status_reply", "outreach", ["user_id", "status", "reply_on", "id"]
    )
    op.create_index("ix_follow_up_user_kind", "follow_up", ["user_id", "kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_follow_up_user_kind", table_name="follow_up")
    op.drop_index("ix_outreach_user_status_reply", table_name="outreach")
    op.create_index("ix_outreach_user_status_reply", "outreach", ["user_id", "status", "reply_on"])
