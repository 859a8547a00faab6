"""vdirsyncer and the app editing the same contact: both edits survive.

vdirsyncer settles an edit it sees on both sides before it writes (its conflict_resolution);
the server merges when the app's edit lands after vdirsyncer listed the address book and
before its upload arrives, as with a phone that uploads first. The server below lets the
app's edit land at exactly that moment.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from crm.extensions import db
from crm.models import Contact, Note
from tests.app.test_calendar_downloads import add_contact
from tests.conftest import whole_responses
from tests.sync.test_vdirsyncer import Vdirsyncer


class RacingServer:
    """The app on a free port; an edit queued here runs just before the next card upload."""

    def __init__(self, app) -> None:
        self.edits: list[Callable[[], None]] = []
        inner = whole_responses(app)

        def wsgi(environ, start_response):
            if environ["REQUEST_METHOD"] == "PUT" and self.edits:
                self.edits.pop(0)()
            return inner(environ, start_response)

        self.server = make_server("127.0.0.1", 0, wsgi, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def racing(app):
    server = RacingServer(app)
    yield server
    server.server.shutdown()
    server.thread.join(timeout=5)


def set_title(app, contact_id: int, title: str) -> Callable[[], None]:
    def edit() -> None:
        with app.app_context():
            db.session.get(Contact, contact_id).title = title
            db.session.commit()

    return edit


def test_edits_of_different_fields_on_both_sides_survive_everywhere(app, device, racing, tmp_path):
    ada = add_contact(
        app, device.user_id, first_name="Ada", last_name="Lovelace", phone="+44 20 0000"
    )
    client = Vdirsyncer(tmp_path, racing.url, device.email, device.password)
    client.sync()
    (path,) = (tmp_path / "contacts" / "contacts").glob("*.vcf")
    path.write_text(path.read_text().replace("TEL:+44 20 0000", "TEL:+44 20 1111"))
    racing.edits.append(set_title(app, ada, "Head of Analysis"))

    client.sync()
    client.sync()

    with app.app_context():
        contact = db.session.get(Contact, ada)
        assert (contact.phone, contact.title) == ("+44 20 1111", "Head of Analysis")
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == ada)).all()
    assert notes == ["Changed on Laptop: phone; kept the app's title"]
    (card,) = client.cards().values()
    assert "TEL:+44 20 1111" in card and "TITLE:Head of Analysis" in card


def test_the_same_field_on_both_sides_takes_the_later_write(app, device, racing, tmp_path):
    ada = add_contact(app, device.user_id, first_name="Ada", last_name="Lovelace", title="Analyst")
    client = Vdirsyncer(tmp_path, racing.url, device.email, device.password)
    client.sync()
    (path,) = (tmp_path / "contacts" / "contacts").glob("*.vcf")
    path.write_text(path.read_text().replace("TITLE:Analyst", "TITLE:Director"))
    racing.edits.append(set_title(app, ada, "Head of Analysis"))

    client.sync()
    client.sync()

    with app.app_context():
        assert db.session.get(Contact, ada).title == "Director"
        notes = db.session.scalars(select(Note.body).where(Note.contact_id == ada)).all()
    assert notes == ["Changed on Laptop: title; replaced the app's title"]
    (card,) = client.cards().values()
    assert "TITLE:Director" in card
