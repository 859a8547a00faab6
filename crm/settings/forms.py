"""The settings form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from crm.enums import Cadence
from crm.followups.rules import RuleSettings
from crm.forms import TimeZoneField
from crm.ranges import (
    BUSINESS_DAYS,
    MORNING_EMAIL_HOUR,
    REFERRAL_ASK_WEEKS,
    WEEKLY_GOAL,
    Whole,
)


def _days(label: str, description: str, allowed: Whole = BUSINESS_DAYS) -> IntegerField:
    return IntegerField(
        label,
        description=description,
        validators=[
            InputRequired(message="Enter a whole number."),
            NumberRange(min=allowed.low, max=allowed.high, message=allowed.message),
        ],
    )


# The fields that are follow-up rule numbers (crm.followups.rules.RuleSettings).
RULE_FIELDS = (
    "second_person_days",
    "nudge_days",
    "thank_you_days",
    "update_days",
    "referral_ask_weeks",
    "after_interview_cadence",
)


class SettingsForm(FlaskForm):
    time_zone = TimeZoneField()
    weekly_goal = _days(
        "Weekly outreach goal", "How many people you aim to reach each week.", WEEKLY_GOAL
    )
    second_person_days = _days(
        "Reach a second person after (business days)",
        "With no reply, try someone else at the same company.",
    )
    nudge_days = _days("Nudge once after (business days)", "One polite nudge to the same person.")
    thank_you_days = _days(
        "Send a thank-you within (days)",
        "After an informational interview. A weekend date moves to the Monday.",
    )
    update_days = _days(
        "Send a progress update after (days)",
        "Tell them how you used their advice. Always on a later day than the thank-you.",
    )
    referral_ask_weeks = _days(
        "Ask for a referral after (weeks)",
        "Counted from the Monday of the interview's week.",
        REFERRAL_ASK_WEEKS,
    )
    after_interview_cadence = SelectField(
        "Keep in touch after an interview",
        choices=[SelectChoice(value, label) for value, label in Cadence.choices()],
    )
    morning_email = BooleanField("Email me what is due each morning")
    morning_email_hour = SelectField(
        "Send it at",
        choices=[
            SelectChoice(hour, f"{hour:02d}:00")
            for hour in range(MORNING_EMAIL_HOUR.low, MORNING_EMAIL_HOUR.high + 1)
        ],
        coerce=int,
        description="In your time zone. Only on days when something is due.",
    )
    submit = SubmitField("Save")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.keep(getattr(kwargs.get("obj"), "time_zone", None))

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Each field's checks, then the rules' own across fields (crm.followups.rules)."""
        if not super().validate(extra_validators):
            return False
        try:
            RuleSettings(**{name: getattr(self, name).data for name in RULE_FIELDS})
        except ValueError as error:
            self.form_errors.append(str(error))
            return False
        return True
