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
            "title": rng.choice(["Engineer", "Designer", "Analyst", "Manager"]),
            "network": rng.choice(Network.values()),
            "notes": f"Talked about career path number {i}",
            "search_text": f"first{i} last{i} person{i}@example.com talked about career path {i}",
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
            "status": rng.choice([InterviewStatus.SCHEDULED, InterviewStatus.DONE]),
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
