"""Contact pages: list, add, view, edit, delete."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from crm import clock
from crm.access import owned_or_404
from crm.contacts import bp
from crm.contacts.forms import SORT_CHOICES, ContactForm
from crm.contacts.services import (
    ContactFilters,
    apply_form,
    contact_page,
    find_duplicate,
    find_introducer,
    introduced_people,
    user_tags,
)
from crm.contacts.timeline import TimelineEntry, contact_timeline
from crm.enums import Channel, FollowUpKind, FollowUpState, Network, OutreachStatus
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Contact, FollowUp


def get_contact_or_404(contact_id: int) -> Contact:
    """The logged-in user's contact, or 404 (also when it belongs to someone else)."""
    return owned_or_404(Contact, contact_id)


@bp.before_request
@login_required
def require_login() -> None:
    """Every contact page needs a logged-in user."""


@bp.route("/")
def index() -> ResponseReturnValue:
    """The contact list: search, filter, sort, paginate."""
    args = request.args
    filters = ContactFilters.from_args(args)
    page = contact_page(
        current_user.id,
        filters,
        page=args.get("page", 1, type=int),
        per_page=current_app.config["CONTACTS_PER_PAGE"],
    )
    return render_template(
        "contacts/index.html",
        page=page,
        filters=filters,
        networks=Network.choices(),
        sorts=SORT_CHOICES,
        tags=user_tags(current_user.id),
    )


def _save(form: ContactForm, contact: Contact) -> bool:
    """Validate the cross-row rules (duplicates, introducer) and apply the form."""
    duplicate = find_duplicate(
        current_user.id, form.email.data, form.linkedin_url.data, exclude_id=contact.id
    )
    if duplicate is not None:
        field = (
            form.linkedin_url
            if form.linkedin_url.data and duplicate.linkedin_url == form.linkedin_url.data
            else form.email
        )
        field.errors = [
            *field.errors,
            f"{duplicate.full_name} already has this {field.label.text}.",
        ]
        form.duplicate = duplicate
        return False
    introducer = find_introducer(current_user.id, form.introduced_by.data, exclude_id=contact.id)
    if introducer.error:
        form.introduced_by.errors = [*form.introduced_by.errors, introducer.error]
        return False
    apply_form(contact, form.data, introducer.contact)
    return True


@bp.route("/new", methods=["GET", "POST"])
def create() -> ResponseReturnValue:
    """Add a contact."""
    form = ContactForm()
    if request.method == "GET" and (intro_id := request.args.get("introduced_by", type=int)):
        form.introduced_by.data = get_contact_or_404(intro_id).full_name
    if form.validate_on_submit():
        contact = Contact(user_id=current_user.id)
        if _save(form, contact):
            db.session.add(contact)
            db.session.commit()
            flash(f"{contact.full_name} is in your contacts.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
        db.session.rollback()
    return render_template("contacts/form.html", form=form, contact=None)


def _is_open_followup(entry: TimelineEntry) -> bool:
    """Open follow-ups show under Next steps; the timeline is what has happened."""
    return isinstance(entry.item, FollowUp) and entry.item.status == FollowUpState.OPEN


def render_contact_page(
    contact: Contact, status: int = 200, **forms: FlaskForm
) -> ResponseReturnValue:
    """The contact page, with any form that failed validation passed in to show its errors."""
    from crm.followups.forms import CadenceForm, FollowUpForm, NoteForm
    from crm.outreach.forms import OutreachForm

    today = clock.user_today(current_user)
    outreach_form = forms.get("outreach_form") or OutreachForm(formdata=None, sent_on=today)
    followup_form = forms.get("followup_form") or FollowUpForm(formdata=None)
    cadence_form = forms.get("cadence_form") or CadenceForm(formdata=None, cadence=contact.cadence)
    note_form = forms.get("note_form") or NoteForm(formdata=None)
    timeline = contact_timeline(contact, clock.user_zone(current_user))
    page = render_template(
        "contacts/show.html",
        contact=contact,
        introduced=introduced_people(contact),
        timeline=[e for e in timeline if not _is_open_followup(e)],
        open_followups=sorted(
            (e.item for e in timeline if _is_open_followup(e)), key=lambda f: (f.due_on, f.id)
        ),
        today=today,
        outreach_form=outreach_form,
        followup_form=followup_form,
        cadence_form=cadence_form,
        note_form=note_form,
        kind_labels=FollowUpKind.labels(),
        channel_labels=Channel.labels(),
        status_labels=OutreachStatus.labels(),
    )
    return page, status


@bp.route("/<int:contact_id>")
def show(contact_id: int) -> ResponseReturnValue:
    """One contact's page: details, next steps and the timeline."""
    return render_contact_page(get_contact_or_404(contact_id))


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int) -> ResponseReturnValue:
    """Edit a contact."""
    contact = get_contact_or_404(contact_id)
    form = ContactForm(obj=contact if request.method == "GET" else None)
    if request.method == "GET":
        form.company.data = contact.company_name or ""
        form.tags.data = ", ".join(contact.tag_names)
        form.introduced_by.data = contact.introduced_by.full_name if contact.introduced_by else ""
    if form.validate_on_submit():
        if _save(form, contact):
            db.session.commit()
            flash("Saved.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
        db.session.rollback()
    return render_template("contacts/form.html", form=form, contact=contact)


@bp.route("/<int:contact_id>/delete", methods=["GET", "POST"])
def delete(contact_id: int) -> ResponseReturnValue:
    """Ask, then delete a contact (the deletion itself is a POST)."""
    contact = get_contact_or_404(contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = contact.full_name
        db.session.delete(contact)
        db.session.commit()
        flash(f"{name} was deleted.", "info")
        return redirect(url_for("contacts.index"))
    return render_template("contacts/delete.html", contact=contact, form=form)
