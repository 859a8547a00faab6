"""Every fixture era through the web: preview (format, counts, rows), confirm, what is kept."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.imports.models import PendingUpload
from crm.models import Contact, ImportBatch
from tests.app.test_imports_support import (
    Row,
    cells,
    confirm,
    contact_named,
    contact_rows,
    fixture_bytes,
    import_bytes,
    linkedin_csv,
    token_from,
    upload,
    user_id,
)

CURRENT = "LinkedIn Connections.csv (current export)"
HIDDEN = "No name, email or LinkedIn URL (a hidden or deactivated member)"

ERAS = {
    "linkedin_current.csv": (
        CURRENT,
        (7, 1),
        [
            Row("Priya", "Nayak, MSc, MBA, PHR", "Acme, Inc.", "Principal, Data and AI",
                None, "https://www.linkedin.com/in/priya-nayak-4f2a1b"),
            Row("Tomas", "Sandvig, CFP®, AAMS™", "Northwind Wealth", "Financial Advisor",
                "tomas.sandvig@example.com", "https://www.linkedin.com/in/tomassandvig"),
            Row("🟢 Max", "Parker🏳️\u200d🌈, CSM (he/they)", "Contoso", "Scrum Master",
                None, "https://www.linkedin.com/in/max-parker-csm"),
            Row("Mei", "Chen", "中國銀行（香港）有限公司", "高級經理",
                None, "https://www.linkedin.com/in/mei-chen-88"),
            Row('James "Tyler"', "Okafor", "Fabrikam", "Engineer",
                None, "https://www.linkedin.com/in/james-tyler-okafor"),
            Row("Ali", "Hassan", "Blue Yonder", "Product Designer",
                None, "https://www.linkedin.com/in/ali-hassan-01"),
            Row("Ruth", "(Rajner) Argus, CDR", "US Navy", "Commander",
                None, "https://www.linkedin.com/in/ruth-argus"),
        ],
    ),
    "linkedin_current_bom_crlf.csv": (
        CURRENT,
        (3, 0),
        [
            Row("Ana", "Souza", "Globex", "Head of Sales",
                None, "https://www.linkedin.com/in/ana-souza"),
            Row("Liam", "O'Neil", "Initech", "Director, Platform",
                "liam.oneil@example.org", "https://www.linkedin.com/in/liam-oneil-7"),
            Row("Zoë", "Ångström", "Malmö Design AB", "Designer",
                None, "https://www.linkedin.com/in/zoe-angstrom"),
        ],
    ),
    "linkedin_2018.csv": (
        "LinkedIn Connections.csv (2018 export)",
        (3, 1),
        [
            Row("Greta", "Holm", "Nordvik Labs", "Research Engineer", "greta.holm@example.com"),
            Row("Alvin", "Kerr", "Viewpoint Studio", "Design Lead"),
            Row("Kenji", "Tomura", None, None, "kenji.tomura@example.net"),
        ],
    ),
    "linkedin_excel_cp1252.csv": (
        CURRENT,
        (3, 0),
        [
            Row("René", "Dubois", "Café Müller GmbH", "Chef de projet",
                None, "https://www.linkedin.com/in/rene-dubois"),
            Row("Siobhán", "O’Brien", "“Smart” Quotes Ltd", "Analyst – Risk",
                None, "https://www.linkedin.com/in/siobhan-obrien"),
            Row("Jürgen", "Weiß", "Straße AG", "Leiter",
                None, "https://www.linkedin.com/in/juergen-weiss"),
        ],
    ),
    "linkedin_outlook_2016.csv": (
        "LinkedIn Connections.csv (pre-2017 Outlook-style export)",
        (3, 0),
        [
            Row("Hugo", "Lindqvist", "Volvia Cars", "Project Manager", "hugo.lindqvist@example.se"),
            Row("Amara", "Diallo", "Dakar Digital", "Founder, CEO",
                "amara@example.sn", "https://www.linkedin.com/in/amaradiallo"),
            Row("Wen", "Li", "Shenzhen Sourcing Co.", "Buyer"),
        ],
    ),
    "google_current.csv": (
        "Google Contacts CSV",
        (4, 2),
        [
            Row("Sofia", "Marquez", "Globex Corporation", "VP Engineering", "sofia@globex.example",
                "https://www.linkedin.com/in/sofia-marquez", "+1 555-0100"),
            Row("Daniel", "Kim", None, None, "dkim@example.com",
                "https://www.linkedin.com/in/danielkim", "+82 2-555-0199"),
            Row("", "", None, None, None, None, "+44 20 7946 0000"),
            Row("Élodie", "Fournier", "Société Générale", "Analyste", "elodie.fournier@example.fr"),
        ],
    ),
    "google_legacy.csv": (
        "Google Contacts CSV (legacy)",
        (2, 0),
        [
            Row("Oliver", "Grant", "Hooli", "Product Lead", "oliver.grant@example.co.uk",
                "https://www.linkedin.com/in/olivergrant", "+44 7700 900123"),
            Row("Beatriz", "Costa", None, None, "beatriz.costa@example.pt"),
        ],
    ),
    "outlook_com.csv": (
        "Outlook CSV (Outlook.com)",
        (2, 1),
        [
            Row("Hannah", "Becker", "Contoso GmbH", "Controller", "hannah.becker@example.de",
                "https://www.linkedin.com/in/hannah-becker-de", "+49 170 1234567"),
            Row("Marcus", "Webb", "Tailspin Toys", "Head of Partnerships",
                "marcus.webb@example.com", None, "+1 312 555 0142"),
        ],
    ),
    "outlook_desktop.csv": (
        "Outlook CSV (desktop)",
        (2, 1),
        [
            Row("Nadia", "Rahman", "Initech", "Chief Scientist", "nadia.rahman@initech.example",
                "https://www.linkedin.com/in/nadiarahman", "+1 (555) 010-2000"),
            Row("Zoë", "Lambert", "Fabrikam", "Directrice Générale", "zoe.lambert@example.fr",
                None, "+33 6 98 76 54 32"),
        ],
    ),
    "vcard21.vcf": (
        "vCard 2.1",
        (2, 1),
        [
            Row("Jörg", "Müller", "Bäckerei Müller", "Inhaber", "joerg.mueller@example.de",
                "https://www.linkedin.com/in/joerg-mueller-baeckerei", "+49 151 2345678"),
            Row("小明", "王", None, None, None, None, "+86 138 0013 8000"),
        ],
    ),
    "vcard30.vcf": (
        "vCard 3.0",
        (3, 1),
        [
            Row("Jane", "Doe, MSc", "Acme, Inc.", "Principal, Data and AI", "jane.doe@acme.example",
                "https://www.linkedin.com/in/jane-doe-1a2b3c", "+1 (555) 010-0199"),
            Row("Hiro", "Nakamura", "東京海上日動火災保険株式会社", "シニアエンジニア",
                "hiro.nakamura@example.jp", "https://www.linkedin.com/in/hironakamura"),
            Row("Chidi", "Okoro", None, None, "chidi.okoro@example.ng"),
        ],
    ),
    "vcard40.vcf": (
        "vCard 4.0",
        (2, 1),
        [
            Row("Amélie", "Laurent", "Société Générale", "Responsable RH",
                "amelie.laurent@example.fr", "https://www.linkedin.com/in/amelie-laurent",
                "+33-6-12-34-56-78"),
            Row("Sam", "Rivera", None, None, "sam.rivera@example.com"),
        ],
    ),
}  # fmt: skip


def _stat(html: str, label: str) -> int:
    """A count from the preview's or the summary's boxes, such as '7 new'."""
    match = re.search(rf"<strong>(\d+)</strong> {label}", html)
    assert match, f"no {label} count on the page"
    return int(match.group(1))


@pytest.mark.parametrize("name", sorted(ERAS))
def test_every_era_previews_then_imports_exactly_its_people(name, app, client, user):
    label, (new, skipped), rows = ERAS[name]

    preview = upload(client, fixture_bytes(name), name)

    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert f"We read this file as <strong>{label}</strong>" in html
    assert (_stat(html, "new"), _stat(html, "updated"), _stat(html, "unchanged")) == (new, 0, 0)
    assert _stat(html, "skipped") == skipped
    with app.app_context():
        assert contact_rows() == [], "the preview wrote contacts"

    summary = confirm(client, token_from(html), network="alumni", follow=True)

    page = summary.get_data(as_text=True)
    assert summary.status_code == 200
    assert f"Import done: {new} contact" in page
    assert (_stat(page, "new"), _stat(page, "skipped")) == (new, skipped)
    with app.app_context():
        assert contact_rows() == rows
        contacts = db.session.scalars(select(Contact)).all()
        batch = db.session.scalars(select(ImportBatch)).one()
        assert {c.network for c in contacts} == {"alumni"}
        assert {c.import_batch_id for c in contacts} == {batch.id}
        assert {c.source for c in contacts} == {batch.format}
        assert (batch.filename, batch.format_label, batch.created_count) == (name, label, new)
        assert (batch.updated_count, batch.unchanged_count, batch.skipped_count) == (0, 0, skipped)


def test_preview_lists_new_people_and_skipped_lines_with_reasons(client, user):
    html = cells(upload(client, fixture_bytes("linkedin_current.csv")).get_data(as_text=True))

    assert "<h2>New contacts (7)</h2>" in html
    assert "<td>5</td><td>Priya Nayak, MSc, MBA, PHR</td><td>Acme, Inc.</td>" in html
    assert "<h2>Skipped rows (1)</h2>" in html
    assert f"<tr><td>11</td><td>{HIDDEN}</td></tr>" in html
    assert 'name="network"' in html and '<label for="network">Network for new contacts' in html


def test_dates_emails_tags_and_notes_are_kept(app, client, user):
    import_bytes(client, fixture_bytes("google_current.csv"), "contacts.csv")
    import_bytes(client, fixture_bytes("linkedin_2018.csv"))

    with app.app_context():
        sofia = contact_named("Sofia")
        assert sofia.tag_names == ["Alumni"]
        assert sofia.notes == (
            "Met at PyCon 2023.\nIntroduced by Ana.\n\nAsk about the platform team."
        )
        assert contact_named("Daniel").tag_names == ["Alumni", "Mentors"]
        assert contact_named("Greta").connected_on == date(2018, 1, 8)
        # LinkedIn's urn:li:member:... stands where a member hides the address: no email.
        assert contact_named("Alvin").email is None


def test_emails_are_stored_lower_case(app, client, user):
    import_bytes(client, linkedin_csv("Jane,Doe,,Jane.Doe@Example.COM,Acme,CTO,30 May 2024"))

    with app.app_context():
        assert contact_named("Jane").email == "jane.doe@example.com"


def test_header_only_file_shows_nobody_to_import_and_no_import_button(app, client, user):
    response = upload(client, fixture_bytes("header_only.csv"))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "it has a header but no rows" in html
    assert 'name="token"' not in html
    with app.app_context():
        assert db.session.scalars(select(ImportBatch)).all() == []


def test_a_file_of_only_skipped_rows_explains_itself(client, user):
    html = upload(client, linkedin_csv(",,,,,,02 Jun 2022")).get_data(as_text=True)

    assert "every row was skipped" in html
    assert 'name="token"' not in html


def test_history_lists_each_import_with_date_file_format_and_counts(app, client, user):
    import_bytes(client, fixture_bytes("linkedin_current.csv"), "Connections.csv")
    import_bytes(client, fixture_bytes("vcard30.vcf"), "phone.vcf")

    page = client.get("/import").get_data(as_text=True)

    html = cells(page[page.index("Import history") :])
    assert html.index("phone.vcf") < html.index("Connections.csv"), "newest first"
    assert "vCard 3.0" in html and CURRENT in html
    assert "<td>7</td>" in html and "<td>3</td>" in html
    assert html.count(">Undo</button>") == 2


def test_the_batch_page_links_the_people_it_added(app, client, user):
    page = import_bytes(client, fixture_bytes("linkedin_current_bom_crlf.csv"))

    html = page.get_data(as_text=True)
    assert "People it added (3)" in html
    with app.app_context():
        ana = contact_named("Ana")
    assert f'<a href="/contacts/{ana.id}">Ana Souza</a>' in html


def test_formulas_and_markup_are_stored_as_typed_and_shown_escaped(app, client, user):
    import_bytes(client, fixture_bytes("formula.csv"))

    with app.app_context():
        mallory = contact_named('=HYPERLINK("http://evil.example","Click me")')
        assert mallory.company_name == "<script>alert(1)</script>"
        assert mallory.title == "+SUM(1;2)"
        assert contact_named("@cmd").last_name == "-2+3"
        mallory_id = mallory.id
    html = client.get(f"/contacts/{mallory_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    listing = client.get("/contacts/").get_data(as_text=True)
    assert "<img src=x" not in listing and "&lt;img src=x onerror=alert(1)&gt;" in listing


def test_too_long_cells_are_cut_to_the_column_sizes(app, client, user):
    long_name, long_company = "N" * 150, "C" * 250
    row = f"{long_name},{long_name},,{'e' * 250}@example.com,{long_company},{'T' * 300},"
    import_bytes(client, linkedin_csv(row))

    with app.app_context():
        contact = db.session.scalars(select(Contact)).one()
        assert (len(contact.first_name), len(contact.last_name)) == (100, 100)
        assert len(contact.company_name) == len(contact.title) == 200
        assert len(contact.email) == 254


def test_the_uploaded_file_waits_in_the_database_and_goes_after_the_confirm(app, client, user):
    token = token_from(upload(client, fixture_bytes("linkedin_2018.csv")).get_data(as_text=True))
    with app.app_context():
        waiting = db.session.scalar(select(PendingUpload).where(PendingUpload.token == token))
        assert waiting.data == fixture_bytes("linkedin_2018.csv")
        assert waiting.user_id == user_id()

    confirm(client, token)

    with app.app_context():
        done = db.session.scalar(select(PendingUpload).where(PendingUpload.token == token))
        assert done.data == b"" and done.batch_id == db.session.scalar(select(ImportBatch.id))


def test_import_page_needs_a_login(client):
    response = client.get("/import")
    assert response.status_code == 302 and "/login" in response.location
