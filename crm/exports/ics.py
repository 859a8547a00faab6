"""iCalendar export of follow-ups (all-day events) and informational interviews (UTC events)."""

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event, vCalAddress
from icalendar.enums import PARTSTAT, ROLE, STATUS, TRANSP

from crm.exports import clean_text, one_line

PRODID = "-//Networking CRM//EN"
CALENDAR_END = b"END:VCALENDAR\r\n"
# Events written per chunk of a streamed calendar.
EVENTS_PER_CHUNK = 200


# The rows the writers read: plain values, built from the database by crm/calendar/services.py.


@dataclass(frozen=True)
class FollowUpEntry:
    """A follow-up as the iCalendar writer reads it."""

    uid: str
    sequence: int
    due_date: date
    reason: str
    kind_label: str
    # None for a follow-up about no one (the rut check-in): its title is its kind alone.
    contact_name: str | None
    updated_at: datetime
    # Where to act on it, when the app knows its own address.
    url: str | None = None


@dataclass(frozen=True)
class InterviewEntry:
    """An informational interview as the iCalendar writer reads it."""

    uid: str
    sequence: int
    starts_at: datetime
    duration_minutes: int
    location: str | None
    prep_questions: str | None
    contact_name: str
    contact_email: str | None
    updated_at: datetime


def _utc(moment: datetime) -> datetime:
    """Return the moment in UTC; a naive datetime is taken to be UTC already (as SQLite returns)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _common_name(name: str) -> str:
    """Return a name fit for a CN parameter: one line, no double quotes."""
    # A parameter value cannot hold DQUOTE or a newline; icalendar would write RFC 6868
    # escapes (^' and ^n), which vobject, the ics package and many clients show verbatim.
    return one_line(name).replace('"', "'")


def _is_web_link(text: str) -> bool:
    """Tell whether the whole text is one http(s) link (a video-call URL, not a place)."""
    if any(ch.isspace() for ch in text):
        return False
    parts = urlsplit(text)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def followup_event(fu: FollowUpEntry, alarm_time: time | None = None) -> Event:
    """Return a follow-up as an all-day VEVENT on its due date, with an optional alarm."""
    due = fu.due_date.date() if isinstance(fu.due_date, datetime) else fu.due_date
    who = one_line(fu.contact_name)
    label = one_line(fu.kind_label)
    if not who:
        summary = label or "Follow up"
    else:
        summary = f"Follow up: {who} — {label}" if label else f"Follow up: {who}"
    description = clean_text(fu.reason)
    if fu.url:
        description = f"{description}\n\n{fu.url}".strip()
    event = Event.new(
        uid=fu.uid,
        sequence=fu.sequence,
        stamp=_utc(fu.updated_at),
        start=due,
        end=due + timedelta(days=1),  # DTEND of an all-day event is exclusive
        summary=summary,
        description=description or None,
        transparency=TRANSP.TRANSPARENT,
    )
    if fu.url:
        event.add("url", fu.url)
    if alarm_time is not None:
        # An all-day event starts at local midnight, so the offset is the time of day.
        offset = timedelta(
            hours=alarm_time.hour, minutes=alarm_time.minute, seconds=alarm_time.second
        )
        event.add_component(Alarm.new_display(description=summary, trigger=offset))
    return event


INVITE_NOTE = "Thank you for making time to talk about your path. Looking forward to it."


def interview_event(
    iv: InterviewEntry,
    organizer_email: str | None = None,
    organizer_name: str | None = None,
    invite: bool = False,
) -> Event:
    """Return an interview as a VEVENT in UTC; with invite=True, add organizer and attendee."""
    start = _utc(iv.starts_at)
    location = one_line(iv.location)
    attendees = None
    # The invite goes to the contact: it names the user and keeps the user's prep notes private.
    description: str | None
    if invite:
        attendees = [_invited(iv, organizer_email)]
        counterpart = (organizer_name or "").strip() or organizer_email or ""
        description = INVITE_NOTE
    else:
        counterpart = iv.contact_name
        prep = clean_text(iv.prep_questions)
        description = f"Prep questions:\n{prep}" if prep else None
    return Event.new(
        uid=iv.uid,
        sequence=iv.sequence,
        stamp=_utc(iv.updated_at),
        start=start,
        end=start + timedelta(minutes=iv.duration_minutes),
        summary=f"Informational interview with {one_line(counterpart)}",
        description=description,
        location=location or None,
        url=location if _is_web_link(location) else None,
        organizer=_organizer(organizer_email, organizer_name),
        attendees=attendees,
        status=STATUS.CONFIRMED if invite else None,
    )


def _invited(iv: InterviewEntry, organizer_email: str | None) -> vCalAddress:
    """The contact as the invitation's attendee; ValueError when either address is missing."""
    if not organizer_email:
        raise ValueError("An invitation needs the organizer's email address.")
    if not iv.contact_email:
        raise ValueError(f"{iv.contact_name} has no email address to invite.")
    attendee = vCalAddress(f"mailto:{iv.contact_email.strip()}")
    attendee.params["CN"] = _common_name(iv.contact_name)
    attendee.params["ROLE"] = ROLE.REQ_PARTICIPANT
    attendee.params["PARTSTAT"] = PARTSTAT.NEEDS_ACTION
    attendee.params["RSVP"] = "TRUE"
    return attendee


def _organizer(email: str | None, name: str | None) -> vCalAddress | None:
    """The user as the event's organizer, when their address is known."""
    if not email:
        return None
    organizer = vCalAddress(f"mailto:{email.strip()}")
    if name and name.strip():
        organizer.params["CN"] = _common_name(name)
    return organizer


def calendar_bytes(
    events: Iterable[Event], method: str | None = None, name: str | None = None
) -> bytes:
    """Return the events as one VCALENDAR, CRLF line ends, folded at 75 octets."""
    method = method.upper() if method else None
    subcomponents = list(events)
    if method == "PUBLISH" and any("ATTENDEE" in event for event in subcomponents):
        raise ValueError("A PUBLISH calendar cannot carry attendees (RFC 5546).")
    calendar = Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        method=method,
        name=name,
        subcomponents=subcomponents,
    )
    # Calendar.new adds a random UID; without it the same data gives the same bytes (ETags).
    calendar.pop("UID", None)
    ical: bytes = calendar.to_ical()  # icalendar leaves the return type open
    return ical


def _publishable(event: Event) -> Event:
    if "ATTENDEE" in event:
        raise ValueError("A PUBLISH calendar cannot carry attendees (RFC 5546).")
    return event


def iter_calendar(events: Iterable[Event], name: str | None = None) -> Iterator[bytes]:
    """Yield a published VCALENDAR a chunk of events at a time: the bytes calendar_bytes
    writes, without holding every event. icalendar writes a calendar's own lines, then each
    event's, then END:VCALENDAR, so the calendar without events, cut before its end, heads
    the file."""
    empty = calendar_bytes([], method="PUBLISH", name=name)
    assert empty.endswith(CALENDAR_END)
    yield empty[: -len(CALENDAR_END)]
    publishable = (_publishable(event) for event in events)
    while chunk := list(itertools.islice(publishable, EVENTS_PER_CHUNK)):
        yield b"".join(event.to_ical() for event in chunk)
    yield CALENDAR_END


def iter_followups_calendar(
    followups: Iterable[FollowUpEntry], alarm_time: time | None = None, name: str | None = None
) -> Iterator[bytes]:
    """Yield the follow-ups as a published calendar, streamed."""
    return iter_calendar((followup_event(fu, alarm_time) for fu in followups), name=name)


def followups_calendar(
    followups: Iterable[FollowUpEntry], alarm_time: time | None = None, name: str | None = None
) -> bytes:
    """Return the follow-ups as a published calendar."""
    return b"".join(iter_followups_calendar(followups, alarm_time, name))


def iter_feed_calendar(
    followups: Iterable[FollowUpEntry],
    interviews: Iterable[InterviewEntry],
    alarm_time: time | None = None,
    name: str | None = None,
) -> Iterator[bytes]:
    """Yield follow-ups and interviews (without attendees) as a published feed, streamed."""
    events = itertools.chain(
        (followup_event(fu, alarm_time) for fu in followups),
        (interview_event(iv) for iv in interviews),
    )
    return iter_calendar(events, name=name)


def feed_calendar(
    followups: Iterable[FollowUpEntry],
    interviews: Iterable[InterviewEntry],
    alarm_time: time | None = None,
    name: str | None = None,
) -> bytes:
    """Return follow-ups and interviews (without attendees) as a published calendar feed."""
    return b"".join(iter_feed_calendar(followups, interviews, alarm_time, name))


def interview_calendar(iv: InterviewEntry) -> bytes:
    """Return the user's own copy of one interview as a published calendar."""
    return calendar_bytes([interview_event(iv)], method="PUBLISH")


def interview_invite(iv: InterviewEntry, organizer_email: str, organizer_name: str | None) -> bytes:
    """Return an invitation (METHOD:REQUEST) from the user to the interviewed contact."""
    event = interview_event(iv, organizer_email, organizer_name, invite=True)
    return calendar_bytes([event], method="REQUEST")
