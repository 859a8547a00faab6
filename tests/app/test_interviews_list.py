"""The Interviews page: coming and past, names linked, times in the user's zone, only theirs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.app.test_interview_page import add_contact, schedule


def now() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def section(page: str, heading: str) -> str:
    start = page.index(f">{heading}</h2>")
    end = page.find("<h2", start)
    return page[start : end if end != -1 else len(page)]


def test_empty_page_says_what_to_do(client, user):
    page = client.get("/interviews").get_data(as_text=True)
    assert "No interviews yet" in page
    assert "Schedule interview" in page and 'href="/contacts/"' in page


def test_coming_and_past_with_names_linked_and_status(client, user, app):
    jane = add_contact(client, "Jane")
    ravi = add_contact(client, "Ravi", company="Globex")
    soon = schedule(client, jane, now() + timedelta(days=2))
    later = schedule(client, ravi, now() + timedelta(days=9))
    held = schedule(client, ravi, now() - timedelta(days=3))
    forgotten = schedule(client, jane, now() - timedelta(days=1))
    called_off = schedule(client, jane, now() + timedelta(days=5))
    client.post(f"/interviews/{held}/done")
    client.post(f"/interviews/{called_off}/cancel")

    page = client.get("/interviews").get_data(as_text=True)
    coming, past = section(page, "Coming up"), section(page, "Past")
    ids = lambda html: [int(i) for i in re.findall(r'href="/interviews/(\d+)"', html)]  # noqa: E731
    assert ids(coming) == [soon, called_off, later]  # soonest first
    assert ids(past) == [forgotten, forgotten, held]  # latest first; "did it happen?" links too
    assert f'href="/contacts/{jane}">Jane Doe</a>' in coming
    assert f'href="/contacts/{ravi}">Ravi Doe</a> <span class="muted">· Globex' in past
    assert "Cancelled" in coming and "Done" in past and "did it happen?" in past


def test_times_are_in_the_users_zone(client, auth, app):
    auth.register(email="tokyo@example.com", time_zone="Asia/Tokyo")
    jane = add_contact(client)
    start = (now() + timedelta(days=3)).astimezone(ZoneInfo("Asia/Tokyo"))
    # The form takes the user's wall clock; the page shows the same wall clock back.
    schedule(client, jane, start.replace(hour=9, minute=30))
    page = client.get("/interviews").get_data(as_text=True)
    assert f"{start:%a %d %b}, 09:30" in page
    assert "Asia/Tokyo" in page


def test_one_contacts_interviews_and_links_from_dashboard_and_contact(client, user):
    jane = add_contact(client, "Jane")
    ravi = add_contact(client, "Ravi")
    mine = schedule(client, jane, now() + timedelta(days=2))
    theirs = schedule(client, ravi, now() + timedelta(days=2))
    page = client.get(f"/interviews?contact={jane}").get_data(as_text=True)
    assert "Interviews with Jane Doe" in page
    assert f"/interviews/{mine}" in page and f"/interviews/{theirs}" not in page
    assert 'href="/interviews"' in client.get("/dashboard").get_data(as_text=True)
    contact_page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert f'href="/interviews?contact={jane}"' in contact_page
    assert 'href="/interviews"' in contact_page


def test_another_users_interviews_never_show_and_their_contact_is_404(client, auth, app):
    auth.register(email="jo@example.com")
    jane = add_contact(client, "Jane", first_name="<script>alert(1)</script>")
    schedule(client, jane, now() + timedelta(days=2))
    page = client.get("/interviews").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    auth.logout()
    auth.register(email="mallory@example.com")
    page = client.get("/interviews").get_data(as_text=True)
    assert "No interviews yet" in page and "alert(1)" not in page
    assert client.get(f"/interviews?contact={jane}").status_code == 404
    assert client.get("/interviews?contact=abc").status_code == 200
