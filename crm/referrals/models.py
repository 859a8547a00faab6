"""The referrals' table: which interview suggested whom, and whether the suggester may be named.

Who introduced whom stays on Contact.introduced_by_id (the one fact of it); a suggestion adds
the interview it came from and the permission to mention the person who gave the name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.column_types import UTCDateTime
from crm.enums import Permission
from crm.extensions import Model
from crm.models import Contact, Interview


class Suggestion(Model):
    """A name given in an interview ("who else should I talk to?"), now a contact."""

    __table_args__ = (
        UniqueConstraint("interview_id", "contact_id"),
        # The Plan page's wins and weekly chart read the newest suggestions from here.
        Index("ix_suggestion_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interview.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    permission: Mapped[str] = mapped_column(String(10), default=Permission.NOT_ASKED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    interview: Mapped[Interview] = relationship()
    contact: Mapped[Contact] = relationship()
