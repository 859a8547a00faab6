"""The morning email, sent through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from crm.extensions import db
from crm.mail import MailError
from crm.models import Contact, FollowUp, Interview, User
from crm.reminders import commands

PASSWORD = "a long password\n"
BASE_URL = "https://crm.example.org"
# 07:30 in Berlin (UTC+1 in December).
MORNING = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)


@pytest.fixture
def at(clock):
    """Stop the app's clock at a moment (the morning in Berlin to start with)."""
    clock.set(MORNING)
    return clock.set


@pytest.fixture(autouse=True)
def base_url(monkeypatch, request):
    monkeypatch.setenv("CRM_BASE_URL", BASE_URL)
    if "mailbox" in request.fixturenames:
        request.getfixturevalue("mailbox").config["BASE_URL"] = BASE_URL


def make_user(app, runner, email, zone="Europe/Berlin", wants=True, hour=7) -> int:
    result = runner.invoke(args=["create-user", email], input=PASSWORD)
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.time_zone, user.morning_email, user.morning_email_hour = zone, wants, hour
        db.session.commit()
        return user.id


def add_followup(app, user_id, name, reason, due_on, status="open") -> None:
    with app.app_context():
        first, last = name.split()
        contact = Contact(user_id=user_id, first_name=first, last_name=last)
        db.session.add(contact)
        db.session.flush()
        db.session.add(
            FollowUp(user_id=user_id, contact_id=contact.id, reason=reason, due_on=due_on,
                     status=status, kind="manual")
        )  # fmt: skip
        db.session.commit()


def add_interview(app, user_id, name, starts_at) -> None:
    with app.app_context():
        first, last = name.split()
        contact = Contact(user_id=user_id, first_name=first, last_name=last)
        db.session.add(contact)
        db.session.flush()
        db.session.add(
            Interview(user_id=user_id, contact_id=contact.id, starts_at=starts_at,
                      location="Café Einstein", status="scheduled")
        )  # fmt: skip
        db.session.commit()


def run(runner):
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result


def test_an_opted_in_user_gets_one_kind_email_with_what_is_due(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana about the data team", date(2026, 11, 27))
    add_followup(app, jo, "Bo Chen", "Send Bo the thank-you", date(2026, 12, 2))
    add_followup(app, jo, "Cy Dee", "Not yet", date(2026, 12, 3))
    add_followup(app, jo, "Di Eng", "Already done", date(2026, 12, 1), status="done")
    add_interview(app, jo, "Eva Fox", datetime(2026, 12, 2, 14, 0, tzinfo=UTC))
    add_interview(app, jo, "Gus Hale", datetime(2026, 12, 3, 14, 0, tzinfo=UTC))
    lazy = make_user(app, runner, "lazy@example.com", wants=False)
    add_followup(app, lazy, "Ivy Jo", "Call Ivy", date(2026, 12, 1))
    quiet = make_user(app, runner, "quiet@example.com")
    add_followup(app, quiet, "Kai Lu", "Later", date(2026, 12, 20))

    result = run(runner)

    assert result.output.strip().splitlines()[-1] == "sent: 1, skipped: 1"
    message = mailbox.only_message()
    assert message.rcpt_tos == ["jo@example.com"]
    # What is overdue and what is due today, counted apart.
    assert message.message["Subject"] == "Today: 1 follow-up overdue, 1 due today and 1 interview"
    assert message.body("plain").startswith("Good morning,")
    text = message.body("plain")
    assert "Ana Lima: Nudge Ana about the data team (due since Fri 27 Nov, 5 days ago)" in text
    assert "Due today:\n- Bo Chen: Send Bo the thank-you" in text
    assert "15:00 with Eva Fox (Café Einstein)" in text
    assert "Cy Dee" not in text and "Di Eng" not in text and "Gus Hale" not in text
    assert "https://crm.example.org/follow-ups" in text
    html = message.body("html")
    assert (
        '<a href="https://crm.example.org/follow-ups">' in html
        and "<strong>Ana Lima</strong>" in html
    )
    unsubscribe = re.search(r"<(https://crm\.example\.org/morning-email/unsubscribe/[^>]+)>",
                            message.message["List-Unsubscribe"])  # fmt: skip
    assert unsubscribe and unsubscribe.group(1) in text
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_second_run_the_same_day_sends_nothing_more(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    run(runner)
    at(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))

    again = run(runner)

    assert again.output.strip() == "sent: 0, skipped: 1"
    assert len(mailbox.messages) == 1
    at(datetime(2026, 12, 3, 7, 0, tzinfo=UTC))
    assert run(runner).output.strip() == "sent: 1, skipped: 0"


def test_nobody_is_mailed_before_their_hour(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com", hour=9)
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))

    assert run(runner).output.strip() == "sent: 0, skipped: 1"
    at(datetime(2026, 12, 2, 8, 0, tzinfo=UTC))  # 09:00 in Berlin
    assert run(runner).output.strip() == "sent: 1, skipped: 0"


def test_each_user_has_their_own_day_either_side_of_midnight_utc(app, runner, mailbox, at):
    # 23:30 UTC on 1 December: already 2 December, 08:30, in Tokyo; 15:30 on 1 December in LA.
    at(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    tokyo = make_user(app, runner, "tokyo@example.com", zone="Asia/Tokyo", hour=8)
    add_followup(app, tokyo, "Ana Lima", "Due on the second", date(2026, 12, 2))
    la = make_user(app, runner, "la@example.com", zone="America/Los_Angeles", hour=8)
    add_followup(app, la, "Bo Chen", "Due on the first", date(2026, 12, 1))
    add_followup(app, la, "Cy Dee", "Due on the second", date(2026, 12, 2))

    assert run(runner).output.strip() == "sent: 2, skipped: 0"

    by_person = {m.rcpt_tos[0]: m.body("plain") for m in mailbox.messages}
    assert "Due today:\n- Ana Lima: Due on the second" in by_person["tokyo@example.com"]
    assert "Bo Chen" in by_person["la@example.com"]
    assert "Cy Dee" not in by_person["la@example.com"]
    # 22:30 UTC an hour earlier would have been 07:30 in Tokyo: too early for an 08:00 email.
    with app.app_context():
        for user in db.session.scalars(select(User)):
            user.morning_email_last_on = None
        db.session.commit()
    at(datetime(2026, 12, 1, 22, 30, tzinfo=UTC))
    assert run(runner).output.strip() == "sent: 1, skipped: 1"
    assert mailbox.messages[-1].rcpt_tos == ["la@example.com"]


def unsubscribe_path(mailbox, index=-1) -> str:
    """The unsubscribe link of a received email, as a path for the test client."""
    header = mailbox.messages[index].message["List-Unsubscribe"]
    return header.strip("<>").removeprefix(BASE_URL)


def test_opening_the_unsubscribe_link_only_asks_and_the_button_turns_it_off(
    app, runner, mailbox, at, client
):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    run(runner)
    link = re.search(r"https://crm\.example\.org(/morning-email/unsubscribe/\S+)",
                     mailbox.only_message().body("plain")).group(1)  # fmt: skip

    # A mail scanner opening the link changes nothing, and the page names no address.
    page = client.get(link, base_url=BASE_URL)
    forged = client.get(link[:-3] + "abc", base_url=BASE_URL)

    shown = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Stop the morning email?" in shown
    assert '<form method="post">' in shown and "<button" in shown
    assert "jo@example.com" not in shown
    assert forged.status_code == 404
    with app.app_context():
        assert db.session.get(User, jo).morning_email is True

    done = client.post(link, base_url=BASE_URL)

    assert done.status_code == 200
    assert "Morning email turned off" in done.get_data(as_text=True)
    assert "jo@example.com" not in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, jo).morning_email is False
    at(datetime(2026, 12, 3, 7, 0, tzinfo=UTC))
    assert run(runner).output.strip() == "sent: 0, skipped: 0"
    assert len(mailbox.messages) == 1


def test_an_unsubscribe_link_works_once_and_the_next_email_carries_a_new_one(
    app, runner, mailbox, at, client
):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    run(runner)
    first = unsubscribe_path(mailbox)
    assert client.post(first, base_url=BASE_URL).status_code == 200
    with app.app_context():
        user = db.session.get(User, jo)
        user.morning_email, user.morning_email_last_on = True, None
        db.session.commit()

    used = client.get(first, base_url=BASE_URL)
    run(runner)
    second = unsubscribe_path(mailbox)

    assert used.status_code == 404
    assert "This link no longer works" in used.get_data(as_text=True)
    assert client.post(first, base_url=BASE_URL).status_code == 404
    with app.app_context():
        assert db.session.get(User, jo).morning_email is True
    assert second != first
    assert client.post(second, base_url=BASE_URL).status_code == 200


def test_a_new_password_ends_every_unsubscribe_link(app, runner, mailbox, at, client):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    run(runner)
    link = unsubscribe_path(mailbox)
    result = runner.invoke(args=["reset-password", "jo@example.com"],
                           input="another long password\nanother long password\n")  # fmt: skip
    assert result.exit_code == 0, result.output

    assert client.post(link, base_url=BASE_URL).status_code == 404
    with app.app_context():
        assert db.session.get(User, jo).morning_email is True


def test_the_unsubscribe_header_goes_out_as_plain_ascii(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    run(runner)
    raw = mailbox.only_message().raw.decode("ascii")
    headers = raw.split("\r\n\r\n", 1)[0].replace("\r\n", "\n")

    assert re.search(
        r"^List-Unsubscribe: <https://crm\.example\.org/morning-email/unsubscribe/[\w.-]+>$",
        headers,
        re.MULTILINE,
    ), headers
    assert "=?utf-8?" not in headers.split("List-Unsubscribe:")[1].split("\n")[0]
    assert "\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in headers


@pytest.mark.parametrize(
    ("utc_hour", "greeting"),
    [(6, "Good morning"), (12, "Good afternoon"), (17, "Good evening")],
)
def test_the_greeting_fits_the_local_time_it_is_sent(app, runner, mailbox, at, utc_hour, greeting):
    # Berlin is UTC+1: 07:xx, 13:xx and 18:57 local (the hour a late run catches up).
    at(datetime(2026, 12, 2, utc_hour, 57, tzinfo=UTC))
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    run(runner)
    message = mailbox.only_message()
    assert message.body("plain").startswith(f"{greeting},\n")
    assert f"<p>{greeting},</p>" in message.body("html")


def test_one_overdue_follow_up_is_counted_as_overdue_and_in_the_singular(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 11, 30))
    run(runner)
    message = mailbox.only_message()
    assert message.message["Subject"] == "Today: 1 follow-up overdue"
    text = message.body("plain")
    assert "A follow-up is waiting from an earlier day." in text
    assert "A few follow-ups" not in text


def test_several_due_today_only_are_counted_as_due_today(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    add_followup(app, jo, "Bo Chen", "Thank Bo", date(2026, 12, 2))
    add_followup(app, jo, "Cy Dee", "Nudge Cy", date(2026, 12, 1))
    add_followup(app, jo, "Di Eng", "Nudge Di", date(2026, 11, 30))
    run(runner)
    assert (
        mailbox.only_message().message["Subject"] == "Today: 2 follow-ups overdue and 2 due today"
    )


def test_without_a_base_url_no_morning_email_goes_out_and_it_says_why(
    app, app_factory, mailbox, at, monkeypatch
):
    # `app` (with a base URL) is asked for only to empty the tables after the test.
    monkeypatch.delenv("CRM_BASE_URL")
    mailbox.config.pop("BASE_URL")
    bare = app_factory(**mailbox.config)
    cli = bare.test_cli_runner()
    jo = make_user(bare, cli, "jo@example.com")
    add_followup(bare, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))

    result = cli.invoke(args=["send-reminders"])

    assert result.exit_code == 1
    assert "CRM_BASE_URL" in result.stderr
    assert mailbox.messages == []


def test_one_click_unsubscribe_by_post_from_a_mail_client(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    add_followup(app, jo, "Ana Lima", "Nudge Ana", date(2026, 12, 2))
    run(runner)
    path = unsubscribe_path(mailbox)
    # CSRF on, as in production: a mail client posts with no form token.
    app.config["WTF_CSRF_ENABLED"] = True

    response = app.test_client().post(
        path, data={"List-Unsubscribe": "One-Click"}, base_url=BASE_URL
    )

    assert response.status_code == 204
    with app.app_context():
        assert db.session.get(User, jo).morning_email is False


def test_a_failure_for_one_user_is_retried_next_run_and_stops_no_one(
    app, runner, mailbox, at, monkeypatch
):
    for email in ("ana@example.com", "bo@example.com", "cy@example.com"):
        user = make_user(app, runner, email)
        add_followup(app, user, "Di Eng", f"Write for {email}", date(2026, 12, 2))
    real_send = commands.send_mail

    def flaky(config, to, *args, **kwargs):
        if to == "bo@example.com":
            raise MailError("The mail server 127.0.0.1 did not take the message: 451")
        return real_send(config, to, *args, **kwargs)

    monkeypatch.setattr(commands, "send_mail", flaky)
    first = runner.invoke(args=["send-reminders"])

    assert first.exit_code == 0
    assert first.stdout.strip() == "sent: 2, skipped: 1"
    assert "Could not send to bo@example.com" in first.stderr
    assert sorted(m.rcpt_tos[0] for m in mailbox.messages) == ["ana@example.com", "cy@example.com"]

    monkeypatch.setattr(commands, "send_mail", real_send)
    second = run(runner)

    assert second.output.strip() == "sent: 1, skipped: 2"
    assert [m.rcpt_tos[0] for m in mailbox.messages][-1] == "bo@example.com"
    assert len(mailbox.messages) == 3


def test_without_a_mail_server_it_says_what_to_set(app, runner):
    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 1
    assert "CRM_SMTP_URL" in result.stderr


def test_an_interview_only_day_still_gets_its_email(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    add_interview(app, jo, "Eva Fox", datetime.combine(date(2026, 12, 2), time(16), tzinfo=UTC))

    run(runner)

    assert mailbox.only_message().message["Subject"] == "Today: 1 interview"


def test_the_rut_check_in_due_today_is_in_the_email_as_a_step_of_the_plan(app, runner, mailbox, at):
    jo = make_user(app, runner, "jo@example.com")
    with app.app_context():
        db.session.add(
            FollowUp(user_id=jo, contact_id=None, kind="check_in", due_on=date(2026, 12, 2),
                     reason="Four weeks since your last check-in.")
        )  # fmt: skip
        db.session.commit()
    run(runner)
    text = mailbox.only_message().body("plain")
    assert "- Your plan: Check in on your rut: Four weeks since your last check-in." in text
