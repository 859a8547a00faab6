"""The stored derived columns agree with their rules (crm/normalize.py) for every way a row
is written: the contact form and its edit, an import and a re-import, a vCard, a starred
employer. A rule change without a backfill migration would leave old rows disagreeing, and
the search, the list's order and the Plan's roles reading the old values.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.models import Company, Contact, Tag
from crm.normalize import company_sort_name, contact_derived, name_key, tag_key
from tests.app.test_contacts import add_contact, contact_data
from tests.app.test_imports_support import fixture_bytes, import_bytes, linkedin_csv


def _write_a_varied_sample(client) -> None:
    add_contact(client)  # punctuation in names, a company with a comma, repeated tags
    add_contact(
        client,
        first_name="Zoë",
        last_name="Ångström-Łukasz",
        email="zoe@example.com",
        company="  Société   Générale ",
        title="Sr. Software Engineer, Payments",
        tags="Café, café, ✨ Fintech",
        linkedin_url="",
        notes="Met at the Straße café",
    )
    add_contact(
        client,
        first_name="",
        last_name="",
        email="nobody@example.com",
        company="",
        title="",
        tags="",
        linkedin_url="",
        notes="",
    )
    add_contact(
        client,
        first_name="小明",
        last_name="王",
        email="wang@example.cn",
        company="腾讯",
        title="产品经理",
        tags="朋友",
        linkedin_url="",
    )
    edited = db.session.scalar(select(Contact.id).where(Contact.email == "zoe@example.com"))
    db.session.rollback()
    client.post(
        f"/contacts/{edited}/edit",
        data=contact_data(
            first_name="Zoé",
            last_name="O'Brien",
            email="zoe@example.com",
            company="ACME, inc.",
            title="VP of Engineering",
            tags="Mentor, ex-colleague",
            linkedin_url="",
        ),
    )
    rows = [
        "Ingrid,Ødegård,https://www.linkedin.com/in/ingrid,,Équinor ASA,Lead Geologist,01 Feb 2024",
        "Kenji,山田,https://www.linkedin.com/in/kenji,,ソニー,Staff Engineer,02 Feb 2024",
        ",,https://www.linkedin.com/in/blank,,,,03 Feb 2024",
        'Jane,"Doe, MSc",https://www.linkedin.com/in/jane,,acme  inc.,Head of Data,04 Feb 2024',
    ]
    import_bytes(client, linkedin_csv(*rows))
    # A re-import: new titles and companies for people the first import created.
    rows[0] = rows[0].replace("Équinor ASA,Lead Geologist", "Aker BP,Chief Geologist")
    rows[1] = rows[1].replace("ソニー,Staff Engineer", "任天堂,Principal Engineer")
    import_bytes(client, linkedin_csv(*rows))
    import_bytes(client, fixture_bytes("vcard30.vcf"), "contacts.vcf")
    client.post("/plan/employers", data={"company": "  Über   Eats "})


def test_every_stored_derived_column_matches_its_rule(app, client, user):
    with app.app_context():
        _write_a_varied_sample(client)
        contacts = db.session.scalars(
            select(Contact).options(selectinload(Contact.tags), selectinload(Contact.company))
        ).all()
        companies = db.session.scalars(select(Company)).all()
        tags = db.session.scalars(select(Tag)).all()
        differ = []
        for contact in contacts:
            stored = {
                "search_text": contact.search_text,
                "sort_name": contact.sort_name,
                "title_key": contact.title_key,
            }
            rule = contact_derived(
                first_name=contact.first_name,
                last_name=contact.last_name,
                email=contact.email,
                title=contact.title,
                company=contact.company.name if contact.company else None,
                tags=contact.tag_names,
                notes=contact.notes,
            )
            if stored != rule:
                differ.append((contact.first_name, contact.last_name, stored, rule))
        for company in companies:
            stored_company = (company.name_key, company.sort_name)
            if stored_company != (name_key(company.name), company_sort_name(company.name)):
                differ.append((company.name, stored_company))
        differ += [(tag.name, tag.name_key) for tag in tags if tag.name_key != tag_key(tag.name)]
        sample = (len(contacts), len(companies), len(tags))
        db.session.rollback()

    assert not differ, differ
    assert all(n >= least for n, least in zip(sample, (9, 8, 6), strict=True)), sample
