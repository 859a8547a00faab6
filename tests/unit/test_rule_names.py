"""The follow-up rule names come from one dataclass: the user's columns, the settings form
and the backup all follow it."""

from dataclasses import fields

from crm.backup.services import SETTINGS
from crm.followups.rules import (
    MAX_REFERRAL_ASK_WEEKS,
    RULE_NAMES,
    RULE_NUMBERS,
    RuleSettings,
)
from crm.models import User
from crm.settings.forms import SettingsForm


def test_rule_names_follow_the_settings_dataclass() -> None:
    assert RULE_NAMES == (
        "second_person_days",
        "nudge_days",
        "thank_you_days",
        "update_days",
        "referral_ask_weeks",
        "history_days",
        "after_interview_cadence",
    )
    assert set(RULE_NUMBERS) == set(RULE_NAMES) - {"after_interview_cadence"}
    assert RULE_NUMBERS["referral_ask_weeks"].high == MAX_REFERRAL_ASK_WEEKS


def test_every_rule_is_a_column_of_the_user_with_the_same_default() -> None:
    columns = User.__table__.columns
    for rule in fields(RuleSettings):
        assert rule.name in columns, f"User has no column for the rule {rule.name}"
        assert columns[rule.name].default.arg == rule.default, rule.name


def test_every_rule_is_on_the_settings_form_and_in_the_backup() -> None:
    for name in RULE_NAMES:
        assert hasattr(SettingsForm, name), name
        assert name in SETTINGS, name
    assert SettingsForm.nudge_days.args == ("Nudge once after (business days)",)
