"""Calendar and address-book export: what goes in each file, and the secret feed token.

Flushes, never commits. The pure writers live in crm/exports; this module chooses the
rows (always scoped to one user) and adapts them to what the writers read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from crm import clock
from crm.contacts.filters import ContactFilters
from crm.contacts.listing import contact_query
from crm.deployment import NoPublicAddress, absolute_url
from crm.enums import FollowUpKind, FollowUpState, InterviewStatus
from crm.exports import one_line
from crm.exports.ics import (
    FollowUpEntry,
    InterviewEntry,
    interview_calendar,
    interview_invite,
    iter_feed_calendar,
    iter_followups_calendar,
)
from crm.exports.vcard import iter_vcards
from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, User
from crm.tallies import services as tallies

FEED_NAME = "Networking follow-ups"
FEED_TOKEN_BYTES = 32
# Bump when the writers change what they put in a file, so feed ETags change with them.
FEED_FORMAT = "2"
# Contacts loaded and written per chunk of a streamed vCard export.
CARDS_PER_CHUNK = 200
# Rows fetched at a time for a streamed calendar: memory holds a batch, not every event.
EVENTS_PER_FETCH = 500
# A manual follow-up's reason stands in for its kind in the event title, cut to this length.
TITLE_REASON_CHARS = 60


class NoEmailError(ValueError):
    """The contact has no email address, so an invitation has no one to go to."""


# The writers read plain rows (crm.exports.ics); these build them from the database's.


def followup_entry(followup: FollowUp) -> FollowUpEntry:
    """A follow-up row (its contact loaded) as the writer reads it. The rut check-in has no
    contact; its event links to the check-in on the Plan page when the app knows its address."""
    return FollowUpEntry(
        uid=followup.uid,
        sequence=followup.sequence,
        due_date=followup.due_on,
        reason=followup.reason,
        kind_label=_kind_label(followup),
        contact_name=followup.contact.full_name if followup.contact else None,
        updated_at=followup.updated_at,
        url=None if followup.contact else _check_in_url(),
    )


def _check_in_url() -> str | None:
    """The full address of the Plan page's check-in; None without CRM_BASE_URL."""
    try:
        return absolute_url("plan.index", _anchor="rut")
    except NoPublicAddress:
        return None


def interview_entry(interview: Interview) -> InterviewEntry:
    """An interview row (its contact loaded) as the writer reads it."""
    return InterviewEntry(
        uid=interview.uid,
        sequence=interview.sequence,
        starts_at=interview.starts_at,
        duration_minutes=interview.duration_minutes,
        location=interview.location,
        prep_questions=interview.prep_questions,
        contact_name=interview.contact.full_name,
        contact_email=interview.contact.email,
        updated_at=interview.updated_at,
    )


def _kind_label(followup: FollowUp) -> str:
    """Return the words after the name in the event title: the kind, or a manual one's reason."""
    if followup.kind == FollowUpKind.MANUAL or followup.kind not in FollowUpKind.values():
        reason = one_line(followup.reason)
        if len(reason) > TITLE_REASON_CHARS:
            reason = reason[: TITLE_REASON_CHARS - 1].rstrip() + "…"
        return reason
    return FollowUpKind(followup.kind).label


# Which rows go into a calendar.


def _open_followups_query(user_id: int) -> Select[FollowUp]:
    # An outer join: the rut check-in has no contact.
    return (
        select(FollowUp)
        .outerjoin(Contact, FollowUp.contact_id == Contact.id)
        .where(FollowUp.user_id == user_id, FollowUp.status == FollowUpState.OPEN)
    )


def _upcoming_interviews_query(user_id: int, since: datetime) -> Select[Interview]:
    return (
        select(Interview)
        .join(Contact, Interview.contact_id == Contact.id)
        .where(
            Interview.user_id == user_id,
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.starts_at >= since,
        )
    )


def _open_followups_in_order(user_id: int) -> Select[FollowUp]:
    return (
        _open_followups_query(user_id)
        .options(joinedload(FollowUp.contact))
        .order_by(FollowUp.due_on, FollowUp.id)
    )


def open_followups(user_id: int) -> list[FollowUp]:
    """Return the user's open follow-ups, soonest first, with their contacts."""
    return list(db.session.scalars(_open_followups_in_order(user_id)))


def _streamed(stmt: Select[Any]) -> Iterator[Any]:
    """The statement's rows, fetched a batch at a time (the session keeps only weak references
    to rows nobody holds, so a written batch is let go)."""
    # A generator, so the statement runs when the stream is read (inside the response).
    yield from db.session.scalars(stmt.execution_options(yield_per=EVENTS_PER_FETCH))


def _followup_entries(user_id: int) -> Iterator[FollowUpEntry]:
    return (followup_entry(row) for row in _streamed(_open_followups_in_order(user_id)))


def upcoming_start(user: User, now: datetime) -> datetime:
    """Return the start of the user's local today in UTC: interviews from then on are upcoming."""
    zone = clock.user_zone(user)
    return clock.start_of_day(clock.today_in(zone, now), zone)


def _upcoming_in_order(user: User, now: datetime) -> Select[Interview]:
    return (
        _upcoming_interviews_query(user.id, upcoming_start(user, now))
        .options(joinedload(Interview.contact))
        .order_by(Interview.starts_at, Interview.id)
    )


def upcoming_interviews(user: User, now: datetime) -> list[Interview]:
    """Return the user's scheduled interviews from the start of their today on."""
    return list(db.session.scalars(_upcoming_in_order(user, now)))


def calendar_counts(user: User, now: datetime) -> tuple[int, int]:
    """Return how many open follow-ups and upcoming interviews the feed holds."""
    # Kept as follow-ups open and close (crm.tallies): the feed holds every open one.
    followups = tallies.open_followups(user.id)
    interviews = db.session.scalar(
        select(func.count()).select_from(
            _upcoming_interviews_query(user.id, upcoming_start(user, now)).subquery()
        )
    )
    return followups or 0, interviews or 0


# The files.


def followup_file(followup: FollowUp, user: User) -> bytes:
    """Return one follow-up as an .ics file, with the user's reminder."""
    return b"".join(iter_followups_calendar([followup_entry(followup)], user.reminder_time))


def iter_followups_file(user: User) -> Iterator[bytes]:
    """Yield every open follow-up of the user as one .ics file, streamed."""
    alarm = user.reminder_time
    return iter_followups_calendar(_followup_entries(user.id), alarm_time=alarm, name=FEED_NAME)


def followups_file(user: User) -> bytes:
    """Return every open follow-up of the user as one .ics file."""
    return b"".join(iter_followups_file(user))


def interview_file(interview: Interview) -> bytes:
    """Return the user's own calendar copy of an interview."""
    return interview_calendar(interview_entry(interview))


def invite_file(interview: Interview, user: User) -> bytes:
    """Return an invitation from the user to the contact; NoEmailError when there is no email."""
    entry = interview_entry(interview)
    if not (entry.contact_email or "").strip():
        raise NoEmailError(f"{entry.contact_name} has no email address.")
    return interview_invite(entry, organizer_email=user.email, organizer_name=user.name or None)


def iter_feed(user: User, now: datetime) -> Iterator[bytes]:
    """Yield the subscribable feed: open follow-ups and upcoming interviews, no attendees,
    read and written a batch at a time, so memory stays flat in the number of follow-ups."""
    interviews = (interview_entry(row) for row in _streamed(_upcoming_in_order(user, now)))
    return iter_feed_calendar(
        _followup_entries(user.id), interviews, alarm_time=user.reminder_time, name=FEED_NAME
    )


def feed_file(user: User, now: datetime) -> bytes:
    """Return the subscribable feed whole (for the few callers that want bytes)."""
    return b"".join(iter_feed(user, now))


def feed_etag(user: User, now: datetime) -> str:
    """Return an ETag for the feed from two aggregate queries, without building the file.

    It changes whenever the feed would: a row added, closed, deleted or edited (updated_at,
    count and the sum of ids), a contact renamed, the reminder time, or the day (which
    moves the start of "upcoming").
    """
    since = upcoming_start(user, now)
    followups = db.session.execute(
        select(
            func.count(FollowUp.id),
            func.max(FollowUp.updated_at),
            func.max(Contact.updated_at),
            func.sum(FollowUp.id),
        )
        .outerjoin(Contact, FollowUp.contact_id == Contact.id)
        .where(FollowUp.user_id == user.id, FollowUp.status == FollowUpState.OPEN)
    ).one()
    interviews = db.session.execute(
        select(
            func.count(Interview.id),
            func.max(Interview.updated_at),
            func.max(Contact.updated_at),
            func.sum(Interview.id),
        )
        .join(Contact, Interview.contact_id == Contact.id)
        .where(
            Interview.user_id == user.id,
            Interview.status == InterviewStatus.SCHEDULED,
            Interview.starts_at >= since,
        )
    ).one()
    parts = [FEED_FORMAT, user.reminder_time, since.isoformat(), *followups, *interviews]
    fingerprint = "|".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32]


# The secret feed token: only its SHA-256 hash is kept.


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest kept in place of a feed token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _derive_token(user: User, secret_key: str) -> str:
    """The feed token for the user's current salt: HMAC-SHA256 under the server's secret."""
    message = f"calendar-feed:{user.id}:{user.feed_token_salt}".encode()
    digest = hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def issue_feed_token(user: User, secret_key: str) -> str:
    """Give the user a new feed token, replacing the old one (which stops working)."""
    user.feed_token_salt = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    token = _derive_token(user, secret_key)
    user.feed_token_hash = hash_token(token)
    db.session.flush()
    return token


def current_feed_token(user: User, secret_key: str) -> str | None:
    """The user's working feed token, or None (no link yet, or the secret key has changed)."""
    if not user.feed_token_salt:
        return None
    token = _derive_token(user, secret_key)
    return token if token_matches(user, token) else None


def token_matches(user: User, token: str | None) -> bool:
    """Tell, in constant time, whether the token is the user's current one."""
    if not token or not user.feed_token_hash:
        return False
    return hmac.compare_digest(user.feed_token_hash, hash_token(token))


def user_for_feed_token(token: str) -> User | None:
    """Return the user whose feed token this is, or None."""
    # token_urlsafe(32) gives 43 characters; refuse absurd input before hashing it.
    if not 20 <= len(token) <= 100:
        return None
    user = db.session.scalar(select(User).where(User.feed_token_hash == hash_token(token)))
    return user if user is not None and token_matches(user, token) else None


# The address book.


def contact_file(contact: Contact) -> bytes:
    """Return one contact as a vCard 3.0 file."""
    return b"".join(iter_vcards([contact]))


def contact_count(user_id: int) -> int:
    """Return how many contacts the user has."""
    return db.session.scalar(select(func.count(Contact.id)).where(Contact.user_id == user_id)) or 0


def iter_listed_cards(user_id: int, list_args: Mapping[str, str]) -> Iterator[bytes]:
    """Yield the contact list as the user searched and filtered it (its query string)."""
    return iter_contact_cards(user_id, ContactFilters.from_args(list_args))


def iter_contact_cards(user_id: int, filters: ContactFilters | None = None) -> Iterator[bytes]:
    """Yield the user's contacts (as filtered) as vCards, a chunk of cards at a time."""
    stmt = (
        contact_query(user_id, filters or ContactFilters())
        # Each card names its introducer: read a chunk's introducers at once.
        .options(selectinload(Contact.introduced_by))
        .execution_options(yield_per=CARDS_PER_CHUNK)
    )
    for chunk in db.session.scalars(stmt).partitions():
        yield b"".join(iter_vcards(chunk))


# File names for downloads.


def attachment_names(stem: str, extension: str, fallback: str) -> tuple[str, str]:
    """Return (ASCII file name, UTF-8 file name) for a download named after a person or date."""
    name = one_line(stem).translate({ord(c): "-" for c in '/\\:*?"<>|'}).strip(" .-")[:100]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-.")
    # A name in another script leaves only punctuation and digits: use the plain fallback.
    if not re.search(r"[A-Za-z]", ascii_name):
        ascii_name = fallback
    return f"{ascii_name}.{extension}", f"{name or fallback}.{extension}"


def followup_file_names(followup: FollowUp) -> tuple[str, str]:
    """Return the file names of one follow-up's download: who and when."""
    who = followup.contact.full_name if followup.contact else FollowUpKind.CHECK_IN.label
    stem = f"Follow-up {who} {followup.due_on:%Y-%m-%d}"
    return attachment_names(stem, "ics", fallback="follow-up")


def interview_file_names(interview: Interview, user: User, invite: bool) -> tuple[str, str]:
    """Return the file names of an interview's download: who and the day, in the user's zone."""
    day = clock.local(interview.starts_at, clock.user_zone(user))
    kind = "Invitation" if invite else "Interview"
    stem = f"{kind} {interview.contact.full_name} {day:%Y-%m-%d}"
    return attachment_names(stem, "ics", fallback=kind.lower())
