"""sync-collection (RFC 6578): after a token, only what changed, and what was deleted."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from crm.dav.models import SyncTombstone
from crm.extensions import db
from crm.models import Contact
from tests.app.test_calendar_downloads import add_contact, add_followup
from tests.sync.test_sync_access import dav

SYNC = (
    '<sync-collection xmlns="DAV:"><sync-token>{token}</sync-token><sync-level>1</sync-level>'
    "<prop><getetag/></prop></sync-collection>"
)
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def sync(client, device, collection: str, token: str = "") -> tuple[str, list[tuple[str, str]]]:
    """The new token and each reported (href, status) of a sync-collection report."""
    path = f"/dav/{device.email}/{collection}/"
    answer = dav(
        client, "REPORT", path, device.email, device.password, body=SYNC.format(token=token)
    )
    assert answer.status_code == 207
    text = answer.get_data(as_text=True)
    responses = re.findall(r"<response><href>([^<]+)</href>.*?(200 OK|404 Not Found)", text)
    return re.search(r"<sync-token>([^<]+)</sync-token>", text).group(1), responses


def test_after_a_token_only_the_changed_card_and_the_deleted_ones_are_reported(
    app, client, clock, device
):
    clock.set(T0)
    ada = add_contact(app, device.user_id, first_name="Ada")
    for number in range(5):
        add_contact(app, device.user_id, first_name=f"Imported {number}", uid=f"imported-{number}")
    # Rows written within a few seconds before a token are reported again (the overlap).
    clock.set(T0 + timedelta(minutes=1))
    token, first = sync(client, device, "contacts")
    assert len(first) == 6

    clock.set(T0 + timedelta(minutes=2))
    with app.app_context():
        db.session.get(Contact, ada).title = "Analyst"
        # A bulk delete, as an import's undo does it, leaves tombstones too.
        db.session.execute(
            delete(Contact)
            .where(Contact.uid.in_(["imported-0", "imported-1"]))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    clock.set(T0 + timedelta(minutes=3))
    _, changed = sync(client, device, "contacts", token)

    statuses = {href.rsplit("/", 1)[1]: status for href, status in changed}
    assert statuses.pop("imported-0.vcf") == "404 Not Found"
    assert statuses.pop("imported-1.vcf") == "404 Not Found"
    assert list(statuses.values()) == ["200 OK"] and len(statuses) == 1


def test_a_follow_up_done_in_the_app_leaves_the_calendar_at_the_next_sync(
    app, client, clock, device
):
    clock.set(T0)
    ada = add_contact(app, device.user_id, first_name="Ada")
    followup = add_followup(app, ada, reason="Nudge once, kindly.")
    clock.set(T0 + timedelta(minutes=1))
    token, first = sync(client, device, "networking")
    assert len(first) == 1

    clock.set(T0 + timedelta(minutes=2))
    response = client.post(f"/follow-ups/{followup}/done")
    assert response.status_code == 302
    clock.set(T0 + timedelta(minutes=3))
    _, changed = sync(client, device, "networking", token)

    assert [status for _, status in changed] == ["404 Not Found"]


def test_a_token_this_server_did_not_give_asks_for_a_full_sync(client, device):
    answer = dav(
        client,
        "REPORT",
        f"/dav/{device.email}/contacts/",
        device.email,
        device.password,
        body=SYNC.format(token="http://example.org/ns/sync/1"),
    )
    assert answer.status_code == 403
    assert "valid-sync-token" in answer.get_data(as_text=True)


def test_tombstones_older_than_any_token_are_let_go(app, clock, device):
    clock.set(T0)
    old = add_contact(app, device.user_id, first_name="Old")
    new = add_contact(app, device.user_id, first_name="New")
    with app.app_context():
        db.session.delete(db.session.get(Contact, old))
        db.session.commit()
    clock.set(T0 + timedelta(days=61))
    with app.app_context():
        db.session.delete(db.session.get(Contact, new))
        db.session.commit()
        kept = db.session.scalars(select(SyncTombstone.deleted_at)).all()
    assert kept == [T0 + timedelta(days=61)]
