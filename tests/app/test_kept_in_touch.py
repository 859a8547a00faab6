"""The page's "Kept in touch" and Done: the same service as a device's completed task, and the
flash says the next step Done planned."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from crm.extensions import db
from crm.followups.done import KeepInTouch, NextStep, finish
from crm.models import Contact, FollowUp, Note
from tests.app.networking import add, log
from tests.conftest import csrf_token_from

MONDAY = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def losing_touch(app, contact_id: int, cadence: str = "1m") -> None:
    """Last in touch on Mon 2 Nov: monthly, the reminder was due Wed 2 Dec."""
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        contact.cadence = cadence
        contact.last_interaction_on = date(2026, 11, 2)
        contact.keep_in_touch_due = date(2026, 12, 2)
        db.session.commit()


def state(app, contact_id: int) -> tuple[date | None, date | None, list[str]]:
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == contact_id)).all()
        return contact.keep_in_touch_due, contact.last_interaction_on, list(notes)


def test_kept_in_touch_on_the_follow_ups_page_plans_the_next_reminder(client, user, app, clock):
    clock.set(MONDAY)
    ana = add(client, "Ana")
    losing_touch(app, ana)
    page = client.get("/follow-ups").get_data(as_text=True)
    losing = page.split('id="losing"')[1].split("</section>")[0]
    assert "Ana Tester" in losing
    assert f'action="/contacts/{ana}/kept-in-touch"' in losing
    assert 'Kept in touch<span class="visually-hidden"> with Ana Tester</span>' in losing

    response = client.post(f"/contacts/{ana}/kept-in-touch", data={"next": "/follow-ups"})

    assert response.headers["Location"] == "/follow-ups"
    page = client.get("/follow-ups").get_data(as_text=True)
    assert (
        "Kept in touch with Ana Tester. Next: keep in touch with Ana Tester on Thu 07 Jan 2027."
        in page
    )
    assert "Nothing to follow up right now" in page  # Ana has left Losing touch
    assert state(app, ana) == (date(2027, 1, 7), date(2026, 12, 7), ["Kept in touch"])
    assert "Kept in touch" in client.get(f"/contacts/{ana}").get_data(as_text=True)


def test_the_contact_page_offers_kept_in_touch_while_they_are_losing_touch(
    client, user, app, clock
):
    clock.set(MONDAY)
    ana = add(client, "Ana")
    assert "kept-in-touch" not in client.get(f"/contacts/{ana}").get_data(as_text=True)
    losing_touch(app, ana)
    page = client.get(f"/contacts/{ana}").get_data(as_text=True)
    assert f'action="/contacts/{ana}/kept-in-touch"' in page

    response = client.post(f"/contacts/{ana}/kept-in-touch", data={"next": f"/contacts/{ana}"})

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Next: keep in touch with Ana Tester on Thu 07 Jan 2027." in page
    assert "Keep in touch by</dt><dd>Thu 07 Jan 2027" in page


def test_kept_in_touch_needs_a_post_with_a_csrf_token(client, user, app, clock):
    clock.set(MONDAY)
    ana = add(client, "Ana")
    losing_touch(app, ana)
    assert client.get(f"/contacts/{ana}/kept-in-touch").status_code == 405
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client.post(f"/contacts/{ana}/kept-in-touch")
        assert state(app, ana) == (date(2026, 12, 2), date(2026, 11, 2), [])
        token = csrf_token_from(client.get("/follow-ups").get_data(as_text=True))
        client.post(f"/contacts/{ana}/kept-in-touch", data={"csrf_token": token})
        assert state(app, ana)[0] == date(2027, 1, 7)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_another_users_contact_answers_404_and_nothing_changes(client, auth, app, clock):
    clock.set(MONDAY)
    auth.register(email="owner@example.com")
    ana = add(client, "Ana")
    losing_touch(app, ana)
    auth.logout()
    auth.register(email="other@example.com")

    assert client.post(f"/contacts/{ana}/kept-in-touch").status_code == 404
    assert state(app, ana) == (date(2026, 12, 2), date(2026, 11, 2), [])


def test_done_on_a_follow_up_plans_nothing_and_says_no_next_step(client, user, app, clock):
    clock.set(MONDAY)
    jane = add(client, "Jane")
    log(client, jane, sent_on=MONDAY.date())
    with app.app_context():
        followup = db.session.scalars(select(FollowUp).order_by(FollowUp.id)).first()
        before = db.session.scalar(select(db.func.count(FollowUp.id)))

    response = client.post(f"/follow-ups/{followup.id}/done", data={"next": "/follow-ups"})

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Done. Nice work keeping in touch with Jane Tester." in page
    assert "Next:" not in page
    with app.app_context():
        assert db.session.get(FollowUp, followup.id).status == "done"
        assert db.session.scalar(select(db.func.count(FollowUp.id))) == before


def test_finish_returns_what_it_planned_and_the_keep_in_touch_date_is_read_from_the_contact(
    client, user, app, clock
):
    clock.set(MONDAY)
    ana = add(client, "Ana")
    losing_touch(app, ana, cadence="2w")
    with app.app_context():
        contact = db.session.get(Contact, ana)
        assert KeepInTouch(contact).due_on == date(2026, 12, 2)
        # Every two weeks from today, Mon 7 Dec: Mon 21 Dec.
        planned = finish(KeepInTouch(contact), MONDAY.date(), device="Phone")
        assert planned == [NextStep("Keep in touch with Ana Tester", date(2026, 12, 21))]
        assert KeepInTouch(contact).due_on == date(2026, 12, 21)
        contact.archived_at = MONDAY
        assert KeepInTouch(contact).due_on is None
        db.session.commit()
    assert state(app, ana)[2] == ["Kept in touch (done on Phone)"]


def test_the_calendar_and_sync_page_explains_keep_in_touch_tasks(client, user):
    page = client.get("/calendar").get_data(as_text=True)
    assert "Each person you keep in touch with shows as a task" in page
    assert "delete it to stop the reminders" in page
