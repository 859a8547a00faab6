"""The interview page's "Who else should I talk to?": a suggested name becomes a contact
introduced by the interviewee, or links the contact they already are (the contact form's twin
rules), and a "Reach" follow-up is planned. Here, above the features it joins: the contacts'
twin rules and tags, the interview's notes, and the referrals.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from crm import clock
from crm.access import owned_or_404
from crm.companies import get_or_create_company
from crm.contacts.lookup import namesakes
from crm.contacts.services import find_duplicate, set_tags
from crm.enums import Source
from crm.extensions import db
from crm.interviews.forms import InterviewNotesForm
from crm.interviews.services import carries_notes, save_notes
from crm.models import Contact, Interview, column_length
from crm.normalize import name_key, squash
from crm.referrals import bp as referrals_bp
from crm.referrals.chain import introduction_problem
from crm.referrals.forms import SuggestionForm
from crm.referrals.services import plan_reach, record_suggestion

REFERRAL_TAG = "referral"
FIRST_NAME_MAX = column_length(Contact.first_name)
LAST_NAME_MAX = column_length(Contact.last_name)


class SuggestionError(ValueError):
    """A suggested person who cannot be added, in words for the user."""


@dataclass(frozen=True)
class Added:
    """The contact a suggestion led to, and whether they were already a contact."""

    contact: Contact
    existed: bool


def find_twin(user_id: int, form: SuggestionForm) -> Contact | None:
    """The contact this suggested person already is: same LinkedIn URL or email (the contact
    form's rule), else the same name at the same company (the import's)."""
    twin = find_duplicate(user_id, form.email, form.linkedin_url)
    if twin is not None:
        return twin
    company = name_key(form.company.data)
    for namesake in namesakes(user_id, form.name.data):
        other_url = form.linkedin_url and namesake.linkedin_url not in (None, form.linkedin_url)
        if name_key(namesake.company_name) == company and not other_url:
            return namesake
    return None


def add_suggested(interview: Interview, form: SuggestionForm) -> Added:
    """Create the suggested person (or link their twin), keep the suggestion, plan reaching
    them."""
    interviewee = interview.contact
    twin = find_twin(interview.user_id, form)
    if twin is not None and twin.id == interviewee.id:
        raise SuggestionError(f"That is {interviewee.full_name}: type someone they suggested.")
    contact = twin or _new_contact(interview, form)
    if twin is not None and twin.introduced_by_id is None:
        problem = introduction_problem(interview.user_id, twin.id, interviewee.id)
        if problem:
            raise SuggestionError(problem)
        twin.introduced_by = interviewee
    record_suggestion(interview, contact, form.permission.data)
    plan_reach(contact, interviewee, clock.user_today(current_user))
    return Added(contact, existed=twin is not None)


def _new_contact(interview: Interview, form: SuggestionForm) -> Contact:
    first, _, last = squash(form.name.data).partition(" ")
    interviewee = interview.contact
    contact = Contact(
        user_id=interview.user_id,
        first_name=first[:FIRST_NAME_MAX],
        last_name=last[:LAST_NAME_MAX],
        email=form.email,
        linkedin_url=form.linkedin_url,
        title=squash(form.title.data) or None,
        network=interviewee.network,
        introduced_by=interviewee,
        source=Source.MANUAL,
    )
    contact.company = get_or_create_company(interview.user_id, form.company.data)
    db.session.add(contact)
    set_tags(contact, REFERRAL_TAG)
    db.session.flush()
    return contact


def _said(added: Added, interviewee: Contact) -> str:
    name = added.contact.full_name
    if not added.existed:
        return (
            f"{name} is in your contacts, introduced by {interviewee.full_name}. "
            "Reaching them is on your follow-ups for the next business day."
        )
    introducer = added.contact.introduced_by
    by = f", introduced by {introducer.full_name}" if introducer else ""
    return f"{name} was already in your contacts{by}: linked to this interview, not added twice."


@referrals_bp.route("/interviews/<int:interview_id>/suggestions", methods=["GET", "POST"])
def suggest(interview_id: int) -> ResponseReturnValue:
    """Add a suggested person, keeping any notes typed on the interview page."""
    interview = owned_or_404(Interview, interview_id)
    back = url_for("interviews.show", interview_id=interview.id) + "#suggested"
    if request.method == "GET":
        return redirect(back)
    notes = InterviewNotesForm()
    if not notes.validate_on_submit():
        flash("This page had expired, or a notes section is too long. Please try again.", "info")
        return redirect(back)
    form = SuggestionForm(prefix="suggest")
    if form.validate():
        try:
            added = add_suggested(interview, form)
        except SuggestionError as error:
            db.session.rollback()
            flash(str(error), "warning")
        else:
            flash(_said(added, interview.contact), "success")
    else:
        problems = [f"{field.label.text}: {error}" for field in form for error in field.errors]
        flash(" ".join(problems), "warning")
    # The notes go with the click whether or not the person could be added.
    if carries_notes(request.form) and save_notes(interview, notes.data):
        flash("Notes saved.", "success")
    db.session.commit()
    return redirect(back)
