"""The plan's tables: rut check-ins, obstacles and their proof, strategic answers, people to
reach and target roles. Every row belongs to one user."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.column_types import UTCDateTime
from crm.extensions import Model
from crm.models import Company, Contact


class RutCheckIn(Model):
    """One day's answer to "Am I in a rut?": which of the eight signs were true."""

    __table_args__ = (UniqueConstraint("user_id", "checked_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    # The true signs' keys (crm.plan.rut.RutSign), comma-separated.
    signs: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    @property
    def sign_keys(self) -> list[str]:
        return [key for key in self.signs.split(",") if key]


class Obstacle(Model):
    """Something the user believes holds them back, and the people who disprove it."""

    __table_args__ = (UniqueConstraint("user_id", "text_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    text_key: Mapped[str] = mapped_column(String(300))
    resolved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    proofs: Mapped[list[ObstacleProof]] = relationship(
        back_populates="obstacle", cascade="all, delete-orphan", order_by="ObstacleProof.id"
    )


class ObstacleProof(Model):
    """A contact who got where the user wants to be despite the obstacle."""

    __table_args__ = (UniqueConstraint("obstacle_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    obstacle_id: Mapped[int] = mapped_column(ForeignKey("obstacle.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    obstacle: Mapped[Obstacle] = relationship(back_populates="proofs")
    contact: Mapped[Contact] = relationship()


class StrategicAnswer(Model):
    """One saved version of the answer to a strategic question; the newest is the current."""

    __table_args__ = (Index("ix_strategic_answer_user_question", "user_id", "question", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # A crm.plan.questions.Question key.
    question: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text)
    saved_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class PersonToReach(Model):
    """A contact picked under "Who do I know that I could connect with to help me?"."""

    __table_args__ = (UniqueConstraint("user_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    added_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    contact: Mapped[Contact] = relationship()


class TargetRole(Model):
    """A role the user wants ("Product Manager"), matched against contacts' titles."""

    __table_args__ = (UniqueConstraint("user_id", "title_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # crm.normalize.title_key, as Contact.title_key: "Manager, Product" and "product manager"
    # are one role, " manager product ".
    title_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class RoleContact(Model):
    """A contact the user tagged by hand as holding a target role (whatever their title)."""

    __table_args__ = (UniqueConstraint("role_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("target_role.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


# The Plan's target employers: the few starred companies, found without reading every one.
# Partial on each database's own spelling of Company.is_target.is_(True), so it serves it.
Index(
    "ix_company_user_target",
    Company.user_id,
    sqlite_where=text("is_target IS 1"),
    postgresql_where=text("is_target IS true"),
)
