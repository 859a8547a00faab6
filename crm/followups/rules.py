"""Follow-up rules as pure functions: business days, cadences and buckets (time: crm/clock.py)."""

import calendar
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from crm.enums import Cadence, Due, FollowUpKind
from crm.ranges import MAX_BUSINESS_DAYS, MAX_HISTORY_DAYS, MAX_REFERRAL_ASK_WEEKS
from crm.workdays import business_days_after, next_business_day, next_business_day_after, week_start

# Calendar lengths of the cadences that are not whole months.
_CADENCE_DAYS: dict[str, int] = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14}
_CADENCE_MONTHS: dict[str, int] = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.HALF_YEARLY: 6}


@dataclass(frozen=True)
class RuleNumber:
    """How one follow-up rule number is asked for on the settings page and checked."""

    label: str
    help: str
    unit: str = "days"
    high: int = MAX_BUSINESS_DAYS

    def check(self, value: object) -> None:
        """Raise ValueError unless value is a whole number from 0 to high."""
        _check_range(value, 0, self.high, self.label, self.unit)


def _number(default: int, rule: RuleNumber) -> int:
    """A RuleSettings field that is a number of days or weeks, with how to ask for it."""
    return field(default=default, metadata={"rule": rule})


@dataclass(frozen=True)
class RuleSettings:
    """One user's follow-up timings; out-of-range values raise ValueError.

    The one list of rule names: the user's columns, the settings form, the backup and the
    checks all follow these fields, so a new rule is a field here (and its column).
    """

    second_person_days: int = _number(
        3,
        RuleNumber(
            "Reach a second person after",
            "With no reply, try someone else at the same company.",
            "business days",
        ),
    )
    nudge_days: int = _number(
        7,
        RuleNumber("Nudge once after", "One polite nudge to the same person.", "business days"),
    )
    thank_you_days: int = _number(
        1,
        RuleNumber(
            "Send a thank-you within",
            "After an informational interview. A weekend date moves to the Monday.",
        ),
    )
    update_days: int = _number(
        7,
        RuleNumber(
            "Send a progress update after",
            "Tell them how you used their advice. Always on a later day than the thank-you.",
        ),
    )
    referral_ask_weeks: int = _number(
        1,
        RuleNumber(
            "Ask for a referral after",
            "Counted from the Monday of the interview's week.",
            "weeks",
            MAX_REFERRAL_ASK_WEEKS,
        ),
    )
    history_days: int = _number(
        30,
        RuleNumber(
            "Nudge about history logged within",
            "An outreach you log after both reminders have passed gets one nudge if it is this "
            "recent; an older one plans nothing.",
            "days",
            MAX_HISTORY_DAYS,
        ),
    )
    after_interview_cadence: str = Cadence.MONTHLY

    def __post_init__(self) -> None:
        """Reject settings the rules cannot use."""
        self.validate()

    def validate(self) -> None:
        """Raise ValueError with a plain message for the first bad setting."""
        for name, rule in RULE_NUMBERS.items():
            rule.check(getattr(self, name))
        if self.after_interview_cadence not in Cadence.values():
            raise ValueError("Choose a keep-in-touch cadence from the list.")


# The rule names, in the settings page's order, and how each number is asked for.
RULE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(RuleSettings))
RULE_NUMBERS: dict[str, RuleNumber] = {
    f.name: f.metadata["rule"] for f in fields(RuleSettings) if "rule" in f.metadata
}


def _check_range(value: object, low: int, high: int, label: str, unit: str = "days") -> None:
    """Raise ValueError unless value is a whole number from low to high."""
    # bool is an int subclass; True must not pass as 1 day.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{label}: enter a whole number of {unit}.")
    if not low <= value <= high:
        raise ValueError(f"{label}: enter a number of {unit} from {low} to {high}.")


@dataclass(frozen=True)
class PlannedFollowUp:
    """A follow-up the rules suggest: what to do, when, and why."""

    kind: FollowUpKind
    due: date
    reason: str
    # Planned after its own date had passed (a thank-you for an interview held days ago).
    late: bool = False


def outreach_followups(
    sent_on: date,
    settings: RuleSettings,
    contact_name: str,
    company_name: str | None,
) -> list[PlannedFollowUp]:
    """Plan the 3B (second person at the company) and 7B (one nudge) follow-ups."""
    planned: list[PlannedFollowUp] = []
    company = (company_name or "").strip()
    if company:
        planned.append(
            PlannedFollowUp(
                kind=FollowUpKind.SECOND_PERSON,
                due=business_days_after(sent_on, settings.second_person_days),
                reason=(
                    f"No reply yet from {contact_name}. "
                    f"That is normal: try a second person at {company.rstrip('.')}."
                ),
            )
        )
    planned.append(
        PlannedFollowUp(
            kind=FollowUpKind.NUDGE,
            due=business_days_after(sent_on, settings.nudge_days),
            reason=f"Nudge {contact_name} once, politely.",
        )
    )
    return planned


def outreach_followups_from(
    sent_on: date,
    today: date,
    settings: RuleSettings,
    contact_name: str,
    company_name: str | None,
) -> list[PlannedFollowUp]:
    """The 3B7 follow-ups still ahead of today, for an outreach logged on or after it was sent.

    History never floods: when both windows have passed, a recent outreach (within
    settings.history_days) gets one nudge the next business day, an older one nothing."""
    planned = outreach_followups(sent_on, settings, contact_name, company_name)
    ahead = [plan for plan in planned if plan.due >= today]
    if ahead or (today - sent_on).days > settings.history_days:
        return ahead
    return [
        PlannedFollowUp(
            kind=FollowUpKind.NUDGE,
            due=next_business_day_after(today),
            reason=f"Nudge {contact_name} once, politely: your message of {sent_on:%a %d %b} "
            "has had no reply.",
            late=True,
        )
    ]


def closes_on_reply(kind: str) -> bool:
    """Return True when a reply makes this kind of follow-up unnecessary."""
    return kind in (FollowUpKind.SECOND_PERSON, FollowUpKind.NUDGE)


def interview_done_followups(
    done_on: date, settings: RuleSettings, contact_name: str, today: date | None = None
) -> list[PlannedFollowUp]:
    """Plan the thank-you, progress update and referral ask, each on its own business day.

    Given today, nothing is due before it: a thank-you whose day has passed is due the next
    business day (marked late), and the later steps keep their own dates when still ahead."""
    thank_you_due = next_business_day(done_on + timedelta(days=settings.thank_you_days))
    late = today is not None and thank_you_due < today
    if today is not None and late:
        thank_you_due = next_business_day_after(today)
    update_due = next_business_day(done_on + timedelta(days=settings.update_days))
    referral_due = week_start(done_on) + timedelta(weeks=settings.referral_ask_weeks)
    # With 0 weeks the Monday of this week may already be past; ask no earlier than the interview.
    referral_due = max(referral_due, next_business_day(done_on))
    # The thank-you comes first; the other two follow on later days of their own, soonest first.
    taken = {thank_you_due}
    later: dict[FollowUpKind, date] = {}
    for kind, wanted in sorted(
        ((FollowUpKind.UPDATE, update_due), (FollowUpKind.REFERRAL_ASK, referral_due)),
        key=lambda pair: pair[1],
    ):
        due = max(wanted, next_business_day_after(thank_you_due))
        while due in taken:
            due = next_business_day_after(due)
        taken.add(due)
        later[kind] = due
    return [
        PlannedFollowUp(
            kind=FollowUpKind.THANK_YOU,
            due=thank_you_due,
            reason=_thank_you_reason(contact_name, done_on, late),
            late=late,
        ),
        PlannedFollowUp(
            kind=FollowUpKind.UPDATE,
            due=later[FollowUpKind.UPDATE],
            reason=f"Tell {contact_name} how you have used their advice.",
        ),
        PlannedFollowUp(
            kind=FollowUpKind.REFERRAL_ASK,
            due=later[FollowUpKind.REFERRAL_ASK],
            reason=f"Ask {contact_name} if there is someone else you should talk to.",
        ),
    ]


def _thank_you_reason(contact_name: str, held_on: date, late: bool) -> str:
    if late:
        return (
            f"Thank {contact_name} for your conversation on {held_on:%a %d %b}: "
            "a late thank-you still counts."
        )
    return f"Thank {contact_name} for their time while the conversation is fresh."


def cadence_after_interview(current: str, settings: RuleSettings) -> str:
    """Return the cadence to keep after an interview: the contact's own, else the user's default."""
    if current not in Cadence.values():
        raise ValueError("Choose a keep-in-touch cadence from the list.")
    return settings.after_interview_cadence if current == Cadence.NONE else current


def add_months(d: date, months: int) -> date:
    """Return d plus whole calendar months, clamped to the end of a shorter month."""
    month_index = d.month - 1 + months
    year = d.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def add_cadence(d: date, cadence: str) -> date | None:
    """Return d plus one cadence period, or None for the "none" cadence."""
    if cadence == Cadence.NONE:
        return None
    if cadence in _CADENCE_DAYS:
        return d + timedelta(days=_CADENCE_DAYS[cadence])
    if cadence in _CADENCE_MONTHS:
        return add_months(d, _CADENCE_MONTHS[cadence])
    raise ValueError("Choose a keep-in-touch cadence from the list.")


def keep_in_touch_due(last_interaction: date | None, cadence: str, created_on: date) -> date | None:
    """Return when to get back in touch: the last interaction (or creation) plus the cadence.

    A date that falls on a weekend rolls forward to the Monday.
    """
    since = last_interaction if last_interaction is not None else created_on
    due = add_cadence(since, cadence)
    return None if due is None else next_business_day(due)


def is_losing_touch(due: date | None, today: date) -> bool:
    """Return True when a keep-in-touch date has passed."""
    return due is not None and due < today


def snooze_business_days(today: date, n: int) -> date:
    """Return the date n business days from today; snoozing counts from today, not the old due."""
    if n < 1:
        raise ValueError("Snooze by at least one business day.")
    return business_days_after(today, n)


def validate_snooze_date(target: date, today: date) -> date:
    """Return target (a weekend rolls forward to the Monday) if it is today or later.

    Raise ValueError for a date in the past.
    """
    if target < today:
        raise ValueError("Pick today or a later date.")
    return next_business_day(target)


def not_a_working_day(asked: date) -> str:
    """Why a weekend date moved, said the same way wherever it is: "Saturday is not a working
    day"."""
    return f"{asked:%A} is not a working day"


def coming_week_end(today: date) -> date:
    """Return the last day of "This week": the seventh day after today."""
    return today + timedelta(days=7)


def bucket(due: date, today: date) -> Due:
    """Return which list a due date belongs in: overdue, today, this_week or later."""
    if due < today:
        return Due.OVERDUE
    if due == today:
        return Due.TODAY
    # The next seven days, so on a Sunday "This week" holds Monday to Friday's items.
    if due <= coming_week_end(today):
        return Due.THIS_WEEK
    return Due.LATER


def response_rate(replied: int, reached: int) -> float | None:
    """Return the share of people reached who replied, from 0.0 to 1.0, or None if none reached."""
    if replied < 0 or reached < 0:
        raise ValueError("Counts cannot be negative.")
    if replied > reached:
        raise ValueError("More replies than people reached.")
    if reached == 0:
        return None
    return replied / reached
