"""Who else should I talk to: suggested names become contacts introduced by the interviewee,
reaching them is planned, the first message names the referrer only with their yes, and the
referrer hears how it went when the person replies and again when you talk."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, Outreach, User
from crm.referrals.models import Suggestion
from crm.reminders.services import digest_for
from tests.app.networking import TODAY
from tests.app.test_imports_support import import_bytes, linkedin_csv

NEXT_BUSINESS_DAY = date(2026, 11, 26)
NOTES = {"career_path": "Teacher, then analyst", "advice": "Say yes to small projects"}


def add(client, first, last, company="Acme", **extra) -> int:
    data = {"first_name": first, "last_name": last, "company": company, "network": "alumni"}
    data.update(extra)
    response = client.post("/contacts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def hold_interview(client, contact_id: int) -> int:
    """An interview that happened yesterday, marked done."""
    start = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    response = client.post(
        f"/contacts/{contact_id}/interviews/new",
        data={
            "day": start.date().isoformat(),
            "start": "10:00",
            "duration_minutes": "30",
            "location": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    interview = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/interviews/{interview}/done", data=NOTES).status_code == 302
    return interview


def suggest(client, interview: int, name: str, **fields) -> object:
    data = {**NOTES, "suggest-name": name, "suggest-permission": "not_asked"}
    data.update({f"suggest-{key}": value for key, value in fields.items()})
    return client.post(f"/interviews/{interview}/suggestions", data=data)


def contact_named(app, first: str) -> Contact:
    with app.app_context():
        contact = db.session.scalars(select(Contact).where(Contact.first_name == first)).one()
        contact.tag_names  # noqa: B018  (load the tags before leaving the session)
        db.session.expunge_all()
        return contact


def open_followups(app, kind: str) -> list[tuple[int | None, date, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(FollowUp)
            .where(FollowUp.kind == kind, FollowUp.status == "open")
            .order_by(FollowUp.id)
        )
        return [(row.contact_id, row.due_on, row.reason) for row in rows]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def ana_interview(client, user, fixed_today) -> tuple[int, int]:
    """Ana García, interviewed yesterday."""
    ana = add(client, "Ana", "García", company="Acme")
    return ana, hold_interview(client, ana)


def test_a_suggested_name_becomes_a_contact_introduced_by_the_interviewee(
    client, app, ana_interview
):
    ana, interview = ana_interview
    typed = {**NOTES, "advice": "Typed, not saved yet"}
    response = client.post(
        f"/interviews/{interview}/suggestions",
        data={
            **typed,
            "suggest-name": "Tom Becker",
            "suggest-company": "Globex",
            "suggest-title": "Data Lead",
            "suggest-reach": "https://www.LinkedIn.com/in/tom-becker/?trk=x",
            "suggest-permission": "yes",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tom Becker is in your contacts, introduced by Ana García." in page
    assert "Who else should I talk to?" in page and "Notes saved." in page
    tom = contact_named(app, "Tom")
    assert (tom.last_name, tom.title, tom.network) == ("Becker", "Data Lead", "alumni")
    assert tom.linkedin_url == "https://www.linkedin.com/in/tom-becker"
    assert tom.introduced_by_id == ana and tom.tag_names == ["referral"]
    with app.app_context():
        assert db.session.get(Interview, interview).advice == "Typed, not saved yet"
        suggestion = db.session.scalars(select(Suggestion)).one()
        assert (suggestion.interview_id, suggestion.contact_id) == (interview, tom.id)
        assert suggestion.permission == "yes"
    assert open_followups(app, "reach") == [
        (tom.id, NEXT_BUSINESS_DAY, "Reach Tom Becker (suggested by Ana García)")
    ]
    assert f'href="/contacts/{tom.id}">Tom Becker</a>' in page


def test_a_suggested_person_who_is_already_a_contact_is_linked_not_added_twice(
    client, app, ana_interview
):
    ana, interview = ana_interview
    lea = add(client, "Léa", "Dubois", company="Initech", email="lea@example.com")
    sam = add(client, "Sam", "Okafor", company="Globex")
    before = count(app, Contact)
    by_email = suggest(client, interview, "Lea D.", reach="LEA@example.com")
    page = client.get(by_email.headers["Location"]).get_data(as_text=True)
    assert "Léa Dubois was already in your contacts, introduced by Ana García: linked" in page
    # The same name at the same company is the same person too (the import's rule).
    suggest(client, interview, "sam okafor", company="globex ")
    assert count(app, Contact) == before
    assert contact_named(app, "Léa").introduced_by_id == ana
    assert contact_named(app, "Sam").introduced_by_id == ana
    with app.app_context():
        linked = set(db.session.scalars(select(Suggestion.contact_id)))
    assert linked == {lea, sam}
    # A namesake elsewhere is someone else.
    suggest(client, interview, "Sam Okafor", company="Umbrella")
    assert count(app, Contact) == before + 1


def test_a_name_is_required_and_the_notes_are_kept_anyway(client, app, ana_interview):
    _, interview = ana_interview
    before = count(app, Contact)
    response = client.post(
        f"/interviews/{interview}/suggestions",
        data={**NOTES, "assignments": "Read the data report", "suggest-name": " "},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Name: Type the person&#39;s name." in page
    assert count(app, Contact) == before and count(app, Suggestion) == 0
    with app.app_context():
        assert db.session.get(Interview, interview).assignments == "Read the data report"
    bad = suggest(client, interview, "Tom Becker", reach="not an address")
    assert "Type an email address" in client.get(bad.headers["Location"]).get_data(as_text=True)
    assert count(app, Contact) == before


def test_the_interviewee_cannot_suggest_themselves_nor_close_a_loop(client, app, ana_interview):
    ana, interview = ana_interview
    page = client.get(
        suggest(client, interview, "Ana García", company="Acme").headers["Location"]
    ).get_data(as_text=True)
    assert "That is Ana García: type someone they suggested." in page
    # Ana's own introducer, suggested by Ana: linking them would close a loop.
    add(client, "Cy", "Dee", company="Umbrella")
    client.post(
        f"/contacts/{ana}/edit",
        data={"first_name": "Ana", "last_name": "García", "company": "Acme",
              "network": "alumni", "introduced_by": "Cy Dee"},
    )  # fmt: skip
    page = client.get(
        suggest(client, interview, "Cy Dee", company="Umbrella").headers["Location"]
    ).get_data(as_text=True)
    assert "Nobody is their own introducer." in page
    assert contact_named(app, "Cy").introduced_by_id is None
    assert count(app, Suggestion) == 0


def test_an_interview_held_without_names_gets_them_later(client, app, ana_interview):
    _, interview = ana_interview
    client.post(f"/interviews/{interview}/notes", data={**NOTES, "referrals": "Tom at Globex"})
    page = client.get(f"/interviews/{interview}").get_data(as_text=True)
    assert "Referrals in your notes" in page and "Tom at Globex" in page
    assert "Add each of these names above as a person" in page
    suggest(client, interview, "Tom Becker", company="Globex")
    assert contact_named(app, "Tom").company_name == "Globex"


def template(client, contact_id: int) -> dict:
    response = client.get(f"/contacts/{contact_id}/templates/first_outreach.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_first_message_names_the_referrer_only_with_their_yes(client, app, ana_interview):
    _, interview = ana_interview
    suggest(client, interview, "Tom Becker", permission="yes", company="Globex")
    suggest(client, interview, "Léa Dubois", permission="no", company="Initech")
    suggest(client, interview, "Sam Okafor", company="Umbrella")  # not asked yet
    tom, lea, sam = (contact_named(app, name).id for name in ("Tom", "Léa", "Sam"))

    yes = template(client, tom)
    assert "Ana García suggested I get in touch with you." in yes["body"]
    assert "unnamed" not in {item["key"] for item in yes["check"]}
    for withheld in (template(client, lea), template(client, sam)):
        assert "Ana" not in withheld["body"] and "suggested I get in touch" not in withheld["body"]
        assert any("has not said you may mention them" in note for note in withheld["notes"])
        unnamed = next(item for item in withheld["check"] if item["key"] == "unnamed")
        assert unnamed["ok"] is True

    named_anyway = client.post(
        f"/contacts/{lea}/message-check",
        data={"message": "Hi Léa, Ana suggested I write to you.", "template": "first_outreach"},
    ).get_json()["check"]
    unnamed = next(item for item in named_anyway if item["key"] == "unnamed")
    assert unnamed["ok"] is False and "Ana has not said you may mention them" in unnamed["detail"]
    # Without JavaScript the contact page fills the same template.
    page = client.post(
        f"/contacts/{sam}/outreach",
        data={"use_template": "1", "template": "first_outreach", "channel": "email"},
    ).get_data(as_text=True)
    assert "suggested I get in touch" not in page and "has not said you may mention them" in page


def test_a_reply_plans_telling_the_referrer_and_the_dashboard_and_email_show_it(
    client, app, clock, ana_interview
):
    ana, interview = ana_interview
    suggest(client, interview, "Tom Becker", permission="yes", company="Globex")
    tom = contact_named(app, "Tom").id
    client.post(
        f"/contacts/{tom}/outreach",
        data={"channel": "email", "sent_on": TODAY.isoformat(), "status": "awaiting"},
    )
    assert open_followups(app, "reach") == []  # writing to Tom was the step
    with app.app_context():
        outreach = db.session.scalars(select(Outreach.id)).one()
    response = client.post(
        f"/outreach/{outreach}/status", data={"status": "replied"}, follow_redirects=True
    )
    said = "Tell Ana García how it went: Tom Becker replied."
    assert said in response.get_data(as_text=True)
    assert open_followups(app, "tell_referrer") == [(ana, NEXT_BUSINESS_DAY, said)]
    # A second reply from Tom plans nothing more.
    client.post(
        f"/contacts/{tom}/outreach",
        data={"channel": "email", "sent_on": TODAY.isoformat(), "status": "replied"},
    )
    assert len(open_followups(app, "tell_referrer")) == 1

    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Tell Ana García how it went" in dashboard
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    with app.app_context():
        digest = digest_for(db.session.scalars(select(User)).one(), clock_now())
        assert any("Tell Ana García how it went" in item.why for item in digest.due_today)


def clock_now() -> datetime:
    return datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_an_interview_with_a_referred_person_tells_the_referrer_in_one_message(
    client, app, ana_interview
):
    ana, interview = ana_interview
    suggest(client, interview, "Tom Becker", company="Globex")
    suggest(client, interview, "Léa Dubois", company="Initech")
    tom, lea = contact_named(app, "Tom").id, contact_named(app, "Léa").id
    client.post(
        f"/contacts/{tom}/outreach",
        data={"channel": "email", "sent_on": TODAY.isoformat(), "status": "replied"},
    )
    assert [r[2] for r in open_followups(app, "tell_referrer")] == [
        "Tell Ana García how it went: Tom Becker replied."
    ]
    hold_interview(client, tom)
    # The open note about the reply becomes the one about the conversation: one message.
    assert [r[2] for r in open_followups(app, "tell_referrer")] == [
        "Tell Ana García how it went: you talked with Tom Becker."
    ]
    # Léa was never written to: her interview closes her "Reach" and tells Ana as well.
    hold_interview(client, lea)
    assert open_followups(app, "reach") == []
    assert open_followups(app, "tell_referrer")[1] == (
        ana,
        NEXT_BUSINESS_DAY,
        "Tell Ana García how it went: you talked with Léa Dubois.",
    )
    # The referrer's page lists everyone they suggested and how far each got.
    page = client.get(f"/contacts/{ana}").get_data(as_text=True)
    assert f'href="/contacts/{lea}">Léa Dubois</a> <span class="muted">· Talked with you' in page


def test_the_contact_page_shows_the_chain_of_introductions(client, app, ana_interview):
    ana, interview = ana_interview
    suggest(client, interview, "Tom Becker", company="Globex")
    tom = contact_named(app, "Tom").id
    tom_interview = hold_interview(client, tom)
    suggest(client, tom_interview, "Léa Dubois", company="Initech")
    lea = contact_named(app, "Léa").id
    page = client.get(f"/contacts/{lea}").get_data(as_text=True)
    assert (
        f'<a href="/contacts/{ana}">Ana García</a> → <a href="/contacts/{tom}">Tom Becker</a>'
        ' → <span aria-current="page">Léa Dubois</span>'
    ) in page
    # Tom referred you on: Ana's page says so.
    ana_page = client.get(f"/contacts/{ana}").get_data(as_text=True)
    assert 'Tom Becker</a> <span class="muted">· Referred you on' in ana_page


def test_the_contact_form_refuses_a_loop_of_introductions(client, app, ana_interview):
    ana, interview = ana_interview
    suggest(client, interview, "Tom Becker", company="Globex")
    response = client.post(
        f"/contacts/{ana}/edit",
        data={
            "first_name": "Ana",
            "last_name": "García",
            "company": "Acme",
            "network": "alumni",
            "introduced_by": "Tom Becker",
        },
    )
    assert response.status_code == 200
    assert "Nobody is their own introducer." in response.get_data(as_text=True)
    assert contact_named(app, "Ana").introduced_by_id is None
    assert contact_named(app, "Tom").introduced_by_id == ana


def test_another_users_interview_or_contact_answers_404_with_nothing_written(
    client, app, auth, ana_interview
):
    ana, interview = ana_interview
    auth.logout()
    auth.register("eve@example.com")
    before = (count(app, Contact), count(app, Suggestion), count(app, FollowUp))
    assert suggest(client, interview, "Tom Becker").status_code == 404
    assert client.get(f"/contacts/{ana}/templates/first_outreach.json").status_code == 404
    assert client.get(f"/contacts/{ana}").status_code == 404
    assert client.get(f"/interviews/{interview}").status_code == 404
    assert (count(app, Contact), count(app, Suggestion), count(app, FollowUp)) == before


def test_the_pipeline_and_the_plan_count_suggested_names(client, app, ana_interview):
    _, interview = ana_interview
    sam = add(client, "Sam", "Okafor", company="Globex")
    suggest(client, interview, "Tom Becker", company="Initech")
    suggest(client, interview, "Sam Okafor", company="Globex")  # a twin: still a name given
    # Bo was introduced by Tom on the contact form. Tom was never interviewed, so the
    # funnel (each stage at most the one before) counts only Ana as having referred you on.
    add(client, "Bo", "Chen", introduced_by="Tom Becker")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "<div><strong>1</strong>Interviewed</div>" in dashboard
    assert "<div><strong>1</strong>Referred you on</div>" in dashboard
    plan = client.get("/plan/").get_data(as_text=True)
    assert "3 referrals.</p>" in plan
    assert f'<a href="/contacts/{sam}">Sam Okafor</a> suggested by Ana García' in plan
    assert "Bo Chen</a> introduced by Tom Becker" in plan


def test_a_reimport_that_updates_a_referred_person_keeps_their_introducer(
    client, app, ana_interview
):
    ana, interview = ana_interview
    suggest(
        client,
        interview,
        "Tom Becker",
        company="Globex",
        reach="https://www.linkedin.com/in/tom-becker",
    )
    moved = "Tom,Becker,https://www.linkedin.com/in/tom-becker,,Initech,Data Lead,30 May 2024"
    page = import_bytes(client, linkedin_csv(moved)).get_data(as_text=True)
    assert "0 contacts added, 1 updated" in page
    tom = contact_named(app, "Tom")
    assert (tom.company_name, tom.title) == ("Initech", "Data Lead")
    assert tom.introduced_by_id == ana
    assert count(app, Suggestion) == 1
