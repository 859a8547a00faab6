"""Follow-up pages and actions: the list, add by hand, done, snooze, dismiss."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import get_contact_or_404, owned_or_404, safe_next
from crm.contacts.page import render_contact_page
from crm.enums import Due, FollowUpKind
from crm.extensions import db
from crm.followups.forms import FollowUpForm, SnoozeForm
from crm.followups.services import (
    GROUP_LIMIT,
    LIST_LIMIT,
    FollowUpError,
    add_manual,
    colleagues_for,
    complete,
    dismiss,
    losing_touch,
    open_followups,
    snooze,
)
from crm.formatting import day_label
from crm.forms import ConfirmForm
from crm.messages.services import followup_messages
from crm.models import FollowUp

bp = Blueprint("followups", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every follow-up page needs a logged-in user."""


def _back(default: str) -> ResponseReturnValue:
    """Return to the page the button was on."""
    return redirect(safe_next(request.form.get("next")) or default)


# ?all=losing opens the Losing touch list, as ?all=overdue opens the overdue one.
LOSING = "losing"


@bp.route("/follow-ups")
def index() -> ResponseReturnValue:
    """Open follow-ups grouped Overdue, Today, This week, Later, and who is losing touch: the
    first rows of each list, or all of the one list asked for (?all=overdue, say)."""
    today = clock.user_today(current_user)
    opened = request.args.get("all", "")
    if opened not in (*Due.values(), LOSING):
        opened = ""  # an unknown list: every list as usual
    limits = {name: LIST_LIMIT if name == opened else GROUP_LIMIT for name in Due.values()}
    groups = open_followups(current_user.id, today, limits)
    drifting, drifting_total = losing_touch(
        current_user.id, today, limit=LIST_LIMIT if opened == LOSING else GROUP_LIMIT
    )
    shown = [row for rows in groups.groups.values() for row in rows]
    return render_template(
        "followups/index.html",
        groups=groups,
        opened=opened,
        list_limit=LIST_LIMIT,
        labels=Due.labels(),
        kind_labels=FollowUpKind.labels(),
        colleagues=colleagues_for(current_user.id, shown),
        losing=drifting,
        losing_total=drifting_total,
        action_form=ConfirmForm(),
        snooze_form=SnoozeForm(formdata=None),
        today=today,
        messages=followup_messages(current_user, shown),
    )


@bp.route("/contacts/<int:contact_id>/follow-ups", methods=["GET", "POST"])
def create(contact_id: int) -> ResponseReturnValue:
    """Add a follow-up by hand."""
    contact = get_contact_or_404(contact_id)
    if request.method == "GET":
        return redirect(url_for("contacts.show", contact_id=contact.id))
    form = FollowUpForm()
    if form.validate_on_submit():
        if form.due_on.data < clock.user_today(current_user):
            form.due_on.errors.append("Pick today or a later date.")
        else:
            add_manual(contact, form.due_on.data, form.reason.data.strip())
            db.session.commit()
            due = day_label(form.due_on.data, clock.user_today(current_user))
            flash(f"Follow-up added for {due}.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_contact_page(contact, status=400, followup_form=form)


def _act(
    followup_id: int, action: Callable[[FollowUp], object], success: str, check_in: str
) -> ResponseReturnValue:
    """Do one action on a follow-up and say so: `success` names the contact; the rut check-in,
    which has none, says `check_in`."""
    row = owned_or_404(FollowUp, followup_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            action(row)
        except FollowUpError as error:
            db.session.rollback()
            flash(str(error), "warning")
        else:
            db.session.commit()
            said = success.format(name=row.contact.full_name) if row.contact else check_in
            flash(said, "success")
    return _back(url_for("followups.index"))


@bp.route("/follow-ups/<int:followup_id>/done", methods=["POST"])
def done(followup_id: int) -> ResponseReturnValue:
    """Mark a follow-up done; it stays in the contact's history."""
    return _act(
        followup_id,
        complete,
        "Done. Nice work keeping in touch with {name}.",
        "Done. Your next check-in is suggested four weeks after you save one on the Plan page.",
    )


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
            flash("Enter a real date to snooze to, like 2026-11-27.", "warning")
            return _back(url_for("followups.index"))
    if form.validate_on_submit():
        try:
            snooze(row, today, days=days, to=target)
        except FollowUpError as error:
            db.session.rollback()
            flash(str(error), "warning")
        else:
            db.session.commit()
            moved = target is not None and row.due_on != target
            flash(
                f"{target:%A} is not a working day, so snoozed to {day_label(row.due_on, today)}."
                if moved
                else f"Snoozed to {day_label(row.due_on, today)}.",
                "success",
            )
    return _back(url_for("followups.index"))
