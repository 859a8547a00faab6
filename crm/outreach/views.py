"""Outreach actions: log an attempt, mark a reply or a decline."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import get_contact_or_404, owned_or_404, safe_next
from crm.contacts.page import render_contact_page
from crm.enums import OutreachStatus
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Outreach
from crm.outreach.forms import OutreachForm
from crm.outreach.services import OutreachError, find_recent_twin, log_outreach, set_status

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
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_contact_page(contact, status=400, outreach_form=form)


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
        closed_text = f" {closed} follow-up{'s' if closed != 1 else ''} closed." if closed else ""
        flash(
            f"{contact.full_name} replied!{closed_text} "
            "Schedule the informational interview while it is fresh.",
            "success",
        )
        return redirect(url_for("interviews.create", contact_id=contact.id))
    if new_status == OutreachStatus.DECLINED:
        flash(
            f"{contact.full_name} declined. That is a temporary delay, not a roadblock: "
            "try someone else at the company.",
            "info",
        )
    else:
        flash("Noted.", "info")
    return redirect(back)
