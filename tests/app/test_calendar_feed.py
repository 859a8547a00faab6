"""The Calendar page and the secret, subscribable calendar feed."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import ics
import pytest
import vobject
from sqlalchemy import select

from crm.contacts.services import get_or_create_company
from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, User
from tests.conftest import TEST_PASSWORD, counting_statements, csrf_token_from

FEED_URL = re.compile(r'<code id="feed-url"[^>]*>(http[^<]+)</code>')
SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)


def owner_id(app, email: str = "jo@example.com") -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def add_contact(app, owner: int, **fields) -> int:
    with app.app_context():
        contact = Contact(user_id=owner, **fields)
        contact.company = get_or_create_company(owner, "Acme, Inc.")
        db.session.add(contact)
        db.session.commit()
        return contact.id


def add_row(app, model, contact_id: int, **fields) -> int:
    """Write a follow-up or interview for the contact's owner and return its id."""
    with app.app_context():
        owner = db.session.get(Contact, contact_id).user_id
        row = model(user_id=owner, contact_id=contact_id, **fields)
        db.session.add(row)
        db.session.commit()
        return row.id


def followup(app, contact_id: int, **fields) -> int:
    values = {"reason": "Nudge once, kindly.", "due_on": SOON.date(), **fields}
    return add_row(app, FollowUp, contact_id, **values)


def interview(app, contact_id: int, **fields) -> int:
    return add_row(app, Interview, contact_id, **{"starts_at": SOON, **fields})


def uid_of(app, model, row_id: int) -> str:
    with app.app_context():
        return db.session.get(model, row_id).uid


def make_link(client) -> str:
    """Create (or regenerate) the feed link on the Calendar page and return the URL it shows."""
    response = client.post("/calendar/link")
    assert response.status_code == 302 and response.headers["Location"] == "/calendar"
    match = FEED_URL.search(client.get("/calendar").get_data(as_text=True))
    assert match, "the Calendar page shows no feed URL"
    return match.group(1)


def feed_path(url: str) -> str:
    return url.removeprefix("http://localhost")


def read_feed(data: bytes) -> tuple[vobject.base.Component, ics.Calendar]:
    text = data.decode("utf-8")
    return vobject.readOne(text), ics.Calendar(text)


def assert_wire_format(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")


@pytest.fixture(autouse=True)
def public_address(app):
    """The address the server is configured with (CRM_BASE_URL): the test client's own."""
    app.config["BASE_URL"] = "http://localhost"


@pytest.fixture
def owner(app, user) -> int:
    return owner_id(app)


@pytest.fixture
def stranger(app):
    """A client with no cookies at all, as a calendar app polling the feed."""
    return app.test_client()


# The Calendar page


def test_calendar_page_offers_to_create_a_link_first(client, owner, app):
    page = client.get("/calendar").get_data(as_text=True)

    assert "<h1>Calendar and sync</h1>" in page
    assert "Create my calendar link" in page
    assert "Regenerate the link" not in page
    assert not FEED_URL.search(page)
    for steps in ("Google Calendar", "Apple Calendar", "Outlook"):
        assert f"<h3>{steps}</h3>" in page
    assert 'href="/follow-ups.ics">Download all open follow-ups (.ics)</a>' in page
    assert '<label for="reminder_time">Reminder time</label>' in page
    assert "0 open follow-ups" in page
    with app.app_context():
        assert db.session.get(User, owner).feed_token_hash is None


def test_creating_a_link_shows_the_full_url_and_stores_only_its_hash(client, owner, app):
    url = make_link(client)

    assert re.fullmatch(r"http://localhost/feed/[A-Za-z0-9_-]{43}\.ics", url)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    page = client.get("/calendar").get_data(as_text=True)
    assert f'href="webcal://localhost/feed/{token}.ics"' in page
    assert "Copy link" in page
    assert "Regenerate the link" in page
    with app.app_context():
        row = db.session.execute(select(User.__table__).where(User.id == owner)).one()
    assert row.feed_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(tuple(row))


def test_the_url_never_follows_the_host_a_request_names(client, owner):
    # A forged Host header must not put its host into the link the user copies.
    host = "https://evil.example:8443"
    client.post(
        "/login", data={"email": "jo@example.com", "password": TEST_PASSWORD}, base_url=host
    )
    client.post("/calendar/link", base_url=host)

    page = client.get("/calendar", base_url=host).get_data(as_text=True)

    assert FEED_URL.search(page).group(1).startswith("http://localhost/feed/")
    assert 'href="webcal://localhost/feed/' in page
    assert "evil.example" not in page


def test_without_a_base_url_the_page_shows_the_path_and_says_what_to_set(client, owner, app):
    app.config["BASE_URL"] = ""
    client.post("/calendar/link")

    page = client.get("/calendar").get_data(as_text=True)

    assert not FEED_URL.search(page)
    assert re.search(r'<code id="feed-url"[^>]*>/feed/[A-Za-z0-9_-]{43}\.ics</code>', page)
    assert "has no public address set (CRM_BASE_URL)" in page
    assert "webcal://" not in page


def test_the_page_shows_the_same_link_in_a_later_session(client, owner, auth, stranger):
    url = make_link(client)
    auth.logout()
    auth.login()

    page = client.get("/calendar").get_data(as_text=True)

    assert FEED_URL.search(page).group(1) == url
    assert stranger.get(feed_path(url)).status_code == 200


def test_a_changed_secret_key_retires_the_link_and_says_so(client, owner, app, stranger):
    url = make_link(client)
    app.config["SECRET_KEY"] = "a-new-secret"
    auth_cookie_lost = client.get("/calendar")  # the old session cookie no longer verifies
    assert auth_cookie_lost.status_code == 302

    # The stored hash no longer matches what the new key derives: the page asks for a new link.
    client.post("/login", data={"email": "jo@example.com", "password": TEST_PASSWORD})
    page = client.get("/calendar").get_data(as_text=True)
    assert not FEED_URL.search(page)
    assert "secret key changed" in page
    assert stranger.get(feed_path(url)).status_code == 200  # still answers until regenerated
    new_url = make_link(client)
    assert stranger.get(feed_path(url)).status_code == 404
    assert stranger.get(feed_path(new_url)).status_code == 200


def test_another_users_link_is_not_shown(client, owner, auth):
    make_link(client)
    auth.logout()
    auth.register(email="other@example.com")

    page = client.get("/calendar").get_data(as_text=True)

    assert not FEED_URL.search(page)
    assert "Create my calendar link" in page


def test_reminder_time_is_saved_and_cleared(client, owner, app):
    response = client.post("/calendar", data={"reminder_time": "08:15"})
    assert response.status_code == 302
    assert "Reminders pop up at 08:15" in client.get("/calendar").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, owner).reminder_time == time(8, 15)

    page = client.get("/calendar").get_data(as_text=True)
    assert 'value="08:15"' in page

    client.post("/calendar", data={"reminder_time": ""})
    with app.app_context():
        assert db.session.get(User, owner).reminder_time is None


def test_a_bad_reminder_time_is_explained_and_not_saved(client, owner, app):
    response = client.post("/calendar", data={"reminder_time": "25:99"})

    assert response.status_code == 200
    assert "Enter a time of day, like 09:00." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, owner).reminder_time is None


def test_calendar_forms_need_a_csrf_token(app_factory, app):
    guarded = app_factory(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    page = client.get("/register").get_data(as_text=True)
    client.post(
        "/register",
        data={
            "email": "jo@example.com",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
            "time_zone": "UTC",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert client.post("/calendar/link").status_code == 400
    assert client.post("/calendar", data={"reminder_time": "09:00"}).status_code == 400
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.feed_token_hash, user.reminder_time) == (None, None)

    token = csrf_token_from(client.get("/calendar").get_data(as_text=True))
    assert client.post("/calendar/link", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User)).feed_token_hash


# The feed


def test_feed_needs_no_cookie_and_holds_open_followups_and_upcoming_interviews(
    client, owner, app, stranger
):
    jane = add_contact(
        app, owner, first_name="Jane", last_name="Doe, MSc", email="jane@example.org"
    )
    max_parker = add_contact(app, owner, first_name="🟢 Max", last_name="中國銀行")
    nudge = followup(app, jane, kind="7b", reason="Nudge; kindly, once.\nThen try Ana.")
    thanks = followup(app, max_parker, kind="thank_you", due_on=SOON.date() - timedelta(days=9))
    followup(app, jane, status="done", reason="Already done")
    followup(app, jane, status="dismissed", reason="Dismissed one")
    coffee = interview(app, jane, location="Blue Bottle, Oakland", prep_questions="Ask; listen")
    interview(app, jane, starts_at=SOON - timedelta(days=10))  # over
    interview(app, jane, status="cancelled")
    interview(app, jane, status="done")
    url = make_link(client)

    response = stranger.get(feed_path(url))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"]
    assert "Content-Disposition" not in response.headers
    data = response.data
    assert_wire_format(data)
    lines = data.decode().replace("\r\n ", "").split("\r\n")
    assert "METHOD:PUBLISH" in lines
    assert "X-WR-CALNAME:Networking follow-ups" in lines
    assert not [line for line in lines if line.startswith(("ATTENDEE", "ORGANIZER"))]
    assert "DESCRIPTION:Nudge\\; kindly\\, once.\\nThen try Ana." in lines

    calendar, parsed = read_feed(data)
    expected = [uid_of(app, FollowUp, thanks), uid_of(app, FollowUp, nudge)]
    expected.append(uid_of(app, Interview, coffee))
    assert [event.uid.value for event in calendar.vevent_list] == expected
    assert calendar.method.value == "PUBLISH"
    assert {event.uid for event in parsed.events} == set(expected)
    events = {event.uid: event for event in parsed.events}
    assert events[expected[0]].name == "Follow up: 🟢 Max 中國銀行 — Send a thank-you"
    assert events[expected[1]].description == "Nudge; kindly, once.\nThen try Ana."
    coffee_event = events[expected[2]]
    assert coffee_event.begin == SOON
    assert coffee_event.location == "Blue Bottle, Oakland"
    assert not coffee_event.attendees
    assert "Already done" not in data.decode() and "Dismissed one" not in data.decode()


def test_feed_alarms_follow_the_reminder_time(client, owner, app, stranger):
    followup(app, add_contact(app, owner, first_name="Jane"))
    url = make_link(client)
    calendar, _ = read_feed(stranger.get(feed_path(url)).data)
    assert "valarm" not in calendar.vevent.contents

    client.post("/calendar", data={"reminder_time": "07:45"})

    calendar, parsed = read_feed(stranger.get(feed_path(url)).data)
    assert calendar.vevent.valarm.trigger.value == timedelta(hours=7, minutes=45)
    assert [alarm.trigger for alarm in next(iter(parsed.events)).alarms] == [
        timedelta(hours=7, minutes=45)
    ]


def test_feed_answers_304_until_something_changes(client, owner, app, stranger):
    jane = add_contact(app, owner, first_name="Jane", last_name="Doe")
    first, second = followup(app, jane), followup(app, jane, reason="Ask for a referral")
    url = make_link(client)
    path = feed_path(url)
    etag = stranger.get(path).headers["ETag"]

    again = stranger.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert stranger.get(path, headers={"If-None-Match": f'W/{etag}, "other"'}).status_code == 304
    assert stranger.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200

    def changes(change) -> str:
        nonlocal etag
        with app.app_context():
            change()
            db.session.commit()
        response = stranger.get(path, headers={"If-None-Match": etag})
        assert response.status_code == 200, "the feed changed but answered 304"
        assert response.headers["ETag"] != etag
        etag = response.headers["ETag"]
        return response.data.decode()

    def close(row_id: int, status: str):
        return lambda: setattr(db.session.get(FollowUp, row_id), "status", status)

    assert uid_of(app, FollowUp, first) not in changes(close(first, "done"))
    assert uid_of(app, FollowUp, second) not in changes(close(second, "dismissed"))

    third = followup(app, jane)
    assert stranger.get(path, headers={"If-None-Match": etag}).status_code == 200
    etag = stranger.get(path).headers["ETag"]

    def rename():
        db.session.get(Contact, jane).first_name = "Janet"

    assert "Follow up: Janet Doe" in changes(rename)
    assert "Reach a second person" in changes(
        lambda: setattr(db.session.get(FollowUp, third), "kind", "3b")
    )
    assert "VALARM" in changes(
        lambda: setattr(db.session.get(User, owner), "reminder_time", time(9))
    )


@pytest.mark.parametrize(
    "path",
    [
        "/feed/not-a-token.ics",
        "/feed/" + "A" * 43 + ".ics",
        "/feed/.ics",
        "/feed/" + "x" * 500 + ".ics",
    ],
)
def test_a_wrong_token_answers_404(client, owner, stranger, path):
    make_link(client)
    assert stranger.get(path).status_code == 404


def test_the_hash_itself_is_not_a_token(client, owner, app, stranger):
    make_link(client)
    with app.app_context():
        stored = db.session.get(User, owner).feed_token_hash
    assert stranger.get(f"/feed/{stored}.ics").status_code == 404


def test_regenerating_makes_the_old_url_answer_404(client, owner, app, stranger):
    old = make_link(client)
    assert stranger.get(feed_path(old)).status_code == 200

    client.post("/calendar/link")
    page = client.get("/calendar").get_data(as_text=True)

    assert "The old one no longer works" in page
    new = FEED_URL.search(page).group(1)
    assert new != old
    assert stranger.get(feed_path(old)).status_code == 404
    assert stranger.get(feed_path(new)).status_code == 200


def test_each_user_gets_their_own_feed(client, owner, app, auth, stranger):
    followup(app, add_contact(app, owner, first_name="Jane"), reason="Jo's own")
    jo_url = make_link(client)
    auth.logout()
    auth.register(email="other@example.com")
    followup(app, add_contact(app, owner_id(app, "other@example.com"), first_name="Ana"))
    other_url = make_link(client)

    jo_feed = stranger.get(feed_path(jo_url)).data.decode()
    other_feed = stranger.get(feed_path(other_url)).data.decode()

    assert "Jane" in jo_feed and "Ana" not in jo_feed
    assert "Ana" in other_feed and "Jane" not in other_feed


def test_an_interview_earlier_today_stays_in_the_feed(client, owner, app, stranger):
    jane = add_contact(app, owner, first_name="Jane")
    with app.app_context():
        db.session.get(User, owner).time_zone = "Pacific/Kiritimati"  # UTC+14
        db.session.commit()
    zone = ZoneInfo("Pacific/Kiritimati")
    today_start = datetime.combine(datetime.now(zone).date(), time(0), tzinfo=zone)
    kept = interview(app, jane, starts_at=today_start.astimezone(UTC) + timedelta(minutes=1))
    gone = interview(app, jane, starts_at=today_start.astimezone(UTC) - timedelta(minutes=1))
    url = make_link(client)

    data = stranger.get(feed_path(url)).data.decode()

    assert uid_of(app, Interview, kept) in data
    assert uid_of(app, Interview, gone) not in data


def test_calendar_pages_use_a_fixed_number_of_statements(client, owner, app, stranger):
    url = make_link(client)
    paths = ["/calendar", "/follow-ups.ics", feed_path(url)]

    def statements_per_path() -> list[int]:
        counts = []
        for path in paths:
            with counting_statements(app) as statements:
                caller = stranger if path.startswith("/feed/") else client
                assert caller.get(path).status_code == 200
            counts.append(len(statements))
        return counts

    jane = add_contact(app, owner, first_name="Jane")
    followup(app, jane)
    interview(app, jane)
    few = statements_per_path()
    for n in range(30):
        contact = add_contact(app, owner, first_name=f"Person {n}")
        followup(app, contact)
        interview(app, contact, starts_at=SOON + timedelta(hours=n))
    assert statements_per_path() == few


def test_the_feed_sets_no_cookie(client, owner, stranger):
    url = make_link(client)
    response = stranger.get(feed_path(url))
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
