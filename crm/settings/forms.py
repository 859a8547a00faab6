"""The settings form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from crm.enums import Cadence
from crm.followups.rules import RULE_NAMES, RULE_NUMBERS, RuleSettings
from crm.forms import TimeZoneField
from crm.ranges import (
    MORNING_EMAIL_HOUR,
    WEEKLY_GOAL,
    Whole,
)


def _days(label: str, description: str, allowed: Whole) -> IntegerField:
    return IntegerField(
        label,
        description=description,
        validators=[
            InputRequired(message="Enter a whole number."),
            NumberRange(min=allowed.low, max=allowed.high, message=allowed.message),
        ],
    )


class SettingsForm(FlaskForm):
    time_zone = TimeZoneField()
    weekly_goal = _days(
        "Weekly outreach goal", "How many people you aim to reach each week.", WEEKLY_GOAL
    )
    # One field per rule number (crm.followups.rules.RULE_NUMBERS) is added below the class.
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
            RuleSettings(**{name: getattr(self, name).data for name in RULE_NAMES})
        except ValueError as error:
            self.form_errors.append(str(error))
            return False
        return True


def _add_rule_fields(form: type[FlaskForm]) -> None:
    """One number field per follow-up rule number, labelled with its unit."""
    for name, rule in RULE_NUMBERS.items():
        allowed = Whole(0, rule.high)
        setattr(form, name, _days(f"{rule.label} ({rule.unit})", rule.help, allowed))


_add_rule_fields(SettingsForm)
