"""Contacts' tags in a backup: written before the contacts (so a restore writes each contact's
search text once, tags and all), and still read after them from backups written before
December 2026. Either way the restored people are found by their tags."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact
from tests.app.test_backup import (
    counts,
    data_of,
    fill_account,
    make_user,
    run_backup,
    user_id,
)
from tests.app.test_backup_bounds import restore_damaged
from tests.conftest import counting_statements


def _as_older_backup(data: dict) -> dict:
    """data.json as backups were written before December 2026 (format version 1): tags after
    the contacts."""
    keys = list(data)
    keys.remove("contact_tags")
    keys.insert(keys.index("contacts") + 1, "contact_tags")
    return {**{key: data[key] for key in keys}, "version": 1}


def _restore(runner, tmp_path, data: dict):
    path = tmp_path / "edited.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", json.dumps(data))
    make_user(runner, "new@example.com")
    return runner.invoke(args=["restore", str(path), "--user", "new@example.com"])


def test_a_backup_lists_the_tag_links_just_before_the_contacts(app, runner, tmp_path):
    fill_account(app, runner)

    keys = list(data_of(run_backup(runner, tmp_path, "jo@example.com")))

    assert keys.index("tags") < keys.index("contact_tags") == keys.index("contacts") - 1


@pytest.mark.parametrize("older", [False, True], ids=["tags first", "older backup"])
def test_restored_people_are_found_by_their_tags(app, runner, tmp_path, client, auth, older):
    fill_account(app, runner)
    data = data_of(run_backup(runner, tmp_path, "jo@example.com"))
    auth.register(email="new@example.com")
    path = tmp_path / "edited.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", json.dumps(_as_older_backup(data) if older else data))

    with counting_statements(app) as statements:
        result = runner.invoke(args=["restore", str(path), "--user", "new@example.com"])

    assert result.exit_code == 0, result.output
    # Tags first: each contact's search text is written once, never mended afterwards.
    mended = [sql for sql in statements if sql.startswith("UPDATE contact") and "search" in sql]
    assert bool(mended) == older
    found = client.get("/contacts/?q=mentor").get_data(as_text=True)
    assert "Ana Lima" in found and "Bo Chen" in found
    data_only = client.get("/contacts/?q=data").get_data(as_text=True)
    assert "Ana Lima" in data_only and "Bo Chen" not in data_only
    with app.app_context():
        people = db.session.scalars(
            select(Contact).where(Contact.user_id == user_id("new@example.com"))
        ).all()
        assert {person.first_name: person.tag_names for person in people} == {
            "Ana": ["data", "mentor"],
            "Bo": ["mentor"],
            "Cy": [],
        }
        for person in people:
            # Written once, as the app itself derives it from the contact and its tags.
            kept = (person.search_text, person.sort_name)
            person.refresh_search_text()
            assert (person.search_text, person.sort_name) == kept


def test_tag_links_in_any_order_are_restored(app, runner, tmp_path):
    fill_account(app, runner)
    data = data_of(run_backup(runner, tmp_path, "jo@example.com"))
    data["contact_tags"].reverse()

    result = _restore(runner, tmp_path, data)

    assert result.exit_code == 0, result.output
    with app.app_context():
        ana = db.session.scalar(
            select(Contact).where(
                Contact.user_id == user_id("new@example.com"), Contact.first_name == "Ana"
            )
        )
        assert ana.tag_names == ["data", "mentor"]
        assert "mentor" in ana.search_text and "data" in ana.search_text


def _link_to_nobody(data):
    data["contact_tags"][0]["contact_id"] = 99999


def _link_without_contact(data):
    data["contact_tags"][0]["contact_id"] = None


def _link_to_no_tag(data):
    data["contact_tags"][0]["tag_id"] = 99999


def _tags_without_contacts(data):
    """No contacts at all, nor anything else that links to them: only the held tags do."""
    del data["contacts"]
    for key, value in data.items():
        if isinstance(value, list) and key not in {"companies", "tags", "contact_tags"}:
            value.clear()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_link_to_nobody, "contact_tags: contact_id 99999 points at a row that is not in the"),
        (_link_without_contact, "contact_tags row 1: contact_id is missing."),
        (_link_to_no_tag, "contact_tags row 1: tag_id points at a row that is not in the backup"),
        (_tags_without_contacts, "contact_tags: contact_id "),
    ],
)
def test_a_tag_link_to_a_missing_row_writes_nothing(app, runner, tmp_path, damage, message):
    assert message in restore_damaged(app, runner, tmp_path, damage)


def test_an_older_backups_tag_link_without_its_contact_says_so(app, runner, tmp_path):
    def damage(data):
        _link_without_contact(data)
        older = _as_older_backup(data)
        data.clear()
        data.update(older)

    assert "contact_tags row 1: contact_id is missing." in restore_damaged(
        app, runner, tmp_path, damage
    )


def test_tag_links_both_before_and_after_the_contacts_are_refused(app, runner, tmp_path):
    fill_account(app, runner)
    data = data_of(run_backup(runner, tmp_path, "jo@example.com"))
    links = json.dumps(data["contact_tags"])
    text = json.dumps(data)
    # The links again after the contacts (json.dumps cannot write one key twice).
    text = text.replace('"outreach":', f'"contact_tags": {links}, "outreach":', 1)
    path = tmp_path / "twice.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.json", text)
    make_user(runner, "new@example.com")

    result = runner.invoke(args=["restore", str(path), "--user", "new@example.com"])

    assert result.exit_code == 1
    assert "This backup's contact_tags come out of order or twice." in result.stderr
    with app.app_context():
        assert not any(counts("new@example.com").values())
