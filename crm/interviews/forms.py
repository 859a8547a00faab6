"""Interview forms: schedule and notes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, SubmitField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from crm.models import Interview, column_length

# Prep questions and each notes section (Text columns: the size is ours, not the table's).
TEXT_MAX = 20_000

TIARA_PROMPTS = """\
Trends: What trends are changing your field, and how is your work different from five years ago?
Insights: What surprised you most when you moved into this role?
Advice: If you were in my position, what would you do next?
Resources: Which people, groups, courses or books should I look at?
Assignments: What small project could I take on to test whether this path suits me?"""


class InterviewForm(FlaskForm):
    day = DateField(
        "Date", validators=[DataRequired(message="Enter a real date, like 2026-12-03.")]
    )
    start = TimeField("Time", validators=[DataRequired(message="Enter a time, like 15:30.")])
    duration_minutes = IntegerField(
        "Duration (minutes)",
        default=30,
        validators=[
            DataRequired(message="Enter the length in minutes."),
            NumberRange(min=5, max=480, message="Use 5 to 480 minutes."),
        ],
    )
    location = StringField(
        "Place or video link",
        validators=[Optional(), Length(max=column_length(Interview.location))],
        description="A café address, a phone number, or a meeting link.",
    )
    prep_questions = TextAreaField(
        "Prep questions",
        default=TIARA_PROMPTS,
        validators=[Optional(), Length(max=TEXT_MAX)],
        description="Start from the TIARA prompts and make them yours.",
    )
    submit = SubmitField("Save")


class InterviewNotesForm(FlaskForm):
    career_path = TextAreaField(
        "Career path",
        validators=[Optional(), Length(max=TEXT_MAX)],
        description="How did they get where they are?",
    )
    advice = TextAreaField("Advice", validators=[Optional(), Length(max=TEXT_MAX)])
    resources = TextAreaField("Resources", validators=[Optional(), Length(max=TEXT_MAX)])
    assignments = TextAreaField("Assignments", validators=[Optional(), Length(max=TEXT_MAX)])
    referrals = TextAreaField(
        "Referrals offered",
        validators=[Optional(), Length(max=TEXT_MAX)],
        description="Who they offered to introduce you to.",
    )
    submit = SubmitField("Save notes")
