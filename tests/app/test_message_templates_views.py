"""Message templates, the Log outreach form's template and check, mailto links and the reframe."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from crm.extensions import db
from crm.models import MessageTemplate, Outreach, User
from tests.app.networking import TODAY, add, log
from tests.conftest import counting_statements, csrf_token_from


def page_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(True))))


def templates_rows(app):
    with app.app_context():
        rows = db.session.scalars(select(MessageTemplate).order_by(MessageTemplate.id))
        return [(row.user_id, row.kind, row.subject, row.body) for row in rows]


def use_template(client, contact_id, template="first_outreach", **extra):
    data = {"template": template, "use_template": "Use template", "channel": "email"}
    data.update(extra)
    return client.post(f"/contacts/{contact_id}/outreach", data=data)


def mailto_of(body: str) -> str:
    match = re.search(r'id="mailto-link"[^>]*href="([^"]+)"', body)
    assert match, "no Open in my email link"
    return html.unescape(match.group(1))


# The Templates page


def test_settings_links_to_the_templates_page_with_five_defaults(client, user):
    assert 'href="/settings/templates"' in client.get("/settings").get_data(True)
    text = page_text(client.get("/settings/templates"))
    for label in ("First outreach", "Nudge", "Thank-you", "Progress update", "Referral ask"):
        assert f"{label} (the default)" in text
    assert "Subject: A question about your path at {company}" in text


def test_editing_a_template_keeps_it_for_this_user_only(client, user, auth, app):
    response = client.post(
        "/settings/templates/nudge",
        data={"subject": "Checking in, {first_name}", "body": "Hi {first_name},\r\nStill keen."},
    )
    assert response.status_code == 302
    with app.app_context():
        jo = db.session.scalar(select(User.id).where(User.email == "jo@example.com"))
    assert templates_rows(app) == [
        (jo, "nudge", "Checking in, {first_name}", "Hi {first_name},\nStill keen.")
    ]
    text = page_text(client.get("/settings/templates"))
    assert "Nudge (your wording)" in text and "Still keen." in text
    assert "Restore the default" in page_text(client.get("/settings/templates/nudge"))
    auth.logout()
    auth.register(email="other@example.com")
    assert "Still keen." not in page_text(client.get("/settings/templates"))
    assert "Restore the default" not in page_text(client.get("/settings/templates/nudge"))


def test_restore_the_default(client, user, app):
    client.post("/settings/templates/thank_you", data={"subject": "Thanks", "body": "Thanks!"})
    assert len(templates_rows(app)) == 1
    response = client.post("/settings/templates/thank_you/restore", follow_redirects=True)
    assert "The thank-you template is the default again." in page_text(response)
    assert templates_rows(app) == []
    assert "Thank-you (the default)" in page_text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"subject": "Hi {firstname}", "body": "x"},
            "{firstname} on line 1 is not a placeholder we know. Did you mean",
        ),
        ({"subject": "Hi", "body": "Hi {first_name"}, "A brace on line 1 is not closed"),
        ({"subject": "Hi", "body": "ok\n{company}}"}, "A brace on line 2 is not closed"),
        ({"subject": "", "body": "x"}, "Write a subject."),
        ({"subject": "Hi", "body": "   "}, "Write the message."),
        ({"subject": "x" * 201, "body": "x"}, "Keep the subject under 200 characters."),
        ({"subject": "Hi", "body": "x" * 5001}, "Keep the message under 5,000 characters."),
    ],
)
def test_bad_templates_are_explained_and_nothing_is_saved(client, user, app, data, message):
    response = client.post("/settings/templates/first_outreach", data=data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert 'aria-invalid="true"' in response.get_data(True)  # beside the field, focus lands there
    assert templates_rows(app) == []


def test_script_in_a_template_is_shown_as_text(client, user):
    client.post(
        "/settings/templates/update",
        data={"subject": "<b>x</b>", "body": "<script>alert(1)</script>"},
    )
    body = client.get("/settings/templates").get_data(True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_unknown_kinds_are_404(client, user):
    assert client.get("/settings/templates/job_request").status_code == 404
    assert (
        client.post(
            "/settings/templates/job_request", data={"subject": "a", "body": "b"}
        ).status_code
        == 404
    )
    assert client.post("/settings/templates/job_request/restore").status_code == 404


def test_templates_need_a_login(client):
    assert client.get("/settings/templates").status_code == 302


# The Log outreach form


def sign_as(app, name: str) -> None:
    """The user's own name, as set on the Account page ({my_name})."""
    with app.app_context():
        db.session.execute(update(User).values(name=name))
        db.session.commit()


def test_use_template_fills_the_message_for_this_contact(client, user, app):
    ana = add(client, "Ana", last_name="Ruiz")
    sam = add(client, "Sam", email="sam@example.com", introduced_by="Ana Ruiz")
    sign_as(app, "Jo Tester")
    response = use_template(client, sam)
    assert response.status_code == 200
    body = response.get_data(True)
    text = page_text(response)
    assert "Hi Sam," in text
    assert "Ana Ruiz suggested I get in touch with you." in text
    assert "your role at Acme" in text
    assert 'value="A question about your path at Acme"' in body
    assert "Thank you for considering it, Jo Tester" in text  # {my_name}
    # The check beside it, and the note on what was left blank.
    assert "Check of the message" in text
    assert "Done: One clear ask for 15 to 20 minutes" in text
    assert "You have no target role yet, so the sentence about it was left out." in text
    link = urlsplit(mailto_of(body))
    assert link.path == "sam@example.com"
    assert parse_qs(link.query)["subject"] == ["A question about your path at Acme"]
    assert parse_qs(link.query)["body"][0].startswith("Hi Sam,\r\n\r\nAna Ruiz suggested")
    with app.app_context():
        assert db.session.scalars(select(Outreach)).all() == []  # nothing logged yet
    assert ana


def test_the_users_own_wording_is_used(client, user):
    client.post(
        "/settings/templates/nudge",
        data={"subject": "Hello again", "body": "Hey {first_name} at {company}!"},
    )
    sam = add(client, "Sam", email="sam@example.com")
    text = page_text(use_template(client, sam, template="nudge"))
    assert "Hey Sam at Acme!" in text


def test_no_email_means_no_link_and_a_kind_note(client, user):
    sam = add(client, "Sam")
    response = use_template(client, sam)
    assert 'id="mailto-link"' not in response.get_data(True)
    text = page_text(response)
    assert (
        "There is no email address for Sam yet. Add it to open this message in your email" in text
    )
    assert "Nobody introduced you to Sam: say in the first line how you are connected." in text
    # The default's sentence about the introducer is left out rather than left headless.
    assert "Hi Sam, I would love to learn from your path into your role at Acme." in text
    assert "suggested I get in touch" not in text


def test_script_in_a_name_is_escaped_in_the_message_and_the_link(client, user):
    evil = add(
        client,
        '<script>alert("x")</script>',
        email="x@example.com",
        company="<img src=x onerror=alert(1)>",
    )
    body = use_template(client, evil).get_data(True)
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "Hi &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;," in body
    link = mailto_of(body)
    assert "<" not in link and '"' not in link


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("", "Pick a template from the list first."),
        ("job_request", "Pick a template from the list first."),
    ],
)
def test_use_template_without_a_good_choice_says_so(client, user, app, template, message):
    sam = add(client, "Sam")
    response = use_template(client, sam, template=template)
    assert response.status_code == 400
    assert message in page_text(response)
    with app.app_context():
        assert db.session.scalars(select(Outreach)).all() == []


def test_saving_shows_how_the_message_did(client, user, fixed_today):
    sam = add(client, "Sam")
    response = log(client, sam, summary="Are you hiring? I need a job.")
    assert response.status_code == 302
    text = page_text(client.get(response.headers["Location"]))
    assert "Your message met 1 of 5 marks. Next time: says how you are connected;" in text


def test_saving_a_good_message_says_so(client, user, fixed_today):
    sam = add(client, "Sam")
    good = (
        "We met at the Leeds meetup. How did you get into your role? Would you have 15 minutes "
        "for your advice?"
    )
    response = log(client, sam, summary=good)
    text = page_text(client.get(response.headers["Location"]))
    assert "Your message met all 5 marks of a note that gets a yes." in text


def test_a_save_with_errors_keeps_the_message_and_shows_its_check(client, user, fixed_today):
    sam = add(client, "Sam", email="sam@example.com")
    response = client.post(
        f"/contacts/{sam}/outreach",
        data={"channel": "email", "sent_on": "", "status": "awaiting", "summary": "Any jobs?"},
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Enter a real date" in text
    assert "To do: Asks about their path or advice, not for a job" in text
    assert "Open in my email" in text


# The JSON the page's script reads


def test_the_filled_template_as_json(client, user):
    sam = add(client, "Sam", email="sam@example.com")
    data = client.get(f"/contacts/{sam}/templates/thank_you.json").get_json()
    assert data["subject"] == "Thank you, Sam"
    assert data["body"].startswith("Hi Sam,")
    assert data["mailto"].startswith("mailto:sam@example.com?subject=Thank%20you%2C%20Sam&body=")
    assert [item["key"] for item in data["check"]] == ["short", "path", "about_them"]
    assert client.get(f"/contacts/{sam}/templates/nonsense.json").status_code == 404


def test_the_check_as_typed(client, user):
    sam = add(client, "Sam", email="sam@example.com")
    data = client.post(
        f"/contacts/{sam}/message-check",
        data={"message": "Could we talk for an hour?", "subject": "Hi", "template": "nudge"},
    ).get_json()
    assert [item["key"] for item in data["check"]] == ["short", "path", "time", "about_them"]
    time = next(item for item in data["check"] if item["key"] == "time")
    assert time["ok"] is False and "is a lot to ask" in time["detail"]
    assert (
        data["mailto"]
        == "mailto:sam@example.com?subject=Hi&body=Could%20we%20talk%20for%20an%20hour%3F"
    )
    odd = client.post(
        f"/contacts/{sam}/message-check", data={"message": "x" * 50_000, "template": "<x>"}
    )
    assert odd.status_code == 200
    assert odd.get_json()["check"][0]["detail"] == "1 word."


def test_the_check_needs_the_forms_token(app, app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = csrf_token_from(client.get("/register").get_data(True))
    password = "correct horse battery"
    client.post(
        "/register",
        data={"csrf_token": token, "email": "t@example.com", "password": password,
              "confirm": password, "time_zone": "UTC"},
    )  # fmt: skip
    page = client.get("/contacts/new").get_data(True)
    response = client.post(
        "/contacts/new",
        data={"csrf_token": csrf_token_from(page), "first_name": "Sam", "network": "work"},
    )
    sam = response.headers["Location"].rsplit("/", 1)[1]
    assert client.post(f"/contacts/{sam}/message-check", data={"message": "x"}).status_code == 400
    token = csrf_token_from(client.get(f"/contacts/{sam}").get_data(True))
    answer = client.post(
        f"/contacts/{sam}/message-check", data={"message": "x", "csrf_token": token}
    )
    assert answer.status_code == 200 and answer.get_json()["check"][0]["ok"] is True


def test_another_users_contact_is_404_everywhere(client, user, auth, app):
    sam = add(client, "Sam", email="sam@example.com")
    auth.logout()
    auth.register(email="other@example.com")
    assert use_template(client, sam).status_code == 404
    assert client.get(f"/contacts/{sam}/templates/nudge.json").status_code == 404
    assert client.post(f"/contacts/{sam}/message-check", data={"message": "hi"}).status_code == 404
    assert client.get("/contacts/999999/templates/nudge.json").status_code == 404


# The reframe


def test_no_response_answers_with_the_reframe_and_the_next_step(client, user, app, fixed_today):
    jane = add(client, "Jane", email="jane@example.com")
    add(client, "Sam")  # at Acme too, not reached yet
    log(client, jane)
    with app.app_context():
        outreach_id = db.session.scalar(select(Outreach.id))
    response = client.post(
        f"/outreach/{outreach_id}/status", data={"status": "no_response"}, follow_redirects=True
    )
    text = page_text(response)
    assert (
        "No reply yet from Jane Tester. That is normal, a non-reply is a temporary delay, not a "
        "roadblock: nudge once on Tue 01 Dec, and write to Sam Tester at Acme." in text
    )
    body = response.get_data(True)
    assert "notice-error" not in body and "notice-warning" not in body
    assert "A non-reply is a temporary delay, not a roadblock." in text  # on the timeline


def test_declined_answers_with_the_reframe_and_someone_else(client, user, app, fixed_today):
    jane = add(client, "Jane")
    log(client, jane)
    with app.app_context():
        outreach_id = db.session.scalar(select(Outreach.id))
    response = client.post(
        f"/outreach/{outreach_id}/status", data={"status": "declined"}, follow_redirects=True
    )
    text = page_text(response)
    assert "Jane Tester said no for now. That happens to everyone" in text
    assert "find a second person at Acme." in text
    assert "notice-error" not in response.get_data(True)


def test_no_red_styling_for_no_response_or_declined():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    css = (root / "crm/static/css/app.css").read_text()
    for selector in ("no_response", "declined", "check-todo"):
        for rule in re.findall(rf"[^}}]*{selector}[^{{]*\{{([^}}]*)\}}", css):
            assert "#b3261e" not in rule and "red" not in rule


# Follow-ups


def test_followups_that_ask_for_a_message_offer_open_in_my_email(client, user, app, fixed_today):
    jane = add(client, "Jane", email="jane@example.com")
    sam = add(client, "Sam", company="Initech")
    log(client, jane)
    log(client, sam)
    text_body = client.get("/follow-ups").get_data(True)
    links = [html.unescape(h) for h in re.findall(r'href="(mailto:[^"]+)"', text_body)]
    assert len(links) == 1  # Jane's nudge; Sam has no email, the 3B is a different person
    query = parse_qs(urlsplit(links[0]).query)
    assert query["subject"] == ["Re: a question about your path at Acme"]
    assert query["body"][0].startswith("Hi Jane,")
    text = page_text(client.get("/follow-ups"))
    assert "Open in my email (the nudge template, written for Jane)" in text
    assert "No email address for Sam yet: add it to write from here." in text


def test_followups_page_statements_do_not_grow_with_message_rows(client, user, app, fixed_today):
    def count():
        with counting_statements(app) as statements:
            assert client.get("/follow-ups").status_code == 200
        return len(statements)

    jane = add(client, "Jane", email="jane@example.com", introduced_by="")
    log(client, jane)
    one = count()
    # More rows, each introduced by someone (the {introduced_by} of a message): still as many.
    for name in ("Kim", "Lee", "Max"):
        log(client, add(client, name, email=f"{name}@example.com", introduced_by="Jane Tester"))
    assert count() == one


# {role}: the target role the contact's title names, else the first


def test_role_is_the_target_role_their_title_names_else_the_first(client, user, app):
    sign_as(app, "Jo Tester")
    ana = add(client, "Ana", email="ana@example.com", title="Senior Manager, Product")
    ben = add(client, "Ben", email="ben@example.com", title="Data Analyst")
    no_role = client.get(f"/contacts/{ben}/templates/thank_you.json").get_json()
    assert "a clearer picture" not in no_role["body"]  # the sentence about the role, left out
    assert "Your advice is already changing what I do next." in no_role["body"]
    assert "You have no target role yet, so the sentence about it was left out." in " ".join(
        no_role["notes"]
    )
    client.post("/plan/roles", data={"title": "Designer"})
    client.post("/plan/roles", data={"title": "Product Manager"})
    matched = client.get(f"/contacts/{ana}/templates/thank_you.json").get_json()
    assert "a clearer picture of the role of Product Manager." in matched["body"]
    assert matched["notes"] == []
    first = client.get(f"/contacts/{ben}/templates/thank_you.json").get_json()
    assert "a clearer picture of the role of Designer." in first["body"]
    # The form without JavaScript fills the same.
    text = page_text(use_template(client, ana))
    assert "I am working toward the role of Product Manager." in text
    assert "the sentence about it was left out" not in text


def _update_followup(app, contact_id: int) -> None:
    """A progress update due today for the contact (as after an interview)."""
    from crm.models import Contact, FollowUp

    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        db.session.add(
            FollowUp(
                user_id=contact.user_id,
                contact_id=contact.id,
                kind="update",
                reason="Tell them how you used their advice.",
                due_on=TODAY,
            )
        )
        db.session.commit()


def test_open_in_my_email_on_the_contact_page_and_the_dashboard(client, user, app, fixed_today):
    client.post("/plan/roles", data={"title": "Product Manager"})
    ana = add(client, "Ana", email="ana@example.com", title="Product Manager")
    _update_followup(app, ana)
    for url in (f"/contacts/{ana}", "/dashboard", "/follow-ups"):
        body = client.get(url).get_data(True)
        links = [html.unescape(h) for h in re.findall(r'href="(mailto:[^"]+)"', body)]
        links = [link for link in links if "subject=" in link]
        assert len(links) == 1, url
        query = parse_qs(urlsplit(links[0]).query)
        assert urlsplit(links[0]).path == "ana@example.com"
        assert query["subject"] == ["An update since we spoke"]
        assert "I am closer to the role of Product Manager than I was." in query["body"][0]
        assert "(the progress update template, written for Ana)" in page_text(client.get(url))
