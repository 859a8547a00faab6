"""Two-factor sign-in: enrolling an authenticator app, the code at login, recovery codes,
turning it off, and a reset that does not get around it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from crm.auth.services import reset_token
from crm.auth.two_factor.models import RecoveryCode, TwoFactor
from crm.extensions import db
from crm.models import User
from tests.conftest import TEST_PASSWORD, AuthActions, csrf_token_from

START = datetime(2026, 12, 7, 9, 0, 0, tzinfo=UTC)
WRONG = "That code is not right, or it was used already."


@pytest.fixture
def now(clock):
    """The app's clock stopped at START; tests move it on with now.move(seconds)."""

    class Now:
        moment = START

        def move(self, seconds: int) -> datetime:
            self.moment += timedelta(seconds=seconds)
            clock.set(self.moment)
            return self.moment

    clock.set(START)
    return Now()


def secret_on(page: str) -> str:
    match = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page)
    assert match, "the Account page shows no secret"
    return match.group(1).replace(" ", "")


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


def recovery_codes_on(page: str) -> list[str]:
    return re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", page)


def enrol(client, moment: datetime) -> tuple[str, list[str]]:
    """Turn two-factor on through the Account page: the secret and the recovery codes."""
    client.post("/account/two-factor/start")
    secret = secret_on(client.get("/account").get_data(as_text=True))
    page = client.post("/account/two-factor/confirm", data={"code": code_at(secret, moment)})
    codes = recovery_codes_on(page.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def log_in_with_code(client, code: str, email: str = "jo@example.com"):
    """Password first, then the code; the answer to the code."""
    first = AuthActions(client).login(email=email)
    assert first.headers["Location"].startswith("/login/code")
    return client.post("/login/code", data={"code": code})


def logged_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def two_factor_row(app, email: str = "jo@example.com") -> TwoFactor | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return db.session.get(TwoFactor, user.id)


def test_enrolment_shows_a_qr_code_and_turns_on_only_after_a_right_code(
    app, client, auth, user, now
):
    page = client.get("/account").get_data(as_text=True)
    assert "Two-factor sign-in" in page and "Set up two-factor sign-in" in page

    client.post("/account/two-factor/start")
    page = client.get("/account").get_data(as_text=True)
    secret = secret_on(page)
    assert len(secret) == 32
    assert "<svg" in page and 'aria-label="QR code for your authenticator app"' in page
    assert 'name="code"' in page and ">Confirm<" in page.replace('value="Confirm"', ">Confirm<")

    wrong = client.post(
        "/account/two-factor/confirm", data={"code": "000000"}, follow_redirects=True
    )
    shown = wrong.get_data(as_text=True)
    # Beside the Code field, and only once.
    assert re.search(
        r'id="two-factor-code-error"[^>]*>[^<]*Two-factor sign-in is not on yet', shown
    )
    assert "not on yet" not in client.get("/account").get_data(as_text=True)
    assert two_factor_row(app).confirmed_at is None
    auth.logout()
    assert auth.login().headers["Location"] == "/dashboard"  # not on: the password is enough

    right = client.post("/account/two-factor/confirm", data={"code": code_at(secret, START)})
    page = right.get_data(as_text=True)
    assert "Save your recovery codes" in page and "shows them only" in page
    assert right.headers["Cache-Control"] == "no-store"
    codes = recovery_codes_on(page)
    assert len(set(codes)) == 10
    with app.app_context():
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and not set(codes) & set(stored)
    account = client.get("/account").get_data(as_text=True)
    assert "On since 07 Dec 2026" in account and "10 of 10 recovery codes left" in account
    assert secret not in account.replace(" ", "") and not recovery_codes_on(account)


def test_login_asks_for_the_code_after_the_password(app, client, auth, user, now):
    secret, _ = enrol(client, START)
    auth.logout()
    now.move(60)

    first = auth.login()
    assert first.headers["Location"] == "/login/code"
    assert not logged_in(client)
    page = client.get("/login/code").get_data(as_text=True)
    assert "Two-factor code" in page and 'autocomplete="one-time-code"' in page

    wrong = client.post("/login/code", data={"code": "123456"})
    assert wrong.status_code == 400 and WRONG in wrong.get_data(as_text=True)
    assert not logged_in(client)

    right = client.post("/login/code", data={"code": code_at(secret, now.moment)})
    assert right.headers["Location"] == "/dashboard"
    assert logged_in(client)


def test_the_code_step_keeps_where_the_visitor_was_going(client, auth, user, now):
    secret, _ = enrol(client, START)
    auth.logout()
    now.move(60)
    first = client.post(
        "/login?next=/contacts/", data={"email": "jo@example.com", "password": TEST_PASSWORD}
    )
    answer = client.post(first.headers["Location"], data={"code": code_at(secret, now.moment)})
    assert answer.headers["Location"] == "/contacts/"


def test_a_used_code_cannot_be_replayed_within_its_window(client, auth, user, now):
    secret, _ = enrol(client, START)
    auth.logout()
    moment = now.move(60)
    code = code_at(secret, moment)
    assert log_in_with_code(client, code).headers["Location"] == "/dashboard"
    auth.logout()

    now.move(10)  # the same 30-second window: the code still shows in the app
    replay = log_in_with_code(client, code)
    assert replay.status_code == 400 and WRONG in replay.get_data(as_text=True)
    assert not logged_in(client)
    # The code of the step before is older than the one used, so it is spent too.
    assert (
        log_in_with_code(client, code_at(secret, moment - timedelta(seconds=30))).status_code == 400
    )

    later = now.move(30)
    assert log_in_with_code(client, code_at(secret, later)).headers["Location"] == "/dashboard"


def test_the_enrolment_code_cannot_log_in_again(client, auth, user, now):
    secret, _ = enrol(client, START)
    auth.logout()
    now.move(5)
    assert log_in_with_code(client, code_at(secret, START)).status_code == 400


def test_a_recovery_code_works_once_and_never_again(client, auth, user, now):
    _, codes = enrol(client, START)
    auth.logout()
    now.move(60)

    # As typed from paper: upper case, spaces instead of dashes.
    typed = codes[3].upper().replace("-", " ")
    assert log_in_with_code(client, typed).headers["Location"] == "/dashboard"
    assert "9 of 10 recovery codes left" in client.get("/account").get_data(as_text=True)
    auth.logout()

    again = log_in_with_code(client, codes[3])
    assert again.status_code == 400 and WRONG in again.get_data(as_text=True)
    assert not logged_in(client)
    assert log_in_with_code(client, codes[4]).headers["Location"] == "/dashboard"


def test_wrong_codes_are_throttled_like_wrong_passwords(client, auth, user, now):
    secret, _ = enrol(client, START)
    auth.logout()
    now.move(60)
    auth.login()
    statuses = [client.post("/login/code", data={"code": "000000"}).status_code for _ in range(20)]
    assert 429 in statuses
    refused = client.post("/login/code", data={"code": code_at(secret, now.moment)})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert not logged_in(client)


def test_the_code_step_expires_and_needs_a_password_first(client, auth, user, now):
    secret, _ = enrol(client, START)
    auth.logout()
    direct = client.post("/login/code", data={"code": code_at(secret, START)})
    assert direct.headers["Location"] == "/login"
    assert not logged_in(client)

    now.move(60)
    auth.login()
    late = now.move(6 * 60)
    answer = client.post("/login/code", data={"code": code_at(secret, late)})
    assert answer.headers["Location"] == "/login"
    assert "Please log in again." in client.get("/login").get_data(as_text=True)
    assert not logged_in(client)


def test_turning_off_needs_the_password_and_a_code(app, client, auth, user, now):
    secret, _ = enrol(client, START)
    moment = now.move(60)
    still_on = "That password or code is not right. Two-factor sign-in is still on."
    cases = [
        ({"password": "not my password", "code": code_at(secret, moment)}, still_on),
        ({"password": TEST_PASSWORD, "code": "000000"}, still_on),
        ({"password": TEST_PASSWORD, "code": ""}, "Type the code."),
        ({"password": "", "code": code_at(secret, moment)}, "Type your password."),
    ]
    for data, message in cases:
        page = client.post("/account/two-factor/off", data=data, follow_redirects=True)
        assert message in page.get_data(as_text=True)
        assert two_factor_row(app).confirmed_at is not None

    page = client.post(
        "/account/two-factor/off",
        data={"password": TEST_PASSWORD, "code": code_at(secret, moment)},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Two-factor sign-in is off." in page and "Set up two-factor sign-in" in page
    assert two_factor_row(app) is None
    with app.app_context():
        assert db.session.scalar(select(RecoveryCode)) is None
    auth.logout()
    assert auth.login().headers["Location"] == "/dashboard"


def test_a_password_reset_does_not_skip_the_code(app, client, auth, user, now):
    secret, _ = enrol(client, START)
    auth.logout()
    with app.app_context():
        account = db.session.scalar(select(User))
        token = reset_token(account, app.config["SECRET_KEY"])
    new_password = "a brand new passphrase"
    client.post(
        f"/password/reset/{token}", data={"password": new_password, "confirm": new_password}
    )

    first = auth.login(password=new_password)
    assert first.headers["Location"] == "/login/code"
    assert not logged_in(client)
    now.move(60)
    assert client.post("/login/code", data={"code": code_at(secret, now.moment)}).headers[
        "Location"
    ] == ("/dashboard")


def test_another_users_two_factor_is_left_alone(app, client, auth, now):
    auth.register(email="ana@example.com")
    ana_secret, ana_codes = enrol(client, START)
    auth.logout()
    auth.register(email="bo@example.com")
    bo_secret, bo_codes = enrol(client, START)

    # Bo's codes are no good for Ana, and Bo turning off leaves Ana's on.
    moment = now.move(60)
    client.post(
        "/account/two-factor/off",
        data={"password": TEST_PASSWORD, "code": code_at(bo_secret, moment)},
    )
    auth.logout()
    assert two_factor_row(app, "bo@example.com") is None
    assert two_factor_row(app, "ana@example.com").confirmed_at is not None
    assert log_in_with_code(client, bo_codes[0], email="ana@example.com").status_code == 400
    assert log_in_with_code(client, ana_codes[0], email="ana@example.com").status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(RecoveryCode)).all()) == 10
    assert "9 of 10 recovery codes left" in client.get("/account").get_data(as_text=True)
    assert ana_secret != bo_secret


def test_the_csrf_token_from_before_login_stops_working_after_login(app_factory, app):
    guarded = app_factory(WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    token = csrf_token_from(client.get("/register").get_data(as_text=True))
    data = {"email": "jo@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD}
    client.post("/register", data={**data, "csrf_token": token})
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/account").text)})

    before = csrf_token_from(client.get("/login").get_data(as_text=True))
    login = {"email": "jo@example.com", "password": TEST_PASSWORD, "csrf_token": before}
    assert client.post("/login", data=login).headers["Location"] == "/dashboard"

    forged = {"name": "Mallory", "email": "jo@example.com", "csrf_token": before}
    stale = client.post("/account/profile", data=forged)
    assert stale.status_code == 400 and "This form expired" in stale.get_data(as_text=True)
    with guarded.app_context():
        assert db.session.scalar(select(User.name)) == ""
    fresh = csrf_token_from(client.get("/account").get_data(as_text=True))
    assert fresh != before
    data = {"name": "Jo", "email": "jo@example.com", "csrf_token": fresh}
    assert client.post("/account/profile", data=data).status_code == 302
    with guarded.app_context():
        assert db.session.scalar(select(User.name)) == "Jo"


def test_the_server_owner_can_turn_two_factor_off_for_a_locked_out_user(
    app, client, auth, runner, now
):
    auth.register()
    enrol(client, START)
    result = runner.invoke(args=["two-factor-off", "JO@example.com"])
    assert result.exit_code == 0, result.output
    assert "Two-factor sign-in is off for jo@example.com" in result.output
    assert two_factor_row(app) is None
    assert not logged_in(client)  # the account's sessions ended with it
    assert auth.login().headers["Location"] == "/dashboard"

    again = runner.invoke(args=["two-factor-off", "jo@example.com"])
    assert "was not on" in again.output
    missing = runner.invoke(args=["two-factor-off", "nobody@example.com"])
    assert missing.exit_code == 1 and "No account has the email" in missing.output
