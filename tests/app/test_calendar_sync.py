"""The Calendar and sync page: server address, user name, device passwords, steps for each
device, and the Apple profile that sets up contacts and calendar sync in one tap."""

from __future__ import annotations

import html
import plistlib
import re

import pytest

PUBLIC = "https://crm.example.org"


@pytest.fixture
def public_app(app_factory, app):
    """The app at its public address (CRM_BASE_URL) behind https; `app` empties the tables
    after the test."""
    return app_factory(BASE_URL=PUBLIC)


def registered_client(app, base_url: str = PUBLIC, email: str = "Jo.Sync@example.com"):
    """A client of `app` logged in as a newly registered user."""
    client = app.test_client()
    response = client.post(
        "/register",
        data={
            "email": email,
            "password": "correct horse battery",
            "confirm": "correct horse battery",
            "time_zone": "UTC",
        },
        base_url=base_url,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def public_client(public_app):
    return registered_client(public_app)


def get(client, path: str):
    return client.get(path, base_url=PUBLIC)


def text_of(page: str) -> str:
    """The page's words, without markup."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def with_device_page(app) -> None:
    """A stand-in for the Account page's "Devices and apps" until that branch is merged."""
    if "account.devices" not in app.view_functions:
        app.add_url_rule("/account/devices", "account.devices", lambda: "devices")


def test_the_page_shows_server_address_user_name_and_every_devices_steps(public_app):
    with_device_page(public_app)
    page = get(registered_client(public_app), "/calendar").get_data(as_text=True)
    text = text_of(page)

    assert "<h1>Calendar and sync</h1>" in page
    assert '<code id="dav-url" class="wrap-anywhere">https://crm.example.org/dav/</code>' in page
    assert "User name jo.sync@example.com" in text
    assert '<a href="/account/devices">Create a device password</a>' in page
    for steps in ("iPhone and iPad", "Mac", "Android (DAVx⁵)", "Thunderbird"):
        assert f"<h3>{steps}</h3>" in page
    assert "Add CardDAV Account" in text and "Add CalDAV Account" in text
    assert "Login with URL and user name" in text
    assert (
        '<a href="/calendar/sync.mobileconfig">Download the set-up profile (.mobileconfig)</a>'
        in page
    )
    # The read-only feed stays for apps that only subscribe.
    assert '<h2 id="feed-heading">Subscribe to your follow-ups</h2>' in page
    assert 'aria-current="page">Calendar and sync</a>' in page


def test_without_device_passwords_the_page_says_sync_waits(public_app, public_client):
    public_app.view_functions.pop("account.devices", None)
    page = get(public_client, "/calendar").get_data(as_text=True)

    assert "Create a device password" not in page
    assert "This server cannot make device passwords yet" in text_of(page)


def test_without_a_public_address_the_page_shows_the_address_in_use_and_no_profile(
    client, user, app
):
    app.config["BASE_URL"] = ""
    page = client.get("/calendar").get_data(as_text=True)

    assert '<code id="dav-url" class="wrap-anywhere">http://localhost/dav/</code>' in page
    assert "sets its public address (CRM_BASE_URL)" in text_of(page)
    assert "/calendar/sync.mobileconfig" not in page

    response = client.get("/calendar/sync.mobileconfig")
    assert response.status_code == 302 and response.headers["Location"] == "/calendar"
    followed = client.get("/calendar").get_data(as_text=True)
    assert "has no public address set (CRM_BASE_URL)" in followed


def test_the_apple_profile_sets_up_contacts_and_calendar_without_a_password(public_client):
    response = get(public_client, "/calendar/sync.mobileconfig")

    assert response.status_code == 200
    assert response.mimetype == "application/x-apple-aspen-config"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=networking-crm.mobileconfig"
    )
    profile = plistlib.loads(response.data)
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadVersion"] == 1
    accounts = {payload["PayloadType"]: payload for payload in profile["PayloadContent"]}
    assert set(accounts) == {"com.apple.carddav.account", "com.apple.caldav.account"}
    for prefix, payload in (
        ("CardDAV", accounts["com.apple.carddav.account"]),
        ("CalDAV", accounts["com.apple.caldav.account"]),
    ):
        assert payload[f"{prefix}HostName"] == "crm.example.org"
        assert payload[f"{prefix}Port"] == 443
        assert payload[f"{prefix}UseSSL"] is True
        assert payload[f"{prefix}PrincipalURL"] == "/dav/"
        assert payload[f"{prefix}Username"] == "jo.sync@example.com"
        assert f"{prefix}Password" not in payload
    uuids = [profile["PayloadUUID"], *(p["PayloadUUID"] for p in accounts.values())]
    assert len(set(uuids)) == 3
    assert b"correct horse battery" not in response.data


def test_the_profile_is_the_same_each_time_so_it_replaces_the_installed_one(public_client):
    first = get(public_client, "/calendar/sync.mobileconfig").data
    assert get(public_client, "/calendar/sync.mobileconfig").data == first


def test_a_plain_http_address_with_a_port_and_path_goes_into_the_profile(app_factory, app):
    base = "http://192.168.1.20:8080/crm"
    client = registered_client(app_factory(BASE_URL=base), base)
    profile = plistlib.loads(client.get("/calendar/sync.mobileconfig", base_url=base).data)
    (cal, card) = sorted(profile["PayloadContent"], key=lambda p: p["PayloadType"])
    assert (cal["CalDAVHostName"], cal["CalDAVPort"], cal["CalDAVUseSSL"]) == (
        "192.168.1.20",
        8080,
        False,
    )
    assert card["CardDAVPrincipalURL"] == "/crm/dav/"


def test_the_profile_needs_a_login(client):
    response = client.get("/calendar/sync.mobileconfig")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_without_a_public_address_the_steps_start_by_hand(client, user, app):
    app.config["BASE_URL"] = ""
    text = text_of(client.get("/calendar").get_data(as_text=True))
    assert "Open Settings, Apps, Contacts, Contacts Accounts" in text
    assert "In System Settings, Internet Accounts" in text
    assert "Or by hand" not in text
