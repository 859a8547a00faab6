"""Logging an outreach from a contact's page: saved, back to the page; not saved, or a template
filled in without JavaScript, the page again with the form, its check and its errors."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from crm import clock
from crm.access import get_contact_or_404
from crm.enums import FollowUpKind, TemplateKind, ThreadStep
from crm.extensions import db
from crm.formatting import day_label
from crm.messages.check import CheckItem, check_message
from crm.messages.mailto import mailto_link
from crm.messages.services import filled_for_contact
from crm.models import Contact
from crm.outreach import bp as outreach_bp
from crm.outreach.forms import OutreachForm
from crm.outreach.services import Logged, OutreachError, find_recent_twin, log_message
from crm.pages.contact import render_contact_page
from crm.referrals.services import after_outreach, mention_for

LOGGED_AWAITING = (
    "Logged. Most first messages get no reply: we will remind you to try "
    "a second person and to nudge once."
)


@outreach_bp.route("/contacts/<int:contact_id>/outreach", methods=["GET", "POST"])
def create(contact_id: int) -> ResponseReturnValue:
    """Log an outreach attempt; awaiting a reply plans the 3B and 7B follow-ups."""
    contact = get_contact_or_404(contact_id)
    if request.method == "GET":  # a reload after a form error lands back on the contact
        return redirect(url_for("contacts.show", contact_id=contact.id))
    form = OutreachForm()
    if form.use_template.data:
        return _use_template(contact, form)
    if form.validate_on_submit() and _logged(contact, form):
        return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_contact_page(
        contact, status=400, outreach_form=form, message=_message_view(contact, form)
    )


def _logged(contact: Contact, form: OutreachForm) -> bool:
    """Log the valid form's outreach and say so; False (the error on the form) when it cannot
    be logged."""
    summary = (form.summary.data or "").strip() or None
    if find_recent_twin(contact, form.channel.data, form.sent_on.data, summary):
        flash("That outreach is already logged.", "info")
        return True
    today = clock.user_today(current_user)
    try:
        logged = log_message(
            current_user,
            contact,
            form.channel.data,
            form.sent_on.data,
            form.status.data,
            summary,
            today,
        )
    except OutreachError as error:
        db.session.rollback()
        form.sent_on.errors.append(str(error))
        return False
    told = after_outreach(logged.outreach, today)
    db.session.commit()
    flash(logged_words(logged, today), "success")
    if told is not None:
        flash(f"{told.reason} It is on your follow-ups.", "info")
    if summary:
        flash(_check_summary(contact, summary, form.template.data), "info")
    return True


# What the flash says after saving, for the steps whose words name nothing planned.
_STEP_WORDS = {
    ThreadStep.STARTED: LOGGED_AWAITING,
    ThreadStep.NUDGED: (
        "Logged as your nudge to {name}: “Nudge once” is done. Nothing new is planned; "
        "when they reply, mark it on their page."
    ),
    ThreadStep.IN_THREAD: (
        "Logged as part of your open thread with {name}: nothing new is planned."
    ),
    ThreadStep.HISTORY_ONLY: "Logged as history: nothing to follow up.",
    ThreadStep.ENDED: "Logged.",
}


def logged_words(logged: Logged, today: date) -> str:
    """The flash after saving, fitting what was logged: a first message, the nudge, a message
    inside the thread, or history."""
    contact = logged.outreach.contact
    name = contact.first_name or contact.full_name
    if logged.step in _STEP_WORDS:
        return _STEP_WORDS[logged.step].format(name=name)
    if logged.step == ThreadStep.HISTORY_NUDGE:
        due = day_label(logged.planned[0].due, today)
        return f"Logged as history. With no reply since, nudge {name} once on {due}."
    steps = [
        f"{FollowUpKind(plan.kind).label.lower()} on {day_label(plan.due, today)}"
        for plan in logged.planned
    ]
    return f"Logged as history. Still ahead: {', '.join(steps)}."


def _checked(contact: Contact, text: str, kind: str) -> list[CheckItem]:
    """The message's check, naming the introducer only where the user may."""
    mention = mention_for(contact)
    return check_message(text, _kind(kind), mention.named, mention.withheld)


def _kind(kind: str | None) -> str:
    """The template kind the message is checked as: the one picked, else a first outreach."""
    return kind if kind in TemplateKind.values() else TemplateKind.FIRST_OUTREACH


def _check_summary(contact: Contact, text: str, kind: str) -> str:
    """One line on save: how the message did against the check."""
    items = _checked(contact, text, kind)
    met = sum(item.ok for item in items)
    if met == len(items):
        return f"Your message met all {len(items)} marks of a note that gets a yes."
    todo = "; ".join(item.label.lower() for item in items if not item.ok)
    return f"Your message met {met} of {len(items)} marks. Next time: {todo}."


def _message_view(
    contact: Contact,
    form: OutreachForm,
    notes: list[str] | None = None,
    mailto: str | None = None,
) -> dict[str, object]:
    """What the page shows beside the message: its check, notes on blanks, the mailto link."""
    text = form.summary.data or ""
    if not text.strip():
        return {"check": None, "notes": notes or [], "mailto": None}
    return {
        "check": _checked(contact, text, form.template.data),
        "notes": notes or [],
        "mailto": mailto or mailto_link(contact.email, form.subject.data or "", text),
    }


def _use_template(contact: Contact, form: OutreachForm) -> ResponseReturnValue:
    """Without JavaScript: fill the chosen template into the form and show it again, unsaved."""
    form.validate_on_submit()  # runs the CSRF check; the other fields may still be unfinished
    if "csrf_token" in form.errors:
        return render_contact_page(contact, status=400, outreach_form=form)
    for field in form:
        field.errors = []
    if form.template.data not in TemplateKind.values():
        form.template.errors = ["Pick a template from the list first."]
        return render_contact_page(contact, status=400, outreach_form=form)
    kind = TemplateKind(form.template.data)
    message = filled_for_contact(current_user, contact, kind, mention_for(contact).withheld)
    form.subject.data = message.subject
    form.summary.data = message.body
    return render_contact_page(
        contact,
        outreach_form=form,
        message=_message_view(contact, form, notes=message.notes, mailto=message.mailto),
    )
