"""Messages are signed with the name you give (asked at registration, optional), never with
your email's local part; and a thank-you written after the day says so in its words."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from crm.extensions import db
from crm.models import User
from tests.app.networking import add
from tests.conftest import TEST_PASSWORD


def register(client, name: str | None):
    data = {"email": "maria@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD}
    data["time_zone"] = "UTC"
    if name is not None:
        data["name"] = name
    return client.post("/register", data=data)


def template_text(client, contact_id: int, kind: str = "first_outreach") -> dict:
    return client.get(f"/contacts/{contact_id}/templates/{kind}.json").get_json()


def test_registration_asks_for_a_name_and_says_it_is_optional(client):
    page = client.get("/register").get_data(as_text=True)
    assert '<label for="name">Name</label>' in page
    assert "Optional. Your messages are signed with it" in page


def test_a_name_given_at_registration_signs_the_messages(client, app, fixed_today):
    assert register(client, "  María   López ").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.name)) == "María López"
    sam = add(client, "Sam", email="sam@example.com")
    message = template_text(client, sam)
    assert message["body"].endswith("Thank you for considering it,\nMaría López")
    page = client.get(f"/contacts/{sam}").get_data(as_text=True)
    assert 'id="sign-off-hint"' not in page


def test_without_a_name_nothing_is_signed_and_the_form_says_where_to_set_it(client, fixed_today):
    assert register(client, None).status_code == 302
    sam = add(client, "Sam", email="sam@example.com")
    message = template_text(client, sam)
    assert "maria" not in message["body"].lower()
    assert message["body"].endswith("what advice you would give someone starting out?")
    assert "Your name is not set, so the sign-off was left out" in " ".join(message["notes"])
    page = client.get(f"/contacts/{sam}").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="sign-off-hint">(.*?)</p>', page).group(1)
    assert "you have not set one yet" in hint
    assert 'href="/account#profile-heading">add your name in Account</a>' in hint
    # Once set on the Account page, the hint goes and the messages are signed.
    client.post("/account/profile", data={"name": "Maria", "email": "maria@example.com"})
    assert 'id="sign-off-hint"' not in client.get(f"/contacts/{sam}").get_data(as_text=True)
    assert template_text(client, sam)["body"].endswith("Thank you for considering it,\nMaria")


def _interview_done(client, contact_id: int, day: str) -> None:
    response = client.post(
        f"/contacts/{contact_id}/interviews/new",
        data={"day": day, "start": "09:30", "duration_minutes": "30"},
    )
    interview_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/interviews/{interview_id}/done")


def _thank_you_links(client) -> list[str]:
    body = client.get("/follow-ups").get_data(as_text=True)
    links = [html.unescape(h) for h in re.findall(r'href="(mailto:[^"]+)"', body)]
    queries = [parse_qs(urlsplit(link).query) for link in links if "subject=" in link]
    return [q["body"][0] for q in queries if q["subject"] == ["Thank you, Jane"]]


def test_the_thank_you_says_today_only_on_the_day_of_the_interview(client, clock):
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # a Wednesday
    register(client, "Maria")
    jane = add(client, "Jane", email="jane@example.com")
    _interview_done(client, jane, "2026-11-25")
    assert "Thank you for your time today." in template_text(client, jane, "thank_you")["body"]
    assert "Thank you for your time today." in _thank_you_links(client)[0]
    # The next day the same thank-you (now due) no longer says "today".
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    late = template_text(client, jane, "thank_you")["body"]
    assert "today" not in late
    assert "Thank you again for your time and for sharing your story." in late
    (link,) = _thank_you_links(client)
    assert "today" not in link and "Thank you again for your time" in link


def test_an_interview_marked_done_days_later_gets_a_late_thank_you(client, clock):
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))  # a Friday
    register(client, "Maria")
    jane = add(client, "Jane", email="jane@example.com")
    _interview_done(client, jane, "2026-11-23")
    assert "today" not in template_text(client, jane, "thank_you")["body"]
    (link,) = _thank_you_links(client)
    assert "today" not in link
