"""A form sent twice, at once or later, writes once; a unique-key race never answers 500.

Runs on SQLite, and on PostgreSQL when CRM_TEST_DATABASE_URL is set (the whole suite does)."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import FollowUp, Outreach, User
from crm.plan.models import Obstacle, RutCheckIn, TargetRole
from tests.app.networking import FRIDAY, add
from tests.conftest import TEST_PASSWORD

TWINS = 20
TOKEN = "a-one-time-token-0123"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def send_at_once(app, client, path: str, forms: list[dict]) -> list[int]:
    """Post each form from its own thread at the same moment; the status of each answer."""
    cookie = client.get_cookie("session")
    barrier = threading.Barrier(len(forms))
    statuses: list[int] = [0] * len(forms)

    def send(place: int) -> None:
        twin = app.test_client()
        twin.set_cookie(cookie.key, cookie.value)
        barrier.wait()
        response = twin.post(path, data=forms[place])
        statuses[place] = response.status_code
        response.close()

    threads = [threading.Thread(target=send, args=(place,)) for place in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def signed_in(client, auth):
    auth.register(email="jo@example.com")
    auth.login(email="jo@example.com", password=TEST_PASSWORD)
    return client


def outreach_form(token: str = TOKEN) -> dict:
    return {
        "channel": "email",
        "sent_on": FRIDAY.isoformat(),
        "status": "awaiting",
        "summary": "Hi",
        "form_token": token,
    }


def test_every_form_that_posts_carries_its_own_one_time_token(signed_in):
    jane = add(signed_in, "Jane")

    page = signed_in.get(f"/contacts/{jane}").get_data(as_text=True)

    tokens = re.findall(r'name="form_token" value="([^"]+)"', page)
    assert len(tokens) >= 2 and len(set(tokens)) == len(tokens)
    assert page.count('method="post"') <= len(tokens)


def test_the_same_outreach_sent_twenty_times_at_once_is_saved_once(app, signed_in, fixed_today):
    jane = add(signed_in, "Jane")

    statuses = send_at_once(app, signed_in, f"/contacts/{jane}/outreach", [outreach_form()] * TWINS)

    assert statuses == [302] * TWINS
    assert count(app, Outreach) == 1
    with app.app_context():
        planned = db.session.scalar(select(func.count()).select_from(FollowUp))
    assert planned == 2  # one 3B and one 7B, not forty


def test_the_same_outreach_sent_again_later_is_saved_once_and_shows_the_first_page(
    app, signed_in, fixed_today
):
    jane = add(signed_in, "Jane")
    first = signed_in.post(f"/contacts/{jane}/outreach", data=outreach_form())

    again = signed_in.post(f"/contacts/{jane}/outreach", data=outreach_form())

    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert count(app, Outreach) == 1
    page = signed_in.get(again.headers["Location"]).get_data(as_text=True)
    assert "That form was already sent; it was saved once." in page


def test_two_forms_with_their_own_tokens_both_save(app, signed_in, fixed_today):
    jane, bo = add(signed_in, "Jane"), add(signed_in, "Bo", company="Initech")

    signed_in.post(f"/contacts/{jane}/outreach", data=outreach_form("first-token-0123456"))
    signed_in.post(f"/contacts/{bo}/outreach", data=outreach_form("second-token-012345"))

    assert count(app, Outreach) == 2


@pytest.mark.parametrize(
    ("path", "form", "model"),
    [
        ("/plan/check-in", {"signs": ["underpaid"]}, RutCheckIn),
        ("/plan/obstacles", {"text": "Too shy"}, Obstacle),
        ("/plan/roles", {"title": "Product Manager"}, TargetRole),
    ],
    ids=["check-in", "obstacle", "role"],
)
def test_twenty_adds_at_once_from_different_pages_never_answer_500(
    app, signed_in, path, form, model
):
    forms = [{**form, "form_token": f"token-{place:02d}-0123456789"} for place in range(TWINS)]

    statuses = send_at_once(app, signed_in, path, forms)

    assert set(statuses) <= {302, 400}, statuses
    assert 500 not in statuses
    assert count(app, model) == 1


def test_logging_out_and_deleting_the_account_with_a_token_still_work(app, signed_in):
    logout = signed_in.post("/logout", data={"form_token": "logout-token-0123456"})
    assert logout.status_code == 302
    auth_page = signed_in.post(
        "/login", data={"email": "jo@example.com", "password": TEST_PASSWORD}
    )
    assert auth_page.status_code == 302

    deleted = signed_in.post(
        "/account/delete",
        data={"password": TEST_PASSWORD, "form_token": "delete-token-0123456"},
        follow_redirects=True,
    )

    assert "Your account and everything in it are deleted." in deleted.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
