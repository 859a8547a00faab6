"""The home page and the dashboard: what to do next, from follow-ups, interviews and the plan.

Each number is one query, whatever the size of the user's data; the counts over all of it
come from tallies kept as the data changes (crm.tallies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    String,
    bindparam,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import contains_eager

from crm import clock
from crm.enums import Due, FollowUpKind, Network
from crm.followups import rules
from crm.followups.services import colleagues_for, open_followups
from crm.interviews.services import to_wrap_up, upcoming
from crm.messages.services import followup_messages
from crm.models import FollowUp, Interview, JobChange, User
from crm.pipeline import Pipeline, pipeline
from crm.plan.next_step import PlanCard, plan_card
from crm.plan.progress import streak_weeks
from crm.prebuilt import Prebuilt, prebuilt
from crm.tallies.counters import TallyKind
from crm.tallies.services import keyed, losing_touch_row
from crm.workdays import week_start

bp = Blueprint("main", __name__)

DASHBOARD_LIST = 10
# "Due now": the five most overdue and the first five of today, each a full row with its
# buttons; the Follow-ups page has the rest. "Coming up": the next five after today.
DUE_NOW = 5
COMING_UP = 5


@dataclass
class NetworkRate:
    network: str
    reached: int
    replied: int

    @property
    def percent(self) -> int | None:
        rate = rules.response_rate(self.replied, self.reached)
        return None if rate is None else round(rate * 100)


@dataclass
class Dashboard:
    today: date
    contact_count: int
    overdue: list[FollowUp]
    due_today: list[FollowUp]
    next_up: list[FollowUp]
    open_counts: dict[str, int]
    interviews: list[Interview]
    wrap_up: list[Interview]
    week_outreach: int
    weekly_goal: int
    rates: list[NetworkRate]
    overall: NetworkRate
    pipeline: Pipeline | None = None
    losing_touch: int = 0
    job_changes: int = 0
    latest_changes: list[JobChange] = field(default_factory=list)
    # The Plan's next step, streak and people to reach (crm.plan asked for its part).
    plan: PlanCard | None = None

    @property
    def goal_percent(self) -> int:
        if self.weekly_goal <= 0:
            return 100
        return min(100, round(100 * self.week_outreach / self.weekly_goal))


@dataclass
class ContactStats:
    """Per-network counts from one pass over the user's contacts."""

    rates: list[NetworkRate]
    contacts: int
    losing_touch: int


@prebuilt
def _contact_stats_statement() -> Prebuilt[str, str, int]:
    """Contacts, people reached and those of them who replied, per network, and the
    contacts past their keep-in-touch day, all from their tallies (crm.tallies): a few rows
    whatever the number of contacts. Each row names its kind; the last sums the days
    before `today` (ISO text, as the tally keys days)."""
    user_id: BindParameter[int] = bindparam("user_id")
    losing = losing_touch_row(user_id, bindparam("today", type_=String))
    statement: CompoundSelect[str, str, int] = union_all(
        *(keyed(user_id, kind) for kind in _BY_NETWORK), losing
    )
    return Prebuilt(statement, "user_id", "today")


# The tallies _contact_stats_statement reads by network, and the one it sums by day.
_ALL, _REACHED, _REACHED_REPLIED = TallyKind.CONTACTS, TallyKind.REACHED, TallyKind.REACHED_REPLIED
_BY_NETWORK = (_ALL, _REACHED, _REACHED_REPLIED)
_LOSING = TallyKind.KEEP_IN_TOUCH


def contact_stats(user_id: int, today: date) -> ContactStats:
    """Contacts, and people reached and people who replied per network, and the contacts
    losing touch, in one statement."""
    values = {"user_id": user_id, "today": today.isoformat()}
    counts: dict[str, dict[str, int]] = {kind: {} for kind in (*_BY_NETWORK, _LOSING)}
    for kind, network, n in _contact_stats_statement().execute(values):
        counts[kind][network] = n
    reached, replied = counts[_REACHED], counts[_REACHED_REPLIED]
    return ContactStats(
        rates=[NetworkRate(n, reached.get(n, 0), replied.get(n, 0)) for n in Network.values()],
        contacts=sum(counts[_ALL].values()),
        losing_touch=counts[_LOSING].get("", 0),
    )


@prebuilt
def _job_changes_statement() -> Prebuilt[int]:
    """The job changes seen in the last 30 days."""
    return Prebuilt(
        select(func.count(JobChange.id)).where(*_recent_changes(bindparam("user_id"))),
        "user_id",
        "since",
    )


def job_changes_count(user_id: int, today: date) -> int:
    """Job changes seen in the last 30 days."""
    params = {"user_id": user_id, "since": _changes_since(today)}
    return _job_changes_statement().scalars(params).one() or 0


def _changes_since(today: date) -> date:
    """The dashboard counts and lists the job changes seen in the last 30 days."""
    return today - timedelta(days=30)


def _recent_changes(user_id: ColumnElement[int]) -> tuple[ColumnElement[bool], ...]:
    return (JobChange.user_id == user_id, JobChange.seen_on >= bindparam("since"))


@prebuilt
def _latest_changes_statement() -> Prebuilt[JobChange]:
    """The latest job changes seen, their contacts loaded."""
    statement = (
        select(JobChange)
        .join(JobChange.contact)
        .options(contains_eager(JobChange.contact))
        .where(*_recent_changes(bindparam("user_id")))
        .order_by(JobChange.seen_on.desc(), JobChange.id.desc())
        .limit(DASHBOARD_LIST)
    )
    return Prebuilt(statement, "user_id", "since")


def build_dashboard(user: User, today: date, now: datetime) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    uid = user.id
    # Due now, and coming up (this week's, then later ones): one statement for all four lists.
    groups = open_followups(
        uid,
        today,
        limits={
            Due.OVERDUE: DUE_NOW,
            Due.TODAY: DUE_NOW,
            Due.THIS_WEEK: COMING_UP,
            Due.LATER: COMING_UP,
        },
    )
    # One read of the "sent" tally serves this week's count and the plan card's streak.
    weeks = streak_weeks(uid, today)
    week_outreach = weeks[week_start(today)]
    stats = contact_stats(uid, today)
    rates = stats.rates
    overall = NetworkRate("all", sum(r.reached for r in rates), sum(r.replied for r in rates))
    contact_count, losing = stats.contacts, stats.losing_touch
    latest_changes = (
        _latest_changes_statement().scalars({"user_id": uid, "since": _changes_since(today)}).all()
    )
    return Dashboard(
        today=today,
        contact_count=contact_count,
        overdue=groups.groups[Due.OVERDUE],
        due_today=groups.groups[Due.TODAY],
        next_up=[*groups.groups[Due.THIS_WEEK], *groups.groups[Due.LATER]][:COMING_UP],
        open_counts=groups.counts,
        interviews=upcoming(uid, now, limit=5),
        wrap_up=to_wrap_up(uid, now),
        week_outreach=week_outreach or 0,
        weekly_goal=user.weekly_goal,
        rates=rates,
        overall=overall,
        pipeline=pipeline(uid),
        losing_touch=losing,
        job_changes=job_changes_count(uid, today),
        latest_changes=list(latest_changes),
        plan=plan_card(uid, user.weekly_goal, today, weeks),
    )


@bp.route("/")
def home() -> ResponseReturnValue:
    """Logged-in users go to their dashboard; visitors see what the app is for."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/home.html")


@bp.route("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    """The morning page: what to do next."""
    today = clock.user_today(current_user)
    dashboard = build_dashboard(current_user, today, clock.now())
    shown = [*dashboard.overdue, *dashboard.due_today, *dashboard.next_up]
    return render_template(
        "main/dashboard.html",
        d=dashboard,
        colleagues=colleagues_for(current_user.id, shown),
        messages=followup_messages(current_user, shown),
        plan=dashboard.plan,
        kind_labels=FollowUpKind.labels(),
        user_zone=clock.user_zone(current_user),
    )
