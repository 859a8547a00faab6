"""The export-ics and export-vcf commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import ics
import pytest
import vobject
from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, FollowUp, Interview, User

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)


@pytest.fixture
def seeded(app, runner):
    """Jo with three contacts, follow-ups in every state and interviews past and future."""
    result = runner.invoke(args=["create-user", "jo@example.com"], input="a long password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        jo = db.session.scalar(select(User).where(User.email == "jo@example.com"))
        people = [
            Contact(user_id=jo.id, first_name="Jane", last_name="Doe, MSc", network="alumni"),
            Contact(user_id=jo.id, first_name="🟢 Max", last_name="中國銀行", network="work"),
            Contact(user_id=jo.id, first_name="Ana", last_name="Lima; Sousa", email="a@b.pt"),
        ]
        db.session.add_all(people)
        db.session.flush()
        jane, max_parker, ana = people
        for contact, status in [(jane, "open"), (max_parker, "open"), (ana, "done")]:
            db.session.add(
                FollowUp(
                    user_id=jo.id,
                    contact_id=contact.id,
                    reason=f"Nudge {contact.first_name}, kindly",
                    due_on=SOON.date(),
                    status=status,
                )
            )
        for starts_at, status in [
            (SOON, "scheduled"),
            (SOON - timedelta(days=30), "scheduled"),
            (SOON, "cancelled"),
        ]:
            db.session.add(
                Interview(user_id=jo.id, contact_id=ana.id, starts_at=starts_at, status=status)
            )
        db.session.commit()
        return {
            "contacts": {c.uid for c in people},
            "followups": set(
                db.session.scalars(select(FollowUp.uid).where(FollowUp.status == "open"))
            ),
            "interview": db.session.scalar(
                select(Interview.uid).where(
                    Interview.status == "scheduled", Interview.starts_at == SOON
                )
            ),
        }


def assert_wire_format(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    for line in data[:-2].split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line


def test_export_ics_to_standard_output(runner, seeded):
    result = runner.invoke(args=["export-ics", "--user", "JO@example.com"])

    assert result.exit_code == 0, result.stderr
    data = result.stdout_bytes
    assert_wire_format(data)
    expected = seeded["followups"] | {seeded["interview"]}
    calendar = vobject.readOne(data.decode("utf-8"))
    assert {event.uid.value for event in calendar.vevent_list} == expected
    parsed = ics.Calendar(data.decode("utf-8"))
    assert {event.uid for event in parsed.events} == expected
    assert parsed.method == "PUBLISH"
    assert "Follow up: 🟢 Max 中國銀行 — Nudge 🟢 Max, kindly" in {e.name for e in parsed.events}


def test_export_ics_to_a_file(runner, seeded, tmp_path):
    target = tmp_path / "reminders.ics"

    result = runner.invoke(args=["export-ics", "--user", "jo@example.com", "-o", str(target)])

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 2 follow-ups and 1 interview to {target}.\n"
    parsed = ics.Calendar(target.read_text(encoding="utf-8"))
    assert len(parsed.events) == 3


def test_export_vcf_to_standard_output(runner, seeded):
    result = runner.invoke(args=["export-vcf", "--user", "jo@example.com"])

    assert result.exit_code == 0, result.stderr
    assert_wire_format(result.stdout_bytes)
    cards = list(vobject.readComponents(result.stdout_bytes.decode("utf-8")))
    assert {card.uid.value for card in cards} == seeded["contacts"]
    assert {card.fn.value for card in cards} == {
        "Jane Doe, MSc",
        "🟢 Max 中國銀行",
        "Ana Lima; Sousa",
    }
    assert all(card.version.value == "3.0" and card.n.value for card in cards)


def test_export_vcf_to_a_file(runner, seeded, tmp_path):
    target = tmp_path / "contacts.vcf"

    result = runner.invoke(args=["export-vcf", "--user", "jo@example.com", "--output", str(target)])

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 3 contacts to {target}.\n"
    cards = list(vobject.readComponents(target.read_text(encoding="utf-8")))
    assert {card.uid.value for card in cards} == seeded["contacts"]


def test_an_account_with_nothing_exports_empty_files(runner, app, tmp_path):
    runner.invoke(args=["create-user", "new@example.com"], input="a long password\n")

    vcf = runner.invoke(args=["export-vcf", "--user", "new@example.com"])
    ics_result = runner.invoke(args=["export-ics", "--user", "new@example.com"])

    assert (vcf.exit_code, vcf.stdout_bytes) == (0, b"")
    assert ics_result.exit_code == 0
    assert ics.Calendar(ics_result.stdout).events == set()


@pytest.mark.parametrize("command", ["export-ics", "export-vcf"])
def test_an_unknown_user_exits_1_with_one_line_on_stderr(runner, seeded, command, tmp_path):
    target = tmp_path / "out"

    result = runner.invoke(args=[command, "--user", "nobody@example.com", "-o", str(target)])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: No account uses the email 'nobody@example.com'.\n"
    assert not target.exists()


@pytest.mark.parametrize("command", ["export-ics", "export-vcf"])
def test_the_user_option_is_required(runner, command):
    result = runner.invoke(args=[command])
    assert result.exit_code == 2
    assert "--user" in result.stderr


def test_an_unwritable_output_is_one_clear_line(runner, user, tmp_path):
    for command in ("export-ics", "export-vcf"):
        target = tmp_path / "missing-folder" / "out.file"
        result = runner.invoke(args=[command, "--user", user, "-o", str(target)])
        assert result.exit_code == 1
        assert "Cannot write" in result.output and "No such file or directory" in result.output
        assert "Traceback" not in result.output
