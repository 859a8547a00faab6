"""Re-importing: matched by LinkedIn URL, then email, then name and company; no twins;
job changes recorded and shown; what the user typed is never overwritten."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, ImportBatch, ImportUpdate, JobChange
from tests.app.test_imports_support import (
    cells,
    contact_named,
    contact_rows,
    count,
    fixture_bytes,
    import_bytes,
    job_changes,
    linkedin_csv,
    token_from,
    upload,
)

PRIYA = "Priya,Nayak,https://www.linkedin.com/in/priya-nayak,,Acme,Engineer,30 May 2024"
PRIYA_MOVED = (
    "Priya,Nayak,https://www.linkedin.com/in/priya-nayak,,Globex,Lead Engineer,30 May 2024"
)
OMAR = "Omar,Farouk,https://www.linkedin.com/in/omar-farouk,,Initech,Analyst,12 Dec 2023"


def add_contact(client, **fields) -> None:
    data = {
        "first_name": "",
        "last_name": "",
        "email": "",
        "phone": "",
        "company": "",
        "title": "",
        "network": "friend",
        "how_we_met": "",
        "introduced_by": "",
        "tags": "",
        "linkedin_url": "",
        "notes": "",
    }
    data.update(fields)
    response = client.post("/contacts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_reimporting_the_same_file_changes_nothing_and_doubles_no_one(app, client, user):
    import_bytes(client, fixture_bytes("linkedin_current.csv"))
    with app.app_context():
        before = contact_rows()

    page = import_bytes(client, fixture_bytes("linkedin_current.csv")).get_data(as_text=True)

    assert "Nothing changed: 7 unchanged, 1 row skipped." in page
    with app.app_context():
        assert contact_rows() == before
        # Nothing to undo, so nothing in the import history.
        batches = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id)).all()
        assert [(b.created_count, b.unchanged_count) for b in batches] == [(7, 0)]
        assert count(JobChange) == 0


def test_every_era_reimported_is_all_unchanged(app, client, user):
    names = [
        "linkedin_2018.csv",
        "linkedin_outlook_2016.csv",
        "google_current.csv",
        "google_legacy.csv",
        "outlook_com.csv",
        "outlook_desktop.csv",
        "vcard21.vcf",
        "vcard30.vcf",
        "vcard40.vcf",
    ]
    for name in names:
        import_bytes(client, fixture_bytes(name), name)
    with app.app_context():
        people = len(contact_rows())

    for name in names:
        html = upload(client, fixture_bytes(name), name).get_data(as_text=True)
        assert "<strong>0</strong> new" in html, name
        assert "<strong>0</strong> updated" in html, name

    with app.app_context():
        assert len(contact_rows()) == people == 23


def test_a_new_company_and_title_update_the_contact_and_record_a_job_change(app, client, user):
    import_bytes(client, linkedin_csv(PRIYA, OMAR))

    preview = upload(client, linkedin_csv(PRIYA_MOVED, OMAR)).get_data(as_text=True)

    assert "<h2>Updated (1)</h2>" in preview
    assert "Acme → <strong>Globex</strong>" in preview
    assert "Engineer → <strong>Lead Engineer</strong>" in preview
    assert "1 person with a new job" in preview

    page = import_bytes(client, linkedin_csv(PRIYA_MOVED, OMAR)).get_data(as_text=True)

    assert "Import done: 0 contacts added, 1 updated, 1 already up to date" in page
    assert "Job changes (1)" in page
    with app.app_context():
        priya = contact_named("Priya")
        assert (priya.company_name, priya.title) == ("Globex", "Lead Engineer")
        assert priya.title_key == " engineer lead "  # what the Plan page's roles match
        assert job_changes() == [("Priya", "Acme", "Engineer", "Globex", "Lead Engineer")]
        update = db.session.scalars(select(ImportUpdate)).one()
        assert update.old_values == {
            "company": ["Acme", "Globex"],
            "title": ["Engineer", "Lead Engineer"],
        }
        priya_id = priya.id
    timeline = client.get(f"/contacts/{priya_id}").get_data(as_text=True)
    assert "Changed jobs" in timeline and "Lead Engineer at Globex" in timeline
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "1 person changed jobs</h3>" in dashboard
    assert "Engineer at Acme →" in dashboard and "Lead Engineer at Globex</strong>" in dashboard


def test_company_spelled_differently_is_the_same_job(app, client, user):
    import_bytes(client, linkedin_csv(PRIYA))

    respelled = PRIYA.replace(",Acme,Engineer,", ",  ACME ,engineer,")
    page = import_bytes(client, linkedin_csv(respelled)).get_data(as_text=True)

    assert "Nothing changed: 1 unchanged." in page
    with app.app_context():
        assert count(JobChange) == 0


def test_an_empty_cell_never_erases_what_the_contact_has(app, client, user):
    import_bytes(client, linkedin_csv(PRIYA))

    page = import_bytes(
        client, linkedin_csv("Priya,Nayak,https://www.linkedin.com/in/priya-nayak,,,,")
    )

    assert "Nothing changed: 1 unchanged." in page.get_data(as_text=True)
    with app.app_context():
        priya = contact_named("Priya")
        assert (priya.company_name, priya.title) == ("Acme", "Engineer")


def test_matched_by_email_case_insensitively_and_the_url_filled_in(app, client, user):
    add_contact(client, first_name="Liam", last_name="O'Neil", email="liam.oneil@example.org")

    row = "William,O'Neil,https://www.linkedin.com/in/liam-oneil-7,LIAM.ONeil@Example.org,Initech,CTO,"
    page = import_bytes(client, linkedin_csv(row)).get_data(as_text=True)

    assert "0 contacts added, 1 updated" in page
    with app.app_context():
        [liam] = db.session.scalars(select(Contact)).all()
        # The name the user typed stays; the empty URL, company and title are filled in.
        assert (liam.first_name, liam.email) == ("Liam", "liam.oneil@example.org")
        assert liam.linkedin_url == "https://www.linkedin.com/in/liam-oneil-7"
        assert (liam.company_name, liam.title) == ("Initech", "CTO")
        # Filling an empty company is not a job change.
        assert count(JobChange) == 0


def test_matched_by_name_and_company_ignoring_case_and_spaces(app, client, user):
    add_contact(client, first_name="greta", last_name="HOLM", company="Nordvik  labs")

    page = import_bytes(client, fixture_bytes("linkedin_2018.csv")).get_data(as_text=True)

    assert "2 contacts added, 1 updated" in page
    with app.app_context():
        greta = contact_named("greta")
        assert greta.email == "greta.holm@example.com"
        assert greta.title == "Research Engineer"
        assert len(contact_rows()) == 3


def test_same_name_and_company_with_different_linkedin_profiles_are_two_people(app, client, user):
    add_contact(
        client,
        first_name="John",
        last_name="Smith",
        company="Microsoft",
        linkedin_url="linkedin.com/in/john-smith-1",
    )

    row = "John,Smith,https://www.linkedin.com/in/john-smith-2,,Microsoft,PM,"
    import_bytes(client, linkedin_csv(row))

    with app.app_context():
        assert sorted(r.linkedin_url for r in contact_rows()) == [
            "https://www.linkedin.com/in/john-smith-1",
            "https://www.linkedin.com/in/john-smith-2",
        ]


def test_what_the_user_typed_is_never_overwritten_and_empty_fields_are_filled(app, client, user):
    add_contact(
        client,
        first_name="Sofia",
        last_name="Marquez",
        email="sofia.personal@example.com",
        network="friend",
        tags="climbing",
        notes="Met her at the climbing gym.",
        how_we_met="Climbing gym",
        linkedin_url="linkedin.com/in/sofia-marquez",
    )

    page = import_bytes(client, fixture_bytes("google_current.csv"), network="work")

    assert "3 contacts added, 1 updated" in page.get_data(as_text=True)
    with app.app_context():
        sofia = contact_named("Sofia")
        assert sofia.email == "sofia.personal@example.com"
        assert sofia.notes == "Met her at the climbing gym."
        assert sofia.network == "friend"
        assert sofia.how_we_met == "Climbing gym"
        assert sofia.tag_names == ["climbing"]
        assert sofia.source == "manual" and sofia.import_batch_id is None
        # Empty fields are filled from the file.
        assert sofia.phone == "+1 555-0100"
        assert (sofia.company_name, sofia.title) == ("Globex Corporation", "VP Engineering")


def test_tags_and_notes_fill_a_contact_that_has_none(app, client, user):
    add_contact(client, first_name="Hannah", last_name="Becker", email="hannah.becker@example.de")

    import_bytes(client, fixture_bytes("outlook_com.csv"))

    with app.app_context():
        hannah = contact_named("Hannah")
        assert hannah.tag_names == ["Alumni", "Finance"]
        assert hannah.notes == "Met at the alumni dinner"
        assert hannah.network == "friend"


def test_the_same_person_twice_in_one_file_becomes_one_contact(app, client, user):
    data = linkedin_csv(
        "Ana,Souza,https://www.linkedin.com/in/ana-souza,,Globex,,03 Apr 2025",
        OMAR,
        "Ana,Souza,https://www.linkedin.com/in/ana-souza,ana@example.com,Globex,Head of Sales,",
        "ana,SOUZA,,,globex,,",
    )

    preview = cells(upload(client, data).get_data(as_text=True))
    assert "<tr><td>7</td><td>The same person as on line 5</td></tr>" in preview
    assert "<tr><td>8</td><td>The same person as on line 5</td></tr>" in preview
    page = import_bytes(client, data).get_data(as_text=True)

    assert "Import done: 2 contacts added, 0 updated, 0 already up to date, 2 rows skipped." in page
    with app.app_context():
        ana = contact_named("Ana")
        # The later row fills what the first one left empty.
        assert (ana.email, ana.title) == ("ana@example.com", "Head of Sales")
        assert len(contact_rows()) == 2


def test_two_rows_matching_one_contact_by_different_keys_update_it_once(app, client, user):
    add_contact(
        client,
        first_name="Kenji",
        last_name="Tomura",
        email="kenji@example.net",
        linkedin_url="linkedin.com/in/kenji-tomura",
    )
    data = linkedin_csv(
        "Kenji,Tomura,https://www.linkedin.com/in/kenji-tomura,,Sony,Designer,",
        "Kenji,Tomura,,kenji@example.net,Sony,Designer,",
    )

    page = import_bytes(client, data).get_data(as_text=True)

    assert "0 contacts added, 1 updated, 0 already up to date, 1 row skipped" in page
    with app.app_context():
        assert len(contact_rows()) == 1
        assert count(JobChange) == 0


def test_the_network_choice_only_applies_to_new_contacts(app, client, user):
    add_contact(
        client, first_name="Ana", last_name="Souza", linkedin_url="linkedin.com/in/ana-souza"
    )

    import_bytes(client, fixture_bytes("linkedin_current_bom_crlf.csv"), network="alumni")

    with app.app_context():
        networks = {c.first_name: c.network for c in db.session.scalars(select(Contact))}
        assert networks == {"Ana": "friend", "Liam": "alumni", "Zoë": "alumni"}


def test_an_unknown_network_is_refused_and_the_preview_shown_again(app, client, user):
    html = upload(client, fixture_bytes("linkedin_2018.csv")).get_data(as_text=True)

    response = client.post("/import/confirm", data={"token": token_from(html), "network": "boss"})

    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert contact_rows() == []
