"""The method's words and its pure rules: rut signs, strategic questions, obstacle suggestions,
title matching and the streak. No Flask, no database: tested with plain values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from crm.enums import FollowUpState
from crm.followups.rules import next_business_day
from crm.normalize import title_words

CHECK_IN_EVERY = timedelta(weeks=4)
CHART_WEEKS = 12


class RutSign(StrEnum):
    """The eight signs of a career rut, stored by these keys."""

    UNDERPAID = "underpaid"
    NOT_PASSIONATE = "not_passionate"
    NOT_CHALLENGED = "not_challenged"
    NO_ROOM = "no_room"
    BROKEN_PROMISES = "broken_promises"
    NO_OFFER = "no_offer"
    NOT_ASKING = "not_asking"
    GOLDEN_HANDCUFFS = "golden_handcuffs"


RUT_SIGNS: dict[RutSign, str] = {
    RutSign.UNDERPAID: "I'm being underpaid for what I do",
    RutSign.NOT_PASSIONATE: "I'm not passionate about what I do",
    RutSign.NOT_CHALLENGED: "I'm not challenged in my role",
    RutSign.NO_ROOM: "There's no room to grow in my organisation",
    RutSign.BROKEN_PROMISES: (
        "I've been promised a raise or promotion several times, and it never happens"
    ),
    RutSign.NO_OFFER: (
        "I've been looking for over six months and interviewing, but never reach an offer"
    ),
    RutSign.NOT_ASKING: "I haven't asked for what I deserve, for fear of being turned down",
    RutSign.GOLDEN_HANDCUFFS: (
        "I'm in golden handcuffs: I don't believe I could earn the same in my ideal role elsewhere"
    ),
}


class Question(StrEnum):
    """The six strategic questions, stored by these keys."""

    CLEAR = "clear"
    NEXT_STEPS = "next_steps"
    HOW_TO_CHANGE = "how_to_change"
    SKILLS = "skills"
    LEARNED = "learned"
    WHO = "who"


QUESTIONS: dict[Question, str] = {
    Question.CLEAR: ("What's clear to me right now about what I can do to get out of this rut?"),
    Question.NEXT_STEPS: "What do I understand about the next steps I can take?",
    Question.HOW_TO_CHANGE: "What do I know about how to change?",
    Question.SKILLS: "What experience and skills do I have?",
    Question.LEARNED: "What have I learned in my career that will help me now?",
    Question.WHO: "Who do I know that I could connect with to help me?",
}

OBSTACLE_SUGGESTIONS = (
    "I don't have enough experience",
    "I don't have enough education or certifications",
    "I'm not good at interviewing",
    "I'm not good at networking",
    "My resume needs too much work",
    "I didn't go to the right school",
    "I'm too old to change careers",
    "I don't know anyone in that field",
    "I can't afford to take a pay cut",
    "I've been out of work too long",
)


def signs_from_keys(keys: Iterable[str]) -> list[RutSign]:
    """The known signs among stored or posted keys, in the method's order, each once."""
    wanted = set(keys)
    return [sign for sign in RutSign if sign.value in wanted]


CHECK_IN_REASON = (
    "Four weeks since your last check-in: tick the signs that are true today "
    "and see what has changed."
)


def check_in_due(last_check_in: date | None, today: date) -> date:
    """When the next rut check-in is due: today when there was none, else four weeks on,
    moved off a weekend like every follow-up."""
    if last_check_in is None:
        return today
    return next_business_day(last_check_in + CHECK_IN_EVERY)


def next_check_in(
    last_check_in: date | None,
    today: date,
    reminder_status: str | None = None,
    reminder_due: date | None = None,
) -> date | None:
    """When to suggest the next check-in, given the user's latest check-in reminder (the
    follow-up a check-in plans): its due date while open (a snooze moves it); None once the
    user marked it done or dismissed it, until they check in again; four weeks after the last
    check-in when there is no reminder; today before the first check-in."""
    if last_check_in is None:
        return today
    if reminder_status == FollowUpState.OPEN and reminder_due is not None:
        return reminder_due
    if reminder_status is not None:
        return None
    return check_in_due(last_check_in, today)


# --- Title matching -------------------------------------------------------------------


def title_matches(role: str | None, title: str | None) -> bool:
    """Whether a contact's title names the role: every word of the role is in the title,
    so "Product Manager" matches "Senior Manager, Product" and "product-manager"."""
    return names_role(role, title_words(title))


def names_role(role: str | None, words: frozenset[str]) -> bool:
    """Whether a title of these words (title_words, or the words of a stored title key)
    names the role."""
    wanted = title_words(role)
    return bool(wanted) and wanted <= words


# --- Keeping on track ------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def recent_weeks(today: date, count: int = CHART_WEEKS) -> list[date]:
    """The Mondays of the last `count` weeks, oldest first, this week last."""
    this_monday = week_start(today)
    return [this_monday - timedelta(weeks=back) for back in range(count - 1, -1, -1)]


def per_week(days: Mapping[date, int], weeks: list[date]) -> list[int]:
    """Daily counts summed into the given weeks (Mondays); days outside them are ignored."""
    totals = dict.fromkeys(weeks, 0)
    for day, count in days.items():
        monday = week_start(day)
        if monday in totals:
            totals[monday] += count
    return [totals[monday] for monday in weeks]


def streak(daily: Mapping[date, int], goal: int, today: date) -> int:
    """Weeks in a row the outreach goal was met, counting back from last week.

    This week counts once it is met, but an unfinished week never breaks the streak: on a
    Monday, last week's run still stands. A week with no outreach never counts, whatever
    the goal."""
    need = max(goal, 1)
    totals: dict[date, int] = {}
    for day, count in daily.items():
        totals[week_start(day)] = totals.get(week_start(day), 0) + count
    this_monday = week_start(today)
    count = 1 if totals.get(this_monday, 0) >= need else 0
    monday = this_monday - timedelta(weeks=1)
    while totals.get(monday, 0) >= need:
        count += 1
        monday -= timedelta(weeks=1)
    return count


@dataclass(frozen=True)
class WeekBar:
    """One bar of the 12-week chart, placed in SVG units."""

    x: float
    y: float
    height: float
    value: int


def bar_chart(
    values: list[int], height: float = 60.0, width: float = 12.0, gap: float = 4.0
) -> list[WeekBar]:
    """Bars for a small server-drawn chart: the tallest value fills the height."""
    top = max(values, default=0) or 1
    bars = []
    for index, value in enumerate(values):
        bar_height = round(height * value / top, 1)
        bars.append(
            WeekBar(index * (width + gap), round(height - bar_height, 1), bar_height, value)
        )
    return bars
