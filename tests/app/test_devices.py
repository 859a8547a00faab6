"""Devices and apps: named device passwords, shown once, stored hashed, last used, revoked."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from crm.account.devices import sync_login
from crm.account.models import DevicePassword
from crm.auth.models import LoginAttempt
from crm.extensions import db
from tests.conftest import TEST_PASSWORD


def create_device_password(client, name: str = "iPhone") -> str:
    """Create a device password on the Account's Devices page; the secret it shows once."""
    response = client.post("/account/devices", data={"name": name})
    assert response.status_code == 201
    match = re.search(
        r'id="new-device-password" type="text" readonly value="([^"]+)"',
        response.get_data(as_text=True),
    )
    assert match
    return match.group(1)


def test_the_account_page_links_to_devices_and_apps(client, user):
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/devices"' in page
    devices = client.get("/account/devices").get_data(as_text=True)
    assert "Create a device password" in devices
    assert "jo@example.com" in devices and "/dav/" in devices


def test_a_device_password_is_shown_once_and_stored_hashed(app, client, user):
    secret = create_device_password(client, "iPhone")

    assert len(secret.replace("-", "")) == 24
    page = client.get("/account/devices").get_data(as_text=True)
    assert "iPhone" in page and "Not used yet" in page
    assert secret not in page
    with app.app_context():
        stored = db.session.scalars(select(DevicePassword)).one()
        assert stored.name == "iPhone"
        assert secret not in stored.secret_hash and len(stored.secret_hash) == 64


def test_a_device_needs_a_name(app, client, user):
    response = client.post("/account/devices", data={"name": "  "})
    assert response.status_code == 400
    assert "Name the device" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(DevicePassword)).all() == []


def test_a_sync_login_takes_the_device_password_and_records_when_it_was_used(
    app, client, user, clock
):
    secret = create_device_password(client, "Thunderbird")
    clock.set(datetime(2026, 12, 7, 9, 30, tzinfo=UTC))
    with app.test_request_context():
        assert sync_login("JO@example.com", secret, "10.0.0.1") is not None
        assert sync_login("jo@example.com", TEST_PASSWORD, "10.0.0.1") is None
        db.session.commit()
    page = client.get("/account/devices").get_data(as_text=True)
    assert "Mon 07 Dec 2026, 09:30" in page


def test_wrong_device_passwords_are_throttled_like_logins(app, client, user):
    secret = create_device_password(client)
    with app.test_request_context():
        for _ in range(10):
            assert sync_login("jo@example.com", "wrong-guess", "10.0.0.2") is None
        # The eleventh attempt waits, even with the right password.
        assert sync_login("jo@example.com", secret, "10.0.0.2") is None
        # Another address is not held up.
        assert sync_login("jo@example.com", secret, "10.0.0.3") is not None
        kinds = db.session.scalars(select(LoginAttempt.kind)).all()
        assert set(kinds) == {"device"}


def test_a_revoked_device_password_stops_working(app, client, user):
    secret = create_device_password(client, "Old phone")
    with app.app_context():
        device_id = db.session.scalars(select(DevicePassword.id)).one()
    response = client.post(f"/account/devices/{device_id}/revoke", follow_redirects=True)
    assert "Revoked the password for Old phone" in response.get_data(as_text=True)
    with app.test_request_context():
        assert sync_login("jo@example.com", secret, "10.0.0.4") is None


def test_another_users_device_cannot_be_revoked(app, client, auth, user):
    create_device_password(client, "Jo's phone")
    with app.app_context():
        device_id = db.session.scalars(select(DevicePassword.id)).one()
    auth.logout()
    auth.register(email="sam@example.com")
    assert client.post(f"/account/devices/{device_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(DevicePassword, device_id) is not None
