"""The Templates page (linked from Settings), and the JSON the outreach form's script reads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm.access import owned_or_404
from crm.enums import TemplateKind
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.messages.check import as_json, check_message
from crm.messages.defaults import DEFAULTS
from crm.messages.forms import TemplateForm
from crm.messages.mailto import mailto_link
from crm.messages.placeholders import PLACEHOLDERS, TemplateError, template_problems
from crm.messages.services import (
    edited_kinds,
    filled_for_contact,
    restore_default,
    save_template,
    user_wordings,
)
from crm.models import Contact
from crm.referrals.services import mention_for

MAX_CHECKED = 10_000  # the outreach form's own limit on a message

bp = Blueprint("messages", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every template page needs a logged-in user."""


def _kind_or_404(kind: str) -> TemplateKind:
    try:
        return TemplateKind(kind)
    except ValueError:
        abort(404)


@bp.route("/settings/templates")
def index() -> ResponseReturnValue:
    """The five templates, each with its subject and message, and which ones you reworded."""
    return render_template(
        "messages/index.html",
        wordings=user_wordings(current_user.id),
        edited=edited_kinds(current_user.id),
    )


@bp.route("/settings/templates/<kind>", methods=["GET", "POST"])
def edit(kind: str) -> ResponseReturnValue:
    """Reword one template; unknown placeholders or stray braces are named, nothing saved."""
    template_kind = _kind_or_404(kind)
    wording = user_wordings(current_user.id)[template_kind]
    form = TemplateForm(data={"subject": wording.subject, "body": wording.body})
    if form.validate_on_submit():
        # Each problem goes beside its own field, where the keyboard focus lands.
        form.subject.errors = [*form.subject.errors, *template_problems(form.subject.data)]
        form.body.errors = [*form.body.errors, *template_problems(form.body.data)]
        try:
            if form.subject.errors or form.body.errors:
                raise TemplateError([])
            save_template(current_user.id, template_kind, form.subject.data, form.body.data)
        except TemplateError:
            db.session.rollback()
        else:
            db.session.commit()
            flash(f"Saved your {template_kind.label.lower()} template.", "success")
            return redirect(url_for("messages.index"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "messages/edit.html",
        form=form,
        kind=template_kind,
        label=template_kind.label,
        placeholders=PLACEHOLDERS,
        edited=template_kind.value in edited_kinds(current_user.id),
        default=DEFAULTS[template_kind],
        restore_form=ConfirmForm(),
    ), status


@bp.route("/settings/templates/<kind>/restore", methods=["POST"])
def restore(kind: str) -> ResponseReturnValue:
    """Go back to the app's own wording for one template."""
    template_kind = _kind_or_404(kind)
    if ConfirmForm().validate_on_submit() and restore_default(current_user.id, template_kind):
        db.session.commit()
        flash(f"The {template_kind.label.lower()} template is the default again.", "success")
    return redirect(url_for("messages.index"))


@bp.route("/contacts/<int:contact_id>/templates/<kind>.json")
def filled(contact_id: int, kind: str) -> ResponseReturnValue:
    """One template filled for a contact, with its check and mailto link (for the script)."""
    contact = owned_or_404(Contact, contact_id)
    template_kind = _kind_or_404(kind)
    mention = mention_for(contact)
    message = filled_for_contact(current_user, contact, template_kind, mention.withheld)
    return jsonify(
        subject=message.subject,
        body=message.body,
        notes=message.notes,
        mailto=message.mailto,
        check=as_json(
            check_message(message.body, template_kind.value, mention.named, mention.withheld)
        ),
    )


@bp.route("/contacts/<int:contact_id>/message-check", methods=["POST"])
def check(contact_id: int) -> ResponseReturnValue:
    """The check of a message as typed, and its mailto link; the same rules as on save."""
    contact = owned_or_404(Contact, contact_id)
    body = request.form.get("message", "")[:MAX_CHECKED]
    subject = request.form.get("subject", "")[:MAX_CHECKED]
    kind = request.form.get("template") or TemplateKind.FIRST_OUTREACH.value
    if kind not in TemplateKind.values():
        kind = TemplateKind.FIRST_OUTREACH.value
    mention = mention_for(contact)
    return jsonify(
        check=as_json(check_message(body, kind, mention.named, mention.withheld)),
        mailto=mailto_link(contact.email, subject, body) if body.strip() else None,
    )
