"""Cards written by a device over CardDAV: every modelled field lands on the contact, the rest
is kept and served back, and the timeline says which device changed it."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, Note
from tests.app.test_calendar_downloads import add_contact
from tests.sync.test_sync_access import dav

EDITED = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Ada King\r\nN:King;Ada;;;\r\n"
    "ORG:Analytical Engines;R&D\r\nTITLE:Countess of Lovelace\r\n"
    "EMAIL;TYPE=WORK:ADA@Engines.example\r\nTEL;TYPE=CELL:+44 20 7946 0000\r\n"
    "URL:http://uk.linkedin.com/in/ada-king/?trk=x\r\nNOTE:Prefers letters\\nNo calls\r\n"
    "BDAY:1815-12-10\r\nX-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Enchantress;1\r\n"
    "END:VCARD\r\n"
)


def test_an_edited_card_updates_every_modelled_field_and_keeps_the_rest(app, client, device):
    ada = add_contact(
        app, device.user_id, first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )
    with app.app_context():
        uid = db.session.get(Contact, ada).uid
    path = f"/dav/{device.email}/contacts/{uid}.vcf"

    put = dav(client, "PUT", path, device.email, device.password, body=EDITED.format(uid=uid))

    assert put.status_code in (201, 204)
    with app.app_context():
        contact = db.session.get(Contact, ada)
        assert (contact.first_name, contact.last_name) == ("Ada", "King")
        assert contact.company_name == "Analytical Engines"
        assert contact.title == "Countess of Lovelace"
        assert contact.email == "ada@engines.example"
        assert contact.phone == "+44 20 7946 0000"
        assert contact.linkedin_url == "https://www.linkedin.com/in/ada-king"
        assert contact.notes == "Prefers letters\nNo calls"
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == ada)).all()
        assert notes == [
            "Changed on Laptop: name, email, phone, company, title, LinkedIn URL, notes, "
            "other details"
        ]
    served = dav(client, "GET", path, device.email, device.password, body="").get_data(as_text=True)
    assert "BDAY:1815-12-10\r\n" in served
    assert "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Enchantress;1\r\n" in served
    assert "TITLE:Countess of Lovelace" in served and served.endswith("END:VCARD\r\n")


def test_a_card_deleted_on_the_device_archives_the_contact_and_keeps_its_history(
    app, client, device
):
    ada = add_contact(app, device.user_id, first_name="Ada", last_name="Lovelace")
    with app.app_context():
        uid = db.session.get(Contact, ada).uid

    gone = dav(
        client,
        "DELETE",
        f"/dav/{device.email}/contacts/{uid}.vcf",
        device.email,
        device.password,
        body="",
    )

    assert gone.status_code in (200, 204)
    with app.app_context():
        contact = db.session.get(Contact, ada)
        assert contact is not None and contact.archived_at is not None
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == ada)).all()
        assert notes == ["Archived: deleted on Laptop"]
    listing = dav(
        client, "PROPFIND", f"/dav/{device.email}/contacts/", device.email, device.password
    )
    assert uid.replace("@", "%40") not in listing.get_data(as_text=True)
