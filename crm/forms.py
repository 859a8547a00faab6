"""Forms and fields shared by several features."""

import json
from datetime import timedelta
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField as WTFormsDateField
from wtforms import Field, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from crm import clock
from crm.ranges import date_problem
from crm.timezones import UTC, aliases, canonical, grouped_choices


class ConfirmForm(FlaskForm):
    """An empty form: gives one-button POSTs (delete, log out) their CSRF token."""


def _zone_choices() -> list[SelectChoice]:
    """The zones as <option>s inside an <optgroup> per region."""
    return [
        SelectChoice(value, label, optgroup=region)
        for region, zones in grouped_choices().items()
        for value, label in zones
    ]


class TimeZoneField(SelectField):
    """Canonical time zones grouped by region; an old alias (US/Eastern) reads as its zone."""

    def __init__(self, label: str = "Time zone", **kwargs: Any) -> None:
        # The alias table lets timezone.js choose the browser's zone when it uses an old name.
        render_kw = {"data-aliases": json.dumps(aliases(), separators=(",", ":"))}
        super().__init__(label, choices=_zone_choices(), default=UTC, render_kw=render_kw, **kwargs)

    def process_data(self, value: Any) -> None:
        """A stored alias shows its canonical zone selected."""
        super().process_data(canonical(value) or value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        """A posted alias is saved as its canonical zone."""
        super().process_formdata(valuelist)
        posted: str | None = getattr(self, "data", None)  # untyped in WTForms
        self.data = canonical(posted) or posted

    def pre_validate(self, form: Any) -> None:
        """Refuse a zone that is not in the list, in plain words."""
        listed: list[SelectChoice] = list(self.choices or [])
        if self.data not in {choice.value for choice in listed}:
            raise ValidationError("Pick a time zone from the list.")

    def keep(self, current: str | None) -> None:
        """Keep a zone the user has that is not in the list (e.g. Etc/GMT+5) selectable."""
        if current and canonical(current) is None:
            self.choices = [
                *_zone_choices(),
                SelectChoice(current, current, optgroup="Your current setting"),
            ]


def example_date() -> str:
    """A date for "like …" in a message: a week from today, so it is never in the past."""
    return (clock.today_in(None) + timedelta(days=7)).isoformat()


def real_date_message(what: str = "a real date") -> str:
    return f"Enter {what}, like {example_date()}."


class RealDate:
    """A date is required; its message's example is a date to come (DataRequired, with the
    example written when the message is)."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Field) -> None:
        if field.data:
            return
        field.errors[:] = []
        raise StopValidation(real_date_message())


class DateField(WTFormsDateField):
    """A date in the window every date of the app lies in (crm/ranges.py): a year 9999 date
    once broke the calendar download, the feed and the backup."""

    def pre_validate(self, form: Any) -> None:
        problem = self.data is not None and date_problem(self.data)
        if problem:
            raise ValidationError(problem)
