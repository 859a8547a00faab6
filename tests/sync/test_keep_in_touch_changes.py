"""sync-collection for keep-in-touch tasks, which are read from their contact: every change to
the contact's keep-in-touch date is reported, and the UID of the date it left as deleted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete

from crm.extensions import db
from crm.models import Contact
from tests.app.test_calendar_downloads import add_contact
from tests.sync.test_sync_access import dav
from tests.sync.test_sync_tokens import sync

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday 7 December 2026
WAS_DUE = date(2026, 12, 2)


def add_ana(app, owner: int, **fields) -> int:
    values = {
        "first_name": "Ana",
        "last_name": "Lima",
        "cadence": "1m",
        "last_interaction_on": date(2026, 11, 2),
        "keep_in_touch_due": WAS_DUE,
    }
    return add_contact(app, owner, **{**values, **fields})


def href(contact_id: int, due: date) -> str:
    return f"keep-in-touch-{contact_id}-{due:%Y%m%d}%40networking-crm.ics"


def reported(changed: list[tuple[str, str]]) -> dict[str, str]:
    return {path.rsplit("/", 1)[1]: status for path, status in changed}


def first_sync(client, clock, device) -> str:
    clock.set(T0 + timedelta(minutes=1))
    token, _ = sync(client, device, "networking")
    clock.set(T0 + timedelta(minutes=2))
    return token


def next_sync(client, clock, device, token: str) -> dict[str, str]:
    clock.set(T0 + timedelta(minutes=3))
    _, changed = sync(client, device, "networking", token)
    return reported(changed)


def test_the_first_sync_lists_a_reminder_for_each_active_contact_with_a_cadence(
    app, client, clock, device
):
    clock.set(T0)
    ana = add_ana(app, device.user_id)
    # No cadence, or archived: no reminder.
    add_contact(app, device.user_id, first_name="Bo", keep_in_touch_due=WAS_DUE)
    add_ana(app, device.user_id, first_name="Cy", archived_at=T0)

    _, listed = sync(client, device, "networking")

    assert reported(listed) == {href(ana, WAS_DUE): "200 OK"}
    answer = dav(
        client,
        "GET",
        f"/dav/{device.email}/networking/{href(ana, WAS_DUE)}",
        device.email,
        device.password,
        body="",
    )
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert "SUMMARY:Keep in touch with Ana Lima" in text and "DUE;VALUE=DATE:20261202" in text
    assert "Every month. Last in touch on Mon 02 Nov 2026." in text


def test_kept_in_touch_on_the_page_reports_the_old_task_deleted_and_the_next_one(
    app, client, auth, clock, device
):
    clock.set(T0)
    ana = add_ana(app, device.user_id)
    token = first_sync(client, clock, device)

    assert client.post(f"/contacts/{ana}/kept-in-touch").status_code == 302

    assert next_sync(client, clock, device, token) == {
        href(ana, WAS_DUE): "404 Not Found",
        href(ana, date(2027, 1, 7)): "200 OK",
    }
    gone = dav(
        client,
        "GET",
        f"/dav/{device.email}/networking/{href(ana, WAS_DUE)}",
        device.email,
        device.password,
        body="",
    )
    assert gone.status_code == 404


def test_a_new_cadence_on_the_contact_page_moves_the_task(app, client, clock, device):
    clock.set(T0)
    ana = add_ana(app, device.user_id)
    token = first_sync(client, clock, device)

    # Every week from Mon 2 Nov: Mon 9 Nov.
    client.post(f"/contacts/{ana}/cadence", data={"cadence": "1w"})

    assert next_sync(client, clock, device, token) == {
        href(ana, WAS_DUE): "404 Not Found",
        href(ana, date(2026, 11, 9)): "200 OK",
    }


def test_an_edit_that_keeps_the_date_reports_the_same_task_changed(app, client, clock, device):
    clock.set(T0)
    ana = add_ana(app, device.user_id)
    token = first_sync(client, clock, device)
    with app.app_context():
        db.session.get(Contact, ana).last_name = "Lima Souza"
        db.session.commit()

    assert next_sync(client, clock, device, token) == {href(ana, WAS_DUE): "200 OK"}


def test_no_cadence_an_archive_or_a_delete_reports_the_task_deleted(app, client, clock, device):
    clock.set(T0)
    ana = add_ana(app, device.user_id)
    bo = add_ana(app, device.user_id, first_name="Bo")
    cy = add_ana(app, device.user_id, first_name="Cy")
    dee = add_ana(app, device.user_id, first_name="Dee", uid="imported-dee")
    token = first_sync(client, clock, device)

    client.post(f"/contacts/{ana}/cadence", data={"cadence": "none"})
    with app.app_context():
        db.session.get(Contact, bo).archived_at = T0 + timedelta(minutes=2)
        db.session.delete(db.session.get(Contact, cy))
        # A bulk delete, as an import's undo does it.
        db.session.execute(
            delete(Contact)
            .where(Contact.uid == "imported-dee")
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    assert next_sync(client, clock, device, token) == {
        href(contact, WAS_DUE): "404 Not Found" for contact in (ana, bo, cy, dee)
    }


def test_the_calendars_etag_changes_when_a_keep_in_touch_date_moves(app, client, clock, device):
    clock.set(T0)
    ana = add_ana(app, device.user_id)
    propfind = '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'

    def etag() -> str:
        answer = dav(
            client,
            "PROPFIND",
            f"/dav/{device.email}/networking/",
            device.email,
            device.password,
            body=propfind,
            depth="0",
        )
        return answer.get_data(as_text=True).split("<getetag>")[1].split("</getetag>")[0]

    before = etag()
    clock.set(T0 + timedelta(minutes=1))
    client.post(f"/contacts/{ana}/cadence", data={"cadence": "1w"})
    assert etag() != before
