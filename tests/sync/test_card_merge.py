"""Edits on both sides between syncs: a device's card edited from an older copy than the app's
is merged field by field, and the timeline says what the device changed and what became of the
app's own changes."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy import func, select

from crm.account.devices import revoke_device
from crm.account.models import DevicePassword
from crm.dav.models import ServedCard
from crm.dav.served import KEEP_PER_CONTACT
from crm.extensions import db
from crm.models import Contact, Note
from tests.app.test_calendar_downloads import add_contact
from tests.sync.conftest import Device, make_device


def dav(client, device: Device, method: str, path: str, body: str = "", **headers: str):
    """One DAV request as the device, with these extra headers."""
    token = base64.b64encode(f"{device.email}:{device.password}".encode()).decode()
    return client.open(
        path,
        method=method,
        data=body,
        headers={"Authorization": f"Basic {token}", "Content-Type": "text/vcard", **headers},
    )


@dataclass
class Card:
    """A card as a device holds it: its path, text and ETag."""

    path: str
    text: str
    etag: str

    def edited(self, old: str, new: str) -> str:
        assert old in self.text, self.text
        return self.text.replace(old, new)


def fetch(client, device: Device, contact_id: int, app) -> Card:
    with app.app_context():
        uid = db.session.get(Contact, contact_id).uid
    path = f"/dav/{device.email}/contacts/{uid}.vcf"
    got = dav(client, device, "GET", path)
    assert got.status_code == 200
    return Card(path, got.get_data(as_text=True), got.headers["ETag"])


def edit_in_app(app, contact_id: int, **fields: str) -> None:
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        for name, value in fields.items():
            setattr(contact, name, value)
        db.session.commit()


def timeline(app, contact_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Note.body).where(Note.contact_id == contact_id).order_by(Note.id)
            )
        )


def ada(app, device: Device) -> int:
    return add_contact(
        app,
        device.user_id,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        phone="+44 20 0000",
        title="Analyst",
        company="Engines",
    )


def test_different_fields_changed_on_both_sides_both_survive(app, client, device):
    contact = ada(app, device)
    held = fetch(client, device, contact, app)
    edit_in_app(app, contact, title="Head of Analysis")

    put = dav(
        client,
        device,
        "PUT",
        held.path,
        held.edited("TEL:+44 20 0000", "TEL:+44 20 1111"),
        **{"If-Match": held.etag},
    )

    assert put.status_code == 204
    # The stored card is not the one sent: no ETag, so the client reads it on its next sync.
    assert "ETag" not in put.headers
    with app.app_context():
        row = db.session.get(Contact, contact)
        assert (row.phone, row.title) == ("+44 20 1111", "Head of Analysis")
        assert (row.email, row.company_name) == ("ada@example.com", "Engines")
    assert timeline(app, contact) == ["Changed on Laptop: phone; kept the app's title"]
    now = fetch(client, device, contact, app)
    assert "TEL:+44 20 1111" in now.text and "TITLE:Head of Analysis" in now.text
    assert now.etag != held.etag


def test_the_same_field_changed_on_both_sides_takes_the_devices_later_write(app, client, device):
    contact = ada(app, device)
    held = fetch(client, device, contact, app)
    edit_in_app(app, contact, title="Head of Analysis")

    put = dav(
        client,
        device,
        "PUT",
        held.path,
        held.edited("TITLE:Analyst", "TITLE:Director"),
        **{"If-Match": held.etag},
    )

    assert put.status_code == 204
    with app.app_context():
        assert db.session.get(Contact, contact).title == "Director"
    assert timeline(app, contact) == ["Changed on Laptop: title; replaced the app's title"]
    # Nothing of the app's was kept: the card stored is the one sent, and its ETag is given.
    assert put.headers["ETag"] == fetch(client, device, contact, app).etag


def test_a_merge_keeps_the_devices_own_lines_and_the_apps_notes(app, client, device):
    contact = ada(app, device)
    held = fetch(client, device, contact, app)
    edit_in_app(app, contact, notes="Met at the alumni dinner", last_name="King")

    sent = held.edited("END:VCARD", "BDAY:1815-12-10\r\nEND:VCARD")
    sent = sent.replace("EMAIL;TYPE=INTERNET:ada@example.com", "EMAIL:ada@engines.example")
    put = dav(client, device, "PUT", held.path, sent, **{"If-Match": held.etag})

    assert put.status_code == 204
    with app.app_context():
        row = db.session.get(Contact, contact)
        assert (row.email, row.last_name) == ("ada@engines.example", "King")
        assert row.notes == "Met at the alumni dinner"
        assert row.card_extra == "BDAY:1815-12-10"
    assert timeline(app, contact) == [
        "Changed on Laptop: email, other details; kept the app's name, notes"
    ]


def test_an_edit_from_a_card_no_longer_kept_is_refused_as_before(app, client, device):
    contact = ada(app, device)
    held = fetch(client, device, contact, app)
    # The app changes the contact again and again, and the device reads every version.
    for number in range(KEEP_PER_CONTACT):
        edit_in_app(app, contact, title=f"Title {number}")
        fetch(client, device, contact, app)
    with app.app_context():
        kept = db.session.scalar(
            select(func.count()).select_from(ServedCard).where(ServedCard.contact_id == contact)
        )
        assert kept == KEEP_PER_CONTACT

    for if_match in (held.etag, '"never-served"'):
        put = dav(
            client,
            device,
            "PUT",
            held.path,
            held.edited("TEL:+44 20 0000", "TEL:+44 20 1111"),
            **{"If-Match": if_match},
        )
        assert put.status_code == 412

    with app.app_context():
        row = db.session.get(Contact, contact)
        assert (row.phone, row.title) == ("+44 20 0000", f"Title {KEEP_PER_CONTACT - 1}")
    assert timeline(app, contact) == []


def test_an_edit_from_the_current_card_names_the_fields_it_changed(app, client, device):
    contact = ada(app, device)
    held = fetch(client, device, contact, app)

    put = dav(
        client,
        device,
        "PUT",
        held.path,
        held.edited("TITLE:Analyst", "TITLE:Director"),
        **{"If-Match": held.etag},
    )

    assert put.status_code == 204 and put.headers["ETag"]
    assert timeline(app, contact) == ["Changed on Laptop: title"]


def test_a_first_listing_keeps_each_card_once(app, client, device):
    for number in range(3):
        add_contact(app, device.user_id, first_name=f"Person {number}", last_name="Doe")

    for _ in range(2):
        listing = dav(client, device, "PROPFIND", f"/dav/{device.email}/contacts/", Depth="1")
        assert listing.status_code == 207

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ServedCard)) == 3


def test_another_users_card_and_a_revoked_password_are_refused_as_before(app, client, auth, device):
    auth.logout()
    auth.register(email="sam@example.com")
    sam = make_device(app, "sam@example.com", "Sam's phone")
    secret = add_contact(
        app, sam.user_id, first_name="Secret", last_name="Person", title="Spy", phone="1"
    )
    held = fetch(client, sam, secret, app)
    edit_in_app(app, secret, title="Chief spy")
    jos_path = held.path.replace("sam@example.com", device.email)
    sent = held.edited("TEL:1", "TEL:2")

    theirs = dav(client, device, "PUT", held.path, sent, **{"If-Match": held.etag})
    mine = dav(client, device, "PUT", jos_path, sent, **{"If-Match": held.etag})

    assert theirs.status_code in (403, 404)
    # No contact of Jo's has Sam's UID: the ETag names nothing Jo holds.
    assert mine.status_code == 412
    with app.app_context():
        revoke_device(
            db.session.scalars(
                select(DevicePassword).where(DevicePassword.user_id == sam.user_id)
            ).one()
        )
        db.session.commit()
    revoked = dav(client, sam, "PUT", held.path, sent, **{"If-Match": held.etag})
    assert revoked.status_code == 401
    with app.app_context():
        row = db.session.get(Contact, secret)
        assert (row.phone, row.title) == ("1", "Chief spy")
        assert db.session.scalar(select(func.count()).select_from(Contact)) == 1
    assert timeline(app, secret) == []


def test_how_we_met_at_the_head_of_the_note_is_not_copied_into_the_notes(app, client, device):
    contact = add_contact(
        app,
        device.user_id,
        first_name="Ada",
        last_name="Lovelace",
        how_we_met="Alumni dinner",
        notes="Likes tea",
        phone="1",
    )
    held = fetch(client, device, contact, app)
    assert "NOTE:How we met: Alumni dinner\\n\\nLikes tea" in held.text

    for old, new in (("TEL:1", "TEL:2"), ("Alumni dinner", "Alumni picnic")):
        held = fetch(client, device, contact, app)
        put = dav(
            client, device, "PUT", held.path, held.edited(old, new), **{"If-Match": held.etag}
        )
        assert put.status_code == 204

    with app.app_context():
        row = db.session.get(Contact, contact)
        assert (row.notes, row.how_we_met, row.phone) == ("Likes tea", "Alumni picnic", "2")
    assert timeline(app, contact) == ["Changed on Laptop: phone", "Changed on Laptop: how we met"]
