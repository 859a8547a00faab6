"""History never floods: an outreach or interview logged after the fact plans only what is
still ahead of today."""

from __future__ import annotations

from datetime import date

from crm.enums import FollowUpKind
from crm.followups.rules import RuleSettings, interview_done_followups, outreach_followups_from

DEFAULTS = RuleSettings()
FRI = date(2026, 12, 4)


def _plan(sent_on: date, today: date, settings: RuleSettings = DEFAULTS):
    return [
        (p.kind, p.due, p.late)
        for p in outreach_followups_from(sent_on, today, settings, "Jane Doe", "Acme")
    ]


def test_an_outreach_logged_the_day_it_was_sent_plans_the_whole_routine():
    assert _plan(FRI, FRI) == [
        (FollowUpKind.SECOND_PERSON, date(2026, 12, 9), False),
        (FollowUpKind.NUDGE, date(2026, 12, 15), False),
    ]


def test_a_step_due_today_is_still_ahead_and_a_passed_one_is_dropped():
    assert _plan(FRI, date(2026, 12, 9))[0][1] == date(2026, 12, 9)
    assert _plan(FRI, date(2026, 12, 10)) == [(FollowUpKind.NUDGE, date(2026, 12, 15), False)]


def test_a_recent_outreach_past_both_windows_gets_one_nudge_the_next_business_day():
    # Saturday 19 Dec: both windows passed, 15 days after sending: Monday 21.
    assert _plan(FRI, date(2026, 12, 19)) == [(FollowUpKind.NUDGE, date(2026, 12, 21), True)]
    # The last day of the window still counts; the day after it plans nothing.
    assert _plan(FRI, date(2027, 1, 3))[0][1] == date(2027, 1, 4)
    assert _plan(FRI, date(2027, 1, 4)) == []


def test_the_window_is_the_users_number():
    assert _plan(FRI, date(2026, 12, 19), RuleSettings(history_days=10)) == []
    assert _plan(FRI, date(2026, 12, 16), RuleSettings(history_days=0)) == []


def test_old_history_plans_nothing():
    assert _plan(date(2019, 1, 15), date(2026, 12, 7)) == []


def test_a_thank_you_marked_late_is_due_the_next_business_day_and_the_rest_after_it():
    held = date(2026, 11, 30)  # Monday
    planned = {
        p.kind: p for p in interview_done_followups(held, DEFAULTS, "Jane", date(2026, 12, 9))
    }
    assert planned[FollowUpKind.THANK_YOU].due == date(2026, 12, 10)
    assert planned[FollowUpKind.THANK_YOU].late
    assert "a late thank-you still counts" in planned[FollowUpKind.THANK_YOU].reason
    others = [planned[FollowUpKind.UPDATE].due, planned[FollowUpKind.REFERRAL_ASK].due]
    assert sorted(others) == [date(2026, 12, 11), date(2026, 12, 14)]


def test_a_thank_you_still_on_time_is_not_late():
    held = date(2026, 11, 30)
    planned = interview_done_followups(held, DEFAULTS, "Jane", date(2026, 12, 1))
    thank_you = next(p for p in planned if p.kind == FollowUpKind.THANK_YOU)
    assert (thank_you.due, thank_you.late) == (date(2026, 12, 1), False)
    assert thank_you.reason.endswith("while the conversation is fresh.")
