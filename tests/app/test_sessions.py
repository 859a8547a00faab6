"""Login sessions live in the database: logout revokes them; guessing is throttled for all."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from crm.auth.models import LoginAttempt, LoginSession
from crm.clock import now as utcnow
from crm.extensions import db
from tests.conftest import TEST_PASSWORD

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1"
TOO_MANY = re.compile(r"Too many attempts\. Try again in (\d+) minutes?\.")


def log_in(client, email="jo@example.com", password=TEST_PASSWORD, remember=False, agent=CHROME):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, headers={"User-Agent": agent})


def cookie(client, name: str):
    found = client.get_cookie(name)
    assert found is not None, f"no {name} cookie"
    return found.value


def test_a_session_cookie_copied_before_logout_opens_nothing_after(app, client, user):
    log_in(client)
    stolen = app.test_client()
    stolen.set_cookie("session", cookie(client, "session"))
    assert stolen.get("/dashboard").status_code == 200

    client.post("/logout")

    assert stolen.get("/dashboard").headers["Location"].startswith("/login")
    assert stolen.get("/contacts/").status_code == 302


def test_remember_me_survives_a_browser_restart_but_ends_with_its_session(app, client, auth, user):
    auth.logout()
    log_in(client, remember=True)
    remember = cookie(client, "remember_token")
    restarted = app.test_client()  # no session cookie: the browser was closed
    restarted.set_cookie("remember_token", remember)
    assert restarted.get("/dashboard").status_code == 200

    client.post("/logout")

    again = app.test_client()
    again.set_cookie("remember_token", remember)
    assert again.get("/dashboard").status_code == 302


def test_each_login_has_its_own_remember_cookie(app, user):
    first, second = app.test_client(), app.test_client()
    log_in(first, remember=True)
    log_in(second, remember=True)
    assert cookie(first, "remember_token") != cookie(second, "remember_token")


def test_the_account_page_lists_sessions_and_logs_out_everywhere_else(app, client, user):
    phone = app.test_client()
    log_in(phone, agent=IPHONE, remember=True)
    page = client.get("/account").get_data(as_text=True)
    assert "Safari on iPhone" in page
    assert "(this device)" in page
    assert "Log out everywhere else" in page

    response = client.post("/account/sessions/others", follow_redirects=True)

    assert "Logged out everywhere else (1 session)." in response.get_data(as_text=True)
    assert phone.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert "Safari on iPhone" not in client.get("/account").get_data(as_text=True)


def test_a_session_unused_for_a_month_has_ended(app, client, user):
    with app.app_context():
        db.session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(days=31)))
        db.session.commit()
    assert client.get("/dashboard").status_code == 302


def test_last_seen_is_written_at_most_every_few_minutes(app, client, user):
    old = utcnow() - timedelta(minutes=10)
    with app.app_context():
        db.session.execute(update(LoginSession).values(last_seen_at=old))
        db.session.commit()
    client.get("/dashboard")
    with app.app_context():
        seen = db.session.scalar(select(LoginSession.last_seen_at))
    assert seen > old + timedelta(minutes=9)


# ---- Throttling ----------------------------------------------------------------------------


def test_ten_wrong_passwords_lock_the_account_for_a_while_even_for_the_right_one(
    app, client, auth, user
):
    auth.logout()
    for _ in range(10):
        response = log_in(client, password="wrong password")
        assert response.status_code == 200
        assert "do not match an account" in response.get_data(as_text=True)

    blocked = log_in(client)

    assert blocked.status_code == 429
    match = TOO_MANY.search(blocked.get_data(as_text=True))
    assert match and 1 <= int(match.group(1)) <= 15
    assert client.get("/dashboard").status_code == 302
    # Fifteen minutes later the account may try again.
    with app.app_context():
        db.session.execute(update(LoginAttempt).values(created_at=utcnow() - timedelta(minutes=16)))
        db.session.commit()
    assert log_in(client).status_code == 302


def test_the_limit_is_shared_by_every_app_server_on_the_database(app_factory, app, auth, user):
    auth.logout()
    first, second = app_factory(), app_factory()
    for server in (first, second):
        for _ in range(5):
            assert log_in(server.test_client(), password="wrong guess").status_code == 200
    assert log_in(first.test_client()).status_code == 429
    assert log_in(second.test_client()).status_code == 429
    # Another account is not locked by this one's guesses.
    auth.register(email="other@example.com")
    auth.logout()
    assert log_in(second.test_client(), email="other@example.com").status_code == 302


def test_one_address_guessing_many_accounts_is_limited_too(app, client, auth, user):
    auth.logout()
    for number in range(50):
        log_in(client, email=f"guess{number}@example.com", password="wrong password")
    blocked = log_in(client)
    assert blocked.status_code == 429
    assert TOO_MANY.search(blocked.get_data(as_text=True))
    # Another address is not blocked (behind one proxy, CRM_PROXY_COUNT tells them apart).
    elsewhere = client.post(
        "/login",
        data={"email": "jo@example.com", "password": TEST_PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert elsewhere.status_code == 302


def test_refused_attempts_are_not_counted_forever(app, client, auth, user):
    auth.logout()
    for _ in range(30):
        log_in(client, password="wrong password")
    with app.app_context():
        # Attempts made while blocked are not recorded, so the lock does not grow.
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 10
