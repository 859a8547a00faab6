"""Bad cards from devices: too long, nameless, wrongly encoded, carrying markup, or naming
another user's contact. Each is refused with nothing written, or kept without harm."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import Contact, Note
from tests.app.test_calendar_downloads import add_contact
from tests.sync.conftest import make_device
from tests.sync.test_card_merge import dav, fetch


def card(uid: str, *lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", *lines, "END:VCARD", ""])


def put(client, device, uid: str, body: str | bytes):
    return dav(client, device, "PUT", f"/dav/{device.email}/contacts/{uid}.vcf", body)


def contact_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact)) or 0


@pytest.mark.parametrize(
    ("uid", "lines"),
    [
        ("long-name", ["FN:x", "N:;" + "A" * 101 + ";;;"]),
        ("long-title", ["FN:Ada", "N:;Ada;;;", "TITLE:" + "T" * 201]),
        ("long-company", ["FN:Ada", "N:;Ada;;;", "ORG:" + "C" * 201]),
        ("long-note", ["FN:Ada", "N:;Ada;;;", "NOTE:" + "n" * 1_000_000]),
        ("u" * 101, ["FN:Ada", "N:;Ada;;;"]),
        ("no-name", ["EMAIL:ada@example.com"]),
        ("nothing", ["NOTE:hello"]),
    ],
)
def test_a_card_the_app_cannot_keep_whole_is_refused_with_nothing_written(
    app, client, device, uid, lines
):
    answer = put(client, device, uid, card(uid, *lines))

    assert answer.status_code == 400
    assert contact_count(app) == 0


def test_an_edit_too_long_leaves_the_contact_as_it_was(app, client, device):
    ada = add_contact(app, device.user_id, first_name="Ada", last_name="Lovelace", title="Analyst")
    held = fetch(client, device, ada, app)

    answer = dav(
        client,
        device,
        "PUT",
        held.path,
        held.edited("TITLE:Analyst", "TITLE:" + "T" * 201),
        **{"If-Match": held.etag},
    )

    assert answer.status_code == 400
    with app.app_context():
        assert db.session.get(Contact, ada).title == "Analyst"
        assert db.session.scalars(select(Note)).all() == []


def test_a_card_of_one_megabyte_with_a_photo_is_kept_and_served_back_whole(app, client, device):
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 250_000
    sent = card("photo", "FN:Big Photo", "N:Photo;Big;;;", photo)
    assert len(sent) > 1_000_000

    assert put(client, device, "photo", sent).status_code == 201

    got = dav(client, device, "GET", f"/dav/{device.email}/contacts/photo.vcf")
    assert photo in got.get_data(as_text=True).replace("\r\n ", "")
    with app.app_context():
        assert db.session.scalars(select(Contact.first_name)).one() == "Big"


def test_a_card_not_in_utf8_is_read_as_latin1(app, client, device):
    token = base64.b64encode(f"{device.email}:{device.password}".encode()).decode()
    answer = client.open(
        f"/dav/{device.email}/contacts/latin.vcf",
        method="PUT",
        data=card("latin", "FN:Caf\xe9 Owner", "N:Owner;Caf\xe9;;;").encode("latin-1"),
        headers={"Authorization": f"Basic {token}", "Content-Type": "text/vcard"},
    )

    assert answer.status_code == 201
    with app.app_context():
        contact = db.session.scalars(select(Contact)).one()
        assert (contact.first_name, contact.last_name) == ("Caf\xe9", "Owner")


def test_markup_in_a_cards_names_is_shown_as_text_on_every_page(app, client, device):
    sent = card(
        "markup",
        "FN:<b>Bold</b> <script>alert(1)</script>",
        "N:<script>alert(1)</script>;<b>Bold</b>;;;",
        "ORG:<i>Acme</i>",
        "TITLE:<img src=x onerror=alert(1)>",
    )
    assert put(client, device, "markup", sent).status_code == 201
    with app.app_context():
        contact = db.session.scalars(select(Contact)).one()

    for page in (
        "/",
        "/contacts/",
        "/contacts/?q=Bold",
        f"/contacts/{contact.id}",
        f"/contacts/{contact.id}/edit",
    ):
        html = client.get(page).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, page
        assert "<b>Bold</b>" not in html and "<img src=x" not in html, page
        assert "<i>Acme</i>" not in html, page
    shown = client.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt;" in shown


def test_a_card_with_another_users_uid_makes_a_contact_of_ones_own(app, client, auth, device):
    auth.logout()
    auth.register(email="sam@example.com")
    sam = make_device(app, "sam@example.com", "Sam's phone")
    secret = add_contact(app, sam.user_id, first_name="Secret", last_name="Person", title="Spy")
    held = fetch(client, sam, secret, app)
    uid = held.path.rsplit("/", 1)[1].removesuffix(".vcf")

    answer = dav(
        client,
        device,
        "PUT",
        f"/dav/{device.email}/contacts/{uid}.vcf",
        held.edited("TITLE:Spy", "TITLE:Double agent"),
    )

    assert answer.status_code == 201
    with app.app_context():
        theirs = db.session.get(Contact, secret)
        assert (theirs.user_id, theirs.title) == (sam.user_id, "Spy")
        mine = db.session.scalars(select(Contact).where(Contact.user_id == device.user_id)).one()
        assert (mine.first_name, mine.title, mine.uid) == ("Secret", "Double agent", theirs.uid)
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == secret)).all()
        assert notes == []
    # Each sees their own card under the same href.
    assert "TITLE:Spy" in fetch(client, sam, secret, app).text
    assert "TITLE:Double agent" in fetch(client, device, mine.id, app).text
