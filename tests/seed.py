"""Bulk data for the query-count tests and every benchmark: fast Core INSERTs, no ORM per row.

The one seeder: tests/app/test_query_counts.py, benchmarks/pages.py, benchmarks/export_vcards.py
and benchmarks/calendar_feed.py all call `seed` (benchmarks put the repository root on sys.path
to import it). Plain rows (First0 Last0) suit query counts and page timings; `unicode=True`
gives the names exporters must escape and fold: emoji and ZWJ sequences, CJK, accents, commas
and semicolons, post-nominals, multi-line notes, phones and LinkedIn URLs.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select, text, update

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
from crm.normalize import contact_derived, fold
from crm.tallies import services as tallies

CHUNK = 5_000

PLAIN_TITLES = ["Engineer", "Designer", "Analyst", "Manager"]
PLAIN_TAGS = ["mentor", "data", "design"]
PLAIN_KINDS = [
    FollowUpKind.SECOND_PERSON,
    FollowUpKind.NUDGE,
    FollowUpKind.MANUAL,
    FollowUpKind.THANK_YOU,
]
UNICODE_FIRST = [
    "Jane",
    "Ana",
    "Li",
    "Mohammed",
    "Zoë",
    "美玲",
    "🟢 Max",
    "Oluwaseun",
    "Søren",
    "Priya",
]
UNICODE_LAST = [
    "Doe, MSc",
    "Lima",
    "陳",
    "Nayak, MSc, MBA",
    "Sandvig, CFP®",
    "Parker🏳️‍🌈",
    "O'Brien",
]
UNICODE_TITLES = ["Principal, Data and AI", "Engineering Manager", "風險管理部 高級經理", "Analyst"]
UNICODE_TAGS = ["mentor", "data", "ai", "hiring", "香港", "bootcamp", "alumni-board", "referral"]
UNICODE_NOTE = "Met at the alumni mixer.\nAsk about the move; kindly."
UNICODE_REASON = "No reply yet. That is normal: nudge once, kindly; then try Ana."


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert(table: Any, rows: list[dict[str, Any]]) -> None:
    """Core INSERTs of a model's or table's rows, CHUNK at a time."""
    for chunk in _chunks(rows):
        db.session.execute(insert(table), chunk)


def seed(
    user_id: int,
    contacts: int,
    outreach: int = 0,
    followups: int = 0,
    today: date | None = None,
    rng: random.Random | None = None,
    *,
    unicode: bool = False,
    companies: int | None = None,
    tags_per_contact: int = 1,
    open_followups: bool = False,
    interviews_and_notes: bool = True,
) -> list[int]:
    """Insert the user's contacts (with companies and tags), outreach, follow-ups, interviews
    and notes; commit; return the contact ids.

    unicode: Unicode-heavy names, titles, company names and tags, plus phones (every 4th),
        emails (every 10th), notes (2 in 3) and LinkedIn URLs, as an export must escape them.
    companies: how many companies (one per 20 contacts by default); 1 in 5 contacts has none
        in unicode mode.
    tags_per_contact: tags on every third contact.
    open_followups: every follow-up open (a calendar feed shows them all), instead of 3 in 4.
    interviews_and_notes: an interview and a note on every 50th-ish contact (off for a feed
        that should hold follow-ups only).
    """
    # As an import of this many rows would (crm.tallies.services.bulk_write).
    with tallies.bulk_write(user_id, contacts + outreach + followups):
        rng = rng or random.Random(7)
        now = clock.now()
        today = today or now.date()
        titles = UNICODE_TITLES if unicode else PLAIN_TITLES
        tags = UNICODE_TAGS if unicode else PLAIN_TAGS
        company_count = companies if companies is not None else max(1, contacts // 20)
        _insert(
            Company,
            [
                {
                    "user_id": user_id,
                    "name": name,
                    "name_key": fold(name),
                    "is_target": False,
                    "created_at": now,
                }
                for name in (
                    f"Company {i}, Inc." if unicode else f"Company {i}"
                    for i in range(company_count)
                )
            ],
        )
        company_names: dict[int, str] = {
            cid: name
            for cid, name in db.session.execute(
                select(Company.id, Company.name).where(Company.user_id == user_id)
            )
        }
        company_ids = list(company_names)
        db.session.execute(
            insert(Tag), [{"user_id": user_id, "name": n, "name_key": fold(n)} for n in tags]
        )
        tag_ids = list(db.session.scalars(select(Tag.id).where(Tag.user_id == user_id)))
        rows: list[dict[str, Any]] = []
        for i in range(contacts):
            if unicode:
                first, last = rng.choice(UNICODE_FIRST), f"{rng.choice(UNICODE_LAST)} {i}"
                email = f"person{i}@example.org" if i % 10 == 0 else None
                notes = UNICODE_NOTE if i % 3 else None
            else:
                first, last = f"First{i}", f"Last{i}"
                email = f"person{i}@example.com"
                notes = f"Talked about career path number {i}"
            company_id = rng.choice(company_ids) if not unicode or i % 5 else None
            title = rng.choice(titles)
            company = company_names.get(company_id) if company_id else None
            rows.append(
                {
                    "user_id": user_id,
                    "uid": f"contact-{uuid.uuid4()}",
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "phone": f"+1 415 555 {i % 10_000:04d}" if unicode and i % 4 == 0 else None,
                    "company_id": company_id,
                    "title": title,
                    "network": rng.choice(Network.values()),
                    "linkedin_url": f"https://www.linkedin.com/in/person-{i}" if unicode else None,
                    "notes": notes,
                    # As refresh_search_text writes them, tags aside.
                    **contact_derived(
                        first_name=first,
                        last_name=last,
                        email=email,
                        title=title,
                        company=company,
                        tags=[],
                        notes=notes,
                    ),
                    "source": Source.LINKEDIN if unicode else Source.MANUAL,
                    "cadence": rng.choice([Cadence.NONE, Cadence.MONTHLY]),
                    "keep_in_touch_due": today - timedelta(days=rng.randint(-30, 30)),
                    "last_interaction_on": today - timedelta(days=rng.randint(0, 60)),
                    "created_at": now - timedelta(minutes=i),
                    "updated_at": now,
                }
            )
        _insert(Contact, rows)
        contact_ids = list(
            db.session.scalars(
                select(Contact.id).where(Contact.user_id == user_id).order_by(Contact.id)
            )
        )
        _insert(
            contact_tag,
            [
                {"contact_id": cid, "tag_id": tid}
                for cid in contact_ids[::3]
                for tid in (
                    [rng.choice(tag_ids)]
                    if tags_per_contact == 1
                    else rng.sample(tag_ids, min(tags_per_contact, len(tag_ids)))
                )
            ],
        )
        # One in fifty was introduced by the contact added just before (no random draw here, so
        # every other row stays as it was).
        introduced = [
            {"id": cid, "introduced_by_id": by}
            for by, cid in zip(contact_ids[::50], contact_ids[1::50], strict=False)
        ]
        if introduced:
            db.session.execute(update(Contact), introduced)
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
        for row in outreach_rows:  # a reply two days on, as logging one records it
            replied = row["status"] == OutreachStatus.REPLIED
            row["reply_on"] = min(row["sent_on"] + timedelta(days=2), today) if replied else None
        _insert(Outreach, outreach_rows)
        if outreach:
            db.session.execute(
                text(
                    "UPDATE contact SET first_outreach_on = (SELECT min(sent_on) FROM outreach "
                    "WHERE outreach.contact_id = contact.id), replied_on = (SELECT min(sent_on) "
                    "FROM outreach WHERE outreach.contact_id = contact.id AND status = 'replied') "
                    "WHERE user_id = :user_id"
                ),
                {"user_id": user_id},
            )
        # Every kind about a contact (the rut check-in, about no one, is seed_plan's).
        kinds = [k for k in FollowUpKind if k != FollowUpKind.CHECK_IN] if unicode else PLAIN_KINDS
        states = (
            [FollowUpState.OPEN]
            if open_followups
            else [FollowUpState.OPEN] * 3 + [FollowUpState.DONE]
        )
        _insert(
            FollowUp,
            [
                {
                    "user_id": user_id,
                    "contact_id": rng.choice(contact_ids),
                    "uid": f"follow-up-{uuid.uuid4()}",
                    "sequence": n % 3 if unicode else 0,
                    "kind": rng.choice(kinds),
                    "reason": UNICODE_REASON if unicode else "Nudge once, politely.",
                    "due_on": today + timedelta(days=rng.randint(-20, 40)),
                    "status": rng.choice(states),
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(followups)
            ],
        )
        if interviews_and_notes and contact_ids:
            every = contact_ids[:: max(1, len(contact_ids) // 50)]
            _insert(
                Interview,
                [
                    {
                        "user_id": user_id,
                        "contact_id": cid,
                        "uid": f"interview-{uuid.uuid4()}",
                        "sequence": 0,
                        "starts_at": now + timedelta(days=rng.randint(-30, 30)),
                        "duration_minutes": 30,
                        "status": (
                            status := rng.choice([InterviewStatus.SCHEDULED, InterviewStatus.DONE])
                        ),
                        # No random draw here, so every other row stays as it was.
                        "done_on": (
                            today - timedelta(days=cid % 60)
                            if status == InterviewStatus.DONE
                            else None
                        ),
                        "career_path": (
                            "Support, then analytics" if status == InterviewStatus.DONE else None
                        ),
                        "created_at": now,
                        "updated_at": now,
                    }
                    for cid in every
                ],
            )
            _insert(
                Note,
                [
                    {"user_id": user_id, "contact_id": cid, "body": "A note", "created_at": now}
                    for cid in every
                ],
            )
    db.session.commit()
    return contact_ids


def seed_plan(user_id: int, today: date | None = None) -> None:
    """A filled-in plan: check-ins with the next one's reminder (a follow-up about no one, due
    today), obstacles with proof, answers, roles, people to reach and a target employer,
    linked to the user's first contacts."""
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
    db.session.add(
        FollowUp(
            user_id=user_id,
            contact_id=None,
            kind=FollowUpKind.CHECK_IN,
            reason="Four weeks since your last check-in.",
            due_on=today,
        )
    )
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


def seed_introductions(user_id: int, count: int, rng: random.Random | None = None) -> int:
    """Make `count` of the user's contacts introduced by others, as trees grown from one
    first-degree contact per 15 introductions: each newly introduced person may introduce
    the next, so chains run several deep and some people introduce many (past the Network
    page's fold). Contacts `seed` already introduced are left as they are; commit; return
    how many were introduced."""
    rng = rng or random.Random(26)
    free = list(
        db.session.scalars(
            select(Contact.id)
            .where(Contact.user_id == user_id, Contact.introduced_by_id.is_(None))
            .order_by(Contact.id)
        )
    )
    rng.shuffle(free)
    roots = max(1, count // 15)
    count = min(count, len(free) - roots)
    pool, newcomers = free[:roots], free[roots : roots + count]
    rows = []
    for contact_id in newcomers:
        rows.append({"id": contact_id, "introduced_by_id": rng.choice(pool)})
        pool.append(contact_id)
    if rows:
        db.session.execute(update(Contact), rows)
    db.session.commit()
    return len(rows)
