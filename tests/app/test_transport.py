"""What travels with each response: caching, HSTS and Secure cookies (ASVS V3, V14)."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD

LOGIN = {"email": "jo@example.com", "password": TEST_PASSWORD, "remember": "y"}


def cookies(response) -> dict[str, str]:
    """Each Set-Cookie by its name."""
    return {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}


def test_logged_in_pages_and_downloads_are_never_stored(client, user):
    for path in ("/dashboard", "/contacts/", "/settings", "/follow-ups.ics", "/contacts.vcf"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_public_pages_may_be_cached(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(secure.headers["Strict-Transport-Security"].split("=")[1]) >= 31536000


def test_cookies_are_secure_when_the_request_came_over_https(client, auth):
    auth.register()
    auth.logout()

    plain = cookies(client.post("/login", data=LOGIN))
    client.post("/logout")
    secure = cookies(client.post("/login", data=LOGIN, base_url="https://localhost"))

    assert "; Secure" not in plain["session"] and "; Secure" not in plain["remember_token"]
    assert "; Secure" in secure["session"] and "; Secure" in secure["remember_token"]
    assert "; HttpOnly" in secure["session"]


def test_https_through_a_trusted_proxy_gives_secure_cookies_and_hsts(app_factory, app):
    behind_proxy = app_factory(PROXY_COUNT=1).test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    behind_proxy.post(
        "/register",
        data={"email": "jo@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
    )
    behind_proxy.post("/logout")

    response = behind_proxy.post("/login", data=LOGIN, headers=forwarded)

    assert "; Secure" in cookies(response)["session"]
    assert "Strict-Transport-Security" in response.headers


def test_an_untrusted_forwarded_proto_changes_nothing(client, auth):
    auth.register()
    auth.logout()

    response = client.post("/login", data=LOGIN, headers={"X-Forwarded-Proto": "https"})

    assert "; Secure" not in cookies(response)["session"]
    assert "Strict-Transport-Security" not in response.headers
