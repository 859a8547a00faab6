"""What reads as a link on screen: only plain http(s) addresses."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crm.formatting import starts_in, web_address
from crm.reminders.services import greeting_at


@pytest.mark.parametrize(
    "text",
    [
        "https://meet.example.com/abc-defg-hij",
        "http://zoom.example/j/123?pwd=x",
        "  https://teams.example/l/meetup  ",
        "HTTPS://Meet.Example.com/x",
    ],
)
def test_http_and_https_addresses_are_links(text):
    assert web_address(text) == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Café Central, Herrengasse 14",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https://",
        "http://[broken",
        "https://meet.example/x and then the café",
        "mailto:jo@example.com",
        "ftp://files.example/x",
    ],
)
def test_anything_else_stays_text(text):
    assert web_address(text) is None


def _at(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026):
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.parametrize(
    ("start", "now", "words"),
    [
        (_at(3, 15, month=12), _at(29, 9), "Thursday 3 December at 15:00, in 4 days"),
        (_at(30, 8, 30), _at(29, 23), "Monday 30 November at 08:30, tomorrow"),
        (_at(29, 15), _at(29, 12), "Sunday 29 November at 15:00, today, in 3 hours"),
        (_at(29, 15), _at(29, 14), "Sunday 29 November at 15:00, today, in 1 hour"),
        (_at(29, 15), _at(29, 14, 45), "Sunday 29 November at 15:00, in 15 minutes"),
        (_at(5, 10, month=1, year=2027), _at(29, 9), "Tuesday 5 January 2027 at 10:00, in 37 days"),
    ],
)
def test_a_coming_interview_says_when_it_is_and_how_far_away(start, now, words):
    assert starts_in(start, now) == words


@pytest.mark.parametrize(
    ("hour", "greeting"),
    [(0, "Good morning"), (11, "Good morning"), (12, "Good afternoon"), (17, "Good afternoon"),
     (18, "Good evening"), (23, "Good evening")],
)  # fmt: skip
def test_the_greeting_fits_the_hour(hour, greeting):
    assert greeting_at(hour) == greeting
