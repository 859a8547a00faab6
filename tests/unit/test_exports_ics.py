"""iCalendar export, read back with vobject and with the `ics` package (neither is icalendar).

What ics 0.7.3 does not model, so those checks use vobject or the raw text only:
SEQUENCE (kept in `event.extra`), CALSCALE (reported as its default "georgian"),
the calendar NAME / X-WR-CALNAME (kept in `calendar.extra`), and DTSTAMP, which it
exposes as `event.created`. Everything else it parses as written.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import ics
import pytest
import vobject

from crm.exports.ics import (
    FollowUpEntry,
    InterviewEntry,
    calendar_bytes,
    feed_calendar,
    followup_event,
    followups_calendar,
    interview_calendar,
    interview_event,
    interview_invite,
)

UPDATED = datetime(2025, 5, 30, 12, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
CJK_BANK = "中國銀行（香港）有限公司"


def FollowUp(updated_at: datetime = UPDATED, **values) -> FollowUpEntry:  # noqa: N802
    """The exporter's follow-up row, last changed at UPDATED unless a test says otherwise."""
    return FollowUpEntry(updated_at=updated_at, **values)


def Interview(updated_at: datetime = UPDATED, **values) -> InterviewEntry:  # noqa: N802
    """The exporter's interview row, last changed at UPDATED unless a test says otherwise."""
    return InterviewEntry(updated_at=updated_at, **values)


NUDGE = FollowUp(
    uid="followup-5f0e1c2a-8d43-4b6a-9a51-3e2f1d0c9b87@crm",
    sequence=2,
    due_date=date(2025, 6, 3),
    reason="No reply yet. That is normal: nudge once, kindly; then try a second person.",
    kind_label="Nudge once",
    contact_name="Jane Doe",
)
BANK_FOLLOWUP = FollowUp(
    uid="followup-2@crm",
    sequence=0,
    due_date=date(2025, 12, 31),  # DTEND crosses into the next year
    reason=f"Thank {CJK_BANK} 🟢 Max for the intro to the risk team.\nSend the article.",
    kind_label="Thank-you 🙏",
    contact_name=f"🟢 Max Parker🏳️‍🌈 {CJK_BANK}",
)
COFFEE = Interview(
    uid="interview-9a8b7c6d@crm",
    sequence=1,
    starts_at=datetime(2025, 7, 1, 15, 30, tzinfo=NEW_YORK),  # EDT, UTC-4
    duration_minutes=45,
    location="https://meet.example.com/abc-defg-hij",
    prep_questions="How did you move from analyst to principal?\nWhat would you do again?",
    contact_name="Jane Doe, MSc",
    contact_email="jane.doe@example.org",
)


def _vobject(data: bytes) -> vobject.base.Component:
    return vobject.readOne(data.decode("utf-8"))


def _ics(data: bytes) -> ics.Calendar:
    return ics.Calendar(data.decode("utf-8"))


def _event(calendar: ics.Calendar, uid: str) -> ics.Event:
    (event,) = [event for event in calendar.events if event.uid == uid]
    return event


def _unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def _assert_wire_format(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a multi-byte sequence


def test_followup_is_an_all_day_event_with_exclusive_end() -> None:
    data = followups_calendar([NUDGE, BANK_FOLLOWUP])

    (nudge, bank) = _vobject(data).vevent_list
    assert nudge.dtstart.value == date(2025, 6, 3)
    assert not isinstance(nudge.dtstart.value, datetime)
    assert nudge.dtend.value == date(2025, 6, 4)
    assert bank.dtend.value == date(2026, 1, 1)
    assert nudge.summary.value == "Follow up: Jane Doe — Nudge once"
    assert nudge.description.value == NUDGE.reason
    assert nudge.uid.value == NUDGE.uid
    assert nudge.sequence.value == "2"
    assert nudge.dtstamp.value == UPDATED
    assert nudge.transp.value == "TRANSPARENT"
    assert "valarm" not in nudge.contents

    event = _event(_ics(data), NUDGE.uid)
    assert event.all_day
    assert event.begin.date() == date(2025, 6, 3)
    assert event.end.date() == date(2025, 6, 4)
    assert event.duration == timedelta(days=1)
    assert event.name == "Follow up: Jane Doe — Nudge once"
    assert event.description == NUDGE.reason
    assert event.transparent is True
    assert event.created == UPDATED  # ics 0.7.3 reads DTSTAMP into `created`
    assert "DTSTART;VALUE=DATE:20250603" in _unfolded(data)
    assert "DTEND;VALUE=DATE:20250604" in _unfolded(data)


def test_a_follow_up_about_no_one_is_titled_by_its_kind_and_links_to_its_page() -> None:
    check_in = FollowUp(
        uid="follow-up-check-in@crm",
        sequence=1,
        due_date=date(2025, 6, 30),
        reason="Four weeks since your last check-in.",
        kind_label="Check in on your rut",
        contact_name=None,
        url="https://crm.example.org/plan/#rut",
    )
    data = followups_calendar([check_in, NUDGE])
    _assert_wire_format(data)
    (event, nudge) = _vobject(data).vevent_list
    assert event.summary.value == "Check in on your rut"
    assert event.url.value == "https://crm.example.org/plan/#rut"
    assert event.description.value == (
        "Four weeks since your last check-in.\n\nhttps://crm.example.org/plan/#rut"
    )
    assert nudge.summary.value == "Follow up: Jane Doe — Nudge once"
    assert not hasattr(nudge, "url")
    parsed = _event(_ics(data), "follow-up-check-in@crm")
    assert parsed.name == "Check in on your rut"
    assert parsed.url == "https://crm.example.org/plan/#rut"


@pytest.mark.parametrize(
    ("alarm_time", "trigger", "raw"),
    [
        (time(9, 0), timedelta(hours=9), "TRIGGER:PT9H"),
        (time(14, 30), timedelta(hours=14, minutes=30), "TRIGGER:PT14H30M"),
        (time(0, 0), timedelta(0), None),
    ],
)
def test_followup_alarm_fires_at_the_time_of_day_on_the_due_day(
    alarm_time: time, trigger: timedelta, raw: str | None
) -> None:
    data = followups_calendar([NUDGE], alarm_time=alarm_time)

    alarm = _vobject(data).vevent.valarm
    assert alarm.action.value == "DISPLAY"
    assert alarm.trigger.value == trigger
    assert alarm.trigger.params.get("RELATED", ["START"]) == ["START"]
    assert alarm.description.value

    (ics_alarm,) = _event(_ics(data), NUDGE.uid).alarms
    assert ics_alarm.trigger == trigger
    if raw:
        assert raw in _unfolded(data)


def test_interview_is_written_in_utc_without_vtimezone() -> None:
    data = interview_calendar(COFFEE)

    lines = _unfolded(data)
    assert "DTSTART:20250701T193000Z" in lines
    assert "DTEND:20250701T201500Z" in lines
    assert not [line for line in lines if "VTIMEZONE" in line or "TZID" in line]

    event = _vobject(data).vevent
    assert event.dtstart.value == datetime(2025, 7, 1, 15, 30, tzinfo=NEW_YORK)
    assert event.dtstart.value.utcoffset() == timedelta(0)
    assert event.dtend.value == datetime(2025, 7, 1, 20, 15, tzinfo=UTC)
    assert event.summary.value == "Informational interview with Jane Doe, MSc"
    assert event.location.value == COFFEE.location
    assert event.url.value == COFFEE.location
    assert event.description.value == f"Prep questions:\n{COFFEE.prep_questions}"
    assert event.sequence.value == "1"

    parsed = _event(_ics(data), COFFEE.uid)
    assert parsed.begin == datetime(2025, 7, 1, 19, 30, tzinfo=UTC)
    assert parsed.end == datetime(2025, 7, 1, 20, 15, tzinfo=UTC)
    assert not parsed.all_day
    assert parsed.location == COFFEE.location
    assert parsed.url == COFFEE.location
    assert parsed.name == "Informational interview with Jane Doe, MSc"


def test_winter_interview_uses_the_standard_time_offset() -> None:
    winter = replace(COFFEE, starts_at=datetime(2025, 12, 2, 15, 30, tzinfo=NEW_YORK))
    data = interview_calendar(winter)
    assert "DTSTART:20251202T203000Z" in _unfolded(data)
    assert _ics(data).events.pop().begin == datetime(2025, 12, 2, 20, 30, tzinfo=UTC)


def test_naive_start_is_taken_as_utc() -> None:
    stored = replace(COFFEE, starts_at=datetime(2025, 7, 1, 19, 30))
    assert "DTSTART:20250701T193000Z" in _unfolded(interview_calendar(stored))


def test_a_place_is_a_location_without_url_and_blanks_are_left_out() -> None:
    cafe = replace(COFFEE, location="Blue Bottle, 66 Mint St; back table", prep_questions="  ")

    data = interview_calendar(cafe)

    event = _vobject(data).vevent
    assert event.location.value == "Blue Bottle, 66 Mint St; back table"
    assert "url" not in event.contents
    assert "description" not in event.contents
    assert "LOCATION:Blue Bottle\\, 66 Mint St\\; back table" in _unfolded(data)

    bare = _vobject(interview_calendar(replace(COFFEE, location=None))).vevent
    assert "location" not in bare.contents
    assert "url" not in bare.contents


def test_invite_has_organizer_and_attendee_with_rsvp_params() -> None:
    data = interview_invite(COFFEE, "me@example.org", "Sam Rivera")

    calendar = _vobject(data)
    assert calendar.method.value == "REQUEST"
    event = calendar.vevent
    assert event.organizer.value == "mailto:me@example.org"
    assert event.organizer.params["CN"] == ["Sam Rivera"]
    assert event.attendee.value == "mailto:jane.doe@example.org"
    assert event.attendee.params == {
        "CN": ["Jane Doe, MSc"],
        "ROLE": ["REQ-PARTICIPANT"],
        "PARTSTAT": ["NEEDS-ACTION"],
        "RSVP": ["TRUE"],
    }
    assert event.status.value == "CONFIRMED"
    assert event.sequence.value == "1"

    parsed_calendar = _ics(data)
    assert parsed_calendar.method == "REQUEST"
    parsed = _event(parsed_calendar, COFFEE.uid)
    assert parsed.organizer.email == "me@example.org"
    assert parsed.organizer.common_name == "Sam Rivera"
    (attendee,) = parsed.attendees
    assert attendee.email == "jane.doe@example.org"
    assert attendee.common_name == "Jane Doe, MSc"
    assert attendee.role == "REQ-PARTICIPANT"
    assert attendee.partstat == "NEEDS-ACTION"
    assert attendee.rsvp is True
    assert parsed.status == "CONFIRMED"
    assert parsed.begin == datetime(2025, 7, 1, 19, 30, tzinfo=UTC)


def test_names_with_quotes_and_newlines_stay_readable_in_cn() -> None:
    quoted = replace(COFFEE, contact_name='Jane "JJ"\nDoe')

    event = _vobject(interview_invite(quoted, "me@example.org", "Sam\r\nRivera")).vevent

    assert event.attendee.params["CN"] == ["Jane 'JJ' Doe"]
    assert event.organizer.params["CN"] == ["Sam Rivera"]


def test_invite_needs_both_email_addresses() -> None:
    with pytest.raises(ValueError, match="no email address"):
        interview_invite(replace(COFFEE, contact_email=None), "me@example.org", "Sam")
    with pytest.raises(ValueError, match="organizer"):
        interview_event(COFFEE, invite=True)


def test_published_calendars_carry_no_attendee() -> None:
    for data in (
        interview_calendar(COFFEE),
        feed_calendar([NUDGE], [COFFEE]),
        followups_calendar([NUDGE]),
    ):
        lines = _unfolded(data)
        assert "METHOD:PUBLISH" in lines
        assert not [line for line in lines if line.startswith(("ATTENDEE", "ORGANIZER"))]
        assert not [event.attendees for event in _ics(data).events if event.attendees]
        assert all("attendee" not in event.contents for event in _vobject(data).vevent_list)


def test_publish_refuses_an_event_with_attendees() -> None:
    invite = interview_event(COFFEE, "me@example.org", "Sam", invite=True)
    with pytest.raises(ValueError, match="PUBLISH"):
        calendar_bytes([invite], method="publish")


def test_feed_holds_followups_and_interviews_with_calendar_properties() -> None:
    data = feed_calendar([NUDGE, BANK_FOLLOWUP], [COFFEE], alarm_time=time(9), name="My follow-ups")

    calendar = _vobject(data)
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value == "-//Networking CRM//EN"
    assert calendar.calscale.value == "GREGORIAN"
    assert calendar.method.value == "PUBLISH"
    assert calendar.x_wr_calname.value == "My follow-ups"
    assert [event.uid.value for event in calendar.vevent_list] == [
        NUDGE.uid,
        BANK_FOLLOWUP.uid,
        COFFEE.uid,
    ]
    assert "valarm" not in calendar.vevent_list[2].contents

    parsed = _ics(data)
    assert parsed.creator == "-//Networking CRM//EN"
    assert parsed.method == "PUBLISH"
    assert {event.uid for event in parsed.events} == {NUDGE.uid, BANK_FOLLOWUP.uid, COFFEE.uid}
    assert _event(parsed, COFFEE.uid).begin == datetime(2025, 7, 1, 19, 30, tzinfo=UTC)


def test_plain_calendar_has_no_method_or_name() -> None:
    lines = _unfolded(calendar_bytes([followup_event(NUDGE)]))
    assert not [line for line in lines if line.startswith(("METHOD", "X-WR-CALNAME", "NAME"))]
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Networking CRM//EN",
        "CALSCALE:GREGORIAN",
    ]


def test_empty_feed_is_still_a_readable_calendar() -> None:
    data = feed_calendar([], [], name="Nothing due")
    assert _ics(data).events == set()
    assert "vevent" not in _vobject(data).contents


def test_exports_are_stable_and_sequence_comes_from_the_object() -> None:
    first = feed_calendar([NUDGE], [COFFEE], alarm_time=time(9))
    second = feed_calendar([replace(NUDGE)], [replace(COFFEE)], alarm_time=time(9))
    assert first == second  # the same data gives the same bytes, so ETags hold

    changed = replace(NUDGE, sequence=3, due_date=date(2025, 6, 5))
    later = _vobject(followups_calendar([changed])).vevent
    assert later.uid.value == NUDGE.uid
    assert later.sequence.value == "3"
    assert later.dtstart.value == date(2025, 6, 5)
    assert "SEQUENCE:3" in str(_event(_ics(followups_calendar([changed])), NUDGE.uid).extra)


def test_cjk_and_emoji_fold_at_75_octets_and_read_back_whole() -> None:
    invite = interview_invite(
        replace(COFFEE, contact_name=BANK_FOLLOWUP.contact_name), "me@x.org", "S"
    )
    for data in (followups_calendar([BANK_FOLLOWUP], alarm_time=time(9)), invite):
        _assert_wire_format(data)
        assert any(line.startswith(b" ") for line in data.split(b"\r\n"))

    data = followups_calendar([BANK_FOLLOWUP])
    summary = f"Follow up: {BANK_FOLLOWUP.contact_name} — Thank-you 🙏"
    event = _vobject(data).vevent
    assert event.summary.value == summary
    assert event.description.value == BANK_FOLLOWUP.reason
    parsed = _event(_ics(data), BANK_FOLLOWUP.uid)
    assert parsed.name == summary
    assert parsed.description == BANK_FOLLOWUP.reason

    (attendee,) = _event(_ics(invite), COFFEE.uid).attendees
    assert attendee.common_name == BANK_FOLLOWUP.contact_name


def test_followup_without_label_or_reason() -> None:
    bare = replace(NUDGE, kind_label="", reason="  ")
    event = _vobject(followups_calendar([bare])).vevent
    assert event.summary.value == "Follow up: Jane Doe"
    assert "description" not in event.contents


def test_due_datetime_is_treated_as_its_date() -> None:
    event = followup_event(replace(NUDGE, due_date=datetime(2025, 6, 3, 17, 0, tzinfo=UTC)))
    lines = _unfolded(calendar_bytes([event]))
    assert "DTSTART;VALUE=DATE:20250603" in lines
    assert "DTEND;VALUE=DATE:20250604" in lines


def test_control_characters_and_line_separators_never_reach_the_file() -> None:
    messy = replace(NUDGE, contact_name="Jane\x1b Doe", reason="one\x00 two\u2028three\r\nfour")

    data = followups_calendar([messy])

    assert not [byte for byte in data if byte < 0x20 and byte not in b"\r\n"]
    assert "\u2028".encode() not in data
    event = _vobject(data).vevent
    assert event.summary.value == "Follow up: Jane Doe — Nudge once"
    assert event.description.value == "one two\nthree\nfour"
    assert _event(_ics(data), NUDGE.uid).description == "one two\nthree\nfour"
