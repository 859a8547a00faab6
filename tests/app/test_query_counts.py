"""Every page issues the same number of SQL statements at 10 and at 1,000 contacts (no N+1)."""

from __future__ import annotations

import re

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, User
from tests.conftest import counting_statements
from tests.seed import seed, seed_plan


def _pages(app, email: str) -> list[str]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        contact_id = db.session.scalar(
            select(Contact.id).where(Contact.user_id == user_id).order_by(Contact.id)
        )
        interview_id = db.session.scalar(select(Interview.id).where(Interview.user_id == user_id))
    return [
        "/dashboard",
        "/plan/",
        "/contacts/",
        "/contacts/?q=career&sort=company",
        "/contacts/?sort=recent&page=2",
        f"/contacts/{contact_id}",
        f"/contacts/{contact_id}/edit",
        "/follow-ups",
        f"/interviews/{interview_id}",
        f"/interviews/{interview_id}/edit",
        "/interviews",
        f"/interviews?contact={contact_id}",
        "/settings",
        "/import",
        "/calendar",
    ]


def _counts(app, client, email: str, contacts: int) -> dict[str, int]:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        seed(user_id, contacts, outreach=contacts * 3, followups=contacts)
        seed_plan(user_id)
        owned = select(FollowUp.id).where(FollowUp.user_id == user_id)
        assert len(db.session.scalars(owned).all()) == contacts + 1  # and the check-in
    result = {}
    for url in _pages(app, email):
        with counting_statements(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        result[re.sub(r"\d+", "N", url)] = len(statements)
    return result


def test_statement_counts_do_not_grow_with_data(app, auth, client):
    app.config["CONTACTS_PER_PAGE"] = 5  # so both sizes have a second page of contacts
    auth.register(email="small@example.com")
    small = _counts(app, client, "small@example.com", 10)
    auth.logout()
    auth.register(email="large@example.com")
    large = _counts(app, client, "large@example.com", 1_000)
    assert small == large
    assert max(large.values()) <= 15, large
