"""Contacts: add, edit, view, delete, duplicates, search, filters, other users."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from crm.contacts.keyset import encode
from crm.extensions import db
from crm.models import Company, Contact, Tag, column_length
from tests.app.test_imports_support import import_bytes, linkedin_csv
from tests.conftest import counting_statements


def contact_data(**overrides) -> dict:
    data = {
        "first_name": "Jane",
        "last_name": "Doe, MSc",
        "email": "Jane.Doe@Example.com",
        "phone": "+1 (555) 010-2030",
        "company": "Acme, Inc.",
        "title": "Principal, Data and AI",
        "network": "alumni",
        "how_we_met": "Class of 2012",
        "introduced_by": "",
        "tags": "mentor, data science, Mentor",
        "linkedin_url": "http://LinkedIn.com/in/Jane-Doe-1a2b3c/?trk=public",
        "notes": "Moved from finance into data science.",
    }
    data.update(overrides)
    return data


def add_contact(client, **overrides):
    return client.post("/contacts/new", data=contact_data(**overrides))


def contacts_in_db(app) -> list[Contact]:
    with app.app_context():
        return list(db.session.scalars(select(Contact).order_by(Contact.id)))


def test_empty_list_tells_a_new_user_what_to_do(client, user):
    page = client.get("/contacts/").get_data(as_text=True)
    assert "No contacts yet" in page
    assert "Add your first contact" in page and "Import LinkedIn connections" in page


def test_add_contact_with_every_field(client, user, app):
    response = add_contact(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for text in ("Jane Doe, MSc", "Acme, Inc.", "Principal, Data and AI", "Class of 2012"):
        assert html.escape(text) in page
    assert "https://www.linkedin.com/in/jane-doe-1a2b3c" in page
    with app.app_context():
        contact = db.session.scalar(select(Contact))
        assert contact.email == "jane.doe@example.com"
        assert contact.phone == "+1 (555) 010-2030"
        assert contact.network == "alumni"
        assert contact.tag_names == ["data science", "mentor"]
        assert contact.company.name == "Acme, Inc."
        assert contact.source == "manual"


def test_company_is_matched_case_insensitively(client, user, app):
    add_contact(client)
    add_contact(client, first_name="Ali", email="", linkedin_url="", company="  acme,   INC. ")
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 1
        names = {c.company.name for c in db.session.scalars(select(Contact))}
        assert names == {"Acme, Inc."}


def test_bad_input_gets_messages_beside_fields_and_nothing_is_written(client, user, app):
    cases = [
        ({"first_name": ""}, "This field is required"),
        ({"email": "jane-at-example"}, "Invalid email address"),
        ({"linkedin_url": "https://example.com/in/jane"}, "Use a LinkedIn profile address"),
        ({"linkedin_url": "https://www.linkedin.com/company/acme"}, "Use a LinkedIn profile"),
        ({"first_name": "J" * 101}, "100 characters"),
        ({"notes": "n" * 20_001}, "20000 characters"),
        ({"phone": "call me maybe"}, "Use digits"),
        ({"network": "enemies"}, "Not a valid choice"),
        ({"tags": "x" * 60}, "at most 50 characters"),
        ({"introduced_by": "Nobody Known"}, "None of your contacts is named"),
    ]
    for overrides, message in cases:
        response = add_contact(client, **overrides)
        assert response.status_code == 200, overrides
        assert message in response.get_data(as_text=True), overrides
    assert contacts_in_db(app) == []


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("first_name", Contact.first_name),
        ("last_name", Contact.last_name),
        ("company", Company.name),
        ("title", Contact.title),
        ("how_we_met", Contact.how_we_met),
    ],
)
def test_a_field_takes_what_its_column_holds_and_no_more(client, user, app, field, column):
    size = column_length(column)
    refused = add_contact(client, email="", linkedin_url="", **{field: "x" * (size + 1)})
    assert f"longer than {size} characters" in refused.get_data(as_text=True)
    assert contacts_in_db(app) == []
    saved = add_contact(client, email="", linkedin_url="", **{field: "x" * size})
    assert saved.status_code == 302
    with app.app_context():
        contact = db.session.scalars(select(Contact)).one()
        kept = contact.company_name if field == "company" else getattr(contact, field)
    assert kept == "x" * size


def test_script_in_names_is_shown_as_text(client, user):
    script = "<script>alert(1)</script>"
    response = add_contact(client, first_name=script, notes=script, tags="<b>bold</b>")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    listing = client.get("/contacts/").get_data(as_text=True)
    assert script not in listing and "<b>bold</b>" not in listing


def test_duplicate_linkedin_url_links_to_the_existing_contact(client, user, app):
    add_contact(client)
    existing = contacts_in_db(app)[0]
    response = add_contact(
        client, first_name="Janet", email="", linkedin_url="linkedin.com/in/jane-doe-1a2b3c/"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already has this LinkedIn URL" in page
    assert f'href="/contacts/{existing.id}"' in page
    assert len(contacts_in_db(app)) == 1


def test_duplicate_email_is_caught_whatever_the_case(client, user, app):
    add_contact(client)
    response = add_contact(client, first_name="J", linkedin_url="", email="JANE.DOE@example.COM")
    assert "already has this Email" in response.get_data(as_text=True)
    assert len(contacts_in_db(app)) == 1


def test_edit_keeps_own_email_and_updates_fields(client, user, app):
    add_contact(client)
    contact = contacts_in_db(app)[0]
    form = client.get(f"/contacts/{contact.id}/edit").get_data(as_text=True)
    assert 'value="Acme, Inc."' in form and 'value="data science, mentor"' in form
    response = client.post(
        f"/contacts/{contact.id}/edit", data=contact_data(title="VP Data", tags="mentor")
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Contact, contact.id)
        assert saved.title == "VP Data"
        assert saved.tag_names == ["mentor"]


def test_edit_to_another_contacts_email_is_refused(client, user, app):
    add_contact(client)
    add_contact(client, first_name="Ali", email="ali@example.com", linkedin_url="")
    ali = contacts_in_db(app)[1]
    response = client.post(
        f"/contacts/{ali.id}/edit",
        data=contact_data(first_name="Ali", email="jane.doe@example.com", linkedin_url=""),
    )
    assert "already has this Email" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, ali.id).email == "ali@example.com"


def test_introduced_by_links_both_ways(client, user, app):
    add_contact(client)
    jane = contacts_in_db(app)[0]
    form = client.get(f"/contacts/new?introduced_by={jane.id}").get_data(as_text=True)
    assert 'value="Jane Doe, MSc"' in form
    response = add_contact(
        client,
        first_name="Ravi",
        last_name="Patel",
        email="",
        linkedin_url="",
        introduced_by="jane doe, msc",
    )
    ravi_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Introduced by" in ravi_page and f'href="/contacts/{jane.id}"' in ravi_page
    jane_page = client.get(f"/contacts/{jane.id}").get_data(as_text=True)
    assert "Ravi Patel" in jane_page


def test_delete_asks_first_then_deletes_on_post(client, user, app):
    add_contact(client)
    contact = contacts_in_db(app)[0]
    confirm = client.get(f"/contacts/{contact.id}/delete").get_data(as_text=True)
    assert "Delete Jane Doe, MSc?" in confirm
    assert len(contacts_in_db(app)) == 1
    response = client.post(f"/contacts/{contact.id}/delete")
    assert response.status_code == 302
    assert contacts_in_db(app) == []
    with app.app_context():
        # The tags stay for other contacts; the link rows went with the contact.
        assert db.session.scalar(select(func.count(Tag.id))) == 2


def test_another_users_contact_answers_404_everywhere(client, auth, app):
    auth.register(email="owner@example.com")
    add_contact(client)
    contact = contacts_in_db(app)[0]
    auth.logout()
    auth.register(email="other@example.com")
    for url in (
        f"/contacts/{contact.id}",
        f"/contacts/{contact.id}/edit",
        f"/contacts/{contact.id}/delete",
        f"/contacts/new?introduced_by={contact.id}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/contacts/{contact.id}/edit", data=contact_data()).status_code == 404
    assert client.post(f"/contacts/{contact.id}/delete").status_code == 404
    assert names_on(client.get("/contacts/?q=Jane").get_data(as_text=True)) == []
    # The other user's introducer name does not resolve either.
    response = add_contact(
        client, first_name="X", email="", linkedin_url="", introduced_by="Jane Doe, MSc"
    )
    assert "None of your contacts is named" in response.get_data(as_text=True)
    # Same email and LinkedIn URL are fine in another account: duplicates are per user.
    assert add_contact(client).status_code == 302
    assert len(contacts_in_db(app)) == 2


def test_pages_need_login(client):
    for url in ("/contacts/", "/contacts/new", "/contacts/1", "/dashboard"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def _seed(app, email: str) -> None:
    """Contacts for search and filter tests, written directly."""
    from crm.contacts.services import get_or_create_company, set_tags
    from crm.models import User

    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == email))
        rows = [
            (
                "Ada",
                "Lovelace",
                "Analytical",
                "Engineer",
                "work",
                "mentor",
                "Loves 100% math_puzzles",
            ),
            ("Grace", "Hopper", "Navy", "Admiral", "alumni", "", "Invented the compiler"),
            ("Alan", "Turing", "Bletchley", "Cryptanalyst", "friend", "mentor, ai", ""),
            ("Katherine", "Johnson", "NASA", "Mathematician", "family", "space", "Orbits"),
        ]
        for first, last, company, title, network, tags, notes in rows:
            contact = Contact(
                user_id=owner.id,
                first_name=first,
                last_name=last,
                title=title,
                network=network,
                notes=notes or None,
                email=f"{first.lower()}@example.com",
            )
            contact.company = get_or_create_company(owner.id, company)
            db.session.add(contact)
            set_tags(contact, tags)
        db.session.commit()


def names_on(page: str) -> list[str]:
    import re

    return re.findall(r'<a href="/contacts/\d+">([^<]+)</a>', page)


def test_search_covers_name_company_title_email_tags_notes(client, user, app):
    _seed(app, user)
    expectations = {
        "ada": ["Ada Lovelace"],
        "navy": ["Grace Hopper"],
        "cryptanalyst": ["Alan Turing"],
        "katherine@example": ["Katherine Johnson"],
        "mentor": ["Ada Lovelace", "Alan Turing"],
        "compiler": ["Grace Hopper"],
        "grace hopper": ["Grace Hopper"],
        "100%": ["Ada Lovelace"],
        "math_": ["Ada Lovelace"],
        "%": ["Ada Lovelace"],
        "nothing-like-this": [],
    }
    for query, expected in expectations.items():
        page = client.get("/contacts/", query_string={"q": query}).get_data(as_text=True)
        assert sorted(names_on(page)) == expected, query
    page = client.get("/contacts/?q=nothing-like-this").get_data(as_text=True)
    assert "No contact matches" in page


def test_filters_and_sorts(client, user, app):
    _seed(app, user)
    get = lambda **q: names_on(client.get("/contacts/", query_string=q).get_data(as_text=True))  # noqa: E731
    assert get(network="alumni") == ["Grace Hopper"]
    assert get(tag="MENTOR") == ["Ada Lovelace", "Alan Turing"]
    assert get(company="nasa") == ["Katherine Johnson"]
    assert get(company="bletch") == ["Alan Turing"]  # part of the name is enough
    assert get(tag="mentor", network="friend") == ["Alan Turing"]
    assert get(sort="name") == ["Grace Hopper", "Katherine Johnson", "Ada Lovelace", "Alan Turing"]
    assert get(sort="company") == [
        "Ada Lovelace",
        "Alan Turing",
        "Katherine Johnson",
        "Grace Hopper",
    ]
    assert get(sort="recent") == [
        "Katherine Johnson",
        "Alan Turing",
        "Grace Hopper",
        "Ada Lovelace",
    ]
    assert get(network="bogus", sort="bogus") == get(sort="name")


def test_sorted_by_company_each_row_shows_its_own_company_from_one_join(client, user, app):
    _seed(app, user)
    with counting_statements(app) as statements:
        page = client.get("/contacts/?sort=company").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    companies = {"Ada Lovelace": "Analytical", "Alan Turing": "Bletchley", "Grace Hopper": "Navy"}
    for name, company in companies.items():
        (row,) = [r for r in rows if name in r]
        assert company in row and all(c not in row for c in companies.values() if c != company)
    (listing,) = [s for s in statements if "FROM company JOIN contact" in s and "LIMIT" in s]
    assert "JOIN company" not in listing and "FROM company" not in listing.split("JOIN")[1]
    assert not [s for s in statements if "FROM company" in s and s is not listing]


def test_sorted_by_company_pages_run_on_to_the_people_at_no_company(client, user, app, auth):
    """Companies by name, each one's people by last name, then the people at no company by
    last name, across pages that end inside either part and pages past both; another user's
    people at a company of the same name never show."""
    from crm.contacts.services import get_or_create_company
    from crm.models import User

    auth.logout()
    auth.register("other@example.com")
    auth.logout()
    auth.login()
    with app.app_context():
        owner, other = (
            db.session.scalar(select(User.id).where(User.email == email))
            for email in (user, "other@example.com")
        )
        people = [
            (owner, "Bo", "Zed", "Beta"),
            (owner, "Al", "Young", "Alpha"),
            (owner, "Cy", "Able", "Beta"),
            (owner, "Di", "Xu", None),
            (owner, "Ed", "Baker", None),
            (owner, "Flo", "Moss", None),
            (other, "Not", "Mine", "Alpha"),
            (other, "Nor", "Mine", None),
        ]
        for user_id, first, last, company in people:
            contact = Contact(user_id=user_id, first_name=first, last_name=last, network="work")
            contact.company = get_or_create_company(user_id, company)
            db.session.add(contact)
        db.session.commit()
    app.config["CONTACTS_PER_PAGE"] = 2
    pages = {
        page: client.get(f"/contacts/?sort=company&page={page}").get_data(as_text=True)
        for page in (1, 2, 3, 4)
    }
    assert [names_on(pages[page]) for page in (1, 2, 3)] == [
        ["Al Young", "Cy Able"],
        ["Bo Zed", "Ed Baker"],
        ["Flo Moss", "Di Xu"],
    ]
    assert "Page 3 of 3" in pages[3] and names_on(pages[4]) == names_on(pages[3])
    app.config["CONTACTS_PER_PAGE"] = 4
    second = client.get("/contacts/?sort=company&page=2").get_data(as_text=True)
    assert names_on(second) == ["Flo Moss", "Di Xu"]  # a page past every company's people
    searched = client.get("/contacts/?sort=company&q=b").get_data(as_text=True)
    assert names_on(searched) == ["Cy Able", "Bo Zed", "Ed Baker"]  # Beta's two, and Baker
    at_beta = client.get("/contacts/?sort=company&company=bet").get_data(as_text=True)
    assert names_on(at_beta) == ["Cy Able", "Bo Zed"]


def test_sorted_by_company_ignores_case_accents_and_leading_quotes(client, user, app):
    """Companies and people in the order a reader expects, whether added by hand or imported:
    "Étoile Labs" with the E's, "zeta corp" with the Z's, "Álvarez" with the A's."""
    for first, last, company in (
        ("Ann", "Young", "Étoile Labs"),
        ("Bea", "Álvarez", "étoile labs"),  # the same company, however it is written
        ("Cam", "lopez", "Étoile Labs"),
        ("Dee", "Stone", "zeta corp"),
        ("Eli", "Zulu", ""),
        ("Fay", "de la Cruz", ""),
    ):
        data = {"first_name": first, "last_name": last, "company": company, "network": "work"}
        assert client.post("/contacts/new", data=data).status_code == 302
    import_bytes(
        client,
        linkedin_csv(
            "Gus,Ólafsson,,,“Quoted” Co,,",
            "Hal,Baker,,,acme,,",
            "Ivy,Éclair,,,,,",
        ),
    )
    listed = names_on(client.get("/contacts/?sort=company").get_data(as_text=True))
    assert listed == [
        "Hal Baker",  # acme
        "Bea Álvarez",  # Étoile Labs
        "Cam lopez",
        "Ann Young",
        "Gus Ólafsson",  # “Quoted” Co
        "Dee Stone",  # zeta corp
        "Fay de la Cruz",  # no company
        "Ivy Éclair",
        "Eli Zulu",
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count(Company.id))) == 4
    # The company filter folds the same way; the full name, as a contact's page links it,
    # finds its own company, leading quote and all.
    for company, people in (
        ("etoile", ["Bea Álvarez", "Cam lopez", "Ann Young"]),
        ("ÉTOILE LABS", ["Bea Álvarez", "Cam lopez", "Ann Young"]),
        ("“Quoted” Co", ["Gus Ólafsson"]),
        ("zeta", ["Dee Stone"]),
    ):
        page = client.get("/contacts/", query_string={"company": company})
        assert names_on(page.get_data(as_text=True)) == people, company


def test_pagination(client, user, app):
    app.config["CONTACTS_PER_PAGE"] = 3
    _seed(app, user)
    first = client.get("/contacts/").get_data(as_text=True)
    assert len(names_on(first)) == 3 and "Page 1 of 2" in first
    # Next carries the cursor of the page's last row (Ada Lovelace), so page 2 starts after her.
    with app.app_context():
        ada = db.session.scalar(select(Contact).where(Contact.first_name == "Ada"))
        after_ada = encode((ada.sort_name, ada.id))
    next_link = f'href="/contacts/?page=2&amp;after={after_ada}" rel="next"'
    assert next_link in first and 'rel="prev"' not in first
    second = client.get("/contacts/?page=2").get_data(as_text=True)
    assert names_on(second) == ["Alan Turing"]
    followed = client.get(f"/contacts/?page=2&after={after_ada}").get_data(as_text=True)
    assert names_on(followed) == ["Alan Turing"] and "Page 2 of 2" in followed
    assert 'href="/contacts/?page=1" rel="prev"' in followed and 'rel="next"' not in followed
    assert 'href="/contacts/?page=1" rel="prev"' in second and 'rel="next"' not in second
    past_the_end = client.get("/contacts/?page=99").get_data(as_text=True)
    assert names_on(past_the_end) == ["Alan Turing"] and "Page 2 of 2" in past_the_end
    assert client.get("/contacts/?page=abc").status_code == 200


def test_a_page_past_the_end_reads_the_last_page_once(client, user, app):
    app.config["CONTACTS_PER_PAGE"] = 3
    _seed(app, user)
    with counting_statements(app) as statements:
        past_the_end = client.get("/contacts/?page=99&sort=recent").get_data(as_text=True)
    assert names_on(past_the_end) == ["Ada Lovelace"] and "Page 2 of 2" in past_the_end
    contact_reads = [s for s in statements if s.lstrip().startswith("SELECT contact.id, ")]
    counts = [s for s in statements if "count(*)" in s or "FROM tally" in s]
    assert len(contact_reads) == 1 and len(counts) == 1, statements


def test_list_links_a_vcard_download_of_what_it_shows(client, user, app):
    _seed(app, user)
    page = client.get("/contacts/?tag=mentor").get_data(as_text=True)
    assert 'href="/contacts.vcf?tag=mentor">Download these as vCards (.vcf)' in page
    cards = client.get("/contacts.vcf?tag=mentor").get_data(as_text=True)
    assert cards.count("BEGIN:VCARD") == 2 and "Ada" in cards and "Grace" not in cards


def test_a_contact_cannot_introduce_themselves(client, user, app):
    add_contact(client, email="", linkedin_url="")
    jane = contacts_in_db(app)[0]
    response = client.post(
        f"/contacts/{jane.id}/edit",
        data=contact_data(email="", linkedin_url="", introduced_by="Jane Doe, MSc"),
    )
    assert "A person cannot introduce themselves." in response.get_data(as_text=True)


def test_a_huge_search_result_is_counted_up_to_a_cap(client, user, app, monkeypatch):
    import crm.contacts.listing as services

    monkeypatch.setattr(services, "SEARCH_COUNT_CAP", 2)
    app.config["CONTACTS_PER_PAGE"] = 1
    _seed(app, user)
    page = client.get("/contacts/?q=a").get_data(as_text=True)  # all four match
    assert "2+ contacts match" in page and "Page 1 of 2+" in page
    # The count stopped at the cap, not the list: the last counted page still leads on.
    last_counted = client.get("/contacts/?q=a&page=2").get_data(as_text=True)
    assert "Page 2 of 2+" in last_counted
    next_link = re.search(
        r'href="(/contacts/\?q=a&amp;page=3&amp;after=[\w-]+)" rel="next"', last_counted
    )
    assert next_link is not None
    beyond = client.get("/contacts/?q=a&page=3").get_data(as_text=True)
    assert len(names_on(beyond)) == 1 and names_on(beyond) != names_on(last_counted)
    followed = client.get(html.unescape(next_link.group(1))).get_data(as_text=True)
    assert names_on(followed) == names_on(beyond) and "Page 3 of 2+" in followed
    far_beyond = client.get("/contacts/?q=a&page=99").get_data(as_text=True)
    assert "Page 2 of 2+" in far_beyond and names_on(far_beyond) == names_on(last_counted)
    unfiltered = client.get("/contacts/").get_data(as_text=True)
    assert "4 contacts" in unfiltered and "Page 1 of 4" in unfiltered


def test_search_ignores_accents_and_case_in_any_script(client, user, app):
    add_contact(
        client,
        first_name="Ana",
        last_name="García",
        email="",
        linkedin_url="",
        company="Müller GmbH",
        tags="Ökonomie",
        notes="Straße",
    )
    for query in ("garcia", "GARCÍA", "Ana Garcia", "müller", "MULLER", "okonomie", "strasse"):
        page = client.get("/contacts/", query_string={"q": query}).get_data(as_text=True)
        assert names_on(page) == ["Ana García"], query
    # Editing keeps the search in step with the fields.
    contact = contacts_in_db(app)[0]
    client.post(
        f"/contacts/{contact.id}/edit",
        data=contact_data(first_name="Ana", last_name="Gómez", email="", linkedin_url=""),
    )
    assert names_on(client.get("/contacts/?q=gomez").get_data(as_text=True)) == ["Ana Gómez"]
    assert names_on(client.get("/contacts/?q=garcia").get_data(as_text=True)) == []


def test_name_order_ignores_accents_case_and_leading_punctuation(client, user, app):
    for first, last in [
        ("Zoë", "Ångström"),
        ("José", "Álvarez"),
        ("Łukasz", "Żółć"),
        ("James", '"Tyler" Brown'),
        ("anna", "argus"),
        ("Bob", "Zimmer"),
    ]:
        add_contact(client, first_name=first, last_name=last, email="", linkedin_url="")
    page = client.get("/contacts/?sort=name").get_data(as_text=True)
    assert [html.unescape(name) for name in names_on(page)] == [
        "José Álvarez",
        "Zoë Ångström",
        "anna argus",
        'James "Tyler" Brown',
        "Bob Zimmer",
        "Łukasz Żółć",
    ]
