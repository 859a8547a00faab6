"""The plan's reads and writes. Writes flush; the views commit. Every query is scoped to
one user, and every page's reads are a fixed number of statements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.orm import QueryableAttribute, aliased, contains_eager, joinedload

from crm.enums import FollowUpKind
from crm.extensions import db
from crm.followups.services import plan_check_in
from crm.models import Contact, FollowUp, Outreach
from crm.normalize import fold, name_key, squash
from crm.plan import method
from crm.plan.models import (
    Obstacle,
    ObstacleProof,
    PersonToReach,
    RutCheckIn,
    StrategicAnswer,
    TargetRole,
)
from crm.prebuilt import prebuilt
from crm.search import LIKE_ESCAPE, like_pattern, prefix_pattern

CHECK_IN_HISTORY = 12
NAME_SUGGESTIONS = 100


class PlanError(ValueError):
    """A plan change that cannot be made; the message says why, in the user's words."""


# --- 1. Am I in a rut? ---------------------------------------------------------------------


def save_check_in(user_id: int, sign_keys: Iterable[str], today: date) -> RutCheckIn:
    """Record today's check-in (a second one the same day replaces the first) and plan the
    next one four weeks on, as a follow-up of its own kind."""
    signs = method.signs_from_keys(sign_keys)
    check_in = db.session.scalar(
        select(RutCheckIn).where(RutCheckIn.user_id == user_id, RutCheckIn.checked_on == today)
    )
    if check_in is None:
        check_in = RutCheckIn(user_id=user_id, checked_on=today)
        db.session.add(check_in)
    check_in.signs = ",".join(signs)
    plan_check_in(user_id, method.check_in_due(today, today), method.CHECK_IN_REASON)
    db.session.flush()
    return check_in


def check_in_reminder(
    user_id: int | ColumnElement[int],
) -> tuple[ScalarSelect[str], ScalarSelect[date]]:
    """The status and due date of the user's latest check-in reminder, as scalar subqueries
    (for crm.plan.method.next_check_in), to read in one statement with other things; the user
    is an id, or a bindparam in a statement built once."""

    def latest(column: QueryableAttribute[Any]) -> ScalarSelect[Any]:
        return (
            select(column)
            .where(FollowUp.user_id == user_id, FollowUp.kind == FollowUpKind.CHECK_IN)
            .order_by(FollowUp.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    return latest(FollowUp.status), latest(FollowUp.due_on)


@prebuilt
def _check_in_reminder_statement() -> Select[str, date]:
    """check_in_reminder's two answers (bound: user_id): built once."""
    return select(*check_in_reminder(bindparam("user_id")))


def next_check_in(user_id: int, last_check_in: date | None, today: date) -> date | None:
    """When the Plan page suggests the next check-in (one statement)."""
    reminder = db.session.execute(_check_in_reminder_statement(), {"user_id": user_id})
    status, due = reminder.one()
    return method.next_check_in(last_check_in, today, status, due)


@prebuilt
def _check_ins_statement() -> Select[RutCheckIn]:
    """The latest CHECK_IN_HISTORY check-ins, newest first (bound: user_id): built once."""
    return (
        select(RutCheckIn)
        .where(RutCheckIn.user_id == bindparam("user_id"))
        .order_by(RutCheckIn.checked_on.desc())
        .limit(CHECK_IN_HISTORY)
    )


def recent_check_ins(user_id: int) -> list[RutCheckIn]:
    """The latest check-ins, newest first."""
    return list(db.session.scalars(_check_ins_statement(), {"user_id": user_id}))


# --- 2. Obstacles and the people who disprove them ------------------------------------------


def add_obstacle(user_id: int, text: str) -> Obstacle:
    """Add an obstacle; the same words twice (ignoring case and spaces) are one obstacle."""
    text = squash(text)
    if not text:
        raise PlanError("Write the obstacle in a few words, or pick one of the suggestions.")
    key = name_key(text)
    existing = db.session.scalar(
        select(Obstacle).where(Obstacle.user_id == user_id, Obstacle.text_key == key)
    )
    if existing is not None:
        if existing.resolved_on is None:
            raise PlanError("That obstacle is already on your list.")
        existing.resolved_on = None  # it is back: show it again
        db.session.flush()
        return existing
    obstacle = Obstacle(user_id=user_id, text=text, text_key=key)
    db.session.add(obstacle)
    db.session.flush()
    return obstacle


@dataclass
class NameLookup:
    contact: Contact | None = None
    error: str | None = None


def find_contact_by_name(user_id: int, typed: str | None) -> NameLookup:
    """One of the user's contacts from a typed full name, ignoring case, accents and spacing
    (and "Last First" order), or, when several match so, the one written exactly as typed;
    a clear message when there is none or several."""
    shown = squash(typed)
    key = " ".join(fold(shown).split())
    if not key:
        return NameLookup(error="Type the person's name, as it is in your contacts.")
    # search_text starts with the folded first and last name; sort_name is "last first".
    candidates = db.session.scalars(
        select(Contact)
        .where(
            Contact.user_id == user_id,
            or_(
                Contact.search_text.like(prefix_pattern(key), escape=LIKE_ESCAPE),
                Contact.sort_name == key,
            ),
        )
        .limit(50)
    ).all()

    found = [c for c in candidates if key in _name_orders(fold(c.first_name), fold(c.last_name))]
    if not found:
        return NameLookup(
            error=f"No contact is named “{shown[:100]}”. Pick a name from the list, "
            "or add them as a contact first."
        )
    if len(found) > 1:  # "Jose Ramirez" and "José Ramírez": the one written as typed
        found = [c for c in found if shown in _name_orders(c.first_name, c.last_name)] or found
    if len(found) > 1:
        return NameLookup(
            error=f"Several contacts are named “{shown[:100]}”. Link the right one from "
            "their contact page, or tell them apart by name first."
        )
    return NameLookup(contact=found[0])


def _name_orders(first: str, last: str) -> set[str]:
    """A full name, squashed, first name first and last name first."""
    first, last = squash(first), squash(last)
    return {f"{first} {last}".strip(), f"{last} {first}".strip()}


def link_proof(obstacle: Obstacle, contact: Contact) -> bool:
    """Link a contact as proof against an obstacle; False when already linked. An obstacle
    that no longer holds the user back takes no more proof (PlanError)."""
    if obstacle.resolved_on is not None:
        raise PlanError(
            f"“{obstacle.text}” no longer holds you back: bring it back on your plan "
            "to link someone to it."
        )
    if any(proof.contact_id == contact.id for proof in obstacle.proofs):
        return False
    obstacle.proofs.append(ObstacleProof(user_id=obstacle.user_id, contact=contact))
    db.session.flush()
    return True


@prebuilt
def _obstacles_statement() -> Select[Obstacle]:
    """Every obstacle, open ones first, with its proof (bound: user_id): built once."""
    return (
        select(Obstacle)
        .where(Obstacle.user_id == bindparam("user_id"))
        .options(joinedload(Obstacle.proofs).joinedload(ObstacleProof.contact))
        .order_by(Obstacle.resolved_on.is_not(None), Obstacle.created_at, Obstacle.id)
    )


def obstacles_with_proof(user_id: int) -> list[Obstacle]:
    """Every obstacle, open ones first, with its proof contacts loaded (one statement)."""
    rows = db.session.scalars(_obstacles_statement(), {"user_id": user_id})
    return list(rows.unique())


def obstacles_for_contact(user_id: int, contact_id: int) -> list[tuple[Obstacle, bool]]:
    """Every obstacle, each with whether this contact is linked as proof against it (one
    statement, for their contact page)."""
    linked = (
        select(ObstacleProof.id)
        .where(ObstacleProof.obstacle_id == Obstacle.id, ObstacleProof.contact_id == contact_id)
        .exists()
    )
    stmt = (
        select(Obstacle, linked)
        .where(Obstacle.user_id == user_id)
        .order_by(Obstacle.created_at, Obstacle.id)
    )
    return [(obstacle, bool(is_linked)) for obstacle, is_linked in db.session.execute(stmt)]


@prebuilt
def _names_statement(words: int, limit: int) -> Select[str, str]:
    """The first `limit` names, in the list's order, whose search text holds each of
    `words` words (bound: user_id; w0, w1 .. the words' LIKE patterns): built once each."""
    stmt = select(Contact.first_name, Contact.last_name).where(
        Contact.user_id == bindparam("user_id")
    )
    for n in range(words):
        stmt = stmt.where(Contact.search_text.like(bindparam(f"w{n}"), escape=LIKE_ESCAPE))
    return stmt.order_by(Contact.sort_name, Contact.id).limit(limit)


def name_suggestions(user_id: int, typed: str = "", limit: int = NAME_SUGGESTIONS) -> list[str]:
    """Contact names to suggest as the user types, in the list's name order (its index)."""
    words = fold(typed).split()[:5]
    params: dict[str, object] = {"user_id": user_id}
    params.update({f"w{n}": like_pattern(word) for n, word in enumerate(words)})
    names: list[str] = []
    for first, last in db.session.execute(_names_statement(len(words), limit), params):
        name = f"{first} {last}".strip()
        if name and name not in names:
            names.append(name)
    return names


# --- 3. Strategic questions -------------------------------------------------------------


@dataclass
class Answer:
    question: method.Question
    text: str
    current: StrategicAnswer | None
    versions: int


@prebuilt
def _answers_statement() -> Select[StrategicAnswer, int]:
    """Each question's newest answer with its number of versions (bound: user_id): built
    once."""
    user_id: BindParameter[int] = bindparam("user_id")
    newest = (
        select(func.max(StrategicAnswer.id))
        .where(StrategicAnswer.user_id == user_id)
        .group_by(StrategicAnswer.question)
    )
    older = aliased(StrategicAnswer)
    versions = (
        select(func.count(older.id))
        .where(older.user_id == user_id, older.question == StrategicAnswer.question)
        .correlate(StrategicAnswer)
        .scalar_subquery()
    )
    return select(StrategicAnswer, versions).where(
        StrategicAnswer.user_id == user_id, StrategicAnswer.id.in_(newest)
    )


def current_answers(user_id: int) -> list[Answer]:
    """Each question with its newest answer and how many versions it has (one statement)."""
    rows = {
        answer.question: (answer, count)
        for answer, count in db.session.execute(_answers_statement(), {"user_id": user_id})
    }
    return [Answer(q, method.QUESTIONS[q], *rows.get(q.value, (None, 0))) for q in method.Question]


def save_answers(user_id: int, answers: dict[str, str], today: date) -> int:
    """Keep a new dated version of each answer that changed; return how many changed."""
    current = {a.question.value: a.current for a in current_answers(user_id)}
    changed = 0
    for question in method.Question:
        body = (answers.get(question.value) or "").strip()
        before = current.get(question.value)
        if body == (before.body if before else ""):
            continue
        db.session.add(
            StrategicAnswer(user_id=user_id, question=question.value, body=body, saved_on=today)
        )
        changed += 1
    db.session.flush()
    return changed


def answer_history(user_id: int, question: method.Question) -> list[StrategicAnswer]:
    """Every saved version of one answer, newest first."""
    stmt = (
        select(StrategicAnswer)
        .where(StrategicAnswer.user_id == user_id, StrategicAnswer.question == question.value)
        .order_by(StrategicAnswer.id.desc())
    )
    return list(db.session.scalars(stmt))


def add_person_to_reach(user_id: int, contact: Contact, today: date) -> bool:
    """Put a contact on the "People to reach" list; False when already on it."""
    if on_reach_list(user_id, contact):
        return False
    db.session.add(PersonToReach(user_id=user_id, contact_id=contact.id, added_on=today))
    db.session.flush()
    return True


def on_reach_list(user_id: int, contact: Contact) -> bool:
    """Whether the contact is on the user's People to reach list."""
    entry = select(PersonToReach.id).where(
        PersonToReach.user_id == user_id, PersonToReach.contact_id == contact.id
    )
    return db.session.scalar(entry) is not None


@dataclass
class ToReach:
    entry: PersonToReach
    reached_on: date | None


@prebuilt
def _to_reach_statement(limit: int) -> Select[PersonToReach, date | None]:
    """The people picked to reach with their latest outreach (bound: user_id). The dashboard
    sends it on every visit, so it is built once."""
    user_id: BindParameter[int] = bindparam("user_id")
    last_outreach = (
        select(func.max(Outreach.sent_on))
        .where(Outreach.contact_id == PersonToReach.contact_id, Outreach.user_id == user_id)
        .correlate(PersonToReach)
        .scalar_subquery()
    )
    reached = and_(last_outreach.is_not(None), last_outreach >= PersonToReach.added_on)
    return (
        select(PersonToReach, last_outreach)
        .join(PersonToReach.contact)
        .options(contains_eager(PersonToReach.contact))
        .where(PersonToReach.user_id == user_id)
        .order_by(reached, PersonToReach.added_on, PersonToReach.id)
        .limit(limit)
    )


def people_to_reach(user_id: int, limit: int = 20) -> list[ToReach]:
    """The people picked to reach, those not yet reached first, with their latest outreach."""
    rows = []
    for entry, sent_on in db.session.execute(_to_reach_statement(limit), {"user_id": user_id}):
        rows.append(ToReach(entry, sent_on if sent_on and sent_on >= entry.added_on else None))
    return rows


@dataclass
class ContactInPlan:
    """What a contact's page shows of the plan, and offers to add them to: the doubts they
    disprove and the open ones they could, the roles they hold (by title or tagged by hand)
    and those they could be counted in, and whether they are on the People to reach list."""

    disproves: list[Obstacle]
    could_disprove: list[Obstacle]
    roles: list[tuple[TargetRole, bool]]
    could_hold: list[TargetRole]
    to_reach: bool


def contact_in_plan(user_id: int, contact: Contact) -> ContactInPlan:
    """For the contact page (called as a plain function; four statements)."""
    from crm.plan.roles import roles_of_contact  # roles builds on this module

    obstacles = obstacles_for_contact(user_id, contact.id)
    held, could_hold = roles_of_contact(user_id, contact)
    return ContactInPlan(
        disproves=[o for o, linked in obstacles if linked],
        could_disprove=[o for o, linked in obstacles if not linked and o.resolved_on is None],
        roles=held,
        could_hold=could_hold,
        to_reach=on_reach_list(user_id, contact),
    )
