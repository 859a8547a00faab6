"""The contact form a newcomer trusts: "Introduced by" suggests, accepts any case or accent,
offers to add a new person, asks which namesake; delete says what goes; a new job is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, JobChange, Note, Outreach
from tests.app.test_contacts import add_contact, contact_data


def added(client, **overrides) -> int:
    response = add_contact(client, email="", linkedin_url="", **overrides)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def contact(app, contact_id: int) -> Contact:
    with app.app_context():
        row = db.session.get(Contact, contact_id)
        db.session.expunge(row)
        return row


def people(app) -> list[tuple[str, str, int | None]]:
    with app.app_context():
        return [
            (c.first_name, c.last_name, c.introduced_by_id)
            for c in db.session.scalars(select(Contact).order_by(Contact.id))
        ]


# "Introduced by"


def test_introduced_by_accepts_any_case_accents_and_spacing(client, user, app):
    jose = added(client, first_name="José", last_name="García", company="Acme")
    for typed in ("jose garcia", "JOSÉ GARCÍA", "  José   garcia "):
        ana = added(client, first_name="Ana", last_name=typed.strip()[:3], introduced_by=typed)
        assert contact(app, ana).introduced_by_id == jose, typed


def test_suggestions_are_the_users_contacts_matching_what_is_typed(client, auth, app):
    auth.register(email="jo@example.com")
    added(client, first_name="José", last_name="García", title="Analyst", company="Acme")
    added(client, first_name="Josephine", last_name="Baker", company="", title="")
    added(client, first_name="Ravi", last_name="Shah")
    names = client.get("/contacts/names?q=jos").get_json()
    assert names == [
        {"name": "Josephine Baker", "detail": ""},
        {"name": "José García", "detail": "Analyst at Acme"},
    ]
    assert [n["name"] for n in client.get("/contacts/names?q=GARC").get_json()] == ["José García"]
    assert client.get("/contacts/names?q=").get_json() == []
    assert client.get("/contacts/names?q=" + "x" * 5000).get_json() == []
    form = client.get("/contacts/new").get_data(as_text=True)
    assert 'list="introducer-names"' in form and 'data-suggest="/contacts/names"' in form
    # Another user sees none of them.
    auth.logout()
    auth.register(email="mallory@example.com")
    assert client.get("/contacts/names?q=jos").get_json() == []


def test_another_users_contact_never_matches(client, auth, app):
    auth.register(email="other@example.com")
    theirs = added(client, first_name="Ravi", last_name="Shah")
    auth.logout()
    auth.register(email="jo@example.com")
    for extra in ({}, {"introducer_id": str(theirs)}):
        response = add_contact(client, first_name="Ana", introduced_by="Ravi Shah", **extra)
        assert response.status_code == 200
        assert "None of your contacts is named “Ravi Shah”" in response.get_data(as_text=True)
    assert [p[0] for p in people(app)] == ["Ravi"]  # nothing written for jo


def test_a_name_matching_nobody_offers_to_add_them_and_keeps_everything_typed(client, user, app):
    response = add_contact(
        client, first_name="Ana", introduced_by="Ravi Shah", notes="Met at a fair"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "None of your contacts is named “Ravi Shah”" in page
    assert 'name="add_introducer" value="Ravi Shah"' in page
    assert "Add Ravi Shah as a new contact when I save" in page
    assert 'value="Ana"' in page and "Met at a fair" in page  # nothing lost
    assert people(app) == []

    response = add_contact(
        client, first_name="Ana", introduced_by="Ravi Shah", add_introducer="Ravi Shah"
    )
    assert response.status_code == 302
    [(ravi_first, ravi_last, _), (ana_first, _, introducer)] = people(app)
    assert (ravi_first, ravi_last, ana_first) == ("Ravi", "Shah", "Ana")
    with app.app_context():
        ravi = db.session.scalar(select(Contact.id).where(Contact.first_name == "Ravi"))
    assert introducer == ravi
    assert "Ravi Shah is in your contacts too" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_the_offer_only_adds_the_name_it_was_made_for(client, user, app):
    # The name was corrected after the offer: the old "yes" does not add anyone.
    response = add_contact(
        client, first_name="Ana", introduced_by="Ravi Shaw", add_introducer="Ravi Shah"
    )
    assert response.status_code == 200 and people(app) == []


def test_a_script_in_a_typed_name_is_shown_as_text(client, user, app):
    evil = '<script>alert("x")</script>'
    page = add_contact(client, first_name="Ana", introduced_by=evil).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    added(client, first_name=evil, last_name="Doe")
    names = client.get("/contacts/names?q=script")
    # Data, not HTML: the page's script builds options from it as text.
    assert names.mimetype == "application/json"
    assert names.get_json()[0]["name"] == f"{evil} Doe"
    response = add_contact(
        client, first_name="Ana", introduced_by=f"{evil} Doe", add_introducer=f"{evil} Doe"
    )
    assert response.status_code == 302


def test_several_namesakes_ask_which_and_the_choice_is_kept(client, user, app):
    first = added(client, first_name="Sam", last_name="Lee", company="Acme", title="Analyst")
    second = added(client, first_name="Sam", last_name="Lee", company="Globex")
    response = add_contact(client, first_name="Ana", introduced_by="sam lee")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 of your contacts are named “sam lee”: pick the one you mean." in page
    assert "Which sam lee?" in page
    assert f'name="introducer_id" value="{first}"' in page
    assert f'name="introducer_id" value="{second}"' in page
    assert "Analyst at Acme" in page and "Globex" in page

    response = add_contact(client, first_name="Ana", introduced_by="sam lee", introducer_id=second)
    assert response.status_code == 302
    ana = int(response.headers["Location"].rsplit("/", 1)[1])
    assert contact(app, ana).introduced_by_id == second

    # Editing Ana later keeps the chosen namesake without asking again.
    edit = client.get(f"/contacts/{ana}/edit").get_data(as_text=True)
    assert f'name="introducer_id" type="hidden" value="{second}"' in edit or (
        f'type="hidden" name="introducer_id" value="{second}"' in edit
    )
    response = client.post(
        f"/contacts/{ana}/edit",
        data=contact_data(
            first_name="Ana",
            email="",
            linkedin_url="",
            introduced_by="Sam Lee",
            introducer_id=second,
        ),
    )
    assert response.status_code == 302
    assert contact(app, ana).introduced_by_id == second


def test_a_chosen_namesake_must_still_bear_the_typed_name(client, user, app):
    sam = added(client, first_name="Sam", last_name="Lee")
    added(client, first_name="Sam", last_name="Lee", company="Globex")
    ravi = added(client, first_name="Ravi", last_name="Shah")
    # An id for someone else entirely does not count: still asks which Sam Lee.
    response = add_contact(client, first_name="Ana", introduced_by="Sam Lee", introducer_id=ravi)
    assert "pick the one you mean" in response.get_data(as_text=True)
    response = add_contact(client, first_name="Ana", introduced_by="Sam Lee", introducer_id=sam)
    assert response.status_code == 302


# Deleting says what goes


def test_delete_says_what_goes_with_the_contact_and_what_stays(client, user, app):
    jane = added(client, first_name="Jane", last_name="Doe")
    ravi = added(client, first_name="Ravi", last_name="Shah", introduced_by="Jane Doe")
    now = datetime.now(UTC)
    with app.app_context():
        user_id = contact(app, jane).user_id
        db.session.add_all(
            [
                Outreach(user_id=user_id, contact_id=jane, channel="email", sent_on=now.date()),
                Outreach(user_id=user_id, contact_id=jane, channel="email", sent_on=now.date()),
                Interview(user_id=user_id, contact_id=jane, starts_at=now + timedelta(days=1)),
                FollowUp(user_id=user_id, contact_id=jane, reason="Nudge", due_on=now.date()),
                FollowUp(
                    user_id=user_id,
                    contact_id=jane,
                    reason="Old",
                    due_on=now.date(),
                    status="done",
                ),
                Note(user_id=user_id, contact_id=jane, body="Likes tea"),
            ]
        )
        db.session.commit()

    page = " ".join(client.get(f"/contacts/{jane}/delete").get_data(as_text=True).split())
    assert "2 outreach messages you logged" in page
    assert "1 interview, with its notes" in page
    assert "1 open follow-up" in page
    assert "1 note on the timeline" in page
    assert "1 person Jane introduced you to stays in your contacts" in page
    assert contact(app, jane).first_name == "Jane"  # asking deleted nothing

    client.post(f"/contacts/{jane}/delete")
    assert people(app) == [("Ravi", "Shah", None)]
    with app.app_context():
        for model in (Outreach, Interview, FollowUp, Note):
            assert db.session.scalars(select(model)).all() == [], model
    assert ravi


def test_delete_of_a_contact_with_nothing_logged_says_so(client, user, app):
    jane = added(client, first_name="Jane", last_name="Doe", notes="")
    page = " ".join(client.get(f"/contacts/{jane}/delete").get_data(as_text=True).split())
    assert "Nothing else is logged for Jane." in page
    assert "0 " not in page.split("<main")[1]


# A job change by hand


def job_changes(app) -> list[tuple]:
    with app.app_context():
        return [
            (j.contact_id, j.old_company, j.old_title, j.new_company, j.new_title, j.seen_on)
            for j in db.session.scalars(select(JobChange).order_by(JobChange.id))
        ]


def edit(client, contact_id: int, **overrides):
    data = contact_data(first_name="Jane", email="", linkedin_url="", **overrides)
    response = client.post(f"/contacts/{contact_id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_new_company_or_title_by_hand_is_a_job_change_on_the_timeline(client, user, app):
    jane = added(client, first_name="Jane", company="Acme", title="Analyst")
    today = datetime.now(UTC).date()
    edit(client, jane, company="Globex", title="Lead Analyst")
    assert job_changes(app) == [(jane, "Acme", "Analyst", "Globex", "Lead Analyst", today)]
    edit(client, jane, company="Globex", title="Head of Data")
    assert job_changes(app)[-1][1:5] == ("Globex", "Lead Analyst", "Globex", "Head of Data")
    page = client.get(f"/contacts/{jane}").get_data(as_text=True)
    assert "Changed jobs" in page and "Head of Data at Globex" in " ".join(page.split())


def test_no_job_change_for_spelling_filling_in_or_other_edits(client, user, app):
    jane = added(client, first_name="Jane", company="", title="")
    edit(client, jane, company="Acme", title="Analyst")  # filled in: not a change of job
    edit(client, jane, company="ACME ", title="analyst")  # case and spacing only
    edit(client, jane, company="ACME", title="analyst", notes="New notes")
    assert job_changes(app) == []
    # A new contact is no job change either.
    added(client, first_name="Kim", company="Initech", title="Engineer")
    assert job_changes(app) == []
