"""Shared steps of the outreach, follow-up and interview stories: add, log, look up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm.extensions import db
from crm.models import FollowUp

FRIDAY = date(2026, 11, 20)  # a Friday before "today" (Wed 25 Nov 2026 in these tests)
TODAY = date(2026, 11, 25)


def add(client, first, company="Acme", **extra):
    data = {"first_name": first, "last_name": "Tester", "company": company, "network": "work"}
    data.update(extra)
    response = client.post("/contacts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def log(client, contact_id, sent_on=FRIDAY, status="awaiting", channel="email", summary="Hi"):
    return client.post(
        f"/contacts/{contact_id}/outreach",
        data={
            "channel": channel,
            "sent_on": sent_on.isoformat(),
            "status": status,
            "summary": summary,
        },
    )


def followups(app, **where):
    with app.app_context():
        stmt = select(FollowUp).order_by(FollowUp.due_on, FollowUp.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(FollowUp, key) == value)
        return [(f.contact_id, f.kind, f.due_on, f.status) for f in db.session.scalars(stmt)]
