"""Tests for the follow-up rules; every expected date was checked against a calendar."""

from datetime import date

import pytest

from crm.enums import Cadence, Due, FollowUpKind
from crm.followups.rules import (
    PlannedFollowUp,
    RuleSettings,
    add_cadence,
    bucket,
    business_days_after,
    cadence_after_interview,
    closes_on_reply,
    interview_done_followups,
    is_business_day,
    is_losing_touch,
    keep_in_touch_due,
    outreach_followups,
    response_rate,
    snooze_business_days,
    validate_snooze_date,
    week_bounds,
)

# Late November 2026, the calendar most tests use:
#   Mon 23  Tue 24  Wed 25  Thu 26  Fri 27  Sat 28  Sun 29
#   Mon 30  Tue  1  Wed  2  Thu  3  Fri  4  Sat  5  Sun  6
#   Mon  7  Tue  8  Wed  9  Thu 10  Fri 11  Sat 12  Sun 13
MON = date(2026, 11, 23)
WED = date(2026, 11, 25)
THU = date(2026, 11, 26)
FRI = date(2026, 11, 27)
SAT = date(2026, 11, 28)
SUN = date(2026, 11, 29)
NEXT_MON = date(2026, 11, 30)

DEFAULTS = RuleSettings()


# Kinds, cadences and labels


def test_kinds_are_the_stored_strings() -> None:
    assert FollowUpKind.values() == (
        "manual",
        "3b",
        "7b",
        "thank_you",
        "update",
        "referral_ask",
        "keep_in_touch",
    )


def test_every_kind_has_a_plain_label() -> None:
    assert FollowUpKind.labels() == {
        "manual": "Follow up",
        "3b": "Reach a second person",
        "7b": "Nudge once",
        "thank_you": "Send a thank-you",
        "update": "Send a progress update",
        "referral_ask": "Ask for a referral",
        "keep_in_touch": "Keep in touch",
    }


def test_every_cadence_has_a_label_in_order() -> None:
    assert Cadence.values() == ("none", "1w", "2w", "1m", "3m", "6m")
    assert list(Cadence.labels()) == list(Cadence.values())
    assert Cadence.labels()["2w"] == "Every 2 weeks"
    assert Cadence.labels()["none"] == "None"


def test_bucket_labels() -> None:
    assert Due.labels() == {
        "overdue": "Overdue",
        "today": "Today",
        "this_week": "This week",
        "later": "Later",
    }


# Settings


def test_default_settings_match_the_design() -> None:
    assert DEFAULTS.second_person_days == 3
    assert DEFAULTS.nudge_days == 7
    assert DEFAULTS.thank_you_days == 1
    assert DEFAULTS.update_days == 7
    assert DEFAULTS.referral_ask_weeks == 1
    assert DEFAULTS.after_interview_cadence == "1m"


def test_settings_accept_the_range_ends() -> None:
    low = RuleSettings(
        second_person_days=0,
        nudge_days=0,
        thank_you_days=0,
        update_days=0,
        referral_ask_weeks=0,
        after_interview_cadence="none",
    )
    high = RuleSettings(
        second_person_days=60,
        nudge_days=60,
        thank_you_days=60,
        update_days=60,
        referral_ask_weeks=12,
        after_interview_cadence="6m",
    )
    low.validate()
    high.validate()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"second_person_days": -1}, "Reach a second person after: .* from 0 to 60"),
        ({"second_person_days": 61}, "Reach a second person after: .* from 0 to 60"),
        ({"nudge_days": 61}, "Nudge once after: .* business days from 0 to 60"),
        ({"thank_you_days": -1}, "Send a thank-you within: .* from 0 to 60"),
        ({"update_days": 100}, "Send a progress update after: .* from 0 to 60"),
        ({"referral_ask_weeks": 13}, "Ask for a referral after: .* weeks from 0 to 12"),
        ({"referral_ask_weeks": -1}, "Ask for a referral after: .* weeks from 0 to 12"),
        ({"nudge_days": 1.5}, "Nudge once after: enter a whole number"),
        ({"nudge_days": "7"}, "Nudge once after: enter a whole number"),
        ({"nudge_days": True}, "Nudge once after: enter a whole number"),
        ({"after_interview_cadence": "2m"}, "Choose a keep-in-touch cadence"),
        ({"after_interview_cadence": ""}, "Choose a keep-in-touch cadence"),
    ],
)
def test_out_of_range_settings_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RuleSettings(**changes)  # type: ignore[arg-type]


# Business days


@pytest.mark.parametrize(
    ("day", "expected"),
    [(MON, True), (FRI, True), (SAT, False), (SUN, False), (NEXT_MON, True)],
)
def test_is_business_day(day: date, expected: bool) -> None:
    assert is_business_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (FRI, 3, date(2026, 12, 2)),  # Friday + 3 = Wednesday
        (SAT, 1, NEXT_MON),  # Saturday + 1 = Monday
        (SUN, 1, NEXT_MON),
        (FRI, 1, NEXT_MON),
        (FRI, 0, FRI),
        (SAT, 0, NEXT_MON),
        (SUN, 0, NEXT_MON),
        (MON, 4, FRI),
        (FRI, 5, date(2026, 12, 4)),
        (WED, 10, date(2026, 12, 9)),
        (date(2026, 12, 31), 1, date(2027, 1, 1)),  # Thursday to Friday across the year
        (date(2027, 1, 1), 1, date(2027, 1, 4)),  # Friday to Monday
    ],
)
def test_business_days_after(start: date, n: int, expected: date) -> None:
    assert business_days_after(start, n) == expected


def test_business_days_after_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        business_days_after(FRI, -1)


# Outreach: the 3B7 routine


def _due_by_kind(planned: list[PlannedFollowUp]) -> dict[str, date]:
    """Map each planned kind to its due date."""
    return {p.kind: p.due for p in planned}


@pytest.mark.parametrize(
    ("sent_on", "second_person_due", "nudge_due"),
    [
        (MON, THU, date(2026, 12, 2)),
        (WED, NEXT_MON, date(2026, 12, 4)),
        (FRI, date(2026, 12, 2), date(2026, 12, 8)),
        (SAT, date(2026, 12, 2), date(2026, 12, 8)),
        (SUN, date(2026, 12, 2), date(2026, 12, 8)),
    ],
    ids=["monday", "wednesday", "friday", "saturday", "sunday"],
)
def test_outreach_plans_3b_and_7b(sent_on: date, second_person_due: date, nudge_due: date) -> None:
    planned = outreach_followups(sent_on, DEFAULTS, "Jane Doe", "Acme")
    assert _due_by_kind(planned) == {"3b": second_person_due, "7b": nudge_due}


def test_outreach_reasons_read_kindly() -> None:
    planned = outreach_followups(FRI, DEFAULTS, "Jane Doe", "Acme")
    assert planned == [
        PlannedFollowUp(
            kind="3b",
            due=date(2026, 12, 2),
            reason="No reply yet from Jane Doe. That is normal: try a second person at Acme.",
        ),
        PlannedFollowUp(kind="7b", due=date(2026, 12, 8), reason="Nudge Jane Doe once, politely."),
    ]


@pytest.mark.parametrize("company", [None, "", "   "])
def test_outreach_without_a_company_plans_only_the_nudge(company: str | None) -> None:
    planned = outreach_followups(FRI, DEFAULTS, "Jane Doe", company)
    assert _due_by_kind(planned) == {"7b": date(2026, 12, 8)}


def test_outreach_uses_the_users_own_numbers() -> None:
    settings = RuleSettings(second_person_days=2, nudge_days=5)
    planned = outreach_followups(THU, settings, "Jane Doe", "Acme")
    assert _due_by_kind(planned) == {"3b": NEXT_MON, "7b": date(2026, 12, 3)}


def test_a_reply_on_the_due_date_closes_both_outreach_followups() -> None:
    planned = outreach_followups(FRI, DEFAULTS, "Jane Doe", "Acme")
    reply_day = date(2026, 12, 2)  # the day the 3B is due
    assert bucket(planned[0].due, reply_day) == "today"
    still_open = [p for p in planned if not closes_on_reply(p.kind)]
    assert still_open == []


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("3b", True),
        ("7b", True),
        ("manual", False),
        ("thank_you", False),
        ("update", False),
        ("referral_ask", False),
        ("keep_in_touch", False),
    ],
)
def test_closes_on_reply(kind: str, expected: bool) -> None:
    assert closes_on_reply(kind) is expected


# After an interview


def test_interview_on_thursday_plans_thanks_update_and_referral() -> None:
    planned = interview_done_followups(THU, DEFAULTS, "Jane Doe")
    assert [p.kind for p in planned] == ["thank_you", "update", "referral_ask"]
    assert _due_by_kind(planned) == {
        "thank_you": FRI,
        "update": date(2026, 12, 3),
        "referral_ask": NEXT_MON,
    }
    assert all("Jane Doe" in p.reason for p in planned)


def test_interview_on_sunday_counts_calendar_days_and_asks_next_monday() -> None:
    planned = interview_done_followups(SUN, DEFAULTS, "Jane Doe")
    assert _due_by_kind(planned) == {
        "thank_you": NEXT_MON,
        "update": date(2026, 12, 6),
        "referral_ask": NEXT_MON,
    }


def test_interview_thank_you_crosses_the_year() -> None:
    planned = interview_done_followups(date(2026, 12, 31), DEFAULTS, "Jane Doe")
    assert _due_by_kind(planned) == {
        "thank_you": date(2027, 1, 1),
        "update": date(2027, 1, 7),
        "referral_ask": date(2027, 1, 4),
    }


def test_referral_ask_two_weeks_later_lands_on_a_monday() -> None:
    settings = RuleSettings(referral_ask_weeks=2)
    planned = interview_done_followups(NEXT_MON, settings, "Jane Doe")
    assert _due_by_kind(planned)["referral_ask"] == date(2026, 12, 14)


@pytest.mark.parametrize(
    ("done_on", "expected"),
    [(WED, WED), (SAT, NEXT_MON)],
    ids=["weekday", "weekend"],
)
def test_referral_ask_with_zero_weeks_is_never_before_the_interview(
    done_on: date, expected: date
) -> None:
    settings = RuleSettings(referral_ask_weeks=0)
    planned = interview_done_followups(done_on, settings, "Jane Doe")
    assert _due_by_kind(planned)["referral_ask"] == expected


def test_interview_with_zero_day_settings_is_due_the_same_day() -> None:
    settings = RuleSettings(thank_you_days=0, update_days=0)
    due = _due_by_kind(interview_done_followups(THU, settings, "Jane Doe"))
    assert (due["thank_you"], due["update"]) == (THU, THU)


@pytest.mark.parametrize(
    ("current", "settings", "expected"),
    [
        ("none", DEFAULTS, "1m"),
        ("3m", DEFAULTS, "3m"),
        ("none", RuleSettings(after_interview_cadence="2w"), "2w"),
    ],
)
def test_cadence_after_interview(current: str, settings: RuleSettings, expected: str) -> None:
    assert cadence_after_interview(current, settings) == expected


def test_cadence_after_interview_refuses_unknown_cadence() -> None:
    with pytest.raises(ValueError, match="Choose a keep-in-touch cadence"):
        cadence_after_interview("weekly", DEFAULTS)


# Cadences and keeping in touch


@pytest.mark.parametrize(
    ("start", "cadence", "expected"),
    [
        (FRI, "1w", date(2026, 12, 4)),
        (FRI, "2w", date(2026, 12, 11)),
        (FRI, "1m", date(2026, 12, 27)),
        (date(2026, 12, 15), "1m", date(2027, 1, 15)),
        (date(2026, 1, 31), "1m", date(2026, 2, 28)),  # 2026 is not a leap year
        (date(2028, 1, 31), "1m", date(2028, 2, 29)),  # 2028 is
        (date(2100, 1, 31), "1m", date(2100, 2, 28)),  # centuries skip the leap day
        (date(2000, 1, 31), "1m", date(2000, 2, 29)),  # unless divisible by 400
        (date(2026, 3, 31), "1m", date(2026, 4, 30)),
        (date(2026, 11, 30), "3m", date(2027, 2, 28)),
        (date(2026, 10, 31), "3m", date(2027, 1, 31)),
        (date(2026, 8, 31), "6m", date(2027, 2, 28)),
        (date(2027, 8, 31), "6m", date(2028, 2, 29)),
        (date(2028, 2, 29), "6m", date(2028, 8, 29)),
        (date(2028, 2, 29), "1w", date(2028, 3, 7)),
        (date(2028, 2, 22), "1w", date(2028, 2, 29)),
        (FRI, "none", None),
    ],
)
def test_add_cadence(start: date, cadence: str, expected: date | None) -> None:
    assert add_cadence(start, cadence) == expected


def test_add_cadence_refuses_unknown_cadence() -> None:
    with pytest.raises(ValueError, match="Choose a keep-in-touch cadence"):
        add_cadence(FRI, "5d")


def test_keep_in_touch_counts_from_the_last_interaction() -> None:
    assert keep_in_touch_due(FRI, "1m", created_on=date(2026, 1, 5)) == date(2026, 12, 27)


def test_keep_in_touch_counts_from_creation_when_never_in_touch() -> None:
    assert keep_in_touch_due(None, "1m", created_on=date(2028, 1, 31)) == date(2028, 2, 29)


def test_keep_in_touch_with_no_cadence_is_never_due() -> None:
    assert keep_in_touch_due(FRI, "none", created_on=MON) is None


@pytest.mark.parametrize(
    ("due", "expected"),
    [(THU, True), (FRI, False), (SAT, False), (None, False)],
    ids=["yesterday", "today", "tomorrow", "no-cadence"],
)
def test_is_losing_touch_only_after_the_due_day(due: date | None, expected: bool) -> None:
    assert is_losing_touch(due, today=FRI) is expected


# Snoozing


@pytest.mark.parametrize(
    ("today", "n", "expected"),
    [
        (FRI, 1, NEXT_MON),  # +1 on Friday = Monday
        (FRI, 3, date(2026, 12, 2)),
        (SAT, 1, NEXT_MON),
        (SUN, 3, date(2026, 12, 2)),
        (THU, 1, FRI),
        (THU, 3, date(2026, 12, 1)),
    ],
)
def test_snooze_business_days(today: date, n: int, expected: date) -> None:
    assert snooze_business_days(today, n) == expected


@pytest.mark.parametrize("n", [0, -1])
def test_snooze_must_move_at_least_one_business_day(n: int) -> None:
    with pytest.raises(ValueError, match="at least one business day"):
        snooze_business_days(FRI, n)


@pytest.mark.parametrize("target", [FRI, SAT, date(2027, 1, 1)])
def test_snooze_to_today_or_later_is_kept(target: date) -> None:
    assert validate_snooze_date(target, today=FRI) == target


@pytest.mark.parametrize("target", [THU, date(2025, 11, 27)])
def test_snooze_to_a_past_date_is_refused(target: date) -> None:
    with pytest.raises(ValueError, match=r"^Pick today or a later date\.$"):
        validate_snooze_date(target, today=FRI)


# Weeks and buckets


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (MON, (MON, SUN)),
        (FRI, (MON, SUN)),
        (SUN, (MON, SUN)),
        (date(2026, 12, 31), (date(2026, 12, 28), date(2027, 1, 3))),
        (date(2028, 2, 29), (date(2028, 2, 28), date(2028, 3, 5))),
    ],
)
def test_week_bounds_run_monday_to_sunday(today: date, expected: tuple[date, date]) -> None:
    assert week_bounds(today) == expected


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (THU, FRI, "overdue"),
        (date(2025, 1, 1), FRI, "overdue"),
        (FRI, FRI, "today"),
        (SAT, FRI, "this_week"),
        (SUN, FRI, "this_week"),  # Sunday ends the week
        (NEXT_MON, FRI, "later"),
        (SUN, MON, "this_week"),
        (date(2026, 11, 22), MON, "overdue"),  # the Sunday before
        (SUN, SUN, "today"),
        (NEXT_MON, SUN, "later"),  # on Sunday, tomorrow is already next week
        (SAT, SUN, "overdue"),
    ],
)
def test_bucket(due: date, today: date, expected: str) -> None:
    assert bucket(due, today) == expected
    assert expected in Due.values()


# Response rate


@pytest.mark.parametrize(
    ("replied", "reached", "expected"),
    [(0, 0, None), (1, 4, 0.25), (3, 3, 1.0), (0, 5, 0.0)],
)
def test_response_rate(replied: int, reached: int, expected: float | None) -> None:
    assert response_rate(replied, reached) == expected


@pytest.mark.parametrize(("replied", "reached"), [(5, 4), (-1, 3), (0, -1)])
def test_response_rate_refuses_impossible_counts(replied: int, reached: int) -> None:
    with pytest.raises(ValueError):
        response_rate(replied, reached)
