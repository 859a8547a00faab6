"""Every address that takes an id answers 404 for another user's rows."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.models import FollowUp, Outreach
from tests.app.networking import add, log


def test_other_users_ids_answer_404_on_every_new_url(client, auth, app, fixed_today):
    auth.register(email="owner@example.com")
    jane = add(client, "Jane")
    log(client, jane)
    interview = (
        client.post(
            f"/contacts/{jane}/interviews/new",
            data={"day": "2026-12-01", "start": "10:00", "duration_minutes": "30"},
        )
        .headers["Location"]
        .rsplit("/", 1)[1]
    )
    with app.app_context():
        outreach_id = db.session.scalar(select(Outreach.id))
        followup_id = db.session.scalar(select(FollowUp.id))
    auth.logout()
    auth.register(email="other@example.com")
    gets = [
        f"/interviews/{interview}",
        f"/interviews/{interview}/edit",
        f"/contacts/{jane}/interviews/new",
    ]
    posts = [
        f"/contacts/{jane}/outreach",
        f"/outreach/{outreach_id}/status",
        f"/follow-ups/{followup_id}/done",
        f"/follow-ups/{followup_id}/dismiss",
        f"/follow-ups/{followup_id}/snooze",
        f"/contacts/{jane}/follow-ups",
        f"/contacts/{jane}/cadence",
        f"/contacts/{jane}/notes",
        f"/interviews/{interview}/done",
        f"/interviews/{interview}/notes",
        f"/interviews/{interview}/cancel",
        f"/interviews/{interview}/thank-you",
        f"/interviews/{interview}/edit",
        f"/contacts/{jane}/interviews/new",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, data={"status": "replied", "days": "1"}).status_code == 404, url
    with app.app_context():
        assert db.session.get(FollowUp, followup_id).status == "open"
        assert db.session.get(Outreach, outreach_id).status == "awaiting"
