"""Step 5, keeping on track: the weekly goal's streak, the 12-week chart and the wins so far.
A fixed number of statements, each reading only the user's rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Date,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, aliased

from crm.enums import InterviewStatus, OutreachStatus
from crm.models import Contact, Interview, Outreach
from crm.names import display_name
from crm.pipeline import Pipeline, from_counts, stage_counts
from crm.plan import rut
from crm.plan.week_chart import WeekChart, week_chart
from crm.prebuilt import Prebuilt, prebuilt
from crm.referrals.models import Suggestion
from crm.tallies.counters import TallyKind
from crm.tallies.models import Tally
from crm.tallies.services import keyed, total
from crm.words import plural
from crm.workdays import week_start

# The streak looks back at most this far; a longer one reads "52 weeks".
CHART_WEEKS = 12
STREAK_WEEKS = 52
WINS_SHOWN = 5
SERIES = ("Outreach", "Replies", "Interviews", "Referrals")
# The wins so far, each counted with its word for one and for more.
WIN_WORDS = {
    "Replies": ("reply", "replies"),
    "Interviews held": ("interview held", "interviews held"),
    "Referrals": ("referral", "referrals"),
}


def _as_date(value: object) -> date:
    """SQLite's date() gives text, PostgreSQL's a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@prebuilt
def _sent_statement() -> Prebuilt[str, str, int]:
    """Outreach sent per day from first_day up to (not including) end_day, ISO text: the
    "sent" tally's rows, at most one a day whatever the number of messages."""
    days = (
        Tally.key >= bindparam("first_day", type_=String),
        Tally.key < bindparam("end_day", type_=String),
    )
    return Prebuilt(
        keyed(bindparam("user_id"), TallyKind.SENT, *days), "user_id", "first_day", "end_day"
    )


def streak_weeks(user_id: int, today: date) -> dict[date, int]:
    """Outreach per week (by Monday) back to the streak's start (STREAK_WEEKS), this week
    included: one statement over the "sent" tally, at most a row a day."""
    oldest = streak_start(today)
    values = {
        "user_id": user_id,
        "first_day": oldest.isoformat(),
        "end_day": (week_start(today) + timedelta(weeks=1)).isoformat(),
    }
    weeks = {oldest + timedelta(weeks=back): 0 for back in range(STREAK_WEEKS + 1)}
    for _, day, n in _sent_statement().execute(values):
        weeks[week_start(date.fromisoformat(day))] += n
    return weeks


def streak_start(today: date) -> date:
    """The first day the streak and the chart look at."""
    return week_start(today) - timedelta(weeks=STREAK_WEEKS)


@dataclass
class Win:
    day: date
    contact_id: int
    name: str
    what: str


@dataclass
class Progress:
    goal: int
    streak: int
    weeks: list[date]
    series: dict[str, list[int]]
    wins: list[Win] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    # The same numbers as the dashboard's pipeline and the morning email's.
    pipeline: Pipeline | None = None
    # The latest check-in reminder's status and due date (read with the totals).
    check_in_reminder: tuple[str | None, date | None] = (None, None)

    @property
    def this_week(self) -> int:
        return self.series["Outreach"][-1]

    @property
    def win_counts(self) -> list[str]:
        """The wins so far in words: "1 reply", "3 interviews held"."""
        return [plural(n, *WIN_WORDS[label]) for label, n in self.totals.items()]

    @property
    def rows(self) -> list[tuple[date, list[int]]]:
        """The chart as a table: each week with its four numbers."""
        return [(w, [self.series[s][i] for s in SERIES]) for i, w in enumerate(self.weeks)]

    @property
    def chart(self) -> WeekChart:
        """The weeks as bars over a labelled scale, laid out for the page's SVG."""
        return week_chart(self.weeks, self.series)


def _not_suggested() -> ColumnElement[bool]:
    """The contact is no suggested name (those count from the suggestion table)."""
    return ~exists().where(Suggestion.contact_id == Contact.id)


def _suggested_day() -> ColumnElement[date]:
    """The UTC day a name was suggested."""
    return func.date(Suggestion.created_at)


def _created_day() -> ColumnElement[date]:
    """The UTC day a contact was added (SQLite's date() gives text, read back as a date)."""
    return func.date(Contact.created_at)


@prebuilt
def _series_statement() -> Prebuilt[str, str, int]:
    """Outreach sent and replies per day from the first Monday (their tallies: a row a day,
    however many messages), and interviews held and referrals per day since then (start,
    the first Monday; since, its midnight in UTC): built once. Days come back as ISO text on
    both databases. Their totals so far are _totals_statement's."""
    user: BindParameter[int] = bindparam("user_id")
    days = (
        Tally.key >= bindparam("first_day", type_=String),
        Tally.key < bindparam("end_day", type_=String),
    )
    start = bindparam("start", type_=Date)
    held, introduced, suggested = _win_conditions(user)
    statement: CompoundSelect[str, str, int] = union_all(
        keyed(user, TallyKind.SENT, *days),
        keyed(user, TallyKind.REPLIED_ON, *days),
        select(literal("Interviews"), _day_text(Interview.done_on), func.count())
        .where(*held, Interview.done_on >= start)
        .group_by(Interview.done_on),
        select(literal("Referrals"), _day_text(_created_day()), func.count())
        .where(*introduced, Contact.created_at >= bindparam("since"))
        .group_by(_created_day()),
        select(literal("Referrals"), _day_text(_suggested_day()), func.count())
        .where(*suggested, Suggestion.created_at >= bindparam("since"))
        .group_by(_suggested_day()),
    )
    return Prebuilt(statement, "user_id", "since", "start", "first_day", "end_day")


# The series' names for the tallies _series_statement reads.
_TALLY_SERIES = {TallyKind.SENT.value: "Outreach", TallyKind.REPLIED_ON.value: "Replies"}


def _day_text(day: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[str]:
    """A day as ISO text, as the tallies key days (PostgreSQL's dates print so by default)."""
    return cast(day, String)


def _win_conditions(
    user_id: BindParameter[int],
) -> tuple[tuple[ColumnElement[bool], ...], ...]:
    """What counts as an interview held and a referral, for the chart and the totals (a
    reply is the tallies' "replies" and "replied_on", crm.tallies.counters). Each referred
    name counts once: an introduction typed on the contact form, or a name suggested in an
    interview (counted from its suggestion)."""
    return (
        (Interview.user_id == user_id, Interview.status == InterviewStatus.DONE),
        (Contact.user_id == user_id, Contact.introduced_by_id.is_not(None), _not_suggested()),
        (Suggestion.user_id == user_id,),
    )


@prebuilt
def _totals_statement() -> Prebuilt[*tuple[Any, ...]]:
    """The wins so far (replies, interviews held, referrals), the check-in reminder's status
    and due date, and the pipeline's counts, in one row: built once."""
    user_id: BindParameter[int] = bindparam("user_id")
    held, _, suggested = _win_conditions(user_id)
    # Introduced people count once: those also suggested count from their suggestion.
    introduced_and_suggested = (
        select(func.count(func.distinct(Suggestion.contact_id)))
        .join(Contact, Contact.id == Suggestion.contact_id)
        .where(*suggested, Contact.introduced_by_id.is_not(None))
        .scalar_subquery()
    )
    wins = [
        total(user_id, TallyKind.REPLIES),
        select(func.count(Interview.id)).where(*held).scalar_subquery(),
        total(user_id, TallyKind.INTRODUCED)
        - introduced_and_suggested
        + select(func.count(Suggestion.id)).where(*suggested).scalar_subquery(),
    ]
    reminder = rut.check_in_reminder(user_id)
    return Prebuilt(select(*wins, *reminder, *stage_counts(user_id)), "user_id")


@dataclass(frozen=True)
class Totals:
    wins: dict[str, int]
    check_in_reminder: tuple[str | None, date | None]
    pipeline: Pipeline


def _totals(user_id: int) -> Totals:
    """The wins so far by their words, the check-in reminder and the pipeline (one statement)."""
    row = _totals_statement().execute({"user_id": user_id}).one()
    wins = dict(zip(WIN_WORDS, (n or 0 for n in row[:3]), strict=True))
    return Totals(wins, (row[3], _as_date(row[4]) if row[4] else None), from_counts(row[5:]))


def _daily_series(user_id: int, weeks: list[date]) -> dict[str, dict[date, int]]:
    """The chart's four series (outreach by week, the others by day)."""
    params: dict[str, object] = {
        "user_id": user_id,
        "since": datetime.combine(weeks[0], time.min, UTC),
        "start": weeks[0],
        "first_day": weeks[0].isoformat(),
        "end_day": (weeks[-1] + timedelta(weeks=1)).isoformat(),
    }
    rows = _series_statement().execute(params).all()
    daily: dict[str, dict[date, int]] = {name: {} for name in SERIES}
    for kind, day, n in rows:
        series = _TALLY_SERIES.get(kind, kind)
        # Referrals come in two rows a day (introductions and suggestions): they add up.
        daily[series][_as_date(day)] = daily[series].get(_as_date(day), 0) + n
    return daily


def build_progress(user_id: int, goal: int, today: date) -> Progress:
    """Streak, the four weekly series for the last 12 weeks, and the latest wins."""
    weeks = recent_weeks(today)
    daily = _daily_series(user_id, weeks)
    totals = _totals(user_id)
    series = {name: per_week(daily[name], weeks) for name in SERIES}
    by_week = dict(zip(weeks, series["Outreach"], strict=True))
    if all(n >= max(goal, 1) for n in series["Outreach"][:-1]):
        # A streak as long as the chart: read the weeks before it too.
        by_week = {**streak_weeks(user_id, today), **by_week}
    return Progress(
        goal=goal,
        streak=streak(by_week, goal, today),
        weeks=weeks,
        series=series,
        wins=_wins(user_id),
        totals=totals.wins,
        pipeline=totals.pipeline,
        check_in_reminder=totals.check_in_reminder,
    )


def _win_columns(
    day: ColumnElement[Any] | QueryableAttribute[Any],
    what: str,
    introducer: type[Contact] | None = None,
) -> tuple[ColumnElement[Any] | QueryableAttribute[Any], ...]:
    """The columns every kind of win shows: its day, what happened, and who (and for a
    referral, who introduced them)."""
    no_name = literal(None, String)
    return (
        day.label("day"),
        literal(what).label("what"),
        Contact.id,
        Contact.first_name,
        Contact.last_name,
        (introducer.first_name if introducer is not None else no_name).label("by_first"),
        (introducer.last_name if introducer is not None else no_name).label("by_last"),
    )


@prebuilt
def _wins_statement() -> Prebuilt[*tuple[Any, ...]]:
    """The latest WINS_SHOWN replies, interviews held and referrals each: built once."""
    user_id: BindParameter[int] = bindparam("user_id")
    introducer = aliased(Contact)
    replies = (
        select(*_win_columns(Outreach.reply_on, "replied"))
        .join(Contact, Contact.id == Outreach.contact_id)
        .where(
            Outreach.user_id == user_id,
            Outreach.status == OutreachStatus.REPLIED,
            Outreach.reply_on.is_not(None),
        )
        .order_by(Outreach.reply_on.desc(), Outreach.id.desc())
    )
    held = (
        select(*_win_columns(Interview.done_on, "talked with you about their path"))
        .join(Contact, Contact.id == Interview.contact_id)
        .where(
            Interview.user_id == user_id,
            Interview.status == InterviewStatus.DONE,
            Interview.done_on.is_not(None),
        )
        .order_by(Interview.done_on.desc(), Interview.id.desc())
    )
    referred = (
        select(*_win_columns(_created_day(), "introduced by", introducer))
        .join(introducer, introducer.id == Contact.introduced_by_id)
        .where(Contact.user_id == user_id, Contact.introduced_by_id.is_not(None), _not_suggested())
        .order_by(Contact.created_at.desc(), Contact.id.desc())
    )
    suggested = (
        select(*_win_columns(func.date(Suggestion.created_at), "suggested by", introducer))
        .join(Contact, Contact.id == Suggestion.contact_id)
        .join(Interview, Interview.id == Suggestion.interview_id)
        .join(introducer, introducer.id == Interview.contact_id)
        .where(Suggestion.user_id == user_id)
        .order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
    )
    kinds = (replies, held, referred, suggested)
    latest = [kind.limit(WINS_SHOWN).subquery() for kind in kinds]
    return Prebuilt(union_all(*(select(*sub.c) for sub in latest)), "user_id")


def _wins(user_id: int) -> list[Win]:
    """The latest replies, interviews held and referrals, newest first (one statement)."""
    rows = _wins_statement().execute({"user_id": user_id}).all()
    wins = []
    for day, what, cid, first, last, by_first, by_last in rows:
        if what in ("introduced by", "suggested by"):
            what = f"{what} {display_name(by_first, by_last)}"
        wins.append(Win(_as_date(day), cid, display_name(first, last), what))
    wins.sort(key=lambda w: w.day, reverse=True)
    return wins[: WINS_SHOWN * 2]


# --- The streak and the chart (pure) ----------------------------------------------


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
