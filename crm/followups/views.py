"""Follow-up actions: done, snooze, dismiss, kept in touch (the list and adding one: crm/pages/)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from crm import clock
from crm.access import owned_or_404, safe_next
from crm.extensions import db
from crm.followups import bp, rules
from crm.followups.done import KeepInTouch, NextStep, finish
from crm.followups.forms import SnoozeForm
from crm.followups.services import FollowUpError, dismiss, snooze
from crm.followups.threads import reopen
from crm.formatting import day_label
from crm.forms import ConfirmForm, real_date_message
from crm.models import Contact, FollowUp


def _back(default: str) -> ResponseReturnValue:
    """Return to the page the button was on."""
    return redirect(safe_next(request.form.get("next")) or default)


def _act(
    followup_id: int,
    action: Callable[[FollowUp], list[NextStep] | None],
    success: str,
    check_in: str,
) -> ResponseReturnValue:
    """Do one action on a follow-up and say so: `success` names the contact; the rut check-in,
    which has none, says `check_in`."""
    row = owned_or_404(FollowUp, followup_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            planned = action(row)
        except FollowUpError as error:
            db.session.rollback()
            flash(str(error), "warning")
        else:
            db.session.commit()
            said = success.format(name=row.contact.full_name) if row.contact else check_in
            flash(_with_next_steps(said, planned), "success")
    return _back(url_for("followups.index"))


def _with_next_steps(said: str, planned: list[NextStep] | None) -> str:
    """The message, then the next steps Done planned, if any."""
    today = clock.user_today(current_user)
    return " ".join([said, *(step.said(today) for step in planned or [])])


@bp.route("/follow-ups/<int:followup_id>/done", methods=["POST"])
def done(followup_id: int) -> ResponseReturnValue:
    """Mark a follow-up done; it stays in the contact's history."""
    today = clock.user_today(current_user)
    return _act(
        followup_id,
        lambda row: finish(row, today),
        "Done. Nice work keeping in touch with {name}.",
        "Done. Your next check-in is suggested four weeks after you save one on the Plan page.",
    )


@bp.route("/contacts/<int:contact_id>/kept-in-touch", methods=["POST"])
def kept_in_touch(contact_id: int) -> ResponseReturnValue:
    """You got back in touch: the keep-in-touch reminder is done and the next one planned."""
    contact = owned_or_404(Contact, contact_id)
    if ConfirmForm().validate_on_submit():
        planned = finish(KeepInTouch(contact), clock.user_today(current_user))
        db.session.commit()
        flash(_with_next_steps(f"Kept in touch with {contact.full_name}.", planned), "success")
    return _back(url_for("followups.index", _anchor="losing"))


@bp.route("/follow-ups/<int:followup_id>/dismiss", methods=["POST"])
def dismiss_view(followup_id: int) -> ResponseReturnValue:
    """Dismiss a follow-up that no longer makes sense."""
    return _act(
        followup_id,
        dismiss,
        "Dismissed the follow-up for {name}.",
        "Dismissed the check-in reminder. Check in on the Plan page whenever you like; "
        "saving one plans the next.",
    )


@bp.route("/follow-ups/<int:followup_id>/reopen", methods=["POST"])
def reopen_view(followup_id: int) -> ResponseReturnValue:
    """Bring back a follow-up that a reply, a decline or a message closed."""
    today = clock.user_today(current_user)
    return _act(
        followup_id,
        lambda row: reopen(row, today),
        "Reopened the follow-up for {name}.",
        "Reopened the check-in reminder.",
    )


@bp.route("/follow-ups/<int:followup_id>/snooze", methods=["POST"])
def snooze_view(followup_id: int) -> ResponseReturnValue:
    """Snooze by +1 or +3 business days, or to a date."""
    row = owned_or_404(FollowUp, followup_id)
    today = clock.user_today(current_user)
    days = request.form.get("days", type=int)
    form: ConfirmForm | SnoozeForm
    if days in (1, 3):
        form = ConfirmForm()
        target = None
    else:
        form = SnoozeForm()
        days = None
        target = form.to.data if form.validate_on_submit() else None
        if target is None:
            flash(real_date_message("a real date to snooze to"), "warning")
            return _back(url_for("followups.index"))
    if form.validate_on_submit():
        try:
            snooze(row, today, days=days, to=target)
        except FollowUpError as error:
            db.session.rollback()
            flash(str(error), "warning")
        else:
            db.session.commit()
            said = f"Snoozed to {day_label(row.due_on, today)}."
            if target is not None and row.due_on != target:
                said = f"{rules.not_a_working_day(target)}, so s{said[1:]}"
            flash(said, "success")
    return _back(url_for("followups.index"))
