"""Register and reset answer alike, in the same time, whether or not an account exists; the
owner of a taken address gets an email instead."""

from __future__ import annotations

import statistics
import time

import pytest

from crm.auth.services import create_user
from crm.extensions import db
from tests.app.test_account import can_log_in
from tests.conftest import TEST_PASSWORD
from tests.mailbox import Mailbox

ROUNDS = 7
CHECK_EMAIL = "Check your email: we have sent a message to that address"


@pytest.fixture
def slow_mailbox():
    """An SMTP server that takes 0.3 s per message, as a distant one may."""
    server = Mailbox(delay_seconds=0.3).start()
    yield server
    server.stop()


def register(client, email, password=TEST_PASSWORD, address="192.0.2.1"):
    return client.post(
        "/register",
        data={"email": email, "password": password, "confirm": password, "time_zone": "UTC"},
        environ_base={"REMOTE_ADDR": address},
    )


def shown_after(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_registering_a_taken_address_looks_like_a_new_account_and_mails_the_owner(
    app, mailbox, client
):
    with app.app_context():
        create_user("jo@example.com", TEST_PASSWORD)
        db.session.commit()

    taken = shown_after(client, register(client, "JO@example.com", "an attacker's pick!"))
    fresh = shown_after(client, register(client, "kim@example.com", "kim's own passphrase"))

    assert CHECK_EMAIL in taken
    assert taken == fresh
    by_person = {m.rcpt_tos[0]: m for m in mailbox.messages}
    assert by_person.keys() == {"jo@example.com", "kim@example.com"}
    owner = by_person["jo@example.com"]
    assert owner.message["Subject"] == "Someone tried to register with your address"
    assert "You already have one, so nothing changed." in owner.body()
    assert "/password/forgot" in owner.body()
    assert by_person["kim@example.com"].message["Subject"] == "Your account is ready"
    assert can_log_in(app, "jo@example.com", TEST_PASSWORD)
    assert not can_log_in(app, "jo@example.com", "an attacker's pick!")
    assert can_log_in(app, "kim@example.com", "kim's own passphrase")


def test_without_mail_a_new_account_logs_in_at_once(client):
    response = register(client, "kim@example.com")
    assert response.headers["Location"] == "/dashboard"
    assert "Welcome! Your account is ready." in client.get("/dashboard").get_data(as_text=True)


def _median_seconds(send, emails) -> float:
    times = []
    for number, email in enumerate(emails):
        started = time.perf_counter()
        response = send(email, f"198.51.100.{number + 10}")
        times.append(time.perf_counter() - started)
        assert response.status_code == 302
    return statistics.median(times)


def _alike(one: float, other: float) -> bool:
    """Within a generous bound: the slower under twice the faster plus 30 ms."""
    return max(one, other) < 2 * min(one, other) + 0.03


def test_register_and_reset_take_the_same_time_for_taken_and_free_addresses(
    app, app_factory, slow_mailbox, capsys
):
    # `app` empties the tables after the test; this one sends its mail to the slow server.
    app = app_factory(**slow_mailbox.config)
    known = [f"known{n}@example.com" for n in range(ROUNDS)]
    with app.app_context():
        for email in known:
            create_user(email, TEST_PASSWORD)
        db.session.commit()
    # A new browser each time, as a prober would be (a logged-in one is sent to the dashboard).
    register_one = lambda email, address: register(  # noqa: E731
        app.test_client(), email, "a long new passphrase", address
    )
    reset_one = lambda email, address: app.test_client().post(  # noqa: E731
        "/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )
    register_one("warm-up@example.com", "192.0.2.200")  # the first request loads what it needs

    taken = _median_seconds(register_one, known)
    fresh = _median_seconds(register_one, [f"new{n}@example.com" for n in range(ROUNDS)])
    with_account = _median_seconds(reset_one, known)
    without = _median_seconds(reset_one, [f"nobody{n}@example.com" for n in range(ROUNDS)])

    with capsys.disabled():
        print(
            f"\nmedian ms: register taken {taken * 1000:.1f}, free {fresh * 1000:.1f}; "
            f"reset with account {with_account * 1000:.1f}, without {without * 1000:.1f}"
        )
    assert _alike(taken, fresh), (taken, fresh)
    assert _alike(with_account, without), (with_account, without)
    assert len(slow_mailbox.messages) == 3 * ROUNDS + 1
