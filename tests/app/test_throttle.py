"""Guessing passwords is slowed per account-and-address and per address, never by locking the
owner out; attempts sent at once are counted one after another; the Account page's current
password checks count like logins."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crm.auth.models import LoginAttempt
from crm.extensions import db
from tests.conftest import PG_URL, TEST_PASSWORD, dispose, make_test_app

TOO_MANY = re.compile(r"Too many attempts\. Try again in (\d+) minutes?\.")
ATTACKER = "203.0.113.9"
OWNER_AT_WORK = "198.51.100.7"
NEW_PASSWORD = "a brand new passphrase"


def log_in(client, password, address=ATTACKER, email="jo@example.com"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def wait_shown(response) -> int:
    match = TOO_MANY.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return int(match.group(1))


def test_one_address_guessing_never_locks_the_owner_out_elsewhere(app, client, auth, user):
    auth.logout()
    answers = [log_in(app.test_client(), f"guess number {n}").status_code for n in range(30)]

    # Slowed within 20 quick guesses, and every later one refused unchecked.
    assert answers.index(429) <= 20
    assert answers.count(200) <= 20
    assert set(answers[answers.index(429) :]) == {429}
    owner = log_in(app.test_client(), TEST_PASSWORD, address=OWNER_AT_WORK)
    assert owner.status_code == 302
    # The guessing address, even with the right password, still waits.
    assert log_in(app.test_client(), TEST_PASSWORD).status_code == 429


def test_waits_grow_after_each_further_wrong_password(app, auth, user, clock):
    auth.logout()
    start = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    clock.set(start)
    guesser = app.test_client()
    for number in range(10):
        assert log_in(guesser, f"wrong guess {number}").status_code == 200

    waits = []
    moment = start
    for number in range(4):
        refused = log_in(guesser, f"refused guess {number}")
        assert refused.status_code == 429
        waits.append(wait_shown(refused))
        moment += timedelta(minutes=waits[-1], seconds=1)
        clock.set(moment)
        checked = log_in(guesser, f"late guess {number}")
        assert "do not match an account" in checked.get_data(as_text=True)

    assert waits == [1, 2, 4, 8]
    # The waits stop growing at a quarter of an hour; a day later all is forgotten.
    for number in range(3):
        waits.append(wait_shown(log_in(guesser, f"more {number}")))
        moment += timedelta(minutes=waits[-1], seconds=1)
        clock.set(moment)
        log_in(guesser, f"more late {number}")
    assert waits[-3:] == [15, 15, 15]
    clock.set(moment + timedelta(days=1, minutes=1))
    assert log_in(guesser, TEST_PASSWORD).status_code == 302


def test_the_right_password_clears_the_count_for_that_address(app, auth, user):
    auth.logout()
    for number in range(9):
        log_in(app.test_client(), f"typo {number}")
    assert log_in(app.test_client(), TEST_PASSWORD).status_code == 302
    for number in range(9):
        assert log_in(app.test_client(), f"typo again {number}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 9


# ---- Attempts sent at once -----------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def racing_app(request, tmp_path):
    """An app on SQLite (a file of its own) or on the suite's PostgreSQL database."""
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("CRM_TEST_DATABASE_URL is not set")
        yield request.getfixturevalue("app")
        return
    if not PG_URL:
        yield request.getfixturevalue("app")
        return
    app = make_test_app(f"sqlite:///{tmp_path / 'race.sqlite3'}", AUTO_MIGRATE=True)
    yield app
    dispose(app)


def test_forty_guesses_sent_at_once_get_ten_checked(racing_app):
    app = racing_app
    app.test_client().post(
        "/register",
        data={"email": "jo@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
    )
    start = threading.Barrier(40)
    answers: list[int] = []

    def guess(number: int) -> None:
        client = app.test_client()
        start.wait()
        status = log_in(client, f"simultaneous guess {number}").status_code
        answers.append(status)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(answers) == [200] * 10 + [429] * 30
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 10


# ---- The Account page's current password ---------------------------------------------------

ACCOUNT_FORMS = {
    "/account/password": lambda guess: {
        "current_password": guess,
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    },
    "/account/profile": lambda guess: {
        "name": "Jo",
        "email": "someone.else@example.com",
        "current_password": guess,
    },
    "/account/delete": lambda guess: {"password": guess},
}


@pytest.mark.parametrize("path", ACCOUNT_FORMS)
def test_wrong_current_passwords_on_the_account_page_are_throttled_like_logins(
    app, client, user, path
):
    answers = [
        client.post(
            path, data=ACCOUNT_FORMS[path](f"not it {n}"), environ_base={"REMOTE_ADDR": ATTACKER}
        )
        for n in range(60)
    ]
    statuses = [answer.status_code for answer in answers]

    assert statuses.count(400) == 10 and statuses[10:] == [429] * 50
    assert wait_shown(answers[-1]) >= 1
    # Even the right password waits there; the owner elsewhere is not held up.
    right = client.post(
        path, data=ACCOUNT_FORMS[path](TEST_PASSWORD), environ_base={"REMOTE_ADDR": ATTACKER}
    )
    assert right.status_code == 429
    assert log_in(app.test_client(), TEST_PASSWORD, address=OWNER_AT_WORK).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 10
