"""Tests for the follow-up rules; every expected date was checked against a calendar."""

from datetime import date, timedelta

import pytest

from crm.enums import Cadence, Due, FollowUpKind
from crm.followups.rules import (
    PlannedFollowUp,
    RuleSettings,
    add_cadence,
    bucket,
    cadence_after_interview,
    closes_on_reply,
    interview_done_followups,
    is_losing_touch,
    keep_in_touch_due,
    outreach_followups,
    response_rate,
    snooze_business_days,
    validate_snooze_date,
)
from crm.workdays import business_days_after, is_business_day, week_bounds

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
        "check_in",
        "reach",
        "tell_referrer",
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
        "check_in": "Check in on your rut",
        "reach": "Reach a suggested person",
        "tell_referrer": "Close the loop",
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


@pytest.mark.parametrize("offset", range(7))
@pytest.mark.parametrize("days", [0, 1, 3, 5, 7, 10])
def test_outreach_followups_are_never_due_at_the_weekend(offset: int, days: int) -> None:
    sent_on = MON + timedelta(days=offset)
    settings = RuleSettings(second_person_days=days, nudge_days=days)
    planned = outreach_followups(sent_on, settings, "Jane Doe", "Acme")
    assert all(is_business_day(p.due) for p in planned)


def test_outreach_on_sunday_with_zero_days_is_due_on_monday() -> None:
    settings = RuleSettings(second_person_days=0, nudge_days=0)
    planned = outreach_followups(SUN, settings, "Jane Doe", "Acme")
    assert _due_by_kind(planned) == {"3b": NEXT_MON, "7b": NEXT_MON}


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


@pytest.mark.parametrize(
    ("done_on", "expected"),
    [
        # Friday: the thank-you rolls from Saturday to Monday; the ask takes the Tuesday.
        (
            FRI,
            {"thank_you": NEXT_MON, "update": date(2026, 12, 4), "referral_ask": date(2026, 12, 1)},
        ),
        # Saturday and Sunday: the update's Saturday/Sunday rolls to the Monday after.
        (
            SAT,
            {"thank_you": NEXT_MON, "update": date(2026, 12, 7), "referral_ask": date(2026, 12, 1)},
        ),
        (
            SUN,
            {"thank_you": NEXT_MON, "update": date(2026, 12, 7), "referral_ask": date(2026, 12, 1)},
        ),
    ],
    ids=["friday", "saturday", "sunday"],
)
def test_interview_at_the_weekend_plans_each_step_on_its_own_business_day(
    done_on: date, expected: dict[str, date]
) -> None:
    planned = interview_done_followups(done_on, DEFAULTS, "Jane Doe")
    assert _due_by_kind(planned) == expected


@pytest.mark.parametrize("offset", range(14))
@pytest.mark.parametrize(
    "settings",
    [
        DEFAULTS,
        RuleSettings(thank_you_days=0, update_days=0, referral_ask_weeks=0),
        RuleSettings(thank_you_days=2, update_days=1, referral_ask_weeks=0),
        RuleSettings(thank_you_days=5, update_days=5, referral_ask_weeks=1),
        RuleSettings(thank_you_days=1, update_days=14, referral_ask_weeks=2),
    ],
    ids=["defaults", "all-zero", "update-before-thanks", "same-day", "spread"],
)
def test_after_any_interview_the_thank_you_comes_first_and_no_two_share_a_day(
    offset: int, settings: RuleSettings
) -> None:
    done_on = MON + timedelta(days=offset)
    due = _due_by_kind(interview_done_followups(done_on, settings, "Jane Doe"))
    assert all(is_business_day(d) for d in due.values())
    assert due["thank_you"] < due["update"]
    assert due["thank_you"] < due["referral_ask"]
    assert due["update"] != due["referral_ask"]


@pytest.mark.parametrize("offset", range(7))
def test_with_default_settings_the_thank_you_is_due_by_the_next_business_day(offset: int) -> None:
    done_on = MON + timedelta(days=offset)
    due = _due_by_kind(interview_done_followups(done_on, DEFAULTS, "Jane Doe"))
    assert due["thank_you"] == business_days_after(done_on, 1)


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
    # After the thank-you (Thursday; Monday), on a day of its own.
    [(WED, FRI), (SAT, date(2026, 12, 1))],
    ids=["weekday", "weekend"],
)
def test_referral_ask_with_zero_weeks_comes_after_the_thank_you(
    done_on: date, expected: date
) -> None:
    settings = RuleSettings(referral_ask_weeks=0)
    planned = interview_done_followups(done_on, settings, "Jane Doe")
    assert _due_by_kind(planned)["referral_ask"] == expected


def test_interview_with_zero_day_settings_thanks_the_same_day_and_updates_the_next() -> None:
    settings = RuleSettings(thank_you_days=0, update_days=0)
    due = _due_by_kind(interview_done_followups(THU, settings, "Jane Doe"))
    assert (due["thank_you"], due["update"]) == (THU, FRI)


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
    # A month after Fri 27 Nov is Sun 27 Dec: due the Monday after.
    assert keep_in_touch_due(FRI, "1m", created_on=date(2026, 1, 5)) == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("last", "cadence", "expected"),
    [
        (SAT, "1w", date(2026, 12, 7)),  # Sat 5 Dec -> Mon 7 Dec
        (SUN, "2w", date(2026, 12, 14)),  # Sun 13 Dec -> Mon 14 Dec
        (date(2026, 10, 28), "1m", NEXT_MON),  # Sat 28 Nov -> Mon 30 Nov
        (date(2026, 8, 29), "3m", NEXT_MON),  # Sun 29 Nov -> Mon 30 Nov
        (date(2026, 6, 28), "6m", date(2026, 12, 28)),  # Mon 28 Dec stays
        (WED, "1w", date(2026, 12, 2)),  # a weekday stays
    ],
)
def test_keep_in_touch_cadences_landing_on_a_weekend_move_to_monday(
    last: date, cadence: str, expected: date
) -> None:
    due = keep_in_touch_due(last, cadence, created_on=date(2026, 1, 5))
    assert due == expected
    assert due is not None and is_business_day(due)


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


@pytest.mark.parametrize("target", [FRI, NEXT_MON, date(2027, 1, 1)])
def test_snooze_to_today_or_a_later_weekday_is_kept(target: date) -> None:
    assert validate_snooze_date(target, today=FRI) == target


@pytest.mark.parametrize(
    ("target", "today"),
    [(SAT, FRI), (SUN, FRI), (SAT, SAT), (SUN, SUN)],
    ids=["saturday", "sunday", "saturday-on-saturday", "sunday-on-sunday"],
)
def test_snooze_to_a_weekend_day_lands_on_the_monday(target: date, today: date) -> None:
    assert validate_snooze_date(target, today=today) == NEXT_MON


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
        (SUN, FRI, "this_week"),
        (NEXT_MON, FRI, "this_week"),  # the next seven days, not the calendar week
        (date(2026, 12, 4), FRI, "this_week"),  # the seventh day after today
        (date(2026, 12, 5), FRI, "later"),
        (SUN, MON, "this_week"),
        (date(2026, 11, 22), MON, "overdue"),  # the Sunday before
        (SUN, SUN, "today"),
        # On a Sunday, "This week" holds Monday to Friday's items (and Sunday's a week on).
        (NEXT_MON, SUN, "this_week"),
        (date(2026, 12, 4), SUN, "this_week"),
        (date(2026, 12, 6), SUN, "this_week"),
        (date(2026, 12, 7), SUN, "later"),
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
