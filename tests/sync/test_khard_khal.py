"""khard and khal read what vdirsyncer synced from the app."""

from __future__ import annotations

from tests.app.test_calendar_downloads import add_contact, add_followup, add_interview
from tests.sync.conftest import run
from tests.sync.test_vdirsyncer import Vdirsyncer

KHARD = """
[addressbooks]
[[networking]]
path = {root}/contacts/contacts/

[general]
debug = no
default_action = list
editor = /bin/true
merge_editor = /bin/true
"""

KHAL = """
[calendars]
[[networking]]
path = {root}/calendar/networking/
type = calendar

[sqlite]
path = {root}/khal.db

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = UTC
local_timezone = UTC
"""


def test_khard_and_khal_read_the_synced_address_book_and_calendar(app, tmp_path, served, device):
    ada = add_contact(
        app,
        device.user_id,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        company="Analytical Engines",
    )
    add_contact(app, device.user_id, first_name="Grace", last_name="Hopper")
    add_followup(app, ada)
    add_interview(app, ada, location="https://meet.example.org/ada")
    Vdirsyncer(tmp_path, served, device.email, device.password).sync()
    (tmp_path / "khard.conf").write_text(KHARD.format(root=tmp_path))
    (tmp_path / "khal.conf").write_text(KHAL.format(root=tmp_path))

    people = run("khard", "-c", str(tmp_path / "khard.conf"), "list", "--parsable", home=tmp_path)
    emails = run("khard", "-c", str(tmp_path / "khard.conf"), "email", "--parsable", home=tmp_path)
    events = run(
        "khal", "-c", str(tmp_path / "khal.conf"), "list", "2031-07-01", "2d", home=tmp_path
    )

    assert "Ada Lovelace" in people and "Grace Hopper" in people
    assert "ada@example.com\tAda Lovelace" in emails
    assert "19:30-20:00 Informational interview with Ada Lovelace" in events
