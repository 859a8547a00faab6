"""vdirsyncer, two ways, against the running app: the address book and the calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp, Note
from tests.app.test_calendar_downloads import add_contact, add_followup, add_interview
from tests.sync.conftest import run

CONFIG = """
[general]
status_path = "{root}/status/"

[pair contacts]
a = "contacts_local"
b = "contacts_remote"
collections = ["from b"]
conflict_resolution = "b wins"

[storage contacts_local]
type = "filesystem"
path = "{root}/contacts/"
fileext = ".vcf"

[storage contacts_remote]
type = "carddav"
url = "{base}/dav/"
username = "{email}"
password = "{password}"

[pair calendar]
a = "calendar_local"
b = "calendar_remote"
collections = ["from b"]
conflict_resolution = "b wins"

[storage calendar_local]
type = "filesystem"
path = "{root}/calendar/"
fileext = ".ics"

[storage calendar_remote]
type = "caldav"
url = "{base}/dav/"
username = "{email}"
password = "{password}"
item_types = ["VTODO", "VEVENT"]
"""


class Vdirsyncer:
    def __init__(self, root: Path, base: str, email: str, password: str) -> None:
        self.root = root
        self.config = root / "config"
        self.config.write_text(CONFIG.format(root=root, base=base, email=email, password=password))

    def sync(self) -> None:
        run("vdirsyncer", "-c", str(self.config), "discover", stdin="y\n" * 4)
        run("vdirsyncer", "-c", str(self.config), "sync")

    def cards(self) -> dict[str, str]:
        folder = self.root / "contacts" / "contacts"
        return {path.name: path.read_text() for path in sorted(folder.glob("*.vcf"))}

    def items(self) -> dict[str, str]:
        folder = self.root / "calendar" / "networking"
        return {path.name: path.read_text() for path in sorted(folder.glob("*.ics"))}


@pytest.fixture
def vdirsyncer(tmp_path, served, device):
    return Vdirsyncer(tmp_path, served, device.email, device.password)


def contact_named(app, first_name: str) -> Contact | None:
    with app.app_context():
        return db.session.scalars(select(Contact).where(Contact.first_name == first_name)).first()


def test_first_sync_brings_every_contact_and_open_follow_up(app, device, vdirsyncer):
    ada = add_contact(
        app, device.user_id, first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )
    add_contact(app, device.user_id, first_name="Grace", last_name="Hopper", company="Navy")
    add_followup(app, ada, reason="Nudge once, kindly.", due_on=date(2031, 6, 3))
    add_followup(app, ada, reason="Already done", due_on=date(2031, 6, 4), status="done")
    add_interview(app, ada)

    vdirsyncer.sync()

    cards = "".join(vdirsyncer.cards().values())
    assert len(vdirsyncer.cards()) == 2
    assert "FN:Ada Lovelace" in cards and "ORG:Navy" in cards
    items = list(vdirsyncer.items().values())
    tasks = [item for item in items if "BEGIN:VTODO" in item]
    events = [item for item in items if "BEGIN:VEVENT" in item]
    assert len(tasks) == 1 and "DUE;VALUE=DATE:20310603" in tasks[0]
    assert len(events) == 1 and "Informational interview with Ada Lovelace" in events[0]


def test_cards_created_edited_and_deleted_on_the_device_arrive(app, device, vdirsyncer):
    add_contact(
        app, device.user_id, first_name="Ada", last_name="Lovelace", email="ada@example.com"
    )
    vdirsyncer.sync()
    folder = vdirsyncer.root / "contacts" / "contacts"

    # A new card with properties the app does not model, and a twin of Ada.
    (folder / "new-card-1.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:new-card-1\r\nFN:Linus Pauling\r\n"
        "N:Pauling;Linus;;;\r\nEMAIL;TYPE=INTERNET:linus@example.com\r\n"
        "BDAY:1901-02-28\r\nADR;TYPE=HOME:;;1 Main St;Portland;OR;97201;USA\r\n"
        "TEL;TYPE=CELL:+1 503 555 0199\r\nEND:VCARD\r\n"
    )
    (folder / "twin-card.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:twin-card\r\nFN:Ada King\r\nN:King;Ada;;;\r\n"
        "EMAIL:ADA@example.com\r\nTITLE:Countess\r\nEND:VCARD\r\n"
    )
    vdirsyncer.sync()

    linus = contact_named(app, "Linus")
    assert linus is not None and linus.email == "linus@example.com"
    assert linus.phone == "+1 503 555 0199"
    with app.app_context():
        adas = db.session.scalars(select(Contact).where(Contact.email == "ada@example.com")).all()
        assert len(adas) == 1 and adas[0].title == "Countess" and adas[0].last_name == "Lovelace"
    vdirsyncer.sync()
    cards = vdirsyncer.cards()
    assert len(cards) == 2
    assert "BDAY:1901-02-28" in cards["new-card-1.vcf"]
    assert "ADR;TYPE=HOME:;;1 Main St;Portland;OR;97201;USA" in cards["new-card-1.vcf"]

    # Edited on the device, then deleted there.
    edited = cards["new-card-1.vcf"].replace("FN:Linus Pauling", "FN:Linus C. Pauling")
    edited = edited.replace("N:Pauling;Linus;;;", "N:Pauling;Linus C.;;;")
    (folder / "new-card-1.vcf").write_text(edited)
    vdirsyncer.sync()
    linus = contact_named(app, "Linus C.")
    assert linus is not None
    with app.app_context():
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == linus.id)).all()
        assert "Changed on Laptop: name" in notes
    (folder / "new-card-1.vcf").unlink()
    vdirsyncer.sync()
    with app.app_context():
        archived = db.session.get(Contact, linus.id)
        assert archived is not None and archived.archived_at is not None
    vdirsyncer.sync()
    assert "new-card-1.vcf" not in vdirsyncer.cards()


def test_app_edits_and_deletes_arrive_on_the_next_sync(app, client, device, vdirsyncer):
    ada = add_contact(app, device.user_id, first_name="Ada", last_name="Lovelace")
    grace = add_contact(app, device.user_id, first_name="Grace", last_name="Hopper")
    vdirsyncer.sync()
    with app.app_context():
        db.session.get(Contact, ada).title = "Analyst"
        db.session.delete(db.session.get(Contact, grace))
        db.session.commit()

    vdirsyncer.sync()

    cards = vdirsyncer.cards()
    assert len(cards) == 1
    assert "TITLE:Analyst" in next(iter(cards.values()))


def test_a_task_completed_on_the_device_is_done_in_the_app(app, device, vdirsyncer):
    ada = add_contact(app, device.user_id, first_name="Ada", last_name="Lovelace")
    followup = add_followup(app, ada, reason="Nudge once, kindly.", due_on=date(2031, 6, 3))
    add_followup(app, ada, reason="Ask about the data team", due_on=date(2031, 6, 10))
    vdirsyncer.sync()
    folder = vdirsyncer.root / "calendar" / "networking"
    (path,) = [path for path in folder.glob("*.ics") if "Nudge once" in path.read_text()]
    path.write_text(
        path.read_text().replace(
            "STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20310601T090000Z"
        )
    )

    vdirsyncer.sync()

    with app.app_context():
        row = db.session.get(FollowUp, followup)
        assert row.status == "done" and row.closed_note == "Done on Laptop"
    # Done in the app, the task leaves the device on the next sync.
    vdirsyncer.sync()
    (left,) = vdirsyncer.items().values()
    assert "Ask about the data team" in left
