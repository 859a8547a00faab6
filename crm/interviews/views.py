"""Interview pages: schedule, view with notes, edit, done, thank-you, cancel."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import get_contact_or_404, owned_or_404
from crm.extensions import db
from crm.formatting import starts_in
from crm.interviews.forms import InterviewForm, InterviewNotesForm
from crm.interviews.services import (
    LIST_LIMIT,
    InterviewError,
    cancel,
    carries_notes,
    done_message,
    has_started,
    listing,
    local_start,
    mark_done,
    record_thank_you,
    reschedule,
    save_notes,
    schedule,
    twice_that_night,
)
from crm.models import Interview
from crm.referrals.forms import SuggestionForm
from crm.referrals.services import after_interview_held, suggestions_of

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


@bp.route("/interviews")
def index() -> ResponseReturnValue:
    """Every interview, coming and past, so one is found without remembering whose it was."""
    contact = None
    if (contact_id := request.args.get("contact", type=int)) is not None:
        contact = get_contact_or_404(contact_id)
    now = clock.now()
    coming, past = listing(current_user.id, now, contact.id if contact else None)
    return render_template(
        "interviews/index.html",
        contact=contact,
        coming=coming,
        past=past,
        limit=LIST_LIMIT,
        now=now,
        zone=clock.user_zone(current_user),
        today=clock.user_today(current_user),
    )


@bp.route("/interviews/<int:interview_id>")
def show(interview_id: int) -> ResponseReturnValue:
    """One interview: when, where, prep questions and notes."""
    interview = get_interview_or_404(interview_id)
    notes_form = InterviewNotesForm(obj=interview, formdata=None)
    return _render_show(interview, notes_form)


def _render_show(
    interview: Interview, notes_form: InterviewNotesForm, status: int = 200
) -> ResponseReturnValue:
    start = local_start(interview, current_user.time_zone)
    now = clock.local(clock.now(), clock.user_zone(current_user))
    page = render_template(
        "interviews/show.html",
        interview=interview,
        contact=interview.contact,
        start=start,
        started=has_started(interview, clock.now()),
        starts_in=starts_in(start, now),
        notes_form=notes_form,
        suggestions=suggestions_of(interview),
        suggestion_form=SuggestionForm(prefix="suggest", formdata=None),
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


# Where "Save notes" goes next: every button on the interview page sends the notes along.
AFTER_NOTES = {
    "edit": lambda interview: url_for("interviews.edit", interview_id=interview.id),
    "introduce": lambda interview: url_for("contacts.create", introduced_by=interview.contact_id),
}


@bp.route("/interviews/<int:interview_id>/notes", methods=["GET", "POST"])
def notes(interview_id: int) -> ResponseReturnValue:
    """Save the notes sections, then go where the button asked (the page, Edit, a new contact)."""
    interview = get_interview_or_404(interview_id)
    if request.method == "GET":
        return redirect(url_for("interviews.show", interview_id=interview.id))
    form = InterviewNotesForm()
    if not form.validate_on_submit():
        return _render_show(interview, form, status=400)
    if save_notes(interview, form.data):
        flash("Notes saved.", "success")
    db.session.commit()
    then = AFTER_NOTES.get(request.form.get("then", ""))
    if then is not None:
        return redirect(then(interview))
    return redirect(url_for("interviews.show", interview_id=interview.id))


def _action(interview_id: int, act: Callable[[Interview], str]) -> ResponseReturnValue:
    """Do a one-button action (`act` does it and says what it did), keeping any notes typed on
    the page that sent it."""
    interview = get_interview_or_404(interview_id)
    form = InterviewNotesForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            flash("This page had expired. Please try again.", "info")
            return redirect(url_for("interviews.show", interview_id=interview.id))
        return _render_show(interview, form, status=400)
    try:
        said = act(interview)
    except InterviewError as error:
        db.session.rollback()
        flash(str(error), "info")
    else:
        flash(said, "success")
    # The notes go with the click whether or not the action could be done.
    if carries_notes(request.form) and save_notes(interview, form.data):
        flash("Notes saved.", "success")
    db.session.commit()
    return redirect(url_for("interviews.show", interview_id=interview.id))


@bp.route("/interviews/<int:interview_id>/done", methods=["POST"])
def done(interview_id: int) -> ResponseReturnValue:
    """Mark held: thank-you, update and referral-ask follow-ups are planned."""

    def act(interview: Interview) -> str:
        planned = mark_done(current_user, interview, clock.now())
        # A referred person interviewed: the one who suggested them hears how it went.
        after_interview_held(interview, clock.user_today(current_user))
        return done_message(interview.contact.full_name, planned)

    return _action(interview_id, act)


@bp.route("/interviews/<int:interview_id>/thank-you", methods=["POST"])
def thank_you(interview_id: int) -> ResponseReturnValue:
    """Record that the thank-you is sent."""

    def act(interview: Interview) -> str:
        record_thank_you(interview, clock.user_today(current_user))
        return f"Thank-you to {interview.contact.full_name} recorded."

    return _action(interview_id, act)


@bp.route("/interviews/<int:interview_id>/cancel", methods=["POST"])
def cancel_view(interview_id: int) -> ResponseReturnValue:
    """Cancel a scheduled interview."""

    def act(interview: Interview) -> str:
        cancel(interview)
        return f"The interview with {interview.contact.full_name} is cancelled."

    return _action(interview_id, act)
