"""Message templates over the database, and filling them for a contact. Flushes only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select

from crm import clock
from crm.enums import FollowUpKind, InterviewStatus, TemplateKind
from crm.extensions import db
from crm.messages.defaults import DEFAULTS, PLAIN_SUBJECTS, THANK_YOU_LATE, Wording
from crm.messages.mailto import mailto_link
from crm.messages.placeholders import TemplateError, fill, one_line, template_problems
from crm.models import Contact, FollowUp, Interview, MessageTemplate, User, column_length
from crm.plan.role_titles import role_for_title
from crm.plan.roles import message_role, target_roles

MAX_SUBJECT = column_length(MessageTemplate.subject)
MAX_BODY = 5_000


def user_wordings(user_id: int) -> dict[TemplateKind, Wording]:
    """Each kind's wording for this user: their edit where there is one, else the default."""
    wordings = dict(DEFAULTS)
    rows = db.session.scalars(select(MessageTemplate).where(MessageTemplate.user_id == user_id))
    for row in rows:
        if row.kind in TemplateKind.values():
            wordings[TemplateKind(row.kind)] = Wording(subject=row.subject, body=row.body)
    return wordings


def edited_kinds(user_id: int) -> set[str]:
    """The kinds this user has reworded."""
    return set(
        db.session.scalars(
            select(MessageTemplate.kind).where(MessageTemplate.user_id == user_id)
        ).all()
    )


def save_template(user_id: int, kind: TemplateKind, subject: str, body: str) -> MessageTemplate:
    """Keep the user's wording for a kind; TemplateError lists every problem, nothing saved."""
    problems = [f"Subject: {p}" for p in template_problems(subject)] + [
        f"Message: {p}" for p in template_problems(body)
    ]
    if problems:
        raise TemplateError(problems)
    row = db.session.scalars(
        select(MessageTemplate).where(
            MessageTemplate.user_id == user_id, MessageTemplate.kind == kind.value
        )
    ).first()
    if row is None:
        row = MessageTemplate(user_id=user_id, kind=kind.value)
        db.session.add(row)
    row.subject = one_line(subject)
    row.body = body.replace("\r\n", "\n").strip()
    db.session.flush()
    return row


def restore_default(user_id: int, kind: TemplateKind) -> bool:
    """Forget the user's wording for a kind; True when there was one."""
    result = db.session.execute(
        delete(MessageTemplate).where(
            MessageTemplate.user_id == user_id, MessageTemplate.kind == kind.value
        )
    )
    return bool(getattr(result, "rowcount", 0))


def my_name(user: User) -> str:
    """The name the user signs with: blank until they set one (the sign-off is then left out,
    never signed with their email's local part)."""
    return (user.name or "").strip()


def role_for(user_id: int, contact: Contact) -> str:
    """{role} in a message to this contact: the target role their title names, else the
    user's first target role (blank while they have none)."""
    return message_role(user_id, contact.title)


def introducer_name(contact: Contact) -> str | None:
    """Who introduced the user to this contact (loads the introducer: one contact at a time)."""
    return contact.introduced_by.full_name if contact.introduced_by else None


def contact_values(
    user: User, contact: Contact, role: str, introduced_by: str | None
) -> dict[str, str | None]:
    """What each placeholder stands for in a message to this contact."""
    return {
        "first_name": contact.first_name or contact.full_name,
        "company": contact.company_name,
        "role": role,
        "introduced_by": introduced_by,
        "my_name": my_name(user),
    }


@dataclass(frozen=True)
class FilledMessage:
    """A template filled for one contact: ready to edit, check and open in a mail app."""

    kind: TemplateKind
    subject: str
    body: str
    notes: list[str] = field(default_factory=list)
    mailto: str | None = None


def _missing_note(name: str, contact: Contact, withheld: str | None = None) -> str:
    who = contact.first_name or contact.full_name
    if name == "introduced_by" and withheld:
        return (
            f"{withheld} suggested {who} but has not said you may mention them, so the "
            "message leaves their name out: say in the first line why you are writing."
        )
    if name == "introduced_by":
        return f"Nobody introduced you to {who}: say in the first line how you are connected."
    if name == "role":
        return "You have no target role yet, so the sentence about it was left out."
    if name == "company":
        return f"{who} has no company on file, so the sentence about it was left out."
    if name == "my_name":
        return "Your name is not set, so the sign-off was left out: add it in your Account."
    return f"{{{name}}} had no value, so its sentence was left out: read the message through."


def fill_for(
    kind: TemplateKind,
    wording: Wording,
    user: User,
    contact: Contact,
    role: str,
    introduced_by: str | None,
    withheld: str | None = None,
    late: bool = False,
) -> FilledMessage:
    """Fill a wording for a contact, noting what was left out and building the mailto link
    (`withheld`: a referrer who must not be named, who explains the blank; `late`: a
    thank-you written after the day of the interview, whose default drops "today")."""
    values = contact_values(user, contact, role, introduced_by)
    if late and wording == DEFAULTS[TemplateKind.THANK_YOU]:
        wording = THANK_YOU_LATE
    subject = fill(wording.subject, values)
    body = fill(wording.body, values)
    missing = [*body.missing, *(m for m in subject.missing if m not in body.missing)]
    # The note about the introducer comes first: it is about the message's first line.
    missing.sort(key=lambda name: name != "introduced_by")
    subject_text = one_line(subject.text) or PLAIN_SUBJECTS[kind]
    return FilledMessage(
        kind=kind,
        subject=subject_text,
        body=body.text,
        notes=[_missing_note(name, contact, withheld) for name in missing],
        mailto=mailto_link(contact.email, subject_text, body.text),
    )


def thank_you_is_late(held_on: date, today: date) -> bool:
    """A thank-you sent after the day of the interview: its words must not say "today"."""
    return today > held_on


def last_held_on(user_id: int, contact_id: int) -> date | None:
    """The day of the contact's latest interview held."""
    return db.session.scalar(
        select(func.max(Interview.done_on)).where(
            Interview.user_id == user_id,
            Interview.contact_id == contact_id,
            Interview.status == InterviewStatus.DONE,
        )
    )


def filled_for_contact(
    user: User, contact: Contact, kind: TemplateKind, withheld: str | None = None
) -> FilledMessage:
    """The user's wording of this kind of message, filled for the contact; a referrer who has
    not said yes to being named (`withheld`) is left out."""
    wording = user_wordings(user.id)[kind]
    named = None if withheld else introducer_name(contact)
    held_on = last_held_on(user.id, contact.id)
    late = (
        kind == TemplateKind.THANK_YOU
        and held_on is not None
        and thank_you_is_late(held_on, clock.user_today(user))
    )
    return fill_for(kind, wording, user, contact, role_for(user.id, contact), named, withheld, late)


# Follow-ups that ask for a message, and the template that writes it.
FOLLOWUP_TEMPLATES: dict[str, TemplateKind] = {
    FollowUpKind.NUDGE: TemplateKind.NUDGE,
    FollowUpKind.THANK_YOU: TemplateKind.THANK_YOU,
    FollowUpKind.UPDATE: TemplateKind.UPDATE,
    FollowUpKind.REFERRAL_ASK: TemplateKind.REFERRAL_ASK,
    FollowUpKind.TELL_REFERRER: TemplateKind.TELL_REFERRER,
}


@dataclass(frozen=True)
class FollowUpMessage:
    """The "Open in my email" of one follow-up row: a link, or None when there is no address."""

    label: str
    mailto: str | None


def _held_on_for(user_id: int, interview_ids: list[int]) -> dict[int, date]:
    """The day each of these interviews was held (one statement, none when there are none)."""
    if not interview_ids:
        return {}
    rows = db.session.execute(
        select(Interview.id, Interview.done_on).where(
            Interview.user_id == user_id,
            Interview.id.in_(set(interview_ids)),
            Interview.done_on.is_not(None),
        )
    )
    return {interview_id: day for interview_id, day in rows if day is not None}


def followup_messages(user: User, followups: list[FollowUp]) -> dict[int, FollowUpMessage]:
    """For each follow-up that asks for a message, its filled template as a mailto link.

    Always the same two statements (templates, target roles), and a third for the days the
    interviews behind any thank-yous were held, however many rows: the rows come
    with their contacts and introducers loaded (crm.followups.services.open_followups
    loads them; a contact page's rows are all its own contact's).
    """
    wordings = user_wordings(user.id)
    roles = target_roles(user.id)
    held = _held_on_for(user.id, [row.interview_id for row in followups if row.interview_id])
    today = clock.user_today(user)
    result: dict[int, FollowUpMessage] = {}
    for row in followups:
        # Every kind that asks for a message is about someone.
        if row.kind not in FOLLOWUP_TEMPLATES or row.contact is None:
            continue
        kind = FOLLOWUP_TEMPLATES[row.kind]
        role = role_for_title(roles, row.contact.title)
        introduced_by = introducer_name(row.contact)
        held_on = held.get(row.interview_id or 0)
        late = held_on is not None and thank_you_is_late(held_on, today)
        message = fill_for(kind, wordings[kind], user, row.contact, role, introduced_by, late=late)
        result[row.id] = FollowUpMessage(label=kind.label, mailto=message.mailto)
    return result
