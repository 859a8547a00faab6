"""Helpers shared by the import tests: upload through the real pages, read the database back."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from sqlalchemy import select

from crm.extensions import db
from crm.models import Company, Contact, ImportBatch, JobChange, Tag, User
from tests.conftest import FIXTURES

IMPORT_FIXTURES = FIXTURES / "import"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def fixture_bytes(name: str) -> bytes:
    return (IMPORT_FIXTURES / name).read_bytes()


def linkedin_csv(*rows: str, preamble: bool = True) -> bytes:
    """A current LinkedIn export holding these data rows."""
    head = 'Notes:\n"Some email addresses may be missing."\n\n' if preamble else ""
    return (head + HEADER + "\n" + "".join(row + "\n" for row in rows)).encode("utf-8")


def upload(client, data: bytes, filename: str = "Connections.csv"):
    """Send a file to the Import page; the response is its preview (or the form with an error)."""
    return client.post(
        "/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def cells(html: str) -> str:
    """The page's table rows and cells without their attributes (a phone's labels, classes),
    so a test reads what each row shows."""
    return re.sub(r"<(td|tr)\b[^>]*>", r"<\1>", html)


def token_from(html: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', html)
    assert match, "the preview has no confirm form"
    return match.group(1)


def confirm(client, token: str, network: str = "other", follow: bool = False):
    return client.post(
        "/import/confirm", data={"token": token, "network": network}, follow_redirects=follow
    )


def import_bytes(client, data: bytes, filename: str = "Connections.csv", network: str = "other"):
    """Upload, read the preview, confirm: the page the user lands on afterwards."""
    preview = upload(client, data, filename)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    return confirm(client, token_from(preview.get_data(as_text=True)), network, follow=True)


@dataclass(frozen=True)
class Row:
    first_name: str
    last_name: str
    company: str | None = None
    title: str | None = None
    email: str | None = None
    linkedin_url: str | None = None
    phone: str | None = None


def user_id(email: str = "jo@example.com") -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def contact_rows(email: str = "jo@example.com") -> list[Row]:
    """The user's contacts as plain rows, in insertion order."""
    contacts = db.session.scalars(
        select(Contact).where(Contact.user_id == user_id(email)).order_by(Contact.id)
    )
    return [
        Row(
            c.first_name,
            c.last_name,
            c.company_name,
            c.title,
            c.email,
            c.linkedin_url,
            c.phone,
        )
        for c in contacts
    ]


def contact_named(first_name: str, email: str = "jo@example.com") -> Contact:
    return db.session.scalars(
        select(Contact).where(Contact.user_id == user_id(email), Contact.first_name == first_name)
    ).one()


def count(model, email: str = "jo@example.com") -> int:
    return len(db.session.scalars(select(model).where(model.user_id == user_id(email))).all())


def table_counts(email: str = "jo@example.com") -> dict[str, int]:
    """How many rows of each kind the user owns: the 'nothing written' check."""
    return {
        model.__name__: count(model, email)
        for model in (Contact, Company, Tag, ImportBatch, JobChange)
    }


def job_changes(email: str = "jo@example.com") -> list[tuple]:
    rows = db.session.scalars(
        select(JobChange).where(JobChange.user_id == user_id(email)).order_by(JobChange.id)
    )
    return [
        (j.contact.first_name, j.old_company, j.old_title, j.new_company, j.new_title) for j in rows
    ]
