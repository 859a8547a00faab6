"""Step 1, am I in a rut?: the eight signs, the check-ins that tick them, and the rhythm of
the next check-in (a follow-up of its own kind). Writes flush; views commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, bindparam, select
from sqlalchemy.orm import QueryableAttribute

from crm.enums import FollowUpKind, FollowUpState
from crm.extensions import db
from crm.followups.services import plan_check_in
from crm.models import FollowUp
from crm.plan.models import RutCheckIn
from crm.prebuilt import Prebuilt, prebuilt
from crm.workdays import next_business_day

CHECK_IN_EVERY = timedelta(weeks=4)
CHECK_IN_HISTORY = 12


class RutSign(StrEnum):
    """The eight signs of a career rut, stored by these keys."""

    UNDERPAID = "underpaid"
    NOT_PASSIONATE = "not_passionate"
    NOT_CHALLENGED = "not_challenged"
    NO_ROOM = "no_room"
    BROKEN_PROMISES = "broken_promises"
    NO_OFFER = "no_offer"
    NOT_ASKING = "not_asking"
    GOLDEN_HANDCUFFS = "golden_handcuffs"


RUT_SIGNS: dict[RutSign, str] = {
    RutSign.UNDERPAID: "I'm being underpaid for what I do",
    RutSign.NOT_PASSIONATE: "I'm not passionate about what I do",
    RutSign.NOT_CHALLENGED: "I'm not challenged in my role",
    RutSign.NO_ROOM: "There's no room to grow in my organisation",
    RutSign.BROKEN_PROMISES: (
        "I've been promised a raise or promotion several times, and it never happens"
    ),
    RutSign.NO_OFFER: (
        "I've been looking for over six months and interviewing, but never reach an offer"
    ),
    RutSign.NOT_ASKING: "I haven't asked for what I deserve, for fear of being turned down",
    RutSign.GOLDEN_HANDCUFFS: (
        "I'm in golden handcuffs: I don't believe I could earn the same in my ideal role elsewhere"
    ),
}


def signs_from_keys(keys: Iterable[str]) -> list[RutSign]:
    """The known signs among stored or posted keys, in the method's order, each once."""
    wanted = set(keys)
    return [sign for sign in RutSign if sign.value in wanted]


CHECK_IN_REASON = (
    "Four weeks since your last check-in: tick the signs that are true today "
    "and see what has changed."
)


def check_in_due(last_check_in: date | None, today: date) -> date:
    """When the next rut check-in is due: today when there was none, else four weeks on,
    moved off a weekend like every follow-up."""
    if last_check_in is None:
        return today
    return next_business_day(last_check_in + CHECK_IN_EVERY)


def suggested_check_in(
    last_check_in: date | None,
    today: date,
    reminder_status: str | None = None,
    reminder_due: date | None = None,
) -> date | None:
    """When to suggest the next check-in, given the user's latest check-in reminder (the
    follow-up a check-in plans): its due date while open (a snooze moves it); None once the
    user marked it done or dismissed it, until they check in again; four weeks after the last
    check-in when there is no reminder; today before the first check-in."""
    if last_check_in is None:
        return today
    if reminder_status == FollowUpState.OPEN and reminder_due is not None:
        return reminder_due
    if reminder_status is not None:
        return None
    return check_in_due(last_check_in, today)


def save_check_in(user_id: int, sign_keys: Iterable[str], today: date) -> RutCheckIn:
    """Record today's check-in (a second one the same day replaces the first) and plan the
    next one four weeks on, as a follow-up of its own kind."""
    signs = signs_from_keys(sign_keys)
    check_in = db.session.scalar(
        select(RutCheckIn).where(RutCheckIn.user_id == user_id, RutCheckIn.checked_on == today)
    )
    if check_in is None:
        check_in = RutCheckIn(user_id=user_id, checked_on=today)
        db.session.add(check_in)
    check_in.signs = ",".join(signs)
    plan_check_in(user_id, check_in_due(today, today), CHECK_IN_REASON)
    db.session.flush()
    return check_in


def check_in_reminder(
    user_id: int | ColumnElement[int],
) -> tuple[ScalarSelect[str], ScalarSelect[date]]:
    """The status and due date of the user's latest check-in reminder, as scalar subqueries
    (for crm.plan.next_check_in), to read in one statement with other things; the user
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
def _check_ins_statement() -> Prebuilt[RutCheckIn]:
    """The latest CHECK_IN_HISTORY check-ins, newest first: built once."""
    return Prebuilt(
        select(RutCheckIn)
        .where(RutCheckIn.user_id == bindparam("user_id"))
        .order_by(RutCheckIn.checked_on.desc())
        .limit(CHECK_IN_HISTORY),
        "user_id",
    )


def recent_check_ins(user_id: int) -> list[RutCheckIn]:
    """The latest check-ins, newest first."""
    return list(_check_ins_statement().scalars({"user_id": user_id}))
