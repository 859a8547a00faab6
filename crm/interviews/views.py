"""Interview pages: schedule, view with notes, edit, done, thank-you, cancel."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import get_contact_or_404, owned_or_404
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.interviews.forms import InterviewForm, InterviewNotesForm
from crm.interviews.services import (
    InterviewError,
    cancel,
    done_message,
    local_start,
    mark_done,
    record_thank_you,
    reschedule,
    save_notes,
    schedule,
    twice_that_night,
)
from crm.models import Interview

bp = Blueprint("interviews", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every interview page needs a logged-in user."""


def get_interview_or_404(interview_id: int) -> Interview:
    """The logged-in user's interview, or 404."""
    return owned_or_404(Interview, interview_id)


def _warn_if_twice(form: InterviewForm) -> None:
    """Say which of the two times we used when the clocks go back that night."""
    zone = current_user.time_zone
    if twice_that_night(form.day.data, form.start.data, zone):
        flash(
            f"{form.start.data:%H:%M} happens twice that night in {zone} (the clocks go back); "
            "we used the first one, before the change.",
            "info",
        )


@bp.route("/contacts/<int:contact_id>/interviews/new", methods=["GET", "POST"])
def create(contact_id: int) -> ResponseReturnValue:
    """Schedule an informational interview."""
    contact = get_contact_or_404(contact_id)
    form = InterviewForm()
    if form.validate_on_submit():
        try:
            interview = schedule(current_user, contact, form.data)
        except InterviewError as error:
            db.session.rollback()
            form.start.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Interview with {contact.full_name} scheduled.", "success")
            _warn_if_twice(form)
            return redirect(url_for("interviews.show", interview_id=interview.id))
    return render_template("interviews/form.html", form=form, contact=contact, interview=None)


@bp.route("/interviews/<int:interview_id>")
def show(interview_id: int) -> ResponseReturnValue:
    """One interview: when, where, prep questions and notes."""
    interview = get_interview_or_404(interview_id)
    notes_form = InterviewNotesForm(obj=interview, formdata=None)
    return _render_show(interview, notes_form)


def _render_show(
    interview: Interview, notes_form: InterviewNotesForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "interviews/show.html",
        interview=interview,
        contact=interview.contact,
        start=local_start(interview, current_user.time_zone),
        notes_form=notes_form,
        action_form=ConfirmForm(),
    )
    return page, status


@bp.route("/interviews/<int:interview_id>/edit", methods=["GET", "POST"])
def edit(interview_id: int) -> ResponseReturnValue:
    """Change the time, place or prep questions."""
    interview = get_interview_or_404(interview_id)
    form = InterviewForm()
    if request.method == "GET":
        start = local_start(interview, current_user.time_zone)
        form = InterviewForm(formdata=None, obj=interview, day=start.date(), start=start.time())
    elif form.validate_on_submit():
        try:
            reschedule(current_user, interview, form.data)
        except InterviewError as error:
            db.session.rollback()
            form.start.errors.append(str(error))
        else:
            db.session.commit()
            flash("Saved.", "success")
            _warn_if_twice(form)
            return redirect(url_for("interviews.show", interview_id=interview.id))
    return render_template(
        "interviews/form.html", form=form, contact=interview.contact, interview=interview
    )


@bp.route("/interviews/<int:interview_id>/notes", methods=["GET", "POST"])
def notes(interview_id: int) -> ResponseReturnValue:
    """Save the notes sections."""
    interview = get_interview_or_404(interview_id)
    if request.method == "GET":
        return redirect(url_for("interviews.show", interview_id=interview.id))
    form = InterviewNotesForm()
    if form.validate_on_submit():
        save_notes(interview, form.data)
        db.session.commit()
        flash("Notes saved.", "success")
        return redirect(url_for("interviews.show", interview_id=interview.id))
    return _render_show(interview, form, status=400)


def _action(
    interview_id: int, action: Callable[[Interview], object], success: str
) -> ResponseReturnValue:
    interview = get_interview_or_404(interview_id)
    if ConfirmForm().validate_on_submit():
        try:
            action(interview)
        except InterviewError as error:
            db.session.rollback()
            flash(str(error), "info")
        else:
            db.session.commit()
            flash(success.format(name=interview.contact.full_name), "success")
    return redirect(url_for("interviews.show", interview_id=interview.id))


@bp.route("/interviews/<int:interview_id>/done", methods=["POST"])
def done(interview_id: int) -> ResponseReturnValue:
    """Mark held: thank-you, update and referral-ask follow-ups are planned."""
    interview = get_interview_or_404(interview_id)
    if ConfirmForm().validate_on_submit():
        try:
            planned = mark_done(current_user, interview, clock.user_today(current_user))
        except InterviewError as error:
            db.session.rollback()
            flash(str(error), "info")
        else:
            db.session.commit()
            flash(done_message(interview.contact.full_name, planned), "success")
    return redirect(url_for("interviews.show", interview_id=interview.id))


@bp.route("/interviews/<int:interview_id>/thank-you", methods=["POST"])
def thank_you(interview_id: int) -> ResponseReturnValue:
    """Record that the thank-you is sent."""
    return _action(
        interview_id,
        lambda interview: record_thank_you(interview, clock.user_today(current_user)),
        "Thank-you to {name} recorded.",
    )


@bp.route("/interviews/<int:interview_id>/cancel", methods=["POST"])
def cancel_view(interview_id: int) -> ResponseReturnValue:
    """Cancel a scheduled interview."""
    return _action(interview_id, cancel, "The interview with {name} is cancelled.")
