"""Checking each value of a backup as the forms check it (crm/ranges.py), before it is written.

A value that does not fit raises BackupError naming the row and the field.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, Time
from sqlalchemy.types import TypeEngine

from crm import clock, ranges
from crm.backup.archive import BackupError
from crm.enums import (
    Cadence,
    Channel,
    FollowUpKind,
    FollowUpState,
    ImportFormat,
    InterviewStatus,
    Network,
    OutreachStatus,
    Permission,
    Source,
    TemplateKind,
    Words,
)
from crm.followups.rules import RULE_NUMBERS, RuleSettings

# Columns that hold one of a list of words: the forms offer only those.
WORDS: dict[tuple[str, str], type[Words]] = {
    ("contact", "network"): Network,
    ("contact", "source"): Source,
    ("contact", "cadence"): Cadence,
    ("outreach", "channel"): Channel,
    ("outreach", "status"): OutreachStatus,
    ("interview", "status"): InterviewStatus,
    ("follow_up", "kind"): FollowUpKind,
    ("follow_up", "status"): FollowUpState,
    ("import_batch", "format"): ImportFormat,
    ("import_batch", "network"): Network,
    ("message_template", "kind"): TemplateKind,
    ("suggestion", "permission"): Permission,
    ("user", "after_interview_cadence"): Cadence,
}
_WORD_VALUES = {key: frozenset(words.values()) for key, words in WORDS.items()}
# Whole numbers with a narrower range than any count (the settings form's and the interview
# form's); every other whole number is a count or an id.
WHOLES: dict[tuple[str, str], ranges.Whole] = {
    ("user", "weekly_goal"): ranges.WEEKLY_GOAL,
    **{("user", name): ranges.Whole(0, rule.high) for name, rule in RULE_NUMBERS.items()},
    ("user", "morning_email_hour"): ranges.MORNING_EMAIL_HOUR,
    ("interview", "duration_minutes"): ranges.INTERVIEW_MINUTES,
}


class _Wrong(ValueError):
    """A value of the wrong kind for its column."""


def _is_moment(kind: TypeEngine[Any]) -> bool:
    return isinstance(kind, DateTime | Date | Time) or isinstance(
        getattr(kind, "impl", None), DateTime
    )


def _moment(kind: TypeEngine[Any], value: Any) -> date | datetime | time:
    """An ISO 8601 date, time, or aware date and time."""
    try:
        if isinstance(kind, Date):
            return date.fromisoformat(value)
        if isinstance(kind, Time):
            return time.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Wrong from None
    if moment.tzinfo is None:
        raise _Wrong
    return moment


def _exactly(*kinds: type) -> Callable[[TypeEngine[Any], Any], Any]:
    def parse(kind: TypeEngine[Any], value: Any) -> Any:
        # bool is an int subclass: True is not a number, nor 1 a flag.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise _Wrong
        return value

    return parse


# How a JSON value becomes what each kind of column stores, in the order they are tried.
_PARSERS: list[tuple[Callable[[TypeEngine[Any]], bool], Callable[[TypeEngine[Any], Any], Any]]] = [
    (_is_moment, _moment),
    (lambda kind: isinstance(kind, Boolean), _exactly(bool)),
    (lambda kind: isinstance(kind, Integer), _exactly(int)),
    (lambda kind: isinstance(kind, String), _exactly(str)),
    (lambda kind: isinstance(kind, JSON), lambda kind, value: value),
]


@functools.cache
def _parser(kind: TypeEngine[Any]) -> Callable[[TypeEngine[Any], Any], Any] | None:
    """The parser for one column type, found once: a restore parses millions of values."""
    return next((parse for matches, parse in _PARSERS if matches(kind)), None)


def needs_value(column: Column[Any]) -> bool:
    """Whether a row must give the column a value: it is not nullable and not the row's own
    id (which the restore gives anew), a link table's keys included."""
    return not column.nullable and column.name != "id"


@dataclass(frozen=True)
class ValueCheck:
    """How one column's values are parsed and checked, worked out once per column: a
    restore checks millions of values, and each asked its column the same questions."""

    table: str
    column: Column[Any]
    parse: Callable[[TypeEngine[Any], Any], Any] | None
    words: frozenset[str] | None
    whole: ranges.Whole
    length: int | None

    @classmethod
    def of(cls, table: str, column: Column[Any]) -> ValueCheck:
        key = (table, column.name)
        length = getattr(column.type, "length", None)
        whole = WHOLES.get(key, ranges.COUNT)
        return cls(table, column, _parser(column.type), _WORD_VALUES.get(key), whole, length)

    def __call__(self, value: Any, where: str, today: date) -> Any:
        """The value as the column stores it; BackupError when the forms would refuse it."""
        name = self.column.name
        if value is None:
            if needs_value(self.column):
                raise BackupError(f"{where}: {name} is missing.")
            return None
        try:
            if self.parse is None:
                raise _Wrong
            parsed = self.parse(self.column.type, value)
        except _Wrong:
            raise BackupError(f"{where}: {name} has a value of the wrong kind.") from None
        problem = self._problem(parsed, today)
        if problem is not None:
            separator = " " if problem.startswith("is ") else ": "
            raise BackupError(f"{where}: {name}{separator}{problem}")
        return parsed

    def _problem(self, value: Any, today: date) -> str | None:
        """What the forms would say about this value, or None when they would take it."""
        if isinstance(value, date):
            if (self.table, self.column.name) == ("interview", "starts_at"):
                return ranges.interview_day_problem(value.date(), today)  # type: ignore[attr-defined]
            return ranges.date_problem(value)
        if self.words is not None and value not in self.words:
            words = WORDS[(self.table, self.column.name)]
            return "Choose one of " + ", ".join(words.values()) + "."
        if isinstance(value, int) and not isinstance(value, bool):
            return self.whole.problem(value)
        if self.length is not None and isinstance(value, str) and len(value) > self.length:
            return f"is longer than {self.length} characters."
        return None


def parse_value(table: str, column: Column[Any], value: Any, where: str, today: date) -> Any:
    """Turn one JSON value into what the column stores; BackupError when the forms would
    refuse it."""
    return ValueCheck.of(table, column)(value, where, today)


def today() -> date:
    """The day the interview window is seen from."""
    return clock.now().date()


def check_rule_settings(settings: dict[str, Any]) -> None:
    """The settings form's checks across fields (crm.followups.rules)."""
    names = RuleSettings.__dataclass_fields__
    try:
        RuleSettings(**{name: value for name, value in settings.items() if name in names})
    except ValueError as error:
        raise BackupError(f"account settings: {error}") from None
