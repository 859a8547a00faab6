"""Capture from a page or a share: /contacts/capture fills in the add-contact form, or opens
the contact the page is about; nothing is saved until the person clicks Save."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlencode

from sqlalchemy import select

from crm.extensions import db
from crm.models import Company, Contact, column_length
from tests.app.test_contacts import add_contact, contacts_in_db

PROFILE = "https://www.linkedin.com/in/jane-doe"
LINKEDIN_TITLE = "(3) Jane Doe - Product Manager - Acme | LinkedIn"


def capture(client, **params):
    return client.get("/contacts/capture?" + urlencode(params))


def field_values(page: str) -> dict[str, str]:
    """The values the add-contact form shows, by field name."""
    inputs = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*\bname="(\w+)"[^>]*\bvalue="([^"]*)"', page)
    }
    notes = re.search(r'<textarea[^>]*name="notes"[^>]*>\n?(.*?)</textarea>', page, re.S)
    inputs["notes"] = html.unescape(notes.group(1)).lstrip("\r\n") if notes else ""
    return inputs


def test_a_linkedin_profile_fills_the_form_and_saves_nothing(client, user, app):
    response = capture(
        client,
        title=LINKEDIN_TITLE,
        url="https://de.linkedin.com/in/Jane-Doe/?originalSubdomain=de",
        selection="",
    )
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<h1>Add a contact</h1>" in page
    assert "Filled in from LinkedIn. Check the details, then Save" in page
    assert 'action="/contacts/new"' in page
    values = field_values(page)
    assert {key: values[key] for key in ("first_name", "last_name", "title", "company")} == {
        "first_name": "Jane",
        "last_name": "Doe",
        "title": "Product Manager",
        "company": "Acme",
    }
    assert values["linkedin_url"] == PROFILE
    assert contacts_in_db(app) == []


def test_saving_the_filled_in_form_adds_the_person(client, user, app):
    values = field_values(capture(client, title=LINKEDIN_TITLE, url=PROFILE).get_data(as_text=True))
    response = client.post("/contacts/new", data={**values, "network": "work"})
    assert response.status_code == 302
    (contact,) = contacts_in_db(app)
    assert (contact.first_name, contact.last_name, contact.title) == (
        "Jane",
        "Doe",
        "Product Manager",
    )
    assert contact.linkedin_url == PROFILE
    with app.app_context():
        assert db.session.scalar(select(Company.name)) == "Acme"


def test_a_share_from_the_linkedin_app_fills_the_form(client, user):
    page = capture(
        client, title="", text=f"Check out Jane Doe's profile on LinkedIn {PROFILE}/", url=""
    ).get_data(as_text=True)
    values = field_values(page)
    assert (values["first_name"], values["last_name"], values["linkedin_url"]) == (
        "Jane",
        "Doe",
        PROFILE,
    )


def test_any_page_fills_the_name_from_the_selection_and_keeps_the_address(client, user):
    page = capture(
        client,
        title="Speakers - Data Days 2026",
        url="https://datadays.example/speakers?day=2",
        selection="Amélie Roux",
    ).get_data(as_text=True)
    values = field_values(page)
    assert (values["first_name"], values["last_name"], values["linkedin_url"]) == (
        "Amélie",
        "Roux",
        "",
    )
    assert values["notes"] == (
        "Found on “Speakers - Data Days 2026”: https://datadays.example/speakers?day=2"
    )
    assert "Filled in from the page you were on." in page


def test_a_known_linkedin_url_opens_that_contact_instead(client, user, app):
    add_contact(client, email="", linkedin_url="linkedin.com/in/jane-doe")
    (jane,) = contacts_in_db(app)

    response = capture(
        client, title="Jane Doe | LinkedIn", url="https://www.linkedin.com/in/Jane-Doe/?trk=x"
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/contacts/{jane.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is already in your contacts, so here they are. Nothing was added." in page
    assert len(contacts_in_db(app)) == 1


def test_a_known_email_in_the_selection_opens_that_contact(client, user, app):
    add_contact(client, linkedin_url="", email="jane.doe@example.com")
    (jane,) = contacts_in_db(app)

    response = capture(
        client,
        title="Team",
        url="https://example.com/team",
        selection="Jane Doe <JANE.DOE@Example.com>",
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/contacts/{jane.id}"


def test_another_users_contact_is_never_revealed(client, auth, app):
    auth.register(email="owner@example.com")
    add_contact(client, first_name="Secretive", linkedin_url=PROFILE, email="jane@example.com")
    auth.logout()
    auth.register(email="other@example.com")
    client.get("/dashboard")  # the messages of the registration, shown and gone

    response = capture(
        client, title="Jane Doe | LinkedIn", url=PROFILE, selection="jane@example.com"
    )
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Secretive" not in page and "already" not in page
    assert field_values(page)["first_name"] == "Jane"
    assert len(contacts_in_db(app)) == 1


def test_markup_in_a_title_is_shown_as_text(client, user):
    page = capture(
        client,
        title='<img src=x onerror="alert(1)"> Jane - <b>Boss</b> - Acme | LinkedIn',
        url=PROFILE,
    ).get_data(as_text=True)

    assert "<img src=x" not in page and "<b>Boss</b>" not in page
    assert "&lt;b&gt;Boss&lt;/b&gt;" in page
    assert field_values(page)["title"] == "<b>Boss</b>"


CUT = "The page sent more text than a contact holds, so some of it was cut."


def test_a_huge_profile_title_is_cut_to_fit_and_the_person_is_told(client, user, app):
    response = capture(
        client,
        title="Jane " + "Doe" * 400 + " - " + "Title " * 100 + "- Acme | LinkedIn",
        url=PROFILE + "?trk=" + "a" * 100_000,
    )
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert CUT in page
    values = field_values(page)
    assert values["first_name"] == "Jane"
    assert values["last_name"] == ("Doe" * 400)[: column_length(Contact.last_name)]
    assert values["title"] == ("Title " * 100).strip()[: column_length(Contact.title)]
    assert (values["company"], values["linkedin_url"]) == ("Acme", PROFILE)
    # What is shown fits: saving it works at once.
    assert client.post("/contacts/new", data=values).status_code == 302
    assert len(contacts_in_db(app)) == 1


def test_a_huge_selection_is_cut_into_the_notes(client, user, app):
    page = capture(
        client, title="Page", url="https://example.org/", selection="word " * 100_000
    ).get_data(as_text=True)

    assert CUT in page
    values = field_values(page)
    assert values["first_name"] == ""
    assert values["notes"].startswith("Found on “Page”: https://example.org/\n\nword word")
    assert len(values["notes"]) < 2100
    assert contacts_in_db(app) == []


def test_an_ordinary_capture_says_nothing_was_cut(client, user):
    page = capture(client, title=LINKEDIN_TITLE, url=PROFILE).get_data(as_text=True)
    assert "some of it was cut" not in page


def test_capture_after_logging_in_comes_back_to_the_filled_in_form(client, auth):
    auth.register()
    auth.logout()

    response = capture(client, title=LINKEDIN_TITLE, url=PROFILE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    next_path = unquote(response.headers["Location"].split("next=", 1)[1])
    response = client.post(
        "/login?" + urlencode({"next": next_path}),
        data={"email": "jo@example.com", "password": "correct horse battery"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert field_values(page)["company"] == "Acme"


def test_the_contacts_page_offers_the_bookmarklet_for_the_public_address(app_factory, app):
    # `app` is asked for so the tables are emptied after the test.
    client = app_factory(BASE_URL="https://crm.example.org").test_client()
    client.post(
        "/register",
        data={
            "email": "jo@example.com",
            "password": "correct horse battery",
            "confirm": "correct horse battery",
            "time_zone": "UTC",
        },
        base_url="https://crm.example.org",
    )
    page = client.get("/contacts/", base_url="https://crm.example.org").get_data(as_text=True)

    link = re.search(r'<a class="bookmarklet-link" href="([^"]+)"', page)
    assert link, "no bookmarklet on the Contacts page"
    code = unquote(html.unescape(link.group(1)))
    assert code.startswith("javascript:(function(){")
    assert '"https://crm.example.org/contacts/capture"' in code
    assert "Drag this button to your browser's bookmarks bar" in html.unescape(page)
