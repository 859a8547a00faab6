"""The tables. Every row belongs to one user; every query filters on user_id."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, QueryableAttribute, Session, mapped_column, relationship

from crm import clock
from crm.column_types import UTCDateTime
from crm.enums import (
    Cadence,
    FollowUpKind,
    FollowUpState,
    InterviewStatus,
    Network,
    OutreachStatus,
    Source,
)
from crm.extensions import Model, db
from crm.names import display_name
from crm.normalize import (
    COMPANY_SORT_LENGTH,
    SORT_NAME_LENGTH,
    TAG_LENGTH,
    company_sort_name,
    contact_derived,
)


def column_length(column: QueryableAttribute[Any] | ColumnElement[Any]) -> int:
    """The most characters a String column holds, read from the model (the one place it is
    written down), so forms and parsers check the same size as the table."""
    kind = column.type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} is not a String column with a length")
    return kind.length


def new_uid(prefix: str) -> str:
    """A stable, globally unique id for calendar and address-book clients."""
    return f"{prefix}-{uuid.uuid4()}@networking-crm"


class User(UserMixin, Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Follow-up rule numbers and goals; the defaults are docs/architecture.md's.
    weekly_goal: Mapped[int] = mapped_column(default=5, server_default="5")
    second_person_days: Mapped[int] = mapped_column(default=3, server_default="3")
    nudge_days: Mapped[int] = mapped_column(default=7, server_default="7")
    thank_you_days: Mapped[int] = mapped_column(default=1, server_default="1")
    update_days: Mapped[int] = mapped_column(default=7, server_default="7")
    referral_ask_weeks: Mapped[int] = mapped_column(default=1, server_default="1")
    history_days: Mapped[int] = mapped_column(default=30, server_default="30")
    after_interview_cadence: Mapped[str] = mapped_column(
        String(4), default=Cadence.MONTHLY, server_default=Cadence.MONTHLY.value
    )
    # Calendar export: the time of day a reminder pops up, and the feed token's hash.
    reminder_time: Mapped[time | None] = mapped_column(Time)
    feed_token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    # The token itself is never stored: it is an HMAC of this salt under the server's secret key,
    # so the Calendar page can show it again while a copy of the database alone cannot forge it.
    feed_token_salt: Mapped[str | None] = mapped_column(String(64))
    # The name the app signs with (ORGANIZER in invites); empty until the user sets one.
    name: Mapped[str] = mapped_column(String(100), default="", server_default="")

    # Set at login and by the user loader: the token of the login session this request is in.
    # (No annotation: it is not a column.)
    session_token = None  # type: str | None

    def get_id(self) -> str | None:
        """Flask-Login keeps the login session's token, not the user id, in the cookies."""
        return self.session_token

    # The morning email: asked for, at which local hour, and the last local day it was handled.
    morning_email: Mapped[bool] = mapped_column(default=False, server_default=false())
    morning_email_hour: Mapped[int] = mapped_column(default=8, server_default="8")
    morning_email_last_on: Mapped[date | None] = mapped_column(Date)
    # Signed into the unsubscribe link; one more after each use, so a link works once.
    morning_email_token_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def _company_sort_name(context: Any) -> str:
    """Company.sort_name from the name being inserted (each row of an executemany too)."""
    return company_sort_name(context.get_current_parameters()["name"])


class Company(Model):
    __table_args__ = (
        UniqueConstraint("user_id", "name_key"),
        # The list sorted by company walks the companies in this order.
        Index("ix_company_user_sort_name", "user_id", "sort_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Case- and space-insensitive key: "ACME  inc" and "Acme Inc" are one company.
    name_key: Mapped[str] = mapped_column(String(200))
    # Folded, for the list's order (crm.normalize.company_sort_name); a company keeps its name.
    sort_name: Mapped[str] = mapped_column(
        String(COMPANY_SORT_LENGTH), default=_company_sort_name, server_default=""
    )
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    is_target: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


contact_tag = Table(
    "contact_tag",
    db.metadata,
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Model):
    __table_args__ = (UniqueConstraint("user_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(TAG_LENGTH))
    name_key: Mapped[str] = mapped_column(String(TAG_LENGTH))


# The people the user has reached out to, the few rows ix_contact_user_reached holds.
REACHED = text("first_outreach_on IS NOT NULL")
HAS_TITLE_KEY = text("title_key IS NOT NULL")


class Contact(Model):
    __table_args__ = (
        UniqueConstraint("user_id", "linkedin_url"),
        Index("ix_contact_user_email", "user_id", "email"),
        # The list's newest first, from a page's cursor (created, id): no sort of equal times.
        Index("ix_contact_user_created", "user_id", "created_at", "id"),
        Index("ix_contact_user_updated", "user_id", "updated_at"),
        Index("ix_contact_user_keep_in_touch", "user_id", "keep_in_touch_due"),
        # The dashboard's reached and replied per network read this index alone. Partial: an
        # import adds no one to it, and only statements asking for the reached can use it.
        Index(
            "ix_contact_user_reached",
            "user_id",
            "network",
            "replied_on",
            "first_outreach_on",  # so SQLite can read the WHERE from the index, not the row
            sqlite_where=REACHED,
            postgresql_where=REACHED,
        ),
        # The list's default order (by name) walks this index instead of sorting every row.
        Index("ix_contact_user_sort_name", "user_id", "sort_name", "id"),
        # The list sorted by company walks each company's people, by name, from here.
        Index("ix_contact_user_company_sort", "user_id", "company_id", "sort_name", "id"),
        # The Plan page counts each target role's people per title key from this index alone.
        Index(
            "ix_contact_user_title_key",
            "user_id",
            "title_key",
            "first_outreach_on",
            sqlite_where=HAS_TITLE_KEY,
            postgresql_where=HAS_TITLE_KEY,
        ),
        # The few contacts someone introduced, newest first (the Plan page's referrals).
        Index(
            "ix_contact_user_referred",
            "user_id",
            "created_at",
            sqlite_where=text("introduced_by_id IS NOT NULL"),
            postgresql_where=text("introduced_by_id IS NOT NULL"),
        ),
        # The Network page reads everyone introduced, and how far each got, from here alone.
        Index(
            "ix_contact_user_introduced",
            *("user_id", "introduced_by_id", "first_outreach_on", "replied_on"),
            *("first_name", "last_name", "email", "id"),
            sqlite_where=text("introduced_by_id IS NOT NULL"),
            postgresql_where=text("introduced_by_id IS NOT NULL"),
        ),
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
    network: Mapped[str] = mapped_column(String(20), default=Network.OTHER)
    how_we_met: Mapped[str | None] = mapped_column(String(500))
    introduced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    linkedin_url: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    # Name, email, company, title, tags and notes folded to lower case without accents:
    # the list's search reads this one column (see crm.contacts.services.refresh_search_text).
    # Only queries read it, never a page: deferred, so loading a contact does not carry it.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="", deferred=True)
    # Folded "last first" for the list's default order (see crm.normalize.sort_name).
    sort_name: Mapped[str] = mapped_column(String(SORT_NAME_LENGTH), default="", server_default="")
    # The title's words for the Plan page's target roles (see crm.normalize.title_key).
    title_key: Mapped[str | None] = mapped_column(Text)
    connected_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default=Source.MANUAL)
    cadence: Mapped[str] = mapped_column(
        String(4), default=Cadence.NONE, server_default=Cadence.NONE.value
    )
    # Derived from outreach and interviews; stored so lists sort and filter without joins.
    last_interaction_on: Mapped[date | None] = mapped_column(Date)
    # First outreach and first reply, kept on the contact so the dashboard's rates need no
    # scan of every outreach row.
    first_outreach_on: Mapped[date | None] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    keep_in_touch_due: Mapped[date | None] = mapped_column(Date)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)
    # Deleted on a synced device: hidden from lists and sync, history kept, restorable.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The vCard lines a device sent that the app does not model (PHOTO, ADR, BDAY...), returned
    # unchanged so a sync never loses what the phone holds (crm.dav.cards).
    card_extra: Mapped[str | None] = mapped_column(Text, deferred=True)

    company: Mapped[Company | None] = relationship(lazy="joined")
    introduced_by: Mapped[Contact | None] = relationship(
        remote_side=[id], foreign_keys=[introduced_by_id]
    )
    tags: Mapped[list[Tag]] = relationship(secondary=contact_tag, order_by=Tag.name_key)

    def refresh_search_text(self) -> None:
        """Recompute the derived columns: search text, sort name, title key (before every
        ORM flush)."""
        derived = contact_derived(
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            title=self.title,
            company=self.company_name,
            tags=self.tag_names,
            notes=self.notes,
        )
        self.search_text = derived["search_text"]
        self.sort_name = derived["sort_name"]
        self.title_key = derived["title_key"]

    @property
    def full_name(self) -> str:
        """First and last name, or a fallback so a contact is never nameless on screen."""
        return display_name(self.first_name, self.last_name, self.email)

    @property
    def company_name(self) -> str | None:
        return self.company.name if self.company else None

    @property
    def introduced_by_name(self) -> str | None:
        return self.introduced_by.full_name if self.introduced_by else None

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.full_name!r}>"


class Outreach(Model):
    """One attempt to reach a contact, and whether they answered."""

    __table_args__ = (
        Index("ix_outreach_user_sent", "user_id", "sent_on"),
        # The latest replies and replies per day (the Plan page's wins and weekly series);
        # ends with id: the wins list them in (reply_on, id) order.
        Index("ix_outreach_user_status_reply", "user_id", "status", "reply_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    # Where the person was reached: a later job change does not rewrite the thread's company.
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("company.id", ondelete="SET NULL"), index=True
    )
    sent_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=OutreachStatus.AWAITING)
    reply_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    contact: Mapped[Contact] = relationship()
    company: Mapped[Company | None] = relationship()


class Interview(Model):
    """An informational interview: when, where, what to ask, and what was learned."""

    __table_args__ = (
        Index("ix_interview_user_starts", "user_id", "starts_at"),
        Index("ix_interview_user_status_done", "user_id", "status", "done_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(100), default=lambda: new_uid("interview"))
    sequence: Mapped[int] = mapped_column(default=0)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(default=30)
    location: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=InterviewStatus.SCHEDULED)
    prep_questions: Mapped[str | None] = mapped_column(Text)
    career_path: Mapped[str | None] = mapped_column(Text)
    advice: Mapped[str | None] = mapped_column(Text)
    resources: Mapped[str | None] = mapped_column(Text)
    assignments: Mapped[str | None] = mapped_column(Text)
    referrals: Mapped[str | None] = mapped_column(Text)
    done_on: Mapped[date | None] = mapped_column(Date)
    thank_you_sent_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    contact: Mapped[Contact] = relationship()


class FollowUp(Model):
    """A next step due on a day: from the rules, or added by hand.

    About one contact, except the four-weekly rut check-in (FollowUpKind.CHECK_IN), which has
    none: it is about the user, and its action is on the Plan page."""

    __table_args__ = (
        # Ends with id: the Follow-ups page lists each range in (due_on, id) order.
        Index("ix_follow_up_user_open_due", "user_id", "status", "due_on", "id"),
        # The latest follow-up of a kind, the check-in reminder (crm.plan.rut), without
        # walking every account's newer follow-ups.
        Index("ix_follow_up_user_kind", "user_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(100), default=lambda: new_uid("follow-up"))
    sequence: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20), default=FollowUpKind.MANUAL)
    reason: Mapped[str] = mapped_column(String(500))
    due_on: Mapped[date] = mapped_column(Date)
    due_time: Mapped[time | None] = mapped_column(Time)
    # Open, done or dismissed; done and dismissed ones stay in the contact's history.
    status: Mapped[str] = mapped_column(String(20), default=FollowUpState.OPEN)
    snoozed_from: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_note: Mapped[str | None] = mapped_column(String(200))
    outreach_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach.id", ondelete="SET NULL"), index=True
    )
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    contact: Mapped[Contact | None] = relationship()


class Note(Model):
    """A dated note on a contact's timeline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ImportBatch(Model):
    """One import: its file, format and counts, so it can be listed and undone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(20))
    format_label: Mapped[str] = mapped_column(String(100))
    network: Mapped[str] = mapped_column(String(20), default=Network.OTHER)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportUpdate(Model):
    """The values an import replaced on an existing contact, so undo can put them back."""

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    old_values: Mapped[dict[str, Any]] = mapped_column(JSON)


class JobChange(Model):
    """A contact seen at a new company or title on a re-import."""

    __table_args__ = (Index("ix_job_change_user_seen", "user_id", "seen_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    old_company: Mapped[str | None] = mapped_column(String(200))
    old_title: Mapped[str | None] = mapped_column(String(200))
    new_company: Mapped[str | None] = mapped_column(String(200))
    new_title: Mapped[str | None] = mapped_column(String(200))
    seen_on: Mapped[date] = mapped_column(Date)

    contact: Mapped[Contact] = relationship()


class MessageTemplate(Model):
    """A user's own wording for one kind of message; no row means the app's default."""

    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)


@event.listens_for(Session, "before_flush")
def _keep_contact_search_in_step(
    session: Session, flush_context: object, instances: object
) -> None:
    """Any contact saved through the ORM gets its search text recomputed; bulk writes
    (imports) call crm.contacts.services.refresh_search_text themselves."""
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty):
            if isinstance(obj, Contact):
                obj.refresh_search_text()
