"""A funnel that adds up: each person counted at the furthest stage they reached, so no stage
is larger than the one before it; the dashboard, the Plan page and the morning email agree."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import update

from crm.extensions import db
from crm.models import User
from crm.pipeline import pipeline
from tests.app.networking import add, log

BASE_URL = "https://crm.example.org"
EXPECTED = "5 contacts, 3 reached out, 2 replied, 1 interviewed, 1 referred you on"


def _interview_held(client, contact_id: int) -> None:
    response = client.post(
        f"/contacts/{contact_id}/interviews/new",
        data={"day": "2026-11-24", "start": "10:00", "duration_minutes": "30"},
    )
    interview_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/interviews/{interview_id}/done").status_code == 302


def network(client) -> dict[str, int]:
    """Ana was written to; Ben replied; Cy was interviewed with no message or reply logged
    (met at a meetup) and introduced Dee; Ana introduced Eve without an interview."""
    ana = add(client, "Ana")
    log(client, ana)
    ben = add(client, "Ben")
    log(client, ben, status="replied")
    cy = add(client, "Cy")
    _interview_held(client, cy)
    dee = add(client, "Dee", introduced_by="Cy Tester")
    eve = add(client, "Eve", introduced_by="Ana Tester")
    return {"ana": ana, "ben": ben, "cy": cy, "dee": dee, "eve": eve}


def dashboard_stages(client) -> list[tuple[str, int]]:
    page = client.get("/dashboard").get_data(as_text=True)
    section = page.split('id="pipeline"')[1].split("</section>")[0]
    return [
        (label, int(n)) for n, label in re.findall(r"<strong>(\d+)</strong>([^<]+)</div>", section)
    ]


def test_someone_interviewed_without_a_logged_reply_counts_as_reached_and_replied(
    client, user, app, fixed_today
):
    network(client)
    stages = dashboard_stages(client)
    assert stages == [
        ("Contacts", 5),
        ("Reached out", 3),
        ("Replied", 2),
        ("Interviewed", 1),
        ("Referred you on", 1),
    ]
    counts = [n for _, n in stages]
    assert counts == sorted(counts, reverse=True)  # each stage at most the one before


def test_the_plan_page_shows_the_same_numbers(client, user, app, fixed_today):
    network(client)
    page = client.get("/plan/").get_data(as_text=True)
    assert f'<p id="pipeline">{EXPECTED}. Each person counts once' in page
    with app.app_context():
        assert pipeline(db.session.scalar(db.select(User.id))).in_words == EXPECTED


def test_one_of_each_reads_in_the_singular(client, user, app, fixed_today):
    cy = add(client, "Cy")
    _interview_held(client, cy)
    page = client.get("/plan/").get_data(as_text=True)
    assert "1 contact, 1 reached out, 1 replied, 1 interviewed, 0 referred you on." in page


def test_the_morning_email_shows_the_same_numbers(client, user, app, runner, mailbox, clock):
    mailbox.config["BASE_URL"] = BASE_URL
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    network(client)
    with app.app_context():
        db.session.execute(update(User).values(morning_email=True, morning_email_hour=7))
        db.session.commit()
    # The next morning Cy's thank-you is due, so the email goes out.
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    message = mailbox.only_message()
    assert f"Your pipeline so far: {EXPECTED}." in message.body("plain")
    assert f"Your pipeline so far: {EXPECTED}." in message.body("html")
