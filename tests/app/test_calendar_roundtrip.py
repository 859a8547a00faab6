"""Round trip: a vCard export imported into the same account reports every contact unchanged."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.contacts.services import get_or_create_company, set_tags
from crm.extensions import db
from crm.models import Contact, User


def _people(app, email: str) -> int:
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == email))
        people = [
            ("Jane", "Doe, MSc", "jane@example.com", "Acme, Inc.", "Principal; Data", "jane-doe"),
            ("🟢 Max", "Müller", None, "中國銀行（香港）有限公司", "分析師", "max-m"),
            ("Ali", "Khan", "ali@example.com", None, None, None),
            ("Zoë", "O'Brien", None, "Globex", "Designer", None),
        ]
        for first, last, mail, company, title, slug in people:
            contact = Contact(
                user_id=owner.id,
                first_name=first,
                last_name=last,
                email=mail,
                phone="+1 555 0100" if mail else None,
                title=title,
                network="alumni",
                notes="Line one\nline two, with a comma; and a semicolon",
                linkedin_url=f"https://www.linkedin.com/in/{slug}" if slug else None,
            )
            contact.company = get_or_create_company(owner.id, company)
            db.session.add(contact)
            set_tags(contact, "mentor, data science")
        db.session.commit()
        return len(people)


def test_exported_vcards_import_back_unchanged(client, user, app, runner, tmp_path):
    count = _people(app, user)
    exported = client.get("/contacts.vcf")
    assert exported.status_code == 200
    path = tmp_path / "contacts.vcf"
    path.write_bytes(exported.get_data())

    result = runner.invoke(args=["import", str(path), "--user", user])

    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"created: 0, updated: 0, unchanged: {count}, skipped: 0"
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == count


def test_cli_export_imports_back_unchanged(user, app, runner, tmp_path):
    count = _people(app, user)
    path = tmp_path / "all.vcf"
    assert runner.invoke(args=["export-vcf", "--user", user, "-o", str(path)]).exit_code == 0
    result = runner.invoke(args=["import", str(path), "--user", user, "--dry-run"])
    assert result.output.strip().splitlines()[-1] == (
        f"created: 0, updated: 0, unchanged: {count}, skipped: 0"
    )
