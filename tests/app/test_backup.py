"""Backup and restore of one account: the zip, the round trip, and refusals."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic, sleep

import pytest
import vobject
from sqlalchemy import func, select

from crm.backup import services
from crm.backup.archive import DATA_NAME
from crm.extensions import db
from crm.models import (
    Company,
    Contact,
    FollowUp,
    ImportBatch,
    ImportUpdate,
    Interview,
    JobChange,
    MessageTemplate,
    Note,
    Outreach,
    Tag,
    User,
)
from crm.plan.models import (
    Obstacle,
    ObstacleProof,
    PersonToReach,
    RoleContact,
    RutCheckIn,
    StrategicAnswer,
    TargetRole,
)
from crm.referrals.models import Suggestion

PASSWORD = "a long password\n"
SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


def make_user(runner, email: str) -> None:
    result = runner.invoke(args=["create-user", email], input=PASSWORD)
    assert result.exit_code == 0, result.output


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def fill_account(app, runner, email="jo@example.com") -> None:
    """An account with a row in every table and every kind of link between them."""
    make_user(runner, email)
    with app.app_context():
        uid = user_id(email)
        jo = db.session.get(User, uid)
        jo.time_zone = "America/New_York"
        jo.name = "Jo Park"
        jo.nudge_days = 9
        jo.reminder_time = time(8, 30)
        acme = Company(user_id=uid, name="Acme, Inc.", name_key="acme inc", is_target=True)
        mentor = Tag(user_id=uid, name="mentor", name_key="mentor")
        data = Tag(user_id=uid, name="data", name_key="data")
        batch = ImportBatch(
            user_id=uid,
            filename="Connections.csv",
            format="linkedin",
            format_label="LinkedIn connections",
            created_count=2,
            updated_count=1,
        )
        db.session.add_all([acme, mentor, data, batch])
        db.session.flush()
        ana = Contact(
            user_id=uid,
            first_name="Ana",
            last_name="Lima",
            email="ana@example.org",
            company_id=acme.id,
            title='=HYPERLINK("http://evil")',
            network="alumni",
            cadence="1m",
            notes="Met at the alumni night.\nLikes data.",
            connected_on=date(2024, 5, 30),
            import_batch_id=batch.id,
            tags=[mentor, data],
        )
        db.session.add(ana)
        db.session.flush()
        bo = Contact(
            user_id=uid,
            first_name="Bo",
            last_name="Chen",
            phone="+1 555 0100",
            network="work",
            introduced_by_id=ana.id,
            import_batch_id=batch.id,
            tags=[mentor],
        )
        cy = Contact(user_id=uid, first_name="Cy", last_name="@Dee", how_we_met="-conference")
        db.session.add_all([bo, cy])
        db.session.flush()
        ana.introduced_by_id = cy.id
        outreach = Outreach(
            user_id=uid,
            contact_id=ana.id,
            channel="email",
            sent_on=date(2026, 1, 5),
            summary="Asked for 20 minutes",
            status="replied",
            reply_on=date(2026, 1, 7),
        )
        interview = Interview(
            user_id=uid,
            contact_id=ana.id,
            starts_at=SOON,
            duration_minutes=45,
            location="https://meet.example/x",
            status="done",
            career_path="Analyst, then lead",
            advice="Learn SQL",
            resources="A book",
            assignments="Write to Bo",
            referrals="Bo Chen",
            done_on=date(2026, 1, 9),
            thank_you_sent_on=date(2026, 1, 10),
            prep_questions="Trends?",
        )
        db.session.add_all([outreach, interview])
        db.session.flush()
        db.session.add_all(
            [
                FollowUp(
                    user_id=uid,
                    contact_id=ana.id,
                    kind="7b",
                    reason="Nudge Ana",
                    due_on=date(2026, 1, 14),
                    status="done",
                    outreach_id=outreach.id,
                    closed_at=datetime(2026, 1, 7, 12, tzinfo=UTC),
                    closed_note="Replied",
                ),
                FollowUp(
                    user_id=uid,
                    contact_id=ana.id,
                    kind="thank_you",
                    reason="Thank Ana",
                    due_on=SOON.date(),
                    status="open",
                    interview_id=interview.id,
                    due_time=time(9, 15),
                    sequence=2,
                    snoozed_from=date(2026, 1, 10),
                ),
                FollowUp(
                    user_id=uid,
                    contact_id=bo.id,
                    kind="manual",
                    reason="Skip",
                    due_on=date(2026, 2, 1),
                    status="dismissed",
                ),
                Note(user_id=uid, contact_id=bo.id, body="Prefers phone calls"),
                # Ana suggested Bo in her interview, and would rather not be named.
                Suggestion(
                    user_id=uid, interview_id=interview.id, contact_id=bo.id, permission="no"
                ),
                ImportUpdate(batch_id=batch.id, contact_id=bo.id, old_values={"title": "Intern"}),
                JobChange(
                    user_id=uid,
                    contact_id=bo.id,
                    import_batch_id=batch.id,
                    old_company="Old Co",
                    old_title="Intern",
                    new_company="Acme, Inc.",
                    new_title="Engineer",
                    seen_on=date(2026, 1, 2),
                ),
            ]
        )
        fill_plan(uid, ana, bo)
        db.session.commit()


def fill_plan(uid: int, ana: Contact, bo: Contact) -> None:
    """The plan's rows and an edited message template, linked to the contacts."""
    doubt = Obstacle(user_id=uid, text="I didn't go to the right school", text_key="school")
    role = TargetRole(user_id=uid, title="Data Lead", title_key=" data lead ")
    db.session.add_all([doubt, role])
    db.session.flush()
    db.session.add_all(
        [
            RutCheckIn(user_id=uid, checked_on=date(2026, 1, 3), signs="underpaid,no_room"),
            # The next check-in's reminder: a follow-up about no contact.
            FollowUp(
                user_id=uid,
                contact_id=None,
                kind="check_in",
                reason="Four weeks since your last check-in.",
                due_on=date(2026, 2, 2),
            ),
            ObstacleProof(user_id=uid, obstacle_id=doubt.id, contact_id=ana.id),
            StrategicAnswer(
                user_id=uid,
                question="next_steps",
                body="SQL and patience",
                saved_on=date(2026, 1, 4),
            ),
            PersonToReach(user_id=uid, contact_id=bo.id, added_on=date(2026, 1, 4)),
            RoleContact(user_id=uid, role_id=role.id, contact_id=bo.id),
            MessageTemplate(
                user_id=uid, kind="nudge", subject="Hello again", body="Hi {first_name}"
            ),
        ]
    )


def wait_for_restore(client, job_url: str, seconds: float = 60):
    """The restore's page once the background job has ended (it reloads itself till then)."""
    deadline = monotonic() + seconds
    while True:
        response = client.get(job_url)
        if 'http-equiv="refresh"' not in response.get_data(as_text=True):
            return response
        assert monotonic() < deadline, "the restore is still running"
        sleep(0.05)


def run_backup(runner, tmp_path, email, name="backup.zip"):
    out = tmp_path / name
    result = runner.invoke(args=["backup", "--user", email, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def data_of(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(DATA_NAME))


def without_ids(data: dict) -> dict:
    """data.json with each id replaced by the row's place in its table, links alike."""
    data = json.loads(json.dumps(data))
    data.pop("exported_at")
    data["account"].pop("email")
    places: dict[str, dict[int, int]] = {}
    for name, key in services.TABLE_KEYS.items():
        places[name] = {row["id"]: n for n, row in enumerate(data[key]) if "id" in row}
    for name, key in services.TABLE_KEYS.items():
        for row in data[key]:
            if "id" in row:
                row["id"] = places[name][row["id"]]
            for column in services._columns(name):
                target = services._link_target(column)
                if target and row.get(column.name) is not None:
                    row[column.name] = places[target][row[column.name]]
    return data


def counts(email: str) -> dict[str, int]:
    """How many rows of each backed-up table the account owns."""
    uid = user_id(email)
    return {
        name: db.session.scalar(
            select(func.count()).select_from(services._owned(name, uid).subquery())
        )
        for name in services.TABLE_KEYS
    }


def test_every_table_of_a_user_is_backed_up_or_left_out_on_purpose(app):
    with app.app_context():
        for table in db.metadata.sorted_tables:
            owned = "user_id" in table.c or table.name in services.PARENT_OWNER
            if owned:
                assert table.name in services.TABLE_KEYS or table.name in services.NOT_BACKED_UP
        user_columns = {column.name for column in User.__table__.columns}
        assert user_columns == set(services.SETTINGS) | services.NOT_SETTINGS


def test_round_trip_into_an_empty_account_keeps_every_row_and_link(app, runner, tmp_path):
    fill_account(app, runner)
    first = run_backup(runner, tmp_path, "jo@example.com", "first.zip")
    make_user(runner, "new@example.com")

    result = runner.invoke(args=["restore", str(first), "--user", "new@example.com"])

    assert result.exit_code == 0, result.output
    assert "3 contacts" in result.output
    second = run_backup(runner, tmp_path, "new@example.com", "second.zip")
    assert without_ids(data_of(first)) == without_ids(data_of(second))
    with app.app_context():
        assert counts("new@example.com") == counts("jo@example.com")
        assert all(counts("new@example.com").values())
        new_id = user_id("new@example.com")
        ana = db.session.scalar(
            select(Contact).where(Contact.user_id == new_id, Contact.first_name == "Ana")
        )
        bo = db.session.scalar(
            select(Contact).where(Contact.user_id == new_id, Contact.first_name == "Bo")
        )
        assert bo.introduced_by_id == ana.id
        assert ana.introduced_by.first_name == "Cy"
        assert ana.company.name == "Acme, Inc." and ana.tag_names == ["data", "mentor"]
        thank_you = db.session.scalar(
            select(FollowUp).where(FollowUp.user_id == new_id, FollowUp.kind == "thank_you")
        )
        assert db.session.get(Interview, thank_you.interview_id).contact_id == ana.id
        nudge = db.session.scalar(
            select(FollowUp).where(FollowUp.user_id == new_id, FollowUp.kind == "7b")
        )
        assert db.session.get(Outreach, nudge.outreach_id).user_id == new_id
        assert {
            f.status for f in db.session.scalars(select(FollowUp).where(FollowUp.user_id == new_id))
        } == {"open", "done", "dismissed"}
        restored = db.session.get(User, new_id)
        assert (restored.time_zone, restored.nudge_days) == ("America/New_York", 9)
        assert restored.name == "Jo Park"
        proof = db.session.scalar(select(ObstacleProof).where(ObstacleProof.user_id == new_id))
        assert proof.contact_id == ana.id and proof.obstacle.user_id == new_id
        tagged = db.session.scalar(select(RoleContact).where(RoleContact.user_id == new_id))
        assert tagged.contact_id == bo.id
        assert db.session.get(TargetRole, tagged.role_id).user_id == new_id
        assert restored.email == "new@example.com"
        check_in = db.session.scalar(
            select(FollowUp).where(FollowUp.user_id == new_id, FollowUp.kind == "check_in")
        )
        assert (check_in.contact_id, check_in.due_on) == (None, date(2026, 2, 2))
        # The search finds restored people by their notes.
        assert "alumni night" in ana.search_text


def test_restored_contacts_are_found_and_shown_in_the_app(app, runner, tmp_path, client, auth):
    fill_account(app, runner)
    backup = run_backup(runner, tmp_path, "jo@example.com")
    auth.register(email="new@example.com")
    runner.invoke(args=["restore", str(backup), "--user", "new@example.com"])

    page = client.get("/contacts/?q=alumni").get_data(as_text=True)
    client.post("/plan/roles", data={"title": "Hyperlink"})  # Ana's title, a formula
    plan = client.get("/plan/").get_data(as_text=True)
    hyperlink = plan.split("<h3>Hyperlink</h3>")[1].split("</article>")[0]

    assert "Ana Lima" in page and "Bo Chen" not in page
    assert "<strong>1</strong>you know" in hyperlink and "Ana Lima" in hyperlink


def test_the_zip_holds_csv_vcards_calendar_and_readme(app, runner, tmp_path):
    fill_account(app, runner)
    backup = run_backup(runner, tmp_path, "jo@example.com")

    with zipfile.ZipFile(backup) as archive:
        names = set(archive.namelist())
        rows = list(csv.reader(io.StringIO(archive.read("contacts.csv").decode("utf-8-sig"))))
        cards = list(vobject.readComponents(archive.read("contacts.vcf").decode()))
        calendar = vobject.readOne(archive.read("calendar.ics").decode())
        readme = archive.read("README.txt").decode()

    assert names == {"data.json", "contacts.csv", "contacts.vcf", "calendar.ics", "README.txt"}
    header, *people = rows
    assert header[:3] == ["First name", "Last name", "Email"]
    by_first = {row[0]: dict(zip(header, row, strict=True)) for row in people}
    assert by_first["Ana"]["Title"] == '\'=HYPERLINK("http://evil")'
    assert by_first["Bo"]["Phone"] == "'+1 555 0100"
    assert by_first["Bo"]["Introduced by"] == "Ana Lima"
    assert by_first["Cy"]["Last name"] == "'@Dee"
    assert by_first["Cy"]["How we met"] == "'-conference"
    assert by_first["Ana"]["Notes"] == "Met at the alumni night.\nLikes data."
    assert by_first["Ana"]["Tags"] == "data, mentor"
    assert sorted(card.fn.value for card in cards) == ["Ana Lima", "Bo Chen", "Cy @Dee"]
    # The open follow-ups: Ana's, and the next rut check-in (about no one).
    [event, check_in] = sorted(calendar.vevent_list, key=lambda e: e.summary.value, reverse=True)
    assert "Ana Lima" in event.summary.value
    assert check_in.summary.value == "Check in on your rut"
    assert "restore" in readme
    data = data_of(backup)
    assert data["format"] == "networking-crm-backup" and data["version"] == 2
    assert {row["status"] for row in data["follow_ups"]} == {"open", "done", "dismissed"}
    assert data["interviews"][0]["career_path"] == "Analyst, then lead"


def test_restore_refuses_an_account_that_has_contacts(app, runner, tmp_path):
    fill_account(app, runner)
    backup = run_backup(runner, tmp_path, "jo@example.com")
    with app.app_context():
        before = counts("jo@example.com")

    result = runner.invoke(args=["restore", str(backup), "--user", "jo@example.com"])

    assert result.exit_code == 1
    assert "only be restored into an empty account" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with app.app_context():
        assert counts("jo@example.com") == before


def _zip_with(tmp_path, members: dict[str, bytes]):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: _zip_with(tmp, {"photo.jpg": b"\xff\xd8"}), "has no data.json"),
        (lambda tmp: _zip_with(tmp, {"data.json": b'{"a": 1}'}), "another kind"),
        (lambda tmp: _zip_with(tmp, {"data.json": b"not json"}), "not valid JSON"),
        (
            lambda tmp: _zip_with(
                tmp, {"data.json": b'{"format": "networking-crm-backup", "version": 3}'}
            ),
            "format version 3, newer than this app reads",
        ),
        (
            lambda tmp: (tmp / "c.csv").write_text("First Name,Last Name\n") and tmp / "c.csv",
            "not a zip file",
        ),
    ],
)
def test_restore_refuses_files_that_are_not_a_readable_backup(app, runner, tmp_path, make, message):
    make_user(runner, "new@example.com")
    path = make(tmp_path)

    result = runner.invoke(args=["restore", str(path), "--user", "new@example.com"])

    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with app.app_context():
        assert not any(counts("new@example.com").values())


def _break_note(data):
    data["notes"][0]["body"] = None


def _break_link(data):
    data["follow_ups"][0]["outreach_id"] = 99999


def _break_date(data):
    data["outreach"][0]["sent_on"] = "5 January"


def _break_length(data):
    data["contacts"][0]["first_name"] = "x" * 101


def _loop_introductions(data):
    people = {row["first_name"]: row for row in data["contacts"]}
    people["Cy"]["introduced_by_id"] = people["Bo"]["id"]  # Cy → Bo → Ana → Cy


def _break_permission(data):
    data["suggestions"][0]["permission"] = "maybe"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_loop_introductions, "introduced each other in a circle; nobody can be their own"),
        (_break_permission, "suggestions row 1: permission: Choose one of yes, no, not_asked."),
        (_break_note, "notes row 1: body is missing."),
        (_break_link, "follow_ups row 1: outreach_id points at a row that is not in the backup"),
        (_break_date, "outreach row 1: sent_on has a value of the wrong kind."),
        (_break_length, "contacts row 1: first_name is longer than 100 characters."),
    ],
)
def test_a_damaged_row_writes_nothing_at_all(app, runner, tmp_path, damage, message):
    fill_account(app, runner)
    data = data_of(run_backup(runner, tmp_path, "jo@example.com"))
    damage(data)
    broken = _zip_with(tmp_path, {"data.json": json.dumps(data).encode()})
    make_user(runner, "new@example.com")

    result = runner.invoke(args=["restore", str(broken), "--user", "new@example.com"])

    assert result.exit_code == 1
    assert message in result.stderr
    with app.app_context():
        assert not any(counts("new@example.com").values())
        assert db.session.get(User, user_id("new@example.com")).nudge_days == 7


def test_backup_of_an_unknown_account_says_so(runner, tmp_path):
    target = str(tmp_path / "x")
    result = runner.invoke(args=["backup", "--user", "nobody@example.com", "-o", target])

    assert result.exit_code == 1
    assert "No account uses the email" in result.stderr
    assert not (tmp_path / "x").exists()


def test_backup_db_copies_a_sqlite_database_in_use(app, runner, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        result = runner.invoke(args=["backup-db", str(tmp_path / "copy.sqlite3")])
        assert result.exit_code == 1 and "pg_dump" in result.stderr
        return
    fill_account(app, runner)
    copy = tmp_path / "copy.sqlite3"

    result = runner.invoke(args=["backup-db", str(copy)])

    assert result.exit_code == 0, result.output
    with sqlite3.connect(copy) as connection:
        names = connection.execute("SELECT first_name FROM contact ORDER BY first_name").fetchall()
    assert names == [("Ana",), ("Bo",), ("Cy",)]
    again = runner.invoke(args=["backup-db", str(copy)])
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_download_all_my_data_from_settings(app, runner, client, auth, tmp_path):
    fill_account(app, runner)
    auth.login(password=PASSWORD.strip())

    settings = client.get("/settings").get_data(as_text=True)
    with client.get("/settings/backup") as response:
        body = response.get_data()

    assert "Download all my data" in settings and 'href="/settings/backup"' in settings
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "download.zip"
    path.write_bytes(body)
    assert len(data_of(path)["contacts"]) == 3


def test_someone_else_cannot_download_my_data(app, runner, client, auth):
    fill_account(app, runner)
    auth.register(email="eve@example.com")

    with client.get("/settings/backup") as response:
        body = response.get_data()

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        data = json.loads(archive.read(DATA_NAME))
    assert data["account"]["email"] == "eve@example.com" and data["contacts"] == []


def test_restore_on_the_import_page_for_a_new_account(app, runner, client, auth, tmp_path):
    fill_account(app, runner)
    backup = run_backup(runner, tmp_path, "jo@example.com")
    auth.register(email="new@example.com")

    page = client.get("/import").get_data(as_text=True)
    started = client.post(
        "/import/restore",
        data={"backup": (io.BytesIO(backup.read_bytes()), "backup.zip")},
        content_type="multipart/form-data",
    )
    response = wait_for_restore(client, started.location)

    assert "Restore a backup" in page
    assert "your backup is restored (3 contacts" in response.get_data(as_text=True)
    with app.app_context():
        assert counts("new@example.com") == counts("jo@example.com")
    assert "Restore a backup" not in client.get("/import").get_data(as_text=True)


def test_restore_on_the_import_page_refuses_a_non_empty_account_and_bad_files(
    app, runner, client, auth, tmp_path
):
    fill_account(app, runner)
    backup = run_backup(runner, tmp_path, "jo@example.com")
    auth.login(password=PASSWORD.strip())
    with app.app_context():
        before = counts("jo@example.com")

    again = client.post(
        "/import/restore",
        data={"backup": (io.BytesIO(backup.read_bytes()), "backup.zip")},
        content_type="multipart/form-data",
    )
    auth.logout()
    auth.register(email="new@example.com")
    not_zip = client.post(
        "/import/restore",
        data={"backup": (io.BytesIO(b"First Name,Last Name\n"), "c.csv")},
        content_type="multipart/form-data",
    )

    assert again.status_code == 400
    assert "only be restored into an empty account" in again.get_data(as_text=True)
    assert not_zip.status_code == 400
    assert "it is not a zip file" in not_zip.get_data(as_text=True)
    with app.app_context():
        assert counts("jo@example.com") == before
        assert not any(counts("new@example.com").values())


def test_an_older_backups_role_keys_are_restored_in_the_current_format(app, runner, tmp_path):
    fill_account(app, runner)
    data = data_of(run_backup(runner, tmp_path, "jo@example.com"))
    data["target_roles"][0]["title_key"] = "data lead"  # as roles were keyed before 0018
    older = _zip_with(tmp_path, {"data.json": json.dumps(data).encode()})
    make_user(runner, "new@example.com")

    result = runner.invoke(args=["restore", str(older), "--user", "new@example.com"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        role = db.session.scalars(
            select(TargetRole).where(TargetRole.user_id == user_id("new@example.com"))
        ).one()
        assert role.title_key == " data lead "
