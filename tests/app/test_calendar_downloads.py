"""Downloading follow-ups, interviews and contacts as .ics and .vcf files.

Every file is read back with parsers that share no code with the writers: vobject for
vCard and iCalendar, and the `ics` package for iCalendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import unquote

import ics
import pytest
import vobject
from sqlalchemy import select

from crm.calendar import services
from crm.contacts.services import get_or_create_company, set_tags
from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, User

CJK_BANK = "中國銀行（香港）有限公司"
REASON = "Ask about her move into data; she offered, kindly, an intro.\nBring the article."
PREP = "How did you move from analyst to principal?\nWhat would you do again; what not?"


def user_id(app, email: str = "jo@example.com") -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def add_contact(app, owner: int, company: str | None = None, tags: str = "", **fields) -> int:
    """Write a contact straight to the database and return its id."""
    with app.app_context():
        contact = Contact(user_id=owner, **fields)
        contact.company = get_or_create_company(owner, company)
        db.session.add(contact)
        set_tags(contact, tags)
        db.session.commit()
        return contact.id


def add_followup(app, contact_id: int, **fields) -> int:
    """Write a follow-up for the contact's owner and return its id."""
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        values = {"reason": "Nudge once, kindly.", "due_on": date(2031, 6, 3), **fields}
        row = FollowUp(user_id=contact.user_id, contact_id=contact_id, **values)
        db.session.add(row)
        db.session.commit()
        return row.id


def add_interview(app, contact_id: int, **fields) -> int:
    """Write an informational interview for the contact's owner and return its id."""
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        values = {"starts_at": datetime(2031, 7, 1, 19, 30, tzinfo=UTC), **fields}
        row = Interview(user_id=contact.user_id, contact_id=contact_id, **values)
        db.session.add(row)
        db.session.commit()
        return row.id


def jane(app, owner: int) -> int:
    return add_contact(
        app,
        owner,
        company="Acme, Inc.",
        tags="mentor, data",
        first_name="Jane",
        last_name="Doe, MSc",
        email="jane.doe@example.org",
        phone="+1 415 555 0100",
        title="Principal; Data and AI",
        network="alumni",
        linkedin_url="https://www.linkedin.com/in/jane-doe-1a2b3c",
        notes="Met at the alumni mixer.\nShe offered an intro; ask, kindly.",
    )


def max_parker(app, owner: int) -> int:
    return add_contact(
        app,
        owner,
        company=CJK_BANK,
        tags="香港",
        first_name="🟢 Max",
        last_name="Parker🏳️‍🌈",
        email="max@example.hk",
        network="work",
    )


def chen(app, owner: int) -> int:
    """A contact whose whole name is in Chinese script and who has no email."""
    return add_contact(app, owner, first_name="美玲", last_name="陳", network="family")


def assert_wire_format(data: bytes) -> None:
    """CRLF after every line, none longer than 75 octets, no fold inside a UTF-8 character."""
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")


def unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def read_ics(data: bytes) -> tuple[vobject.base.Component, ics.Calendar]:
    """Parse an iCalendar file with both independent parsers."""
    text = data.decode("utf-8")
    return vobject.readOne(text), ics.Calendar(text)


def file_names(response) -> tuple[str, str | None]:
    """The ASCII and the UTF-8 file names of an attachment."""
    kind, _, rest = response.headers["Content-Disposition"].partition(";")
    assert kind == "attachment"
    params = dict(part.strip().split("=", 1) for part in rest.split(";"))
    ascii_name = params["filename"].strip('"')
    ascii_name.encode("ascii")
    utf8_name = params.get("filename*")
    return ascii_name, unquote(utf8_name.removeprefix("UTF-8''")) if utf8_name else None


@pytest.fixture
def owner(app, user) -> int:
    return user_id(app)


# Follow-ups


def test_followup_downloads_as_an_all_day_event(client, app, owner):
    followup_id = add_followup(
        app, max_parker(app, owner), kind="7b", reason=REASON, due_on=date(2031, 12, 31), sequence=2
    )
    with app.app_context():
        uid = db.session.get(FollowUp, followup_id).uid

    response = client.get(f"/follow-ups/{followup_id}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert file_names(response) == (
        "Follow-up-Max-Parker-2031-12-31.ics",
        "Follow-up 🟢 Max Parker🏳️‍🌈 2031-12-31.ics",
    )
    data = response.data
    assert_wire_format(data)
    lines = unfolded(data)
    assert "METHOD:PUBLISH" in lines
    assert "DTSTART;VALUE=DATE:20311231" in lines
    assert "DTEND;VALUE=DATE:20320101" in lines
    escaped = (
        "Ask about her move into data\\; she offered\\, kindly\\, an intro.\\nBring the article."
    )
    assert f"DESCRIPTION:{escaped}" in lines
    assert "SEQUENCE:2" in lines
    assert not [line for line in lines if line.startswith("BEGIN:VALARM")]

    calendar, parsed = read_ics(data)
    event = calendar.vevent
    assert event.uid.value == uid
    assert event.summary.value == "Follow up: 🟢 Max Parker🏳️‍🌈 — Nudge once"
    assert event.description.value == REASON
    assert event.dtstart.value == date(2031, 12, 31)
    (parsed_event,) = parsed.events
    assert parsed_event.uid == uid
    assert parsed_event.all_day
    assert parsed_event.begin.date() == date(2031, 12, 31)
    assert parsed_event.name == "Follow up: 🟢 Max Parker🏳️‍🌈 — Nudge once"
    assert parsed_event.description == REASON


def test_manual_followup_title_carries_its_reason(client, app, owner):
    long_reason = "Send Jane the article about analytics bootcamps " + "and more " * 10
    followup_id = add_followup(app, jane(app, owner), kind="manual", reason=long_reason)

    calendar, _ = read_ics(client.get(f"/follow-ups/{followup_id}.ics").data)

    title = calendar.vevent.summary.value
    assert title.startswith("Follow up: Jane Doe, MSc — Send Jane the article")
    assert title.endswith("…") and len(title) < 100
    assert calendar.vevent.description.value == long_reason.strip()


@pytest.mark.parametrize(
    ("reminder", "trigger"),
    [(time(8, 30), timedelta(hours=8, minutes=30)), (time(0, 0), timedelta(0)), (None, None)],
)
def test_followup_download_carries_the_reminder_time(client, app, owner, reminder, trigger):
    with app.app_context():
        db.session.get(User, owner).reminder_time = reminder
        db.session.commit()
    followup_id = add_followup(app, jane(app, owner))

    data = client.get(f"/follow-ups/{followup_id}.ics").data

    calendar, parsed = read_ics(data)
    (event,) = parsed.events
    if trigger is None:
        assert "valarm" not in calendar.vevent.contents
        assert not event.alarms
    else:
        assert calendar.vevent.valarm.trigger.value == trigger
        assert [alarm.trigger for alarm in event.alarms] == [trigger]


def test_all_open_followups_download_in_one_file(client, app, owner, auth):
    contact_id = jane(app, owner)
    open_ids = [
        add_followup(app, contact_id, due_on=date(2031, 6, 3)),
        add_followup(app, max_parker(app, owner), due_on=date(2031, 6, 1), kind="thank_you"),
    ]
    add_followup(app, contact_id, status="done", reason="Done already")
    add_followup(app, contact_id, status="dismissed", reason="Dismissed")
    auth.logout()
    auth.register(email="other@example.com")
    add_followup(app, jane(app, user_id(app, "other@example.com")), reason="Someone else's")
    auth.logout()
    auth.login()

    response = client.get("/follow-ups.ics")

    assert response.status_code == 200
    assert file_names(response) == ("follow-ups.ics", None)
    assert_wire_format(response.data)
    calendar, parsed = read_ics(response.data)
    with app.app_context():
        uids = [db.session.get(FollowUp, i).uid for i in open_ids]
    # Soonest first, and the same UIDs as the one-by-one downloads, so clients update, not copy.
    assert [event.uid.value for event in calendar.vevent_list] == uids[::-1]
    assert {event.uid for event in parsed.events} == set(uids)
    single = vobject.readOne(client.get(f"/follow-ups/{open_ids[0]}.ics").data.decode())
    assert single.vevent.uid.value == uids[0]
    assert "Dismissed" not in response.data.decode() and "else's" not in response.data.decode()


def test_no_open_followups_still_gives_a_readable_calendar(client, owner):
    response = client.get("/follow-ups.ics")
    calendar, parsed = read_ics(response.data)
    assert parsed.events == set()
    assert calendar.prodid.value


def test_a_changed_date_keeps_the_uid_and_raises_the_sequence(client, app, owner):
    followup_id = add_followup(app, jane(app, owner))
    first = vobject.readOne(client.get(f"/follow-ups/{followup_id}.ics").data.decode()).vevent
    with app.app_context():
        row = db.session.get(FollowUp, followup_id)
        row.due_on, row.sequence = date(2031, 6, 10), row.sequence + 1
        db.session.commit()

    later = vobject.readOne(client.get(f"/follow-ups/{followup_id}.ics").data.decode()).vevent

    assert later.uid.value == first.uid.value
    assert (first.sequence.value, later.sequence.value) == ("0", "1")
    assert later.dtstart.value == date(2031, 6, 10)


# Interviews


def test_interview_downloads_for_your_own_calendar_in_utc(client, app, owner):
    interview_id = add_interview(
        app,
        jane(app, owner),
        starts_at=datetime(2031, 7, 1, 19, 30, tzinfo=UTC),
        duration_minutes=45,
        location="Blue Bottle, 300 Webster St; Oakland",
        prep_questions=PREP,
        sequence=1,
    )
    with app.app_context():
        db.session.get(User, owner).time_zone = "Asia/Tokyo"
        db.session.commit()

    response = client.get(f"/interviews/{interview_id}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    # The file name has the day in the user's time zone: 04:30 on 2 July in Tokyo.
    assert file_names(response)[0] == "Interview-Jane-Doe-MSc-2031-07-02.ics"
    data = response.data
    assert_wire_format(data)
    lines = unfolded(data)
    assert "DTSTART:20310701T193000Z" in lines
    assert "DTEND:20310701T201500Z" in lines
    assert "LOCATION:Blue Bottle\\, 300 Webster St\\; Oakland" in lines
    assert "METHOD:PUBLISH" in lines
    assert not [line for line in lines if line.startswith(("ATTENDEE", "ORGANIZER", "TZID"))]

    calendar, parsed = read_ics(data)
    assert calendar.vevent.dtstart.value == datetime(2031, 7, 1, 19, 30, tzinfo=UTC)
    assert calendar.vevent.description.value == f"Prep questions:\n{PREP}"
    assert calendar.vevent.sequence.value == "1"
    (event,) = parsed.events
    assert event.begin == datetime(2031, 7, 1, 19, 30, tzinfo=UTC)
    assert event.duration == timedelta(minutes=45)
    assert event.location == "Blue Bottle, 300 Webster St; Oakland"
    assert event.name == "Informational interview with Jane Doe, MSc"


def test_invite_goes_from_the_user_to_the_contact(client, app, owner):
    interview_id = add_interview(
        app,
        max_parker(app, owner),
        location="https://meet.example.com/abc-defg-hij",
        prep_questions=PREP,
        sequence=3,
    )

    response = client.get(f"/interviews/{interview_id}/invite.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    ascii_name, utf8_name = file_names(response)
    assert ascii_name == "Invitation-Max-Parker-2031-07-01.ics"
    assert utf8_name == "Invitation 🟢 Max Parker🏳️‍🌈 2031-07-01.ics"
    data = response.data
    assert_wire_format(data)
    lines = unfolded(data)
    assert "METHOD:REQUEST" in lines
    assert "SEQUENCE:3" in lines

    calendar, parsed = read_ics(data)
    event = calendar.vevent
    assert calendar.method.value == "REQUEST"
    assert event.organizer.value == "mailto:jo@example.com"
    assert event.attendee.value == "mailto:max@example.hk"
    assert event.attendee.params["CN"] == ["🟢 Max Parker🏳️‍🌈"]
    assert event.attendee.params["ROLE"] == ["REQ-PARTICIPANT"]
    assert event.attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert event.attendee.params["RSVP"] == ["TRUE"]
    assert event.location.value == "https://meet.example.com/abc-defg-hij"
    # The contact receives it: it names the user, and the user's prep notes stay private.
    assert event.summary.value == "Informational interview with jo@example.com"
    assert "Prep questions" not in data.decode() and "analyst to principal" not in data.decode()
    (parsed_event,) = parsed.events
    assert parsed.method == "REQUEST"
    assert parsed_event.organizer.email == "jo@example.com"
    (attendee,) = parsed_event.attendees
    assert (attendee.email, attendee.common_name) == ("max@example.hk", "🟢 Max Parker🏳️‍🌈")
    assert attendee.rsvp is True


def test_invite_without_an_email_says_so_on_the_contact_page(client, app, owner):
    contact_id = chen(app, owner)
    interview_id = add_interview(app, contact_id)

    response = client.get(f"/interviews/{interview_id}/invite.ics")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/contacts/{contact_id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "美玲 陳 has no email address yet" in page
    assert "Add their email" in page
    # The user's own copy needs no email.
    assert client.get(f"/interviews/{interview_id}.ics").status_code == 200


# Contacts


def test_contact_downloads_as_a_vcard(client, app, owner):
    contact_id = jane(app, owner)

    response = client.get(f"/contacts/{contact_id}.vcf")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
    assert file_names(response) == ("Jane-Doe-MSc.vcf", "Jane Doe, MSc.vcf")
    data = response.data
    assert_wire_format(data)
    lines = unfolded(data)
    assert "N:Doe\\, MSc;Jane;;;" in lines
    assert "ORG:Acme\\, Inc." in lines
    assert "TITLE:Principal\\; Data and AI" in lines
    assert "NOTE:Met at the alumni mixer.\\nShe offered an intro\\; ask\\, kindly." in lines

    (card,) = vobject.readComponents(data.decode("utf-8"))
    with app.app_context():
        assert card.uid.value == db.session.get(Contact, contact_id).uid
    assert card.version.value == "3.0"
    assert card.fn.value == "Jane Doe, MSc"
    assert (card.n.value.given, card.n.value.family) == ("Jane", "Doe, MSc")
    assert card.org.value == ["Acme, Inc."]
    assert card.title.value == "Principal; Data and AI"
    assert card.email.value == "jane.doe@example.org"
    assert card.tel.value == "+1 415 555 0100"
    assert card.url.value == "https://www.linkedin.com/in/jane-doe-1a2b3c"
    assert card.x_socialprofile.value == "https://www.linkedin.com/in/jane-doe-1a2b3c"
    assert card.note.value == "Met at the alumni mixer.\nShe offered an intro; ask, kindly."
    assert card.categories.value == ["alumni", "data", "mentor"]


def test_non_latin_names_get_a_plain_fallback_file_name(client, app, owner):
    response = client.get(f"/contacts/{chen(app, owner)}.vcf")

    assert file_names(response) == ("contact.vcf", "美玲 陳.vcf")
    (card,) = vobject.readComponents(response.data.decode("utf-8"))
    assert card.fn.value == "美玲 陳"
    assert (card.n.value.given, card.n.value.family) == ("美玲", "陳")


def test_contact_list_downloads_as_filtered(client, app, owner, auth):
    jane(app, owner)
    max_parker(app, owner)
    chen(app, owner)
    add_contact(app, owner, company="Acme, Inc.", first_name="Ana", last_name="Lima")
    auth.logout()
    auth.register(email="other@example.com")
    add_contact(app, user_id(app, "other@example.com"), first_name="Jane", last_name="Other")
    auth.logout()
    auth.login()

    def names(query: str = "") -> list[str]:
        response = client.get("/contacts.vcf" + query)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/vcard; charset=utf-8"
        assert file_names(response) == ("contacts.vcf", None)
        if response.data:  # no match gives an empty file
            assert_wire_format(response.data)
        return [card.fn.value for card in vobject.readComponents(response.data.decode("utf-8"))]

    everyone = ["Jane Doe, MSc", "Ana Lima", "🟢 Max Parker🏳️‍🌈", "美玲 陳"]
    assert names() == everyone  # sorted by last name, as the list page sorts
    assert names("?q=jane") == ["Jane Doe, MSc"]
    assert names("?q=%E9%8A%80%E8%A1%8C") == ["🟢 Max Parker🏳️‍🌈"]  # 銀行, in the company
    assert names("?network=family") == ["美玲 陳"]
    assert names("?tag=MENTOR") == ["Jane Doe, MSc"]
    assert names("?company=acme,%20inc.&sort=recent") == ["Ana Lima", "Jane Doe, MSc"]
    assert names("?network=nonsense&q=") == everyone
    assert names("?q=nobody-has-this") == []


def test_contact_list_streams_in_chunks(client, app, owner, monkeypatch):
    for n in range(5):
        add_contact(app, owner, first_name=f"Person{n}", last_name="Tester")
    monkeypatch.setattr(services, "CARDS_PER_CHUNK", 2)

    response = client.get("/contacts.vcf", buffered=False)

    assert response.is_streamed
    chunks = list(response.response)
    response.close()
    assert len(chunks) == 3
    cards = list(vobject.readComponents(b"".join(chunks).decode("utf-8")))
    assert [card.fn.value for card in cards] == [f"Person{n} Tester" for n in range(5)]


# Scoping: every id in a URL belongs to the logged-in user.


@pytest.mark.parametrize(
    "template",
    [
        "/follow-ups/{followup}.ics",
        "/interviews/{interview}.ics",
        "/interviews/{interview}/invite.ics",
        "/contacts/{contact}.vcf",
    ],
)
def test_another_users_ids_answer_404(client, app, auth, template):
    auth.register(email="owner@example.com")
    contact = jane(app, user_id(app, "owner@example.com"))
    ids = {
        "contact": contact,
        "followup": add_followup(app, contact),
        "interview": add_interview(app, contact),
    }
    assert client.get(template.format(**ids)).status_code == 200
    auth.logout()
    auth.register(email="intruder@example.com")

    response = client.get(template.format(**ids))

    assert response.status_code == 404
    assert "Jane" not in response.get_data(as_text=True)
    assert client.get(template.format(followup=999, interview=999, contact=999)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/follow-ups/1.ics",
        "/follow-ups.ics",
        "/interviews/1.ics",
        "/interviews/1/invite.ics",
        "/contacts/1.vcf",
        "/contacts.vcf",
        "/calendar",
    ],
)
def test_downloads_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
