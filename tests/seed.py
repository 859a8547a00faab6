"""Bulk test data for query-count tests and benchmarks: fast core INSERTs, no ORM per row."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import insert, select, text

from crm import clock
from crm.enums import (
    Cadence,
    Channel,
    FollowUpKind,
    FollowUpState,
    InterviewStatus,
    Network,
    OutreachStatus,
    Source,
)
from crm.extensions import db
from crm.models import Company, Contact, FollowUp, Interview, Note, Outreach, Tag, contact_tag

CHUNK = 5_000
TITLES = ("Engineer", "Designer", "Analyst", "Manager")


def _chunks(rows: list[dict]):
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def seed(
    user_id: int,
    contacts: int,
    outreach: int = 0,
    followups: int = 0,
    today: date | None = None,
    rng: random.Random | None = None,
) -> list[int]:
    """Insert contacts (with companies and tags), outreach, follow-ups, interviews and notes."""
    rng = rng or random.Random(7)
    now = clock.now()
    today = today or now.date()
    company_count = max(1, contacts // 20)
    db.session.execute(
        insert(Company),
        [
            {
                "user_id": user_id,
                "name": f"Company {i}",
                "name_key": f"company {i}",
                "is_target": False,
                "created_at": now,
            }
            for i in range(company_count)
        ],
    )
    company_ids = list(db.session.scalars(select(Company.id).where(Company.user_id == user_id)))
    db.session.execute(
        insert(Tag),
        [{"user_id": user_id, "name": n, "name_key": n} for n in ("mentor", "data", "design")],
    )
    tag_ids = list(db.session.scalars(select(Tag.id).where(Tag.user_id == user_id)))
    rows = [
        {
            "user_id": user_id,
            "uid": f"contact-{uuid.uuid4()}",
            "first_name": f"First{i}",
            "last_name": f"Last{i}",
            "email": f"person{i}@example.com",
            "company_id": rng.choice(company_ids),
            "title": (title := rng.choice(TITLES)),
            "network": rng.choice(Network.values()),
            "notes": f"Talked about career path number {i}",
            "search_text": f"first{i} last{i} person{i}@example.com {title.lower()} "
            f"talked about career path {i}",
            "sort_name": f"last{i} first{i}",
            "source": Source.MANUAL,
            "cadence": rng.choice([Cadence.NONE, Cadence.MONTHLY]),
            "keep_in_touch_due": today - timedelta(days=rng.randint(-30, 30)),
            "last_interaction_on": today - timedelta(days=rng.randint(0, 60)),
            "created_at": now - timedelta(minutes=i),
            "updated_at": now,
        }
        for i in range(contacts)
    ]
    for chunk in _chunks(rows):
        db.session.execute(insert(Contact), chunk)
    contact_ids = list(db.session.scalars(select(Contact.id).where(Contact.user_id == user_id)))
    links = [{"contact_id": cid, "tag_id": rng.choice(tag_ids)} for cid in contact_ids[::3]]
    for chunk in _chunks(links):
        db.session.execute(insert(contact_tag), chunk)
    outreach_rows = [
        {
            "user_id": user_id,
            "contact_id": rng.choice(contact_ids),
            "channel": Channel.EMAIL,
            "sent_on": today - timedelta(days=rng.randint(0, 90)),
            "status": rng.choice(list(OutreachStatus)),
            "summary": "Hello",
            "created_at": now,
        }
        for _ in range(outreach)
    ]
    for chunk in _chunks(outreach_rows):
        db.session.execute(insert(Outreach), chunk)
    db.session.execute(
        text(
            "UPDATE contact SET first_outreach_on = (SELECT min(sent_on) FROM outreach "
            "WHERE outreach.contact_id = contact.id), replied_on = (SELECT min(sent_on) "
            "FROM outreach WHERE outreach.contact_id = contact.id AND status = 'replied') "
            "WHERE user_id = :user_id"
        ),
        {"user_id": user_id},
    )
    followup_rows = [
        {
            "user_id": user_id,
            "contact_id": rng.choice(contact_ids),
            "uid": f"follow-up-{uuid.uuid4()}",
            "sequence": 0,
            "kind": rng.choice(
                [
                    FollowUpKind.SECOND_PERSON,
                    FollowUpKind.NUDGE,
                    FollowUpKind.MANUAL,
                    FollowUpKind.THANK_YOU,
                ]
            ),
            "reason": "Nudge once, politely.",
            "due_on": today + timedelta(days=rng.randint(-20, 40)),
            "status": rng.choice([FollowUpState.OPEN] * 3 + [FollowUpState.DONE]),
            "created_at": now,
            "updated_at": now,
        }
        for _ in range(followups)
    ]
    for chunk in _chunks(followup_rows):
        db.session.execute(insert(FollowUp), chunk)
    interview_rows = [
        {
            "user_id": user_id,
            "contact_id": cid,
            "uid": f"interview-{uuid.uuid4()}",
            "sequence": 0,
            "starts_at": now + timedelta(days=rng.randint(-30, 30)),
            "duration_minutes": 30,
            "status": (status := rng.choice([InterviewStatus.SCHEDULED, InterviewStatus.DONE])),
            # No random draw here, so every other row stays as it was.
            "done_on": today - timedelta(days=cid % 60) if status == InterviewStatus.DONE else None,
            "career_path": "Support, then analytics" if status == InterviewStatus.DONE else None,
            "created_at": now,
            "updated_at": now,
        }
        for cid in contact_ids[:: max(1, len(contact_ids) // 50)]
    ]
    db.session.execute(insert(Interview), interview_rows)
    db.session.execute(
        insert(Note),
        [
            {"user_id": user_id, "contact_id": cid, "body": "A note", "created_at": now}
            for cid in contact_ids[:: max(1, len(contact_ids) // 50)]
        ],
    )
    db.session.commit()
    return contact_ids


def seed_plan(user_id: int, today: date | None = None) -> None:
    """A filled-in plan: check-ins, obstacles with proof, answers, roles, people to reach and a
    target employer, linked to the user's first contacts."""
    from crm.plan.models import (
        Obstacle,
        ObstacleProof,
        PersonToReach,
        RoleContact,
        RutCheckIn,
        StrategicAnswer,
        TargetRole,
    )

    today = today or clock.now().date()
    contact_ids = list(
        db.session.scalars(
            select(Contact.id).where(Contact.user_id == user_id).order_by(Contact.id).limit(6)
        )
    )
    db.session.execute(
        insert(RutCheckIn),
        [
            {"user_id": user_id, "checked_on": today - timedelta(weeks=4 * n), "signs": "underpaid"}
            for n in range(1, 6)
        ],
    )
    now = clock.now()
    for n, text_ in enumerate(("Too old", "No degree", "Not good at networking")):
        obstacle = Obstacle(user_id=user_id, text=text_, text_key=text_.lower())
        db.session.add(obstacle)
        db.session.flush()
        for cid in contact_ids[: n * 2]:
            db.session.add(ObstacleProof(user_id=user_id, obstacle_id=obstacle.id, contact_id=cid))
    for question in ("clear", "skills", "who"):
        for version in range(3):
            db.session.add(
                StrategicAnswer(
                    user_id=user_id, question=question, body=f"Version {version}", saved_on=today
                )
            )
    for cid in contact_ids[:3]:
        db.session.add(
            PersonToReach(user_id=user_id, contact_id=cid, added_on=today, created_at=now)
        )
    roles = [
        TargetRole(user_id=user_id, title="Engineer", title_key="engineer"),
        TargetRole(user_id=user_id, title="Product Manager", title_key="manager product"),
    ]
    db.session.add_all(roles)
    db.session.flush()
    db.session.add(RoleContact(user_id=user_id, role_id=roles[1].id, contact_id=contact_ids[-1]))
    db.session.execute(
        text(
            "UPDATE company SET is_target = true WHERE id IN (SELECT id FROM company "
            "WHERE user_id = :user_id ORDER BY id LIMIT 2)"
        ),
        {"user_id": user_id},
    )
    db.session.commit()
