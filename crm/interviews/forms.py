"""Interview forms: schedule and notes."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from crm import clock
from crm.forms import DateField, RealDate
from crm.models import Interview, column_length
from crm.ranges import INTERVIEW_MINUTES, interview_day_problem

# Prep questions and each notes section (Text columns: the size is ours, not the table's).
TEXT_MAX = 20_000

TIARA_PROMPTS = """\
Trends: What trends are changing your field, and how is your work different from five years ago?
Insights: What surprised you most when you moved into this role?
Advice: If you were in my position, what would you do next?
Resources: Which people, groups, courses or books should I look at?
Assignments: What small project could I take on to test whether this path suits me?"""


class InterviewForm(FlaskForm):
    day = DateField("Date", validators=[RealDate()])
    start = TimeField("Time", validators=[DataRequired(message="Enter a time, like 15:30.")])
    duration_minutes = IntegerField(
        "Duration (minutes)",
        default=30,
        validators=[
            DataRequired(message="Enter the length in minutes."),
            NumberRange(
                min=INTERVIEW_MINUTES.low,
                max=INTERVIEW_MINUTES.high,
                message=f"Use {INTERVIEW_MINUTES.low} to {INTERVIEW_MINUTES.high} minutes.",
            ),
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

    def validate_day(self, field: Any) -> None:
        """Interviews lie within a few years of today (crm/ranges.py)."""
        problem = field.data and interview_day_problem(field.data, clock.now().date())
        if problem:
            raise ValidationError(problem)


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
