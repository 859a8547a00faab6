"""The Plan page's forms: each field has its visible label and a length limit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from crm.models import Company, column_length
from crm.plan.models import Obstacle, TargetRole
from crm.plan.questions import QUESTIONS
from crm.plan.rut import RUT_SIGNS

NAME_MAX = 200
ANSWER_MAX = 10_000
OBSTACLE_MAX = column_length(Obstacle.text)
ROLE_MAX = column_length(TargetRole.title)
COMPANY_MAX = column_length(Company.name)


class CheckInForm(FlaskForm):
    signs = SelectMultipleField(
        "Which of these are true for you today?",
        choices=[SelectChoice(sign.value, text) for sign, text in RUT_SIGNS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # unknown keys are dropped by the service, not an error
    )
    submit = SubmitField("Save check-in")


class ObstacleForm(FlaskForm):
    text = StringField(
        "Obstacle",
        validators=[
            DataRequired(message="Write the obstacle in a few words, or pick a suggestion."),
            Length(max=OBSTACLE_MAX, message=f"Keep it under {OBSTACLE_MAX} characters."),
        ],
    )
    submit = SubmitField("Add")


class NameForm(FlaskForm):
    """A contact picked by name: the proof of an obstacle, a person to reach, a role's holder."""

    name = StringField(
        "Who got there despite this?",
        validators=[
            DataRequired(message="Type the person's name, as it is in your contacts."),
            Length(max=NAME_MAX, message="That is longer than any name in your contacts."),
        ],
    )


class AnswersForm(FlaskForm):
    submit = SubmitField("Save answers")


for _question, _text in QUESTIONS.items():
    setattr(
        AnswersForm,
        _question.value,
        TextAreaField(
            _text, validators=[Length(max=ANSWER_MAX, message="Keep it under 10,000 characters.")]
        ),
    )


class RoleForm(FlaskForm):
    title = StringField(
        "Role",
        validators=[
            DataRequired(message="Write the role's title, like Product Manager."),
            Length(max=ROLE_MAX, message=f"Keep the title under {ROLE_MAX} characters."),
        ],
        description="A job title you want, like Product Manager.",
    )
    submit = SubmitField("Add role")


class EmployerForm(FlaskForm):
    company = StringField(
        "Target employer",
        validators=[
            DataRequired(message="Write the company's name."),
            Length(max=COMPANY_MAX, message=f"Keep the name under {COMPANY_MAX} characters."),
        ],
    )
    submit = SubmitField("Star as a target")
