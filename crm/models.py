"""The tables. Every row belongs to one user; every query filters on user_id."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def new_uid(prefix: str) -> str:
    """A stable, globally unique id for calendar and address-book clients."""
    return f"{prefix}-{uuid.uuid4()}@networking-crm"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Company(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Case- and space-insensitive key: "ACME  inc" and "Acme Inc" are one company.
    name_key: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    is_target: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


contact_tag = Table(
    "contact_tag",
    db.metadata,
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    name_key: Mapped[str] = mapped_column(String(50))


class Contact(db.Model):
    __table_args__ = (
        UniqueConstraint("user_id", "linkedin_url"),
        Index("ix_contact_user_email", "user_id", "email"),
        Index("ix_contact_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(100), default=lambda: new_uid("contact"))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(200))
    network: Mapped[str] = mapped_column(String(20), default="other")
    how_we_met: Mapped[str | None] = mapped_column(String(500))
    introduced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    linkedin_url: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    connected_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="manual")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    company: Mapped[Company | None] = relationship(lazy="joined")
    introduced_by: Mapped[Contact | None] = relationship(
        remote_side=[id], foreign_keys=[introduced_by_id]
    )
    tags: Mapped[list[Tag]] = relationship(secondary=contact_tag, order_by=Tag.name_key)

    @property
    def full_name(self) -> str:
        """First and last name, or a fallback so a contact is never nameless on screen."""
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.email or "(no name)"

    @property
    def company_name(self) -> str | None:
        return self.company.name if self.company else None

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.full_name!r}>"
