"""The Follow-ups page: groups, done, snooze, dismiss, and adding one by hand."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from crm.enums import FollowUpState
from crm.extensions import db
from crm.models import Contact, FollowUp, User
from tests.app.networking import TODAY, add, followups, log


def test_followups_page_groups_and_actions(client, user, app, fixed_today, clock):
    jane = add(client, "Jane")
    # Logged on the day it was sent, so its follow-ups are overdue by now.
    clock.set(datetime(2026, 11, 13, 12, tzinfo=UTC))
    log(client, jane, sent_on=date(2026, 11, 13))  # 3B due Wed 18 (overdue), 7B Tue 24 (overdue)
    clock.set(datetime(2026, 11, 25, 12, tzinfo=UTC))
    ravi = add(client, "Ravi", company="Globex")
    log(client, ravi, sent_on=date(2026, 11, 20))  # 3B due Wed 25 (today), 7B Tue 1 Dec (week)
    olga = add(client, "Olga", company="Initech")
    log(client, olga, sent_on=date(2026, 11, 25))  # 3B due Mon 30 (week), 7B Fri 4 Dec (later)
    page = client.get("/follow-ups").get_data(as_text=True)
    sections = {
        name: page.split(f'id="group-{name}"')[1].split("</section>")[0]
        for name in ("overdue", "today", "this_week", "later")
    }
    assert sections["overdue"].count('class="followup"') == 2
    assert "due since Wed 18 Nov (7 days ago)" in sections["overdue"]
    assert "Ravi Tester" in sections["today"] and "due today" in sections["today"]
    # "This week" is the next seven days (Thu 26 Nov to Wed 2 Dec), not the calendar week.
    assert sections["this_week"].count('class="followup"') == 2
    assert "Mon 30 Nov" in sections["this_week"] and "Tue 01 Dec" in sections["this_week"]
    assert sections["later"].count('class="followup"') == 1 and "Fri 04 Dec" in sections["later"]

    ids = {kind_contact: fid for fid, kind_contact in _ids(app)}
    client.post(f"/follow-ups/{ids[('3b', jane)]}/done")
    client.post(f"/follow-ups/{ids[('7b', jane)]}/dismiss")
    # +1 business day from Wednesday is Thursday; +3 is Monday (over the weekend).
    client.post(f"/follow-ups/{ids[('3b', ravi)]}/snooze", data={"days": "3"})
    states = {(c, k): (d, s) for c, k, d, s in followups(app) if c != olga}
    assert states[(jane, "3b")][1] == "done" and states[(jane, "7b")][1] == "dismissed"
    assert states[(ravi, "3b")] == (date(2026, 11, 30), "open")
    with app.app_context():
        row = db.session.get(FollowUp, ids[("3b", ravi)])
        assert row.snoozed_from == date(2026, 11, 25) and row.sequence == 1
    # Done ones stay in the contact's history.
    history = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert "Reach a second person</strong> · Done" in history
    assert "Nudge once</strong> · Dismissed" in history


def _ids(app):
    with app.app_context():
        return [
            ((f.kind, f.contact_id)) and (f.id, (f.kind, f.contact_id))
            for f in db.session.scalars(select(FollowUp))
        ]


def test_snooze_to_a_date_and_into_the_past(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    fid = _ids(app)[0][0]
    response = client.post(
        f"/follow-ups/{fid}/snooze", data={"to": "2026-11-24", "next": "/follow-ups"}
    )
    assert "Pick today or a later date." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    response = client.post(f"/follow-ups/{fid}/snooze", data={"to": "2026-02-31"})
    assert "Enter a real date" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post(f"/follow-ups/{fid}/snooze", data={"to": "2026-12-24"})
    with app.app_context():
        assert db.session.get(FollowUp, fid).due_on == date(2026, 12, 24)
    # Done twice: the second says so and changes nothing.
    client.post(f"/follow-ups/{fid}/done")
    response = client.post(f"/follow-ups/{fid}/done", data={"next": "/follow-ups"})
    assert "already done" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/follow-ups/{fid}/snooze", data={"days": "1", "next": "/follow-ups"})
    assert "already done" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_manual_follow_up_and_bad_dates(client, user, app, fixed_today):
    jane = add(client, "Jane")
    response = client.post(
        f"/contacts/{jane}/follow-ups", data={"due_on": "2026-12-02", "reason": "Send the article"}
    )
    assert response.status_code == 302
    assert followups(app) == [(jane, "manual", date(2026, 12, 2), "open")]
    # A double-submitted form adds it once.
    client.post(
        f"/contacts/{jane}/follow-ups", data={"due_on": "2026-12-02", "reason": "Send the article"}
    )
    assert len(followups(app)) == 1
    for data, message in [
        ({"due_on": "2026-11-24", "reason": "x"}, "Pick today or a later date."),
        ({"due_on": "2026-13-01", "reason": "x"}, "Enter a real date"),
        ({"due_on": "2026-12-02", "reason": ""}, "This field is required"),
    ]:
        response = client.post(f"/contacts/{jane}/follow-ups", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert len(followups(app)) == 1


def test_dates_in_another_year_show_the_year(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    fid = _ids(app)[0][0]
    response = client.post(f"/follow-ups/{fid}/snooze", data={"to": "2099-01-01"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Snoozed to Thu 01 Jan 2099." in page
    assert "due Thu 01 Jan 2099" in page and "snoozed from Wed 25 Nov" in page


def test_snoozing_never_moves_a_follow_up_earlier(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane, sent_on=TODAY)  # 3B due Mon 30 Nov
    fid = _ids(app)[0][0]
    client.post(f"/follow-ups/{fid}/snooze", data={"days": "1"})
    with app.app_context():
        assert db.session.get(FollowUp, fid).due_on == date(2026, 12, 1)


def test_each_list_shows_its_first_rows_and_counts_the_rest(client, user, auth, app, fixed_today):
    jane = add(client, "Jane")
    # Due dates per list, counted from Wed 25 Nov: 30 overdue, 2 today, 1 this week, 27 later.
    due = (
        [TODAY - timedelta(days=1 + n) for n in range(30)]
        + [TODAY] * 2
        + [TODAY + timedelta(days=3)]
        + [TODAY + timedelta(days=10 + n) for n in range(27)]
    )
    with app.app_context():
        owner = db.session.scalar(select(User.id))
        rows = [
            FollowUp(user_id=owner, contact_id=jane, reason=f"Step {n}", due_on=day)
            for n, day in enumerate(due)
        ]
        # Done ones are not counted.
        rows.append(
            FollowUp(
                user_id=owner,
                contact_id=jane,
                reason="Done",
                due_on=TODAY,
                status=FollowUpState.DONE,
            )
        )
        db.session.add_all(rows)
        db.session.commit()
    page = client.get("/follow-ups").get_data(as_text=True)
    sections = {
        name: page.split(f'id="group-{name}"')[1].split("</section>")[0]
        for name in ("overdue", "today", "this_week", "later")
    }
    assert sections["overdue"].startswith('>Overdue <small class="muted">(30)</small>')
    assert sections["overdue"].count('class="followup"') == 10
    assert "And 20 more" in sections["overdue"]
    # The oldest first: the ten shown are the longest overdue.
    assert "Step 29</p>" in sections["overdue"] and "Step 20</p>" in sections["overdue"]
    assert "Step 19</p>" not in sections["overdue"]
    assert sections["today"].count('class="followup"') == 2 and "(2)" in sections["today"]
    assert "more" not in sections["today"] and "Show" not in sections["today"]
    assert sections["this_week"].count('class="followup"') == 1
    assert "(27)" in sections["later"] and "And 17 more" in sections["later"]
    # "Show all" opens one list whole; the others keep their first rows.
    assert 'href="/follow-ups?all=overdue#group-overdue">Show all 30' in sections["overdue"]
    opened = client.get("/follow-ups?all=overdue").get_data(as_text=True)
    overdue = opened.split('id="group-overdue"')[1].split("</section>")[0]
    assert overdue.count('class="followup"') == 30 and "Step 0</p>" in overdue
    assert "All 30 shown" in overdue and 'href="/follow-ups#group-overdue">Show fewer' in overdue
    later = opened.split('id="group-later"')[1].split("</section>")[0]
    assert later.count('class="followup"') == 10
    # A row's buttons come back to the opened list.
    assert 'name="next" value="/follow-ups?all=overdue"' in overdue
    # A list that is not one of the four: the page as usual, the value not echoed.
    for bad in ("nonsense", "<script>alert(1)</script>", ""):
        response = client.get("/follow-ups", query_string={"all": bad})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "And 20 more" in page
        assert "<script>alert(1)" not in page
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "30 overdue, 2 today." in dashboard
    due_now, coming = dashboard.split('id="due"')[1].split("<h3>Coming up</h3>")
    # Due now: the five longest overdue, then today's.
    assert due_now.count('class="followup"') == 7
    assert "Step 29</p>" in due_now and "Step 25</p>" in due_now and "Step 24</p>" not in due_now
    assert "Step 30</p>" in due_now and "Step 31</p>" in due_now
    # Coming up: this week's one, then the soonest later ones, five in all, soonest first.
    coming = coming.split("</ul>")[0]
    assert coming.count('class="followup"') == 5
    steps = [int(n) for n in re.findall(r"Step (\d+)</p>", coming)]
    assert steps == [32, 33, 34, 35, 36]


def test_each_user_and_each_day_gets_its_own_lists(client, auth, app, clock):
    """The lists' statement is built once per process: no user's rows and no day's bounds
    carry over from one request to the next."""
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    auth.register(email="ana@example.com")
    ana = add(client, "Ana")
    client.post(f"/contacts/{ana}/follow-ups", data={"due_on": "2026-11-26", "reason": "Ana's"})
    assert "Ana&#39;s" in client.get("/follow-ups").get_data(as_text=True)
    auth.logout()
    auth.register(email="ben@example.com")
    ben = add(client, "Ben")
    client.post(f"/contacts/{ben}/follow-ups", data={"due_on": "2026-11-27", "reason": "Ben's"})

    def section(page, name):
        return page.split(f'id="group-{name}"')[1].split("</section>")[0]

    page = client.get("/follow-ups").get_data(as_text=True)
    assert "Ben&#39;s" in section(page, "this_week") and "Ana&#39;s" not in page
    # Two days on, the same statement puts Ben's follow-up under Today, then under Overdue.
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    assert "Ben&#39;s" in section(client.get("/follow-ups").get_data(as_text=True), "today")
    clock.set(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    page = client.get("/follow-ups").get_data(as_text=True)
    assert "Ben&#39;s" in section(page, "overdue") and "Ana&#39;s" not in page


def test_a_list_longer_than_the_page_opens_to_its_first_200(client, user, app, fixed_today):
    jane = add(client, "Jane")
    with app.app_context():
        owner = db.session.scalar(select(User.id))
        db.session.add_all(
            FollowUp(user_id=owner, contact_id=jane, reason=f"Late {n}", due_on=TODAY)
            for n in range(205)
        )
        db.session.commit()
    page = client.get("/follow-ups").get_data(as_text=True)
    assert "And 195 more" in page and ">Show the first 200<" in page.replace(
        '<span class="visually-hidden"> today</span>', ""
    )
    today = (
        client.get("/follow-ups?all=today")
        .get_data(as_text=True)
        .split('id="group-today"')[1]
        .split("</section>")[0]
    )
    assert today.count('class="followup"') == 200
    assert "These are the first 200; the other 5 move up as you clear these." in today


def test_losing_touch_shows_the_longest_overdue_first_and_opens_in_full(
    client, user, app, fixed_today, monkeypatch
):
    with app.app_context():
        owner = db.session.scalar(select(User.id))
        db.session.add_all(
            Contact(
                user_id=owner,
                first_name=f"Drifting{n:02d}",
                last_name="Tester",
                keep_in_touch_due=TODAY - timedelta(days=1 + n),
            )
            for n in range(14)
        )
        db.session.add(Contact(user_id=owner, first_name="Fine", keep_in_touch_due=TODAY))
        db.session.commit()

    def losing(query: str = "") -> str:
        page = client.get("/follow-ups" + query).get_data(as_text=True)
        return page.split('id="losing"')[1].split("</section>")[0]

    first = losing()
    assert first.startswith('>Losing touch <small class="muted">(14)</small>')
    assert first.count("<li>") == 10 and "Drifting13" in first and "Drifting03" not in first
    assert "Fine" not in first  # due today is not past due
    assert "And 4 more, due more recently." in first
    assert 'href="/follow-ups?all=losing#losing">Show all 14' in first
    opened = losing("?all=losing")
    assert opened.count("<li>") == 14 and "Drifting00" in opened
    assert 'All 14 shown. <a href="/follow-ups#losing">Show fewer' in opened
    monkeypatch.setattr("crm.pages.followups.LIST_LIMIT", 12)
    assert 'href="/follow-ups?all=losing#losing">Show the first 12' in losing()
    capped = losing("?all=losing")
    assert capped.count("<li>") == 12 and "These are the first 12 of 14" in capped
