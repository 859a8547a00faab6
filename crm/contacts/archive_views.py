"""The Archived list and Restore (routes on the contacts blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from crm import clock
from crm.access import owned_or_404
from crm.contacts import bp
from crm.contacts.archive import archived_contacts, restore
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Contact


@bp.route("/archived")
def archived() -> ResponseReturnValue:
    """Contacts deleted on a synced device: their history is kept until restored."""
    zone = clock.zone_named(current_user.time_zone)
    rows = [
        (contact, f"{contact.archived_at.astimezone(zone):%a %d %b %Y}")
        for contact in archived_contacts(current_user.id)
        if contact.archived_at is not None
    ]
    return render_template("contacts/archived.html", rows=rows, form=ConfirmForm())


@bp.route("/<int:contact_id>/restore", methods=["POST"])
def restore_view(contact_id: int) -> ResponseReturnValue:
    """Bring an archived contact back to the list and to synced devices."""
    contact = owned_or_404(Contact, contact_id)
    if ConfirmForm().validate_on_submit() and contact.archived_at is not None:
        restore(contact)
        db.session.commit()
        flash(f"{contact.full_name} is back in your contacts.", "success")
    return redirect(url_for("contacts.archived"))
