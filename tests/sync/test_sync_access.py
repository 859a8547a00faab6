"""Who may sync what: another user's collections are closed, a revoked password is refused."""

from __future__ import annotations

import base64

from sqlalchemy import select

from crm.account.devices import revoke_device
from crm.account.models import DevicePassword
from crm.extensions import db
from crm.models import Contact
from tests.app.test_calendar_downloads import add_contact
from tests.conftest import TEST_PASSWORD
from tests.sync.conftest import make_device

PROPFIND = '<propfind xmlns="DAV:"><prop><getetag/><displayname/></prop></propfind>'


def dav(
    client,
    method: str,
    path: str,
    email: str,
    password: str,
    body: str = PROPFIND,
    depth: str = "1",
):
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Depth": depth, "Content-Type": "application/xml"}
    return client.open(path, method=method, data=body, headers=headers)


def test_another_users_collections_are_closed_to_a_device_password(app, client, auth, device):
    auth.logout()
    auth.register(email="sam@example.com")
    sam = make_device(app, "sam@example.com", "Sam's phone")
    add_contact(app, sam.user_id, first_name="Secret", last_name="Person")

    for path in (
        "/dav/sam@example.com/",
        "/dav/sam@example.com/contacts/",
        "/dav/sam@example.com/networking/",
    ):
        answer = dav(client, "PROPFIND", path, device.email, device.password)
        assert answer.status_code in (403, 404), path
        assert "Secret" not in answer.get_data(as_text=True)
    card = dav(
        client, "GET", "/dav/sam@example.com/contacts/x.vcf", device.email, device.password, body=""
    )
    assert card.status_code in (403, 404)
    put = dav(
        client,
        "PUT",
        "/dav/sam@example.com/contacts/x.vcf",
        device.email,
        device.password,
        body="BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:Intruder\r\nN:;Intruder;;;\r\nEND:VCARD\r\n",
    )
    assert put.status_code in (403, 404)
    own = dav(client, "PROPFIND", "/dav/sam@example.com/contacts/", sam.email, sam.password)
    assert own.status_code == 207 and "Networking contacts" in own.get_data(as_text=True)


def test_the_account_password_and_a_revoked_device_password_answer_401(app, client, device):
    assert (
        dav(client, "PROPFIND", "/dav/jo@example.com/", device.email, TEST_PASSWORD).status_code
        == 401
    )
    assert (
        dav(client, "PROPFIND", "/dav/jo@example.com/", device.email, device.password).status_code
        == 207
    )
    with app.app_context():
        revoke_device(db.session.scalars(select(DevicePassword)).one())
        db.session.commit()
    answer = dav(client, "PROPFIND", "/dav/jo@example.com/", device.email, device.password)
    assert answer.status_code == 401
    assert "Basic" in answer.headers["WWW-Authenticate"]


def test_well_known_addresses_and_the_root_lead_to_the_dav_server(client, device):
    for path in ("/.well-known/carddav", "/.well-known/caldav", "/"):
        answer = dav(client, "PROPFIND", path, device.email, device.password, depth="0")
        assert answer.status_code == 301 and answer.headers["Location"].endswith("/dav/")
    principal = dav(
        client,
        "PROPFIND",
        "/dav/",
        device.email,
        device.password,
        depth="0",
        body='<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>',
    )
    assert "/dav/jo%40example.com/" in principal.get_data(as_text=True)


def test_a_body_larger_than_two_megabytes_is_refused_before_it_is_read(app, client, device):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:big\r\nFN:Big\r\nNOTE:" + "x" * (3 * 1024 * 1024)
    answer = dav(
        client,
        "PUT",
        "/dav/jo@example.com/contacts/big.vcf",
        device.email,
        device.password,
        body=card + "\r\nEND:VCARD\r\n",
    )
    assert answer.status_code == 413
    with app.app_context():
        assert db.session.scalars(select(Contact)).all() == []
