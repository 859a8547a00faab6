"""The follow-up engine over the database: plan, close, snooze, keep in touch. Flushes only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    bindparam,
    func,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import contains_eager, lazyload, load_only

from crm import clock
from crm.enums import Due, FollowUpKind, FollowUpState
from crm.extensions import db
from crm.followups import rules
from crm.followups.second_person import SecondPerson, second_people
from crm.models import Contact, FollowUp, User
from crm.prebuilt import Prebuilt, prebuilt
from crm.tallies import services as tallies

# The Follow-ups page shows each list's first rows; "Show all" opens one list, up to LIST_LIMIT.
GROUP_LIMIT = 10
LIST_LIMIT = 200


def settings_for(user: User) -> rules.RuleSettings:
    """The user's follow-up rule numbers."""
    return rules.RuleSettings(**{name: getattr(user, name) for name in rules.RULE_NAMES})


def add_planned(
    contact: Contact,
    planned: list[rules.PlannedFollowUp],
    outreach_id: int | None = None,
    interview_id: int | None = None,
) -> list[FollowUp]:
    """Store the follow-ups the rules planned."""
    rows = [
        FollowUp(
            user_id=contact.user_id,
            contact_id=contact.id,
            kind=plan.kind,
            reason=plan.reason,
            due_on=plan.due,
            outreach_id=outreach_id,
            interview_id=interview_id,
        )
        for plan in planned
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def add_manual(contact: Contact, due_on: date, reason: str) -> FollowUp:
    """A follow-up the user adds by hand (the same one twice, as from a double submit, is one)."""
    twin = db.session.scalars(
        select(FollowUp).where(
            FollowUp.contact_id == contact.id,
            FollowUp.kind == FollowUpKind.MANUAL,
            FollowUp.status == FollowUpState.OPEN,
            FollowUp.due_on == due_on,
            FollowUp.reason == reason,
        )
    ).first()
    if twin is not None:
        return twin
    row = FollowUp(
        user_id=contact.user_id,
        contact_id=contact.id,
        kind=FollowUpKind.MANUAL,
        reason=reason,
        due_on=due_on,
    )
    db.session.add(row)
    db.session.flush()
    return row


def plan_check_in(user_id: int, due_on: date, reason: str) -> FollowUp:
    """The four-weekly rut check-in, a follow-up with no contact: the open one moves to the new
    date (one calendar event that moves, its SEQUENCE raised), or a new one is planned."""
    row = db.session.scalars(
        select(FollowUp)
        .where(
            FollowUp.user_id == user_id,
            FollowUp.kind == FollowUpKind.CHECK_IN,
            FollowUp.status == FollowUpState.OPEN,
        )
        .order_by(FollowUp.id)
        .limit(1)
    ).first()
    if row is None:
        row = FollowUp(user_id=user_id, contact_id=None, kind=FollowUpKind.CHECK_IN, reason=reason)
        db.session.add(row)
    elif row.due_on != due_on or row.snoozed_from is not None:
        row.sequence += 1
    row.due_on, row.snoozed_from, row.reason = due_on, None, reason
    db.session.flush()
    return row


def close_company_followups(
    contact: Contact,
    note: str,
    kinds: tuple[str, ...] = (FollowUpKind.SECOND_PERSON, FollowUpKind.NUDGE),
    whole_company: bool = True,
    others_only: bool = False,
) -> int:
    """Close the open 3B/7B follow-ups of every contact at the contact's company."""
    now = clock.now()
    who: ColumnElement[bool]
    if whole_company and contact.company_id is not None:
        at_company = select(Contact.id).where(
            Contact.user_id == contact.user_id, Contact.company_id == contact.company_id
        )
        if others_only:
            at_company = at_company.where(Contact.id != contact.id)
        who = FollowUp.contact_id.in_(at_company)
    else:
        who = FollowUp.contact_id == contact.id
    result = db.session.execute(
        update(FollowUp)
        .where(
            FollowUp.user_id == contact.user_id,
            FollowUp.status == FollowUpState.OPEN,
            FollowUp.kind.in_(kinds),
            who,
        )
        .values(status=FollowUpState.CLOSED, closed_at=now, closed_note=note[:200], updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
    # An UPDATE's result is a CursorResult; Session.execute is typed as returning any Result.
    return cast("CursorResult[Any]", result).rowcount or 0


def close_interview_followup(interview_id: int, kind: str, note: str) -> None:
    """Mark the interview's open follow-up of this kind done (e.g. the thank-you once sent)."""
    now = clock.now()
    db.session.execute(
        update(FollowUp)
        .where(
            FollowUp.interview_id == interview_id,
            FollowUp.kind == kind,
            FollowUp.status == FollowUpState.OPEN,
        )
        .values(status=FollowUpState.DONE, closed_at=now, closed_note=note[:200], updated_at=now)
        .execution_options(synchronize_session="fetch")
    )


class FollowUpError(ValueError):
    """A follow-up action that cannot be done, in words for the user."""


def _require_open(row: FollowUp) -> None:
    if row.status != FollowUpState.OPEN:
        raise FollowUpError(f"This follow-up is already {FollowUpState(row.status).label.lower()}.")


def complete(row: FollowUp, note: str = "Done") -> None:
    """Mark done; it stays in the contact's history."""
    _require_open(row)
    row.status, row.closed_at, row.closed_note = FollowUpState.DONE, clock.now(), note
    row.sequence += 1


def dismiss(row: FollowUp) -> None:
    """Drop a follow-up that no longer makes sense."""
    _require_open(row)
    row.status, row.closed_at, row.closed_note = FollowUpState.DISMISSED, clock.now(), "Dismissed"
    row.sequence += 1


def snooze(row: FollowUp, today: date, days: int | None = None, to: date | None = None) -> None:
    """Move the due date: +N business days from today, or to a date not in the past."""
    _require_open(row)
    try:
        if to is not None:
            new_due = rules.validate_snooze_date(to, today)
        else:
            # Count from the later of today and the due date: a snooze never brings it closer.
            new_due = rules.snooze_business_days(max(today, row.due_on), days or 1)
    except ValueError as error:
        raise FollowUpError(str(error)) from error
    if row.snoozed_from is None:
        row.snoozed_from = row.due_on
    row.due_on = new_due
    # Calendar clients update an event only when its SEQUENCE rises.
    row.sequence += 1


def record_interaction(contact: Contact, on: date) -> None:
    """An outreach or interview: move the last interaction and the keep-in-touch date."""
    if contact.last_interaction_on is None or on > contact.last_interaction_on:
        contact.last_interaction_on = on
    refresh_keep_in_touch(contact)


def refresh_keep_in_touch(contact: Contact) -> None:
    """Recompute when to get back in touch from the cadence and the last interaction."""
    created = (contact.created_at or clock.now()).date()
    contact.keep_in_touch_due = rules.keep_in_touch_due(
        contact.last_interaction_on, contact.cadence, created
    )


@dataclass
class FollowUpGroups:
    """Open follow-ups in the four lists of the Follow-ups page."""

    today: date
    groups: dict[str, list[FollowUp]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def group_bounds(today: date) -> dict[str, tuple[date | None, date | None]]:
    """Each list's due-date range: [start, end) with None for open ends."""
    tomorrow = today + timedelta(days=1)
    after_week = rules.coming_week_end(today) + timedelta(days=1)
    return {
        Due.OVERDUE: (None, today),
        Due.TODAY: (today, tomorrow),
        Due.THIS_WEEK: (tomorrow, after_week),
        Due.LATER: (after_week, None),
    }


def _in_range(name: str, has_start: bool, has_end: bool) -> list[ColumnElement[bool]]:
    """A list's due-date range as conditions on FollowUp.due_on, its dates bound by name
    (`{name}_from`, `{name}_until`) when the statement runs."""
    where = []
    if has_start:
        where.append(FollowUp.due_on >= bindparam(f"{name}_from"))
    if has_end:
        where.append(FollowUp.due_on < bindparam(f"{name}_until"))
    return where


@prebuilt
def _lists_statement(
    shape: tuple[tuple[str, bool, bool, int], ...],
) -> Prebuilt[FollowUp, str, int]:
    """The open follow-ups statement for one shape: each list's name, whether its range has
    a start and an end, and how many rows it sends."""
    is_open = (FollowUp.user_id == bindparam("user_id"), FollowUp.status == FollowUpState.OPEN)
    firsts = []
    parameters = ["user_id"]
    for name, has_start, has_end, limit in shape:
        if has_start:
            parameters.append(f"{name}_from")
        if has_end:
            parameters.append(f"{name}_until")
        in_list = (*is_open, *_in_range(name, has_start, has_end))
        total = select(func.count()).where(*in_list).scalar_subquery()
        firsts.append(
            select(FollowUp.id.label("id"), literal(name).label("list"), total.label("total"))
            .where(*in_list)
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(limit)
            .subquery()
        )
    lists = union_all(*(select(*first.c) for first in firsts)).subquery()
    statement = (
        select(FollowUp, lists.c.list, lists.c.total)
        .join(lists, lists.c.id == FollowUp.id)
        # An outer join: the rut check-in has no contact. The introducer fills {introduced_by}:
        # only the name is read, so only its columns are (which also keeps the statement
        # under the 4 KB psycopg caches the parsing of), and its company is left out.
        .outerjoin(FollowUp.contact)
        .options(
            contains_eager(FollowUp.contact)
            .joinedload(Contact.introduced_by)
            .options(
                load_only(Contact.first_name, Contact.last_name, Contact.email),
                lazyload(Contact.company),
            )
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    return Prebuilt(statement, *parameters)


def open_followups(
    user_id: int, today: date, limits: Mapping[str, int] | None = None
) -> FollowUpGroups:
    """The user's open follow-ups, the first rows of each list asked for, and how many each
    of the four lists holds: one statement, however many follow-ups.

    `limits` names the lists wanted and how many rows of each (every list, GROUP_LIMIT rows,
    when not given); a list not named comes back as its count only. Each list is a due-date
    range of the (user, status, due date, id) index: its first rows are a short walk along it
    and its count a count of one stretch of it, so no statement reads every open follow-up."""
    wanted = dict(limits) if limits is not None else dict.fromkeys(Due.values(), GROUP_LIMIT)
    params: dict[str, object] = {"user_id": user_id}
    shape = []
    for name, (start, end) in group_bounds(today).items():
        if start is not None:
            params[f"{name}_from"] = start
        if end is not None:
            params[f"{name}_until"] = end
        # A list not asked for still sends its first row, to carry the list's count.
        shape.append((name, start is not None, end is not None, wanted.get(name, 1)))
    rows = _lists_statement(tuple(shape)).execute(params).all()
    result = FollowUpGroups(today=today)
    result.groups = {name: [] for name in wanted}
    result.counts = dict.fromkeys(Due.values(), 0)
    for followup, name, total in rows:
        result.counts[name] = total
        if name in result.groups:
            result.groups[name].append(followup)
    return result


def colleagues_for(user_id: int, followups: list[FollowUp]) -> dict[int, SecondPerson]:
    """Who to try, and who was tried, at the company each "Reach a second person" follow-up is
    about, by follow-up id: two statements whatever the rows."""
    return second_people(user_id, followups)


def losing_touch(user_id: int, today: date, limit: int = GROUP_LIMIT) -> tuple[list[Contact], int]:
    """Contacts past their keep-in-touch date, longest overdue first, and how many there are."""
    condition = (Contact.user_id == user_id, Contact.keep_in_touch_due < today)
    rows = db.session.scalars(
        select(Contact)
        # The list shows a name and two dates: the rest of each contact stays unread.
        .options(
            load_only(
                Contact.first_name,
                Contact.last_name,
                Contact.email,
                Contact.keep_in_touch_due,
                Contact.last_interaction_on,
            ),
            lazyload(Contact.company),
        )
        .where(*condition)
        .order_by(Contact.keep_in_touch_due)
        .limit(limit)
    ).all()
    return list(rows), tallies.losing_touch(user_id, today)
