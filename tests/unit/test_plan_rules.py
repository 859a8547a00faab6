"""The plan's pure rules: title matching, the streak, the check-in rhythm, the week buckets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm.normalize import key_words, title_key, title_words
from crm.plan.progress import bar_chart, per_week, recent_weeks, streak
from crm.plan.role_titles import names_role, role_for_title, title_matches
from crm.plan.rut import RUT_SIGNS, RutSign, check_in_due, signs_from_keys, suggested_check_in

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "title",
    [
        "Product Manager",
        "product manager",
        "PRODUCT MANAGER",
        "Senior Product Manager",
        "Manager, Product",
        "Manager of Product",
        "Sr. Product Mgr",
        "product-manager",
        "Product Managers",
        "Group Product Manager at Acme",
    ],
)
def test_product_manager_is_found_whatever_the_case_order_or_abbreviation(title):
    assert title_matches("Product Manager", title)


@pytest.mark.parametrize(
    "title",
    ["Project Manager", "Product Designer", "Manager", "", None, "Production Manager"],
)
def test_other_titles_are_not_product_managers(title):
    assert not title_matches("Product Manager", title)


def test_accents_do_not_matter_either_way():
    assert title_matches("Ingénieure logiciel", "INGENIEURE LOGICIEL senior")
    assert title_matches("ingenieure logiciel", "Ingénieure Logiciel")
    assert title_matches("Directeur Général", "directeur general adjoint")


def test_an_empty_or_filler_only_role_matches_nobody():
    assert not title_matches("", "Product Manager")
    assert not title_matches("  of the ", "Head of the Lab")
    assert title_words(" of the , ") == frozenset()


def test_words_of_a_title_ignore_punctuation_and_filler():
    assert title_words("Head of R&D, Europe") == {"head", "r", "d", "europe"}


PAIRS = [
    ("Senior Engineer", "Sr. Eng, Platform"),
    ("Product Managers", "product manager"),
    ("Developer", "Dev Lead"),
    ("Ingénieure", "INGENIEURE"),
    ("Product Manager", "Project Manager"),
    ("Engineer", "Engineering Manager"),
    ("Manager", "Head of the Lab"),
]


@pytest.mark.parametrize(("role", "title"), PAIRS)
def test_the_stored_title_key_names_the_same_roles_as_the_title(role, title):
    # The Plan page matches roles against Contact.title_key, never the title itself.
    key = title_key(title)
    assert key is not None
    assert names_role(role, key_words(key)) == title_matches(role, title)


def test_a_title_key_is_its_words_sorted_with_a_space_at_each_end():
    assert title_key("Senior Mgr, Product") == " manager product senior "
    assert title_key("Ingénieure  Logiciel") == " ingenieure logiciel "
    assert title_key(" of the , ") is None
    assert title_key("") is None
    assert title_key(None) is None


def daily(*pairs: tuple[date, int]) -> dict[date, int]:
    return dict(pairs)


def weeks_ago(n: int, day: date = WEDNESDAY) -> date:
    return day - timedelta(weeks=n)


def test_streak_counts_weeks_in_a_row_back_from_last_week():
    outreach = daily((weeks_ago(1), 5), (weeks_ago(2), 3), (weeks_ago(2) + timedelta(1), 2))
    outreach[weeks_ago(3)] = 5
    assert streak(outreach, goal=5, today=WEDNESDAY) == 3


def test_an_unfinished_week_does_not_break_the_streak():
    outreach = daily((weeks_ago(1), 5), (WEDNESDAY, 1))
    assert streak(outreach, goal=5, today=WEDNESDAY) == 1


def test_this_week_counts_once_the_goal_is_met():
    outreach = daily((weeks_ago(1), 5), (WEDNESDAY, 5))
    assert streak(outreach, goal=5, today=WEDNESDAY) == 2


def test_a_week_short_of_the_goal_ends_the_streak():
    outreach = daily((weeks_ago(1), 5), (weeks_ago(2), 4), (weeks_ago(3), 9))
    assert streak(outreach, goal=5, today=WEDNESDAY) == 1


def test_no_outreach_is_no_streak_even_with_a_goal_of_zero():
    assert streak({}, goal=5, today=WEDNESDAY) == 0
    assert streak({}, goal=0, today=WEDNESDAY) == 0
    assert streak(daily((weeks_ago(1), 1)), goal=0, today=WEDNESDAY) == 1


def test_weeks_start_on_monday_for_the_streak():
    monday = date(2026, 11, 23)
    outreach = daily((monday - timedelta(days=1), 3), (monday - timedelta(days=2), 2))
    # Sat and Sun belong to last week: 5 together meet the goal.
    assert streak(outreach, goal=5, today=monday) == 1


def test_the_chart_has_twelve_weeks_ending_this_week():
    weeks = recent_weeks(WEDNESDAY)
    assert len(weeks) == 12
    assert weeks[-1] == date(2026, 11, 23)
    assert all(w.weekday() == 0 for w in weeks)
    counts = per_week({date(2026, 11, 24): 2, date(2026, 11, 29): 1, date(2020, 1, 1): 9}, weeks)
    assert counts[-1] == 3 and sum(counts) == 3


def test_bars_scale_to_the_tallest():
    bars = bar_chart([0, 4, 8], height=40)
    assert [b.height for b in bars] == [0, 20, 40]
    assert bars[2].y == 0 and bars[0].y == 40
    assert [b.height for b in bar_chart([0, 0])] == [0, 0]


def test_a_check_in_is_due_every_four_weeks_on_a_business_day_and_at_once_for_a_new_user():
    assert check_in_due(None, WEDNESDAY) == WEDNESDAY
    assert check_in_due(date(2026, 11, 2), WEDNESDAY) == date(2026, 11, 30)  # Monday to Monday
    # Four weeks after a Saturday check-in is a Saturday: the reminder moves to the Monday.
    assert check_in_due(date(2026, 11, 7), WEDNESDAY) == date(2026, 12, 7)


def test_the_next_check_in_follows_its_reminder_until_the_user_closes_it():
    last = date(2026, 11, 2)
    # Before the first check-in: now.
    assert suggested_check_in(None, WEDNESDAY) == WEDNESDAY
    # The open reminder's date, snoozed or not.
    assert suggested_check_in(last, WEDNESDAY, "open", date(2026, 12, 4)) == date(2026, 12, 4)
    # Done or dismissed: nothing is pressed on the user until they check in again.
    assert suggested_check_in(last, WEDNESDAY, "dismissed", date(2026, 11, 30)) is None
    assert suggested_check_in(last, WEDNESDAY, "done", date(2026, 11, 30)) is None
    # Check-ins older than the reminders: four weeks after the last one.
    assert suggested_check_in(last, WEDNESDAY) == date(2026, 11, 30)


def test_signs_keep_the_method_order_and_drop_unknown_keys():
    assert len(RUT_SIGNS) == 8
    keys = ["no_room", "nonsense", "underpaid", "underpaid", "<script>"]
    assert signs_from_keys(keys) == [RutSign.UNDERPAID, RutSign.NO_ROOM]


def test_role_in_a_message_is_the_target_role_the_title_names_else_the_first():
    from crm.plan.models import TargetRole

    roles = [TargetRole(title="Designer"), TargetRole(title="Product Manager")]
    assert role_for_title(roles, "Senior Manager, Product") == "Product Manager"
    assert role_for_title(roles, "Lead designer") == "Designer"
    assert role_for_title(roles, "Data Analyst") == "Designer"
    assert role_for_title(roles, None) == "Designer"
    assert role_for_title([], "Product Manager") == ""
