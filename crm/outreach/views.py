"""Outreach actions: mark a reply or a decline (logging one: crm/pages/contact_outreach.py)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from crm import clock
from crm.access import owned_or_404, safe_next
from crm.enums import OutreachStatus
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Outreach
from crm.outreach import bp
from crm.outreach.services import (
    OutreachError,
    next_step_words,
    set_status,
)
from crm.referrals.services import after_reply
from crm.words import plural


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
    told = None
    if new_status == OutreachStatus.REPLIED:
        # A referred person answered: the one who suggested them hears how it went.
        told = after_reply(outreach, clock.user_today(current_user))
    db.session.commit()
    if told is not None:
        flash(f"{told.reason} It is on your follow-ups.", "info")
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
