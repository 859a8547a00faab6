"""`flask --app crm import FILE --user EMAIL [--network N] [--dry-run]`: output and exit codes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.auth.services import create_user
from crm.extensions import db
from crm.models import Contact, ImportBatch
from tests.app.test_imports_support import (
    IMPORT_FIXTURES,
    contact_rows,
    linkedin_csv,
    table_counts,
)

HIDDEN = "no name, email or LinkedIn URL (a hidden or deactivated member)"


@pytest.fixture
def jo(app) -> str:
    with app.app_context():
        create_user("jo@example.com", "a long password")
        db.session.commit()
    return "jo@example.com"


def run(runner, *args: str):
    return runner.invoke(args=["import", *args])


def test_import_lists_skipped_rows_and_ends_with_the_summary(app, runner, jo):
    result = run(runner, str(IMPORT_FIXTURES / "linkedin_current.csv"), "--user", jo)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Reading linkedin_current.csv as LinkedIn Connections.csv (current export)."
    assert f"Skipped line 11: {HIDDEN}." in lines
    assert lines[-1] == "created: 7, updated: 0, unchanged: 0, skipped: 1"
    assert result.stderr == ""
    with app.app_context():
        contacts = db.session.scalars(select(Contact)).all()
        assert len(contacts) == 7
        assert {c.network for c in contacts} == {"other"}
        batch = db.session.scalars(select(ImportBatch)).one()
        assert (batch.filename, batch.created_count) == ("linkedin_current.csv", 7)


def test_network_option_and_reimport_counts_job_changes(app, runner, jo, tmp_path):
    first = tmp_path / "Connections.csv"
    first.write_bytes(linkedin_csv("Ana,Souza,https://www.linkedin.com/in/ana,,Globex,Sales,"))
    assert run(runner, str(first), "--user", jo, "--network", "Alumni").exit_code == 0
    first.write_bytes(linkedin_csv("Ana,Souza,https://www.linkedin.com/in/ana,,Initech,Sales,"))

    result = run(runner, str(first), "--user", jo)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "1 person changed jobs.",
        "created: 0, updated: 1, unchanged: 0, skipped: 0",
    ]
    with app.app_context():
        [ana] = db.session.scalars(select(Contact)).all()
        assert (ana.network, ana.company_name) == ("alumni", "Initech")


def test_dry_run_writes_nothing_and_still_ends_with_the_summary(app, runner, jo):
    result = run(runner, str(IMPORT_FIXTURES / "google_current.csv"), "--user", jo, "--dry-run")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-2] == "Dry run: nothing was written."
    assert lines[-1] == "created: 4, updated: 0, unchanged: 0, skipped: 2"
    with app.app_context():
        assert table_counts() == {
            "Contact": 0,
            "Company": 0,
            "Tag": 0,
            "ImportBatch": 0,
            "JobChange": 0,
        }


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_header_only_file_is_all_zeros_and_exit_0(app, runner, jo, dry_run):
    result = run(runner, str(IMPORT_FIXTURES / "header_only.csv"), "--user", jo, *dry_run)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created: 0, updated: 0, unchanged: 0, skipped: 0"
    with app.app_context():
        assert db.session.scalars(select(ImportBatch)).all() == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "This file is empty."),
        ("image.csv", "This looks like an image (PNG), not a contacts file."),
        ("archive.csv", "This is a zip archive; unzip it and upload Connections.csv."),
        ("page.csv", "This looks like a web page saved as .csv, not a contacts export."),
    ],
)
def test_unsupported_file_exits_1_with_one_line_and_writes_nothing(app, runner, jo, name, message):
    result = run(runner, str(IMPORT_FIXTURES / name), "--user", jo)

    assert result.exit_code == 1
    assert result.stderr == f"Error: {name}: {message}\n"
    assert result.stdout == ""
    with app.app_context():
        assert contact_rows() == []
        assert db.session.scalars(select(ImportBatch)).all() == []


def test_unknown_user_exits_1_with_one_line(app, runner, jo):
    result = run(runner, str(IMPORT_FIXTURES / "linkedin_2018.csv"), "--user", "nobody@example.com")

    assert result.exit_code == 1
    assert result.stderr == "Error: No account uses the email 'nobody@example.com'.\n"


def test_missing_file_exits_1_with_one_line(runner, jo, tmp_path):
    result = run(runner, str(tmp_path / "nope.csv"), "--user", jo)

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "Cannot read" in result.stderr


def test_large_file_shows_progress_on_stderr_only(app, runner, jo, tmp_path):
    rows = [
        f"Person,Number {n},https://www.linkedin.com/in/person-{n},,Company {n % 40},Engineer,"
        for n in range(1_500)
    ]
    path = tmp_path / "Connections.csv"
    path.write_bytes(linkedin_csv(*rows))

    result = run(runner, str(path), "--user", jo)

    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr
    assert result.stdout.splitlines() == [
        "Reading Connections.csv as LinkedIn Connections.csv (current export).",
        "created: 1500, updated: 0, unchanged: 0, skipped: 0",
    ]
    with app.app_context():
        assert len(contact_rows()) == 1_500


def test_an_unknown_network_is_a_usage_error(runner, jo):
    result = run(runner, str(IMPORT_FIXTURES / "linkedin_2018.csv"), "--user", jo, "--network", "x")

    assert result.exit_code == 2
