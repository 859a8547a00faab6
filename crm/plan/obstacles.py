"""Step 2, obstacles: the doubts the user believes hold them back, and the contacts who got
there despite them (the proof). Writes flush; views commit."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.models import Contact
from crm.normalize import name_key, squash
from crm.plan.errors import PlanError
from crm.plan.models import Obstacle, ObstacleProof
from crm.prebuilt import Prebuilt, prebuilt

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
def _obstacles_statement() -> Prebuilt[Obstacle]:
    """Every obstacle, open ones first, with its proof: built once."""
    return Prebuilt(
        select(Obstacle)
        .where(Obstacle.user_id == bindparam("user_id"))
        .options(joinedload(Obstacle.proofs).joinedload(ObstacleProof.contact))
        .order_by(Obstacle.resolved_on.is_not(None), Obstacle.created_at, Obstacle.id),
        "user_id",
    )


def obstacles_with_proof(user_id: int) -> list[Obstacle]:
    """Every obstacle, open ones first, with its proof contacts loaded (one statement)."""
    rows = _obstacles_statement().scalars({"user_id": user_id})
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
