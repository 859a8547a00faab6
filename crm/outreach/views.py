"""Outreach actions: log an attempt, mark a reply or a decline."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import get_contact_or_404, owned_or_404, safe_next
from crm.contacts.page import render_contact_page
from crm.enums import OutreachStatus, TemplateKind
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Contact, Outreach
from crm.outreach.forms import OutreachForm
from crm.outreach.message_check import check_message
from crm.outreach.services import (
    OutreachError,
    find_recent_twin,
    log_outreach,
    next_step_words,
    set_status,
    template_message,
)
from crm.words import plural

bp = Blueprint("outreach", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every outreach action needs a logged-in user."""


@bp.route("/contacts/<int:contact_id>/outreach", methods=["GET", "POST"])
def create(contact_id: int) -> ResponseReturnValue:
    """Log an outreach attempt; awaiting a reply plans the 3B and 7B follow-ups."""
    contact = get_contact_or_404(contact_id)
    if request.method == "GET":  # a reload after a form error lands back on the contact
        return redirect(url_for("contacts.show", contact_id=contact.id))
    form = OutreachForm()
    if form.use_template.data:
        return _use_template(contact, form)
    if form.validate_on_submit():
        summary = (form.summary.data or "").strip() or None
        if find_recent_twin(contact, form.channel.data, form.sent_on.data, summary):
            flash("That outreach is already logged.", "info")
            return redirect(url_for("contacts.show", contact_id=contact.id))
        try:
            log_outreach(
                current_user,
                contact,
                form.channel.data,
                form.sent_on.data,
                form.status.data,
                summary,
                clock.user_today(current_user),
            )
        except OutreachError as error:
            db.session.rollback()
            form.sent_on.errors.append(str(error))
        else:
            db.session.commit()
            if form.status.data == OutreachStatus.AWAITING:
                flash(
                    "Logged. Most first messages get no reply: we will remind you to try "
                    "a second person and to nudge once.",
                    "success",
                )
            else:
                flash("Logged.", "success")
            if summary:
                flash(_check_summary(contact, summary, form.template.data), "info")
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_contact_page(
        contact, status=400, outreach_form=form, message=_message_view(contact, form)
    )


def _introducer(contact: Contact) -> str | None:
    return contact.introduced_by.full_name if contact.introduced_by else None


def _check_summary(contact: Contact, text: str, kind: str) -> str:
    """One line on save: how the message did against the check."""
    if kind not in TemplateKind.values():
        kind = TemplateKind.FIRST_OUTREACH
    items = check_message(text, kind, _introducer(contact))
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
    from crm.messages.mailto import mailto_link

    text = form.summary.data or ""
    if not text.strip():
        return {"check": None, "notes": notes or [], "mailto": None}
    kind = form.template.data
    if kind not in TemplateKind.values():
        kind = TemplateKind.FIRST_OUTREACH
    return {
        "check": check_message(text, kind, _introducer(contact)),
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
    message = template_message(current_user, contact, kind)
    form.subject.data = message.subject
    form.summary.data = message.body
    return render_contact_page(
        contact,
        outreach_form=form,
        message=_message_view(contact, form, notes=message.notes, mailto=message.mailto),
    )


@bp.route("/outreach/<int:outreach_id>/status", methods=["POST"])
def status(outreach_id: int) -> ResponseReturnValue:
    """One click: replied, declined or no response."""
    outreach = owned_or_404(Outreach, outreach_id)
    new_status = request.form.get("status", "")
    form = ConfirmForm()
    back = safe_next(request.form.get("next")) or url_for(
        "contacts.show", contact_id=outreach.contact_id
    )
    if new_status not in OutreachStatus.values() or not form.validate_on_submit():
        flash("That status is not one we know.", "warning")
        return redirect(back)
    contact = outreach.contact
    try:
        closed = set_status(outreach, new_status, clock.user_today(current_user))
    except OutreachError as error:
        db.session.rollback()
        flash(str(error), "info")
        return redirect(back)
    db.session.commit()
    if new_status == OutreachStatus.REPLIED:
        closed_text = f" {plural(closed, 'follow-up')} closed." if closed else ""
        flash(
            f"{contact.full_name} replied!{closed_text} "
            "Schedule the informational interview while it is fresh.",
            "success",
        )
        return redirect(url_for("interviews.create", contact_id=contact.id))
    if new_status in (OutreachStatus.DECLINED, OutreachStatus.NO_RESPONSE):
        # Never a failure: the method's reframe and the next concrete step.
        flash(next_step_words(outreach, clock.user_today(current_user)), "info")
    else:
        flash("Noted.", "info")
    return redirect(back)
