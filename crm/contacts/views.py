"""Contact pages: list, add, edit, delete (a contact's own page: crm/pages/contact.py)."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from crm import clock
from crm.access import get_contact_or_404, posted_id
from crm.contacts import bp
from crm.contacts.bookmarklet import bookmarklet_href
from crm.contacts.capture import CapturedPerson, SentPage, read_sent_page
from crm.contacts.filters import ContactFilters
from crm.contacts.forms import NOTES_MAX, SORT_CHOICES, ContactForm
from crm.contacts.introducers import add_introducer, find_introducer
from crm.contacts.listing import PageAsked, contact_page
from crm.contacts.lookup import name_suggestions, suggestion_words
from crm.contacts.services import (
    apply_form,
    find_duplicate,
    user_tags,
    what_goes_with,
)
from crm.deployment import NoPublicAddress, absolute_url
from crm.enums import Network
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Company, Contact, column_length
from crm.normalize import fold
from crm.referrals.chain import introduction_problem

NAMES_SUGGESTED = 10


@bp.route("/")
def index() -> ResponseReturnValue:
    """The contact list: search, filter, sort, paginate."""
    args = request.args
    filters = ContactFilters.from_args(args)
    shown = contact_page(
        current_user.id,
        filters,
        PageAsked.from_args(args),
        per_page=current_app.config["CONTACTS_PER_PAGE"],
    )
    return render_template(
        "contacts/index.html",
        contacts=shown.listing,
        capped=shown.capped,
        more=shown.more,
        next_after=shown.next_after,
        previous_before=shown.previous_before,
        filters=filters,
        networks=Network.choices(),
        sorts=SORT_CHOICES,
        tags=user_tags(current_user.id),
        bookmarklet=bookmarklet_href(_capture_address()),
    )


def _capture_address() -> str:
    """Where the bookmarklet sends a page: the public address, else the one in use now."""
    try:
        return absolute_url("contacts.capture")
    except NoPublicAddress:
        return url_for("contacts.capture", _external=True)


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
    introducer = find_introducer(
        current_user.id,
        form.introduced_by.data,
        exclude_id=contact.id,
        chosen_id=request.form.get("introducer_id", type=posted_id),
    )
    if introducer.new_name and fold(request.form.get("add_introducer", "")) == fold(
        introducer.new_name
    ):
        # The person said yes to "add them": the introducer is created with this save.
        introducer.contact = add_introducer(current_user.id, introducer.new_name)
        introducer.error = None
        flash(
            f"{introducer.contact.full_name} is in your contacts too; "
            "add their details when you have a moment.",
            "info",
        )
    if introducer.contact is not None and introducer.contact.id is not None:
        # Nobody is their own introducer, directly or through others.
        introducer.error = introduction_problem(current_user.id, contact.id, introducer.contact.id)
    if introducer.error:
        form.introduced_by.errors = [*form.introduced_by.errors, introducer.error]
        form.introducer = introducer
        return False
    apply_form(contact, form.data, introducer.contact, clock.user_today(current_user))
    return True


@bp.route("/new", methods=["GET", "POST"])
def create() -> ResponseReturnValue:
    """Add a contact."""
    form = ContactForm()
    introducer_id = request.form.get("introducer_id", type=posted_id)
    if request.method == "GET" and (intro_id := request.args.get("introduced_by", type=int)):
        form.introduced_by.data = get_contact_or_404(intro_id).full_name
        introducer_id = intro_id
    if request.method == "GET" and (company := request.args.get("company", "").strip()):
        # "Reach a second person" offers to add someone at the same company.
        form.company.data = company[: column_length(Company.name)]
    if form.validate_on_submit():
        contact = Contact(user_id=current_user.id)
        if _save(form, contact):
            db.session.add(contact)
            db.session.commit()
            flash(f"{contact.full_name} is in your contacts.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
        db.session.rollback()
    return _render_form(form, None, introducer_id)


@bp.route("/capture")
def capture() -> ResponseReturnValue:
    """The add-contact form filled in from a page or a share; a known person opens instead."""
    args = request.args
    person = read_sent_page(
        SentPage(
            title=args.get("title", ""),
            url=args.get("url", ""),
            selection=args.get("selection", ""),
            text=args.get("text", ""),
        )
    )
    twin = find_duplicate(current_user.id, person.email, person.linkedin_url)
    if twin is not None:
        flash(
            f"{twin.full_name} is already in your contacts, so here they are. Nothing was added.",
            "info",
        )
        return redirect(url_for("contacts.show", contact_id=twin.id))
    values, cut = _fit_to_form(person)
    return _render_form(ContactForm(data=values), None, None, captured=person, cut=cut)


def _fit_to_form(person: CapturedPerson) -> tuple[dict[str, str], bool]:
    """The form's values from a captured person, each cut to what its field holds."""
    room = {
        "first_name": column_length(Contact.first_name),
        "last_name": column_length(Contact.last_name),
        "title": column_length(Contact.title),
        "company": column_length(Company.name),
        "email": column_length(Contact.email),
        "linkedin_url": column_length(Contact.linkedin_url),
        "notes": NOTES_MAX,
    }
    values = {field: getattr(person, field) for field in room}
    fitted = {field: _fit(field, value, room[field]) for field, value in values.items()}
    return fitted, person.cut or fitted != values


def _fit(field: str, value: str, room: int) -> str:
    """Text cut to fit; an address or email too long to keep whole is left out, not broken."""
    if len(value) <= room:
        return value
    return "" if field in ("email", "linkedin_url") else value[:room]


def _render_form(
    form: ContactForm,
    contact: Contact | None,
    introducer_id: int | None,
    captured: CapturedPerson | None = None,
    cut: bool = False,
) -> ResponseReturnValue:
    """The contact form; "Introduced by" may offer to add a person or ask which namesake."""
    return render_template(
        "contacts/form.html",
        form=form,
        contact=contact,
        introducer=getattr(form, "introducer", None),
        introducer_id=introducer_id,
        captured=captured,
        cut=cut,
        action=url_for("contacts.create") if captured else None,
    )


@bp.route("/names")
def names() -> ResponseReturnValue:
    """Suggestions for "Introduced by": the user's contacts whose names match what is typed."""
    typed = request.args.get("q", "")
    if not suggestion_words(typed):
        return jsonify([])
    found = name_suggestions(current_user.id, typed, limit=NAMES_SUGGESTED)
    return jsonify([{"name": name.name, "detail": name.detail} for name in found])


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int) -> ResponseReturnValue:
    """Edit a contact."""
    contact = get_contact_or_404(contact_id)
    form = ContactForm(obj=contact if request.method == "GET" else None)
    introducer_id = request.form.get("introducer_id", type=posted_id)
    if request.method == "GET":
        form.company.data = contact.company_name or ""
        form.tags.data = ", ".join(contact.tag_names)
        form.introduced_by.data = contact.introduced_by.full_name if contact.introduced_by else ""
        introducer_id = contact.introduced_by_id
    if form.validate_on_submit():
        if _save(form, contact):
            db.session.commit()
            flash("Saved.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
        db.session.rollback()
    return _render_form(form, contact, introducer_id)


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
    return render_template(
        "contacts/delete.html", contact=contact, form=form, goes=what_goes_with(contact)
    )
