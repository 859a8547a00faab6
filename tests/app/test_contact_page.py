"""A contact's page: keep-in-touch cadence, notes, the timeline, and its forms' addresses."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, Note
from tests.app.networking import TODAY, add, log


def test_cadence_and_losing_touch(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 10, 1), status="replied")
    client.post(f"/contacts/{jane}/cadence", data={"cadence": "1m"})
    with app.app_context():
        # A month after 1 Oct is Sunday 1 Nov: due the Monday after.
        assert db.session.get(Contact, jane).keep_in_touch_due == date(2026, 11, 2)
    page = client.get("/follow-ups").get_data(as_text=True)
    losing = page.split('id="losing"')[1]
    assert "Jane Tester" in losing and "due since Mon 02 Nov 2026" in losing
    # Any new outreach resets it.
    log(client, jane, sent_on=TODAY, status="replied", summary="Coffee?")
    with app.app_context():
        assert db.session.get(Contact, jane).keep_in_touch_due == date(2026, 12, 25)
    assert "Nothing to follow up right now" in client.get("/follow-ups").get_data(as_text=True)
    response = client.post(f"/contacts/{jane}/cadence", data={"cadence": "weekly-ish"})
    assert response.status_code == 400


def test_timeline_shows_everything_newest_first(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane, sent_on=date(2026, 11, 2), summary="First message")
    client.post(f"/contacts/{jane}/notes", data={"body": "Met at the <b>meetup</b>"})
    page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    timeline = page.split("<h2>Timeline</h2>")[1]
    assert timeline.index("Met at the &lt;b&gt;meetup&lt;/b&gt;") < timeline.index("First message")
    assert "Last interaction" in page and "Mon 02 Nov 2026" in page
    with app.app_context():
        assert db.session.scalar(select(Note.body)) == "Met at the <b>meetup</b>"


def test_reloading_a_form_address_returns_to_the_page(client, user, app, fixed_today):
    jane = add(client, "Jane")
    for path in ("outreach", "follow-ups", "cadence", "notes"):
        response = client.get(f"/contacts/{jane}/{path}")
        assert response.status_code == 302 and response.headers["Location"] == f"/contacts/{jane}"
    page = client.get("/follow-ups/1/done")
    assert page.status_code == 405 and "only takes a form" in page.get_data(as_text=True)
