"""contact reply dates and name-order index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 08:18:18.179809

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_outreach_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("replied_on", sa.Date(), nullable=True))
    # Existing outreach fills the new columns, so old accounts' dashboards stay right.
    op.execute(
        "UPDATE contact SET first_outreach_on = "
        "(SELECT min(sent_on) FROM outreach WHERE outreach.contact_id = contact.id), "
        "replied_on = (SELECT min(coalesce(reply_on, sent_on)) FROM outreach "
        "WHERE outreach.contact_id = contact.id AND outreach.status = 'replied')"
    )
    op.create_index(
        "ix_contact_user_name_order",
        "contact",
        ["user_id", sa.text("lower(last_name)"), sa.text("lower(first_name)"), "id"],
    )


def downgrade():
    op.drop_index("ix_contact_user_name_order", table_name="contact")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("replied_on")
        batch_op.drop_column("first_outreach_on")
