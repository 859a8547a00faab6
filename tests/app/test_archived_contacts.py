"""Archived contacts (deleted on a synced device): out of the list, search and exports; back
with Restore."""

from __future__ import annotations

from datetime import UTC, datetime

from crm.extensions import db
from crm.models import Contact
from tests.app.test_calendar_downloads import add_contact, user_id


def test_an_archived_contact_leaves_the_list_search_and_export_until_restored(app, client, user):
    owner = user_id(app)
    add_contact(app, owner, first_name="Ada", last_name="Lovelace")
    gone = add_contact(
        app,
        owner,
        first_name="Grace",
        last_name="Hopper",
        archived_at=datetime(2026, 12, 1, tzinfo=UTC),
    )

    listing = client.get("/contacts/").get_data(as_text=True)
    assert "Ada Lovelace" in listing and "Grace Hopper" not in listing
    assert "Grace" not in client.get("/contacts/?q=grace").get_data(as_text=True).split("<main")[1]
    assert "Grace" not in client.get("/contacts.vcf").get_data(as_text=True)
    archived = client.get("/contacts/archived").get_data(as_text=True)
    assert "Grace Hopper" in archived and "Tue 01 Dec 2026" in archived and "Ada" not in archived

    response = client.post(f"/contacts/{gone}/restore", follow_redirects=True)

    assert "Grace Hopper is back in your contacts." in response.get_data(as_text=True)
    assert "Grace Hopper" in client.get("/contacts/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, gone).archived_at is None


def test_another_users_contact_cannot_be_restored(app, client, auth, user):
    gone = add_contact(
        app, user_id(app), first_name="Grace", archived_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    auth.logout()
    auth.register(email="sam@example.com")
    assert client.post(f"/contacts/{gone}/restore").status_code == 404
    assert "Grace" not in client.get("/contacts/archived").get_data(as_text=True)
