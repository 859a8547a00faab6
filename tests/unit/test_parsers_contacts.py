"""Google Contacts and Outlook CSV imports."""

from __future__ import annotations

from pathlib import Path

from crm.parsers import ImportedPerson, ParseResult, SkippedRow, google, outlook, parse_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def load(name: str) -> ParseResult:
    return parse_file((FIXTURES / name).read_bytes(), name)


def test_google_current_export() -> None:
    result = load("google_current.csv")

    assert (result.format, result.format_label, result.encoding) == (
        "google",
        "Google Contacts CSV",
        "utf-8-sig",
    )
    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Sofia",
            last_name="Marquez",
            email="sofia@globex.example",
            phone="+1 555-0100",
            company="Globex Corporation",
            title="VP Engineering",
            linkedin_url="https://www.linkedin.com/in/sofia-marquez",
            notes="Met at PyCon 2023.\nIntroduced by Ana.\n\nAsk about the platform team.",
            tags=["Alumni"],
        ),
        ImportedPerson(
            line=6,
            first_name="Daniel",
            last_name="Kim",
            email="dkim@example.com",
            phone="+82 2-555-0199",
            linkedin_url="https://www.linkedin.com/in/danielkim",
            tags=["Mentors", "Alumni"],
        ),
        ImportedPerson(line=8, phone="+44 20 7946 0000", notes="The plumber Ana recommended"),
        ImportedPerson(
            line=10,
            first_name="Élodie",
            last_name="Fournier",
            email="elodie.fournier@example.fr",
            company="Société Générale",
            title="Analyste",
            # Tags in the app are comma-separated, so a label with a comma becomes two.
            tags=["Friends", "Paris", "France"],
        ),
    ]
    assert result.skipped == [
        SkippedRow(line=7, reason="a company with no person"),
        SkippedRow(line=9, reason="no name, email, phone or LinkedIn URL"),
    ]


def test_google_legacy_export_in_utf16() -> None:
    result = load("google_legacy.csv")

    assert (result.format, result.format_label, result.encoding) == (
        "google",
        "Google Contacts CSV (legacy)",
        "utf-16",
    )
    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Oliver",
            last_name="Grant",
            email="oliver.grant@example.co.uk",
            phone="+44 7700 900123",
            company="Hooli",
            title="Product Lead",
            linkedin_url="https://www.linkedin.com/in/olivergrant",
            notes="Old colleague from the Leeds office",
            tags=["Former Colleagues"],
        ),
        ImportedPerson(
            line=3,
            first_name="Beatriz",
            last_name="Costa",
            email="beatriz.costa@example.pt",
            tags=["Friends"],
        ),
    ]
    # The trailing row of empty cells is nobody, and not worth a message.
    assert result.skipped == []


def test_google_takes_the_first_usable_email_across_columns() -> None:
    text = (
        "First Name,Last Name,Labels,E-mail 1 - Value,E-mail 2 - Value\n"
        "Jane,Doe,,not-an-email ::: ,jane@example.com ::: jd@example.com\n"
    )

    result = google.parse(text)

    assert [person.email for person in result.people] == ["jane@example.com"]


def test_outlook_com_export() -> None:
    result = load("outlook_com.csv")

    assert (result.format, result.format_label, result.encoding) == (
        "outlook",
        "Outlook CSV (Outlook.com)",
        "utf-8",
    )
    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Hannah",
            last_name="Becker",
            email="hannah.becker@example.de",
            phone="+49 170 1234567",
            company="Contoso GmbH",
            title="Controller",
            linkedin_url="https://www.linkedin.com/in/hannah-becker-de",
            notes="Met at the alumni dinner",
            tags=["Alumni", "Finance"],
        ),
        ImportedPerson(
            line=3,
            first_name="Marcus",
            last_name="Webb",
            email="marcus.webb@example.com",
            phone="+1 312 555 0142",
            company="Tailspin Toys",
            title="Head of Partnerships",
            tags=["Mentors", "Referrals"],
        ),
    ]
    # A row holding only 'Mr.' in Title: the courtesy title is not a job and not a person.
    assert result.skipped == [SkippedRow(line=4, reason="no name, email, phone or LinkedIn URL")]


def test_outlook_desktop_export_all_quoted_in_cp1252() -> None:
    result = load("outlook_desktop.csv")

    assert (result.format, result.format_label, result.encoding) == (
        "outlook",
        "Outlook CSV (desktop)",
        "cp1252",
    )
    assert result.people == [
        ImportedPerson(
            line=2,
            first_name="Nadia",
            last_name="Rahman",
            email="nadia.rahman@initech.example",
            phone="+1 (555) 010-2000",
            company="Initech",
            title="Chief Scientist",
            linkedin_url="https://www.linkedin.com/in/nadiarahman",
            notes="Prefers mornings.\nAsk about the lab.",
            tags=["Mentors", "Research"],
        ),
        # The Exchange address in the first email column is not an email; the second is.
        ImportedPerson(
            line=4,
            first_name="Zoë",
            last_name="Lambert",
            email="zoe.lambert@example.fr",
            phone="+33 6 98 76 54 32",
            company="Fabrikam",
            title="Directrice Générale",
        ),
    ]
    assert result.skipped == [SkippedRow(line=5, reason="a company with no person")]


def test_outlook_title_is_never_the_job() -> None:
    text = "Title,First Name,Last Name,E-mail Address,Job Title\nMs.,Jane,Doe,,\n"

    result = outlook.parse(text)

    assert [(person.first_name, person.title) for person in result.people] == [("Jane", "")]
