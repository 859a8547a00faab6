"""The interview page: every button keeps the notes typed, Mark as done once it has started,
a link for a web address, and bad input gets a message with nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview

NOTES = {
    "career_path": "Teacher, then a bootcamp, then analyst",
    "advice": "Build a portfolio <script>alert(1)</script>",
    "resources": "The Data Club meetup",
    "assignments": "",
    "referrals": "Ravi at Globex",
}


def add_contact(client, first="Jane", **extra) -> int:
    data = {"first_name": first, "last_name": "Doe", "company": "Acme", "network": "work"}
    data.update(extra)
    response = client.post("/contacts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def schedule(client, contact_id: int, start: datetime, location: str = "") -> int:
    response = client.post(
        f"/contacts/{contact_id}/interviews/new",
        data={
            "day": start.date().isoformat(),
            "start": start.strftime("%H:%M"),
            "duration_minutes": "30",
            "location": location,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def stored(app, interview_id: int) -> Interview:
    with app.app_context():
        interview = db.session.get(Interview, interview_id)
        db.session.expunge(interview)
        return interview


def notes_of(interview: Interview) -> dict:
    return {section: getattr(interview, section) or "" for section in NOTES}


def now() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


@pytest.fixture
def held(client, user):
    """An interview with Jane that began yesterday, still marked scheduled."""
    jane = add_contact(client)
    return schedule(client, jane, now() - timedelta(days=1))


@pytest.fixture
def coming(client, user):
    """An interview with Jane in four days."""
    jane = add_contact(client)
    return schedule(client, jane, now() + timedelta(days=4))


def test_mark_as_done_saves_the_notes_typed_with_it(client, app, held):
    response = client.post(f"/interviews/{held}/done", data=NOTES)
    assert response.status_code == 302
    interview = stored(app, held)
    assert interview.status == "done"
    assert notes_of(interview) == {**NOTES, "assignments": ""}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Notes saved." in page and "Well done!" in page
    assert "Build a portfolio &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_cancel_saves_the_notes_typed_with_it(client, app, held):
    client.post(f"/interviews/{held}/cancel", data=NOTES)
    interview = stored(app, held)
    assert interview.status == "cancelled"
    assert interview.career_path == NOTES["career_path"]


def test_edit_saves_the_notes_then_opens_the_edit_form(client, app, coming):
    response = client.post(f"/interviews/{coming}/notes", data={**NOTES, "then": "edit"})
    assert response.headers["Location"] == f"/interviews/{coming}/edit"
    assert stored(app, coming).referrals == "Ravi at Globex"
    assert "Notes saved." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_adding_an_offered_introduction_saves_the_notes_first(client, app, held):
    response = client.post(f"/interviews/{held}/notes", data={**NOTES, "then": "introduce"})
    jane = stored(app, held).contact_id
    assert response.headers["Location"] == f"/contacts/new?introduced_by={jane}"
    assert stored(app, held).advice == NOTES["advice"]
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Jane Doe"' in form


def test_an_unknown_next_step_just_returns_to_the_page(client, app, held):
    response = client.post(
        f"/interviews/{held}/notes", data={**NOTES, "then": "https://evil.example/"}
    )
    assert response.headers["Location"] == f"/interviews/{held}"
    assert stored(app, held).resources == NOTES["resources"]


def test_thank_you_button_keeps_notes_changed_after_the_interview(client, app, held):
    client.post(f"/interviews/{held}/done", data=NOTES)
    later = {**NOTES, "assignments": "Sketch a dashboard for the meetup"}
    client.post(f"/interviews/{held}/thank-you", data=later)
    interview = stored(app, held)
    assert interview.thank_you_sent_on is not None
    assert interview.assignments == "Sketch a dashboard for the meetup"


def test_a_refused_action_still_keeps_the_notes(client, app, coming):
    # Too early to mark it done: the notes are kept all the same, and the page says why.
    response = client.post(f"/interviews/{coming}/done", data=NOTES)
    interview = stored(app, coming)
    assert interview.status == "scheduled"
    assert interview.career_path == NOTES["career_path"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mark it done once it has happened" in page and "Notes saved." in page
    with app.app_context():
        assert db.session.scalars(select(FollowUp)).all() == []


def test_a_bare_button_from_another_page_never_erases_notes(client, app, held):
    client.post(f"/interviews/{held}/notes", data=NOTES)
    client.post(f"/interviews/{held}/done", data={})  # e.g. from a list, no notes fields
    interview = stored(app, held)
    assert interview.status == "done"
    assert interview.career_path == NOTES["career_path"]


def test_notes_too_long_are_shown_back_and_nothing_is_done(client, app, held):
    huge = {**NOTES, "advice": "x" * 20_001}
    response = client.post(f"/interviews/{held}/done", data=huge)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was saved yet" in page
    assert NOTES["career_path"] in page  # what was typed is still in the boxes
    interview = stored(app, held)
    assert interview.status == "scheduled" and interview.career_path is None


def test_before_it_starts_the_page_says_when_and_offers_edit_not_done(client, app, coming):
    start = stored(app, coming).starts_at
    page = client.get(f"/interviews/{coming}").get_data(as_text=True)
    when = f"{start:%A} {start.day} {start:%B} at {start:%H:%M}, in 4 days"
    assert f"It is on {when}." in page
    assert "Mark as done" not in page
    assert '<button type="submit" form="interview-notes" name="then" value="edit">Edit' in page


def test_once_it_has_started_mark_as_done_is_the_main_action(client, app, held):
    page = client.get(f"/interviews/{held}").get_data(as_text=True)
    done = page.index(">Mark as done</button>")
    edit = page.index('value="edit" class="secondary">Edit</button>')
    assert done < edit
    assert "It is on" not in page


def test_an_interview_that_started_minutes_ago_can_be_marked_done(client, app, user):
    jane = add_contact(client)
    interview = schedule(client, jane, now() - timedelta(minutes=5))
    client.post(f"/interviews/{interview}/done", data=NOTES)
    assert stored(app, interview).status == "done"


def test_every_leaving_button_on_the_page_submits_the_notes_form(client, held):
    page = client.get(f"/interviews/{held}").get_data(as_text=True)
    for label in ("Mark as done", "Edit", "Cancel interview"):
        button = page.split(f">{label}</button>")[0].rsplit("<button", 1)[1]
        assert 'form="interview-notes"' in button
    assert 'name="then" value="introduce"' in page
    assert "<script>" not in page.split("<main")[1].split("</main>")[0]
    assert "onclick" not in page and "onsubmit" not in page


@pytest.mark.parametrize(
    ("location", "link"),
    [
        ("https://meet.example.com/abc-defg", True),
        ("http://zoom.example/j/1?pwd=x", True),
        ("javascript:alert(document.cookie)", False),
        ("Café Central, Herrengasse 14", False),
        ('https://x.example/"><script>alert(1)</script>', False),
    ],
)
def test_a_web_address_is_a_link_and_anything_else_text(client, user, location, link):
    jane = add_contact(client)
    interview = schedule(client, jane, now() + timedelta(days=2), location=location)
    page = client.get(f"/interviews/{interview}").get_data(as_text=True)
    assert ('href="' + location + '"' in page) is link
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page


def test_another_users_interview_keeps_its_notes_and_answers_404(client, auth, app, held):
    client.post(f"/interviews/{held}/notes", data=NOTES)
    auth.logout()
    auth.register(email="mallory@example.com")
    for action in ("done", "cancel", "notes", "thank-you"):
        response = client.post(f"/interviews/{held}/{action}", data={"career_path": "gone"})
        assert response.status_code == 404
    interview = stored(app, held)
    assert interview.career_path == NOTES["career_path"] and interview.status == "scheduled"
    with app.app_context():
        assert db.session.scalar(select(Contact.first_name)) == "Jane"
