"""Dashboard numbers: each one query, whatever the size of the user's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, distinct, func, select

from crm.extensions import db
from crm.followups import rules
from crm.followups.services import open_followups
from crm.interviews.services import upcoming
from crm.models import Contact, FollowUp, Interview, JobChange, Outreach, User
from crm.normalize import NETWORKS

DASHBOARD_LIST = 10


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
    open_counts: dict[str, int]
    interviews: list[Interview]
    week_outreach: int
    weekly_goal: int
    rates: list[NetworkRate]
    overall: NetworkRate
    pipeline: list[tuple[str, int]] = field(default_factory=list)
    losing_touch: int = 0
    job_changes: int = 0

    @property
    def goal_percent(self) -> int:
        if self.weekly_goal <= 0:
            return 100
        return min(100, round(100 * self.week_outreach / self.weekly_goal))


def response_by_network(user_id: int) -> list[NetworkRate]:
    """People reached and people who replied, per network."""
    replied_contact = case((Outreach.status == "replied", Outreach.contact_id))
    rows = db.session.execute(
        select(
            Contact.network,
            func.count(distinct(Outreach.contact_id)),
            func.count(distinct(replied_contact)),
        )
        .join(Contact, Contact.id == Outreach.contact_id)
        .where(Outreach.user_id == user_id)
        .group_by(Contact.network)
    ).all()
    found = {network: NetworkRate(network, reached, replied) for network, reached, replied in rows}
    return [found.get(network, NetworkRate(network, 0, 0)) for network in NETWORKS]


def build_dashboard(user: User, today: date, now: datetime) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    uid = user.id
    groups = open_followups(uid, today, names=("overdue", "today"))
    monday, sunday = rules.week_bounds(today)
    week_outreach = db.session.scalar(
        select(func.count(Outreach.id)).where(
            Outreach.user_id == uid, Outreach.sent_on >= monday, Outreach.sent_on <= sunday
        )
    )
    rates = response_by_network(uid)
    overall = NetworkRate("all", sum(r.reached for r in rates), sum(r.replied for r in rates))
    contact_count, referred, losing = db.session.execute(
        select(
            func.count(Contact.id),
            func.count(distinct(Contact.introduced_by_id)),
            func.count(Contact.id).filter(Contact.keep_in_touch_due < today),
        ).where(Contact.user_id == uid)
    ).one()
    interviewed = db.session.scalar(
        select(func.count(distinct(Interview.contact_id))).where(
            Interview.user_id == uid, Interview.status == "done"
        )
    )
    job_changes = db.session.scalar(
        select(func.count(JobChange.id)).where(
            JobChange.user_id == uid, JobChange.seen_on >= today - timedelta(days=30)
        )
    )
    return Dashboard(
        today=today,
        contact_count=contact_count,
        overdue=groups.groups["overdue"][:DASHBOARD_LIST],
        due_today=groups.groups["today"][:DASHBOARD_LIST],
        open_counts=groups.counts,
        interviews=upcoming(uid, now, limit=5),
        week_outreach=week_outreach or 0,
        weekly_goal=user.weekly_goal,
        rates=rates,
        overall=overall,
        pipeline=[
            ("Contacts", contact_count),
            ("Reached out", overall.reached),
            ("Replied", overall.replied),
            ("Interviewed", interviewed or 0),
            ("Referred you on", referred),
        ],
        losing_touch=losing,
        job_changes=job_changes or 0,
    )
