"""A stateful property test of people's threads: random first messages, nudges, replies at the
company, declines, no response, snoozes, done, reopening, job changes and back-dated entries
over random dates, with the thread rules checked after every step."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import count

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from crm import clock
from crm.enums import FollowUpKind, FollowUpState, OutreachStatus
from crm.extensions import db
from crm.followups.services import FollowUpError, complete, snooze
from crm.followups.threads import reopen
from crm.models import Company, Contact, FollowUp, Outreach, User
from crm.outreach.services import OutreachError, log_message, set_status
from crm.workdays import is_business_day

START = date(2026, 11, 2)  # a Monday
PEOPLE = 4
COMPANIES = ("Acme", "Globex", "Initech")
_users = count()


class Threads(RuleBasedStateMachine):
    """One user, four people at three companies, and the follow-ups their threads plan."""

    def __init__(self) -> None:
        super().__init__()
        self.today = START
        self.seen: set[int] = set()
        self.messages = count()

    @initialize()
    def an_account_with_people(self) -> None:
        self._set_day(START)
        self.user = User(email=f"machine{next(_users)}@example.com", password_hash="x")
        db.session.add(self.user)
        db.session.flush()
        self.companies = [Company(user_id=self.user.id, name=n, name_key=n) for n in COMPANIES]
        db.session.add_all(self.companies)
        db.session.flush()
        self.people = [
            Contact(user_id=self.user.id, first_name=f"P{i}", company=self.companies[i % 2])
            for i in range(PEOPLE)
        ]
        db.session.add_all(self.people)
        db.session.commit()

    def _set_day(self, day: date) -> None:
        self.today = day
        clock.set_now(datetime.combine(day, time(12), tzinfo=UTC))

    def _open(self, *where: object) -> list[FollowUp]:
        stmt = select(FollowUp).where(
            FollowUp.user_id == self.user.id, FollowUp.status == FollowUpState.OPEN, *where
        )
        return list(db.session.scalars(stmt.order_by(FollowUp.id)))

    def _awaiting(self, person: Contact) -> Outreach | None:
        stmt = select(Outreach).where(
            Outreach.contact_id == person.id, Outreach.status == OutreachStatus.AWAITING
        )
        return db.session.scalars(stmt.order_by(Outreach.id.desc())).first()

    @rule(days=st.integers(0, 6))
    def time_passes(self, days: int) -> None:
        self._set_day(self.today + timedelta(days=days))

    @rule(who=st.integers(0, PEOPLE - 1), back=st.sampled_from([0, 0, 1, 2, 5, 9, 20, 45, 400]))
    def a_message(self, who: int, back: int) -> None:
        """A first message, or another inside the thread (the nudge), maybe back-dated."""
        sent_on = self.today - timedelta(days=back)
        log_message(
            self.user,
            self.people[who],
            "email",
            sent_on,
            OutreachStatus.AWAITING,
            f"message {next(self.messages)}",
            self.today,
        )
        db.session.commit()

    @rule(
        who=st.integers(0, PEOPLE - 1),
        status=st.sampled_from(
            [OutreachStatus.REPLIED, OutreachStatus.DECLINED, OutreachStatus.NO_RESPONSE]
        ),
    )
    def an_answer(self, who: int, status: OutreachStatus) -> None:
        """A reply, a no or no response marked on the person's waiting message."""
        outreach = self._awaiting(self.people[who])
        if outreach is None:
            return
        set_status(outreach, status, self.today)
        db.session.commit()

    @rule(who=st.integers(0, PEOPLE - 1), back=st.integers(0, 30))
    def a_reply_logged_as_a_message(self, who: int, back: int) -> None:
        """A reply logged directly (a phone call), maybe back-dated."""
        try:
            log_message(
                self.user,
                self.people[who],
                "phone",
                self.today - timedelta(days=back),
                OutreachStatus.REPLIED,
                None,
                self.today,
            )
        except OutreachError:
            db.session.rollback()
        else:
            db.session.commit()

    @rule(who=st.integers(0, PEOPLE - 1), where=st.integers(0, len(COMPANIES)))
    def a_job_change(self, who: int, where: int) -> None:
        self.people[who].company = self.companies[where] if where < len(COMPANIES) else None
        db.session.commit()

    @precondition(lambda self: self._open())
    @rule(pick=st.integers(0, 50), days=st.sampled_from([1, 3]), to=st.integers(0, 12))
    def a_snooze(self, pick: int, days: int, to: int) -> None:
        rows = self._open()
        row = rows[pick % len(rows)]
        if to % 2:
            snooze(row, self.today, to=self.today + timedelta(days=to))
        else:
            snooze(row, self.today, days=days)
        db.session.commit()

    @precondition(lambda self: self._open())
    @rule(pick=st.integers(0, 50))
    def done(self, pick: int) -> None:
        rows = self._open()
        complete(rows[pick % len(rows)])
        db.session.commit()

    @rule(pick=st.integers(0, 50))
    def a_reopen(self, pick: int) -> None:
        closed = list(
            db.session.scalars(
                select(FollowUp)
                .where(FollowUp.user_id == self.user.id, FollowUp.status == FollowUpState.CLOSED)
                .order_by(FollowUp.id)
            )
        )
        if not closed:
            return
        try:
            reopen(closed[pick % len(closed)], self.today)
        except FollowUpError:
            db.session.rollback()
        else:
            db.session.commit()

    @invariant()
    def at_most_one_open_nudge_per_person(self) -> None:
        if not hasattr(self, "user"):
            return
        nudges = [f.contact_id for f in self._open(FollowUp.kind == FollowUpKind.NUDGE)]
        assert len(nudges) == len(set(nudges)), nudges

    @invariant()
    def at_most_one_open_second_person_per_company(self) -> None:
        if not hasattr(self, "user"):
            return
        rows = db.session.execute(
            select(Outreach.company_id, func.count())
            .join(FollowUp, FollowUp.outreach_id == Outreach.id)
            .where(
                FollowUp.user_id == self.user.id,
                FollowUp.status == FollowUpState.OPEN,
                FollowUp.kind == FollowUpKind.SECOND_PERSON,
            )
            .group_by(Outreach.company_id)
        ).all()
        assert all(n == 1 for _, n in rows), rows

    @invariant()
    def new_follow_ups_are_on_business_days_from_today(self) -> None:
        """What a step planned (from history too) is due on a business day, today or later."""
        if not hasattr(self, "user"):
            return
        for row in self._open():
            assert is_business_day(row.due_on), (row.kind, row.due_on)
            if row.id not in self.seen:
                assert row.due_on >= self.today, (row.kind, row.due_on, self.today)
                self.seen.add(row.id)

    @invariant()
    def nothing_is_due_before_the_outreach_it_follows(self) -> None:
        if not hasattr(self, "user"):
            return
        rows = db.session.execute(
            select(FollowUp.due_on, Outreach.sent_on)
            .join(Outreach, FollowUp.outreach_id == Outreach.id)
            .where(FollowUp.user_id == self.user.id)
        ).all()
        assert all(due >= sent for due, sent in rows), rows

    @invariant()
    def every_closed_follow_up_names_what_closed_it(self) -> None:
        if not hasattr(self, "user"):
            return
        notes = db.session.scalars(
            select(FollowUp.closed_note).where(
                FollowUp.user_id == self.user.id, FollowUp.status != FollowUpState.OPEN
            )
        ).all()
        assert all(note and note.strip() for note in notes), notes


def test_the_thread_rules_hold_after_every_step(app):
    with app.app_context():
        try:
            run_state_machine_as_test(
                Threads,
                settings=settings(
                    max_examples=20,
                    stateful_step_count=20,
                    deadline=None,
                    suppress_health_check=[HealthCheck.too_slow],
                ),
            )
        finally:
            clock.set_now(None)
            db.session.rollback()
