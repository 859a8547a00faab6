"""vCard 4.0 for clients that ask for it (the address book offers 3.0 and 4.0), 3.0 otherwise,
and 4.0 cards sent by a device read as well as 3.0 ones."""

from __future__ import annotations

import re

import vobject
from sqlalchemy import select

from crm.dav.vcard4 import to_vcard4
from crm.extensions import db
from crm.models import Contact
from tests.app.test_calendar_downloads import add_contact
from tests.sync.test_card_merge import dav, fetch

CARDDAV = "urn:ietf:params:xml:ns:carddav"
# Parameters and values vCard 4.0 no longer has (RFC 6350 appendix A).
NOT_IN_4 = re.compile(r"^[^:]*;(CHARSET|ENCODING)=|TYPE=[^:;]*\b(INTERNET|PREF)\b", re.I)


def unfolded(card: str) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", card).split("\r\n")[:-1]


def assert_vcard4(card: str) -> None:
    """A strict reading of RFC 6350: VERSION right after BEGIN, one FN, no 3.0-only
    parameters, and vobject reads it."""
    lines = unfolded(card)
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:4.0"], lines[:2]
    assert lines[-1] == "END:VCARD"
    assert sum(line.startswith("FN:") for line in lines) == 1
    bad = [line for line in lines if NOT_IN_4.search(line)]
    assert bad == []
    assert all(len(line.encode()) <= 75 for line in card.split("\r\n"))
    assert vobject.readOne(card).contents["version"][0].value == "4.0"


def ada(app, device) -> int:
    contact = add_contact(
        app,
        device.user_id,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        phone="+44 20 0000",
        company="Engines",
        title="Analyst",
    )
    with app.app_context():
        row = db.session.get(Contact, contact)
        row.card_extra = (
            "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRg==\r\nBDAY:1815-12-10\r\n"
            "TEL;TYPE=WORK,PREF:+44 20 9999"
        )
        db.session.commit()
    return contact


def multiget(version: str, href: str) -> str:
    data = f'<C:address-data content-type="text/vcard" version="{version}"/>' if version else ""
    return (
        f'<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="{CARDDAV}">'
        f"<D:prop><D:getetag/>{data or '<C:address-data/>'}</D:prop>"
        f"<D:href>{href}</D:href></C:addressbook-multiget>"
    )


def query(version: str) -> str:
    return (
        f'<C:addressbook-query xmlns:D="DAV:" xmlns:C="{CARDDAV}">'
        f'<D:prop><D:getetag/><C:address-data content-type="text/vcard" version="{version}"/>'
        '</D:prop><C:filter><C:prop-filter name="FN"><C:text-match collation="i;unicode-casemap"'
        ' match-type="contains">Ada</C:text-match></C:prop-filter></C:filter>'
        "</C:addressbook-query>"
    )


def cards_in(report: str) -> list[str]:
    found = re.findall(r"<(?:\w+:)?address-data[^>]*>(.*?)</(?:\w+:)?address-data>", report, re.S)
    return [
        card.replace("&#13;", "\r").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for card in found
    ]


def test_the_address_book_offers_vcard_3_and_4(client, device):
    answer = dav(
        client,
        device,
        "PROPFIND",
        f"/dav/{device.email}/contacts/",
        f'<propfind xmlns="DAV:" xmlns:C="{CARDDAV}"><prop><C:supported-address-data/></prop>'
        "</propfind>",
        Depth="0",
    )

    offered = re.findall(r'version="([\d.]+)"', answer.get_data(as_text=True))
    assert sorted(offered) == ["3.0", "4.0"]


def test_each_way_of_asking_for_4_gets_a_4_card_with_the_same_etag(app, client, device):
    contact = ada(app, device)
    plain = fetch(client, device, contact, app)
    assert unfolded(plain.text)[1] == "VERSION:3.0"

    got = dav(client, device, "GET", plain.path, Accept="text/vcard;version=4.0")
    by_accept = got.get_data(as_text=True)
    by_multiget = cards_in(
        dav(
            client,
            device,
            "REPORT",
            f"/dav/{device.email}/contacts/",
            multiget("4.0", plain.path),
            Depth="1",
        ).get_data(as_text=True)
    )
    by_query = cards_in(
        dav(
            client, device, "REPORT", f"/dav/{device.email}/contacts/", query("4.0"), Depth="1"
        ).get_data(as_text=True)
    )

    assert got.headers["ETag"] == plain.etag
    for card in (by_accept, *by_multiget, *by_query):
        assert_vcard4(card)
    assert by_multiget == [by_accept] and by_query == [by_accept]
    lines = unfolded(by_accept)
    for expected in (
        "FN:Ada Lovelace",
        "EMAIL:ada@example.com",
        "TEL:+44 20 0000",
        "ORG:Engines",
        "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRg==",
        "BDAY:18151210",
        "TEL;TYPE=work;PREF=1:+44 20 9999",
    ):
        assert expected in lines
    assert any(line.startswith("UID;VALUE=text:contact-") for line in lines)


def test_without_asking_or_asking_for_3_a_client_gets_3(app, client, device):
    contact = ada(app, device)
    plain = fetch(client, device, contact, app)
    for version in ("", "3.0"):
        (card,) = cards_in(
            dav(
                client,
                device,
                "REPORT",
                f"/dav/{device.email}/contacts/",
                multiget(version, plain.path),
                Depth="1",
            ).get_data(as_text=True)
        )
        assert card == plain.text
    got = dav(client, device, "GET", plain.path, Accept="text/vcard;version=3.0")
    assert got.get_data(as_text=True) == plain.text
    assert "PHOTO;ENCODING=b;TYPE=JPEG:" in plain.text


def test_a_4_card_from_a_device_round_trips(app, client, device):
    sent = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n"
        "FN:Grace Hopper\r\nN:Hopper;Grace;;;\r\nKIND:individual\r\n"
        "EMAIL;TYPE=work:grace@navy.example\r\nTEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\r\n"
        "ORG:Navy\r\nTITLE:Rear Admiral\r\nBDAY:19061209\r\n"
        "PHOTO:data:image/png;base64,iVBORw0KGgo=\r\nEND:VCARD\r\n"
    )
    path = f"/dav/{device.email}/contacts/urn%3Auuid%3A4fbe8971-0bc3-424c-9c26-36c3e1eff6b1.vcf"

    put = dav(client, device, "PUT", path, sent, **{"If-None-Match": "*"})

    assert put.status_code == 201
    with app.app_context():
        grace = db.session.scalars(select(Contact)).one()
        assert (grace.first_name, grace.last_name, grace.title) == (
            "Grace",
            "Hopper",
            "Rear Admiral",
        )
        assert (grace.email, grace.phone, grace.company_name) == (
            "grace@navy.example",
            "+1-555-0100",
            "Navy",
        )
        assert grace.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    back = dav(client, device, "GET", path, Accept="text/vcard;version=4.0")
    card = back.get_data(as_text=True)
    assert_vcard4(card)
    lines = unfolded(card)
    for line in (
        "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
        "KIND:individual",
        "BDAY:19061209",
        "PHOTO:data:image/png;base64,iVBORw0KGgo=",
        "TITLE:Rear Admiral",
    ):
        assert line in lines

    # The device edits its 4.0 copy and sends it back under the ETag it was given.
    edited = card.replace("TITLE:Rear Admiral", "TITLE:Commodore")
    again = dav(client, device, "PUT", path, edited, **{"If-Match": back.headers["ETag"]})
    assert again.status_code == 204
    with app.app_context():
        assert db.session.scalars(select(Contact.title)).one() == "Commodore"


def test_the_4_writer_keeps_every_line_of_a_3_card():
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x@y\r\nFN:A\r\nN:;A;;;\r\n"
        "item1.ADR;TYPE=HOME:;;1 Main St;Portland;OR;97201;USA\r\nitem1.X-ABLabel:home\r\n"
        'NOTE;CHARSET="utf-8":caf\u00e9\r\nX-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;A;1\r\n'
        "END:VCARD\r\n"
    )

    written = to_vcard4(card)

    assert_vcard4(written)
    assert unfolded(written) == [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "UID;VALUE=text:x@y",
        "FN:A",
        "N:;A;;;",
        "item1.ADR;TYPE=home:;;1 Main St;Portland;OR;97201;USA",
        "item1.X-ABLabel:home",
        "NOTE:caf\u00e9",
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;A;1",
        "END:VCARD",
    ]
