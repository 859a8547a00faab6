"""Accounts: register, log in, log out, closed registration, cookies, CSRF."""

from sqlalchemy import select

from crm.extensions import db
from crm.models import User
from tests.conftest import TEST_PASSWORD, csrf_token_from


def test_home_explains_the_app_to_a_visitor(client):
    page = client.get("/").get_data(as_text=True)
    assert "informational interviews" in page
    assert "import your LinkedIn connections" in page


def test_register_logs_in_and_shows_first_steps(client, auth, app):
    response = auth.register(email="Jo@Example.com", time_zone="Europe/Paris")
    assert response.status_code == 302
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Add a contact" in page and "Import LinkedIn" in page
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "jo@example.com"
        assert user.time_zone == "Europe/Paris"
        assert user.password_hash != TEST_PASSWORD and TEST_PASSWORD not in user.password_hash


def test_register_rejects_bad_input_and_writes_nothing(client, auth, app):
    cases = [
        (
            {"email": "not-an-email", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
            "Enter an email address",
        ),
        (
            {"email": "a@example.com", "password": "short", "confirm": "short"},
            "Use at least 12 characters",
        ),
        ({"email": "a@example.com", "password": TEST_PASSWORD, "confirm": "other pass"}, "differ"),
        ({"email": "", "password": "", "confirm": ""}, "This field is required"),
        (
            {
                "email": "a" * 250 + "@example.com",
                "password": TEST_PASSWORD,
                "confirm": TEST_PASSWORD,
            },
            "254",
        ),
    ]
    for data, message in cases:
        response = client.post("/register", data=data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_register_twice_with_same_email_is_refused(client, auth, app):
    auth.register()
    auth.logout()
    response = auth.register(email="JO@example.com")
    assert "already exists" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_unknown_time_zone_is_refused_and_nothing_is_written(auth, app):
    response = auth.register(time_zone="Mars/Olympus_Mons")
    assert "Pick a time zone from the list." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.time_zone)) is None


def test_wrong_login_does_not_say_which_half_was_wrong(client, auth):
    auth.register()
    auth.logout()
    wrong_password = auth.login(password="wrong password").get_data(as_text=True)
    unknown_email = auth.login(email="nobody@example.com").get_data(as_text=True)
    message = "That email and password do not match an account."
    assert message in wrong_password and message in unknown_email
    assert client.get("/contacts/").status_code == 302


def test_login_and_logout(client, auth):
    auth.register()
    auth.logout()
    assert client.get("/contacts/").status_code == 302
    response = auth.login(email="JO@example.com")
    assert response.status_code == 302
    assert client.get("/contacts/").status_code == 200
    auth.logout()
    response = client.get("/contacts/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_redirect_goes_only_to_this_site(client, auth):
    auth.register()
    auth.logout()
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": "jo@example.com", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/dashboard"
    auth.logout()
    response = client.post(
        "/login?next=/contacts/", data={"email": "jo@example.com", "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/contacts/"


def test_session_cookie_is_httponly_and_samesite_lax(client, auth):
    response = auth.register()
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_closed_registration_hides_the_page(app, app_factory):
    app = app_factory(REGISTRATION="closed")
    client = app.test_client()
    assert client.get("/register").status_code == 404
    assert client.post("/register", data={"email": "x@example.com"}).status_code == 404
    assert "Register" not in client.get("/login").get_data(as_text=True)


def test_csrf_is_required_on_every_post(app, app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    data = {"email": "c@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD}
    response = client.post("/register", data=data)
    assert response.status_code in (200, 400)
    with app.app_context():
        assert db.session.scalar(select(User)) is None
    token = csrf_token_from(client.get("/register").get_data(as_text=True))
    assert client.post("/register", data={**data, "csrf_token": token}).status_code == 302
    # Log out without a token does nothing.
    client.post("/logout")
    assert client.get("/contacts/").status_code == 200


def test_a_refused_registration_keeps_the_email_typed_but_never_the_password(client, app):
    cases = [
        {"email": "kim@example.com", "password": "short", "confirm": "short"},
        {"email": "kim@example.com", "password": TEST_PASSWORD, "confirm": "another one"},
        {"email": "kim@example.com", "password": "", "confirm": ""},
        {"email": "kim@example", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
    ]
    for data in cases:
        page = client.post("/register", data=data).get_data(as_text=True)
        assert f'value="{data["email"]}"' in page
        if data["password"]:
            assert data["password"] not in page
            assert data["confirm"] not in page
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_a_refused_registration_shows_a_typed_script_as_text(client):
    page = client.post(
        "/register",
        data={"email": '"><script>alert(1)</script>', "password": "x", "confirm": "x"},
    ).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;script&gt;" in page


def test_an_email_already_registered_is_kept_in_the_box_with_the_message(client, auth):
    auth.register(email="jo@example.com")
    auth.logout()
    page = auth.register(email="jo@example.com").get_data(as_text=True)
    assert 'value="jo@example.com"' in page
    assert TEST_PASSWORD not in page
