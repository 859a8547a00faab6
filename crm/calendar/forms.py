"""The Calendar page's form: when a follow-up's reminder pops up."""

from flask_wtf import FlaskForm
from wtforms import SubmitField, TimeField
from wtforms.validators import Optional


class ReminderForm(FlaskForm):
    reminder_time = TimeField(
        "Reminder time",
        validators=[Optional()],
        format=["%H:%M", "%H:%M:%S"],
        invalid_value_message="Enter a time of day, like 09:00.",
        description="On the day a follow-up is due. Leave it empty for no reminder.",
    )
    submit = SubmitField("Save reminder time")
