"""The dashboard's "Next step in your plan": the one most useful thing to do now, and the
streak. Each check runs only when the ones before it found nothing to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select

from crm.plan import progress, reach, roles, rut
from crm.plan.models import Obstacle, ObstacleProof, RutCheckIn
from crm.prebuilt import Prebuilt, prebuilt


@dataclass
class NextStep:
    """What to do, why, and where: `anchor` is a place on the Plan page."""

    text: str
    why: str
    anchor: str
    action: str


@dataclass
class PlanCard:
    step: NextStep | None
    streak: int
    goal: int
    to_reach: list[reach.ToReach] = field(default_factory=list)


@prebuilt
def _first_steps_statement() -> Prebuilt[*tuple[Any, ...]]:
    """The last check-in, the check-in reminder's status and due date, and the first open
    obstacle with nobody linked."""
    user_id: BindParameter[int] = bindparam("user_id")
    has_proof = select(ObstacleProof.id).where(ObstacleProof.obstacle_id == Obstacle.id).exists()
    unproven = (
        select(Obstacle.id, Obstacle.text)
        .where(Obstacle.user_id == user_id, Obstacle.resolved_on.is_(None), ~has_proof)
        .order_by(Obstacle.created_at, Obstacle.id)
        .limit(1)
        .subquery()
    )
    last_check_in = (
        select(func.max(RutCheckIn.checked_on))
        .where(RutCheckIn.user_id == user_id)
        .scalar_subquery()
    )
    statement = select(
        last_check_in,
        *rut.check_in_reminder(user_id),
        select(unproven.c.id).scalar_subquery(),
        select(unproven.c.text).scalar_subquery(),
    )
    return Prebuilt(statement, "user_id")


def _first_steps(user_id: int, today: date) -> NextStep | None:
    """A check-in due, or else the first open obstacle with nobody linked (one statement)."""
    row = _first_steps_statement().execute({"user_id": user_id}).one()
    last, reminder_status, reminder_due, obstacle_id, obstacle_text = row
    if last is None:
        return NextStep(
            "Check in: are you in a rut?",
            "Eight quick questions. Noticing the rut is the first step out of it.",
            "rut",
            "Check in",
        )
    due = rut.suggested_check_in(last, today, reminder_status, reminder_due)
    if due is not None and due <= today:
        return NextStep(
            "Time for your four-weekly check-in",
            f"Your last one was {(today - last).days} days ago. See what has changed.",
            "rut",
            "Check in",
        )
    if obstacle_id is not None:
        return NextStep(
            f"Who got there despite “{obstacle_text}”?",
            "Link someone you know who proves it need not stop you.",
            f"obstacle-{obstacle_id}",
            "Find someone",
        )
    return None


def _role_step(user_id: int) -> NextStep | None:
    wanted = roles.target_roles(user_id)
    for view in roles.role_views(user_id, wanted):
        if not view.known:
            return NextStep(
                f"Find someone who is a {view.role.title}",
                "Ask friends, family, colleagues and alumni who knows one.",
                f"role-{view.role.id}",
                "See the role",
            )
    if not wanted:
        return NextStep(
            "Name a role you want",
            "Then see who you already know in it, and ask about their path.",
            "roles",
            "Add a role",
        )
    return None


def plan_card(user_id: int, goal: int, today: date, outreach: dict[date, int]) -> PlanCard:
    """The next step (check-in due, an obstacle with no proof, a role with nobody, people to
    reach), the streak (from the outreach per day or week the dashboard read) and the people
    picked to reach."""
    to_reach = [r for r in reach.people_to_reach(user_id, limit=5) if r.reached_on is None]
    step = _first_steps(user_id, today)
    if step is None and to_reach:
        person = to_reach[0].entry.contact
        step = NextStep(
            f"Reach out to {person.full_name}",
            "You picked them as someone who could help. A short note about their path is enough.",
            "reach",
            "See your list",
        )
    step = step or _role_step(user_id)
    return PlanCard(step, progress.streak(outreach, goal, today), goal, to_reach)
