"""Dates a person expects: no follow-up at the weekend, "This week" is the next seven days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp

# Late November 2026:
#   Mon 23  Tue 24  Wed 25  Thu 26  Fri 27  Sat 28  Sun 29
#   Mon 30  Tue  1  Wed  2  Thu  3  Fri  4  Sat  5  Sun  6
#   Mon  7
SUNDAY = date(2026, 11, 29)


@pytest.fixture
def on_sunday(clock):
    """The user's today is Sunday 29 November 2026, in the evening."""
    clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    return SUNDAY


def add(client, first: str, company: str = "Acme") -> int:
    data = {"first_name": first, "last_name": "Tester", "company": company, "network": "work"}
    response = client.post("/contacts/new", data=data)
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def sections(page: str) -> dict[str, str]:
    """Each list of the Follow-ups page, by its id."""
    return {
        name: page.split(f'id="group-{name}"')[1].split("</section>")[0]
        for name in ("overdue", "today", "this_week", "later")
    }


def test_on_sunday_this_week_holds_monday_to_friday_and_later_the_rest(client, user, on_sunday):
    jane = add(client, "Jane")
    for day, reason in [
        ("2026-11-29", "Today's note"),
        ("2026-11-30", "Monday call"),
        ("2026-12-04", "Friday coffee"),
        ("2026-12-06", "Sunday a week on"),
        ("2026-12-07", "Monday after next"),
    ]:
        # The weekend dates are kept as asked (the box under the date).
        data = {"due_on": day, "reason": reason, "keep_weekend": "y"}
        response = client.post(f"/contacts/{jane}/follow-ups", data=data)
        assert response.status_code == 302
    lists = sections(client.get("/follow-ups").get_data(as_text=True))
    assert "Today&#39;s note" in lists["today"]
    assert "Monday call" in lists["this_week"] and "Friday coffee" in lists["this_week"]
    assert "Sunday a week on" in lists["this_week"]
    assert "Monday after next" not in lists["this_week"]
    assert "Monday after next" in lists["later"] and lists["later"].count('class="followup"') == 1
    assert 'This week <small class="muted">(3)</small>' in lists["this_week"]


def schedule_and_finish(client, contact_id: int, day: str) -> str:
    """Schedule an interview on day at 10:00, mark it done, return the page shown after."""
    location = client.post(
        f"/contacts/{contact_id}/interviews/new",
        data={"day": day, "start": "10:00", "duration_minutes": "30"},
    ).headers["Location"]
    response = client.post(f"{location}/done")
    return client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (
            "2026-11-27",
            "Send Jane Tester a thank-you by Monday 30 November. Then ask for a referral on "
            "Tuesday 1 December, and send a progress update on Friday 4 December.",
        ),
        (
            "2026-11-28",
            "Send Jane Tester a thank-you by Monday 30 November. Then ask for a referral on "
            "Tuesday 1 December, and send a progress update on Monday 7 December.",
        ),
        (
            "2026-11-29",
            "Send Jane Tester a thank-you by Monday 30 November. Then ask for a referral on "
            "Tuesday 1 December, and send a progress update on Monday 7 December.",
        ),
    ],
    ids=["friday", "saturday", "sunday"],
)
def test_an_interview_done_at_the_weekend_says_the_real_business_days(
    client, user, app, on_sunday, held_on: str, message: str
):
    jane = add(client, "Jane")
    page = schedule_and_finish(client, jane, held_on)
    assert message in page
    with app.app_context():
        dues = db.session.scalars(select(FollowUp.due_on).order_by(FollowUp.due_on)).all()
        contact = db.session.get(Contact, jane)
        # A month after the interview, rolled to a weekday: keep in touch on a business day too.
        assert contact.keep_in_touch_due is not None and contact.keep_in_touch_due.weekday() < 5
    assert len(set(dues)) == 3 and all(d.weekday() < 5 for d in dues)


def test_snooze_to_a_saturday_lands_on_monday_and_says_so(client, user, app, on_sunday):
    jane = add(client, "Jane")
    client.post(f"/contacts/{jane}/follow-ups", data={"due_on": "2026-11-30", "reason": "Call"})
    with app.app_context():
        fid = db.session.scalar(select(FollowUp.id))
    response = client.post(
        f"/follow-ups/{fid}/snooze", data={"to": "2026-12-05", "next": "/follow-ups"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saturday is not a working day, so snoozed to Mon 07 Dec." in page
    with app.app_context():
        assert db.session.get(FollowUp, fid).due_on == date(2026, 12, 7)


@pytest.mark.parametrize(("days", "expected"), [("1", date(2026, 12, 1)), ("3", date(2026, 12, 3))])
def test_snooze_by_business_days_on_a_sunday_skips_the_weekend(
    client, user, app, on_sunday, days: str, expected: date
):
    jane = add(client, "Jane")
    client.post(f"/contacts/{jane}/follow-ups", data={"due_on": "2026-11-30", "reason": "Call"})
    with app.app_context():
        fid = db.session.scalar(select(FollowUp.id))
    client.post(f"/follow-ups/{fid}/snooze", data={"days": days})
    with app.app_context():
        assert db.session.get(FollowUp, fid).due_on == expected


def test_outreach_logged_on_a_sunday_plans_3b_and_7b_on_weekdays(client, user, app, on_sunday):
    jane = add(client, "Jane")
    client.post(
        f"/contacts/{jane}/outreach",
        data={"channel": "email", "sent_on": "2026-11-29", "status": "awaiting", "summary": "Hi"},
    )
    with app.app_context():
        planned = db.session.execute(select(FollowUp.kind, FollowUp.due_on)).all()
        contact = db.session.get(Contact, jane)
    assert sorted(planned) == [("3b", date(2026, 12, 2)), ("7b", date(2026, 12, 8))]
    assert contact.keep_in_touch_due is None


def log_awaiting(client, contact_id: int, day: str = "2026-11-27") -> None:
    client.post(
        f"/contacts/{contact_id}/outreach",
        data={"channel": "email", "sent_on": day, "status": "awaiting", "summary": "Hi"},
    )


def test_reach_a_second_person_names_the_others_at_the_company(client, auth, app, on_sunday):
    # Another user's contact at their own "Acme" is never named.
    auth.register(email="other@example.com")
    add(client, "Secret")
    auth.logout()
    auth.register()
    jane = add(client, "Jane")
    add(client, "Ravi", company="ACME")  # sorts after Dee: not among the first three
    names = ["Abe", "Bea", "Cal", "Dee"]
    others = [add(client, name) for name in names]
    log_awaiting(client, jane)
    page = client.get("/follow-ups").get_data(as_text=True)
    people = page.split('class="followup-people"')[1].split("</p>")[0]
    assert "At Acme:" in people
    # The first three by name, each linked, then how many more with a link to all of them.
    for contact_id, name in zip(others[:2], names[:2], strict=True):
        assert f'<a href="/contacts/{contact_id}">{name} Tester</a>' in people
    assert "Dee Tester" not in people and "Ravi" not in people and "Jane" not in people
    assert f'<a href="/contacts/{others[2]}">Cal Tester</a>' in people
    assert '<a href="/contacts/?company=Acme">2 more</a>' in people
    # (The first page showed the flashes left from adding; a second shows only the lists.)
    assert "Secret Tester" not in client.get("/follow-ups").get_data(as_text=True)


def test_reach_a_second_person_alone_at_a_company_offers_to_add_one(client, user, on_sunday):
    olga = add(client, "Olga", company="Globex & Sons")
    log_awaiting(client, olga)
    page = client.get("/follow-ups").get_data(as_text=True)
    assert "Nobody else at Globex &amp; Sons yet." in page
    link = "/contacts/new?company=Globex+%26+Sons"
    assert f'<a href="{link}">Add someone at Globex &amp; Sons</a>' in page
    form = client.get(link).get_data(as_text=True)
    assert 'name="company" type="text" value="Globex &amp; Sons"' in form


def test_new_contact_company_prefill_is_trimmed_and_escaped(client, user):
    form = client.get("/contacts/new?company=%20%3Cscript%3Ex%3C/script%3E" + "y" * 300)
    page = form.get_data(as_text=True)
    assert "<script>x" not in page and "&lt;script&gt;x" in page
    value = page.split('name="company" type="text" value="')[1].split('"')[0]
    assert len(value.replace("&lt;", "<").replace("&gt;", ">")) == 200
