"""Account pages: each form posts to its own address and comes back to /account."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import Field

from crm import clock
from crm.access import owned_or_404
from crm.account.devices import create_device, revoke_device, user_devices
from crm.account.forms import ChangePasswordForm, DeleteAccountForm, DeviceForm, ProfileForm
from crm.account.models import DevicePassword
from crm.auth.services import (
    AccountError,
    change_email,
    delete_account,
    password_matches,
    set_password,
)
from crm.auth.sessions import active_sessions, end_other_sessions
from crm.auth.throttle import attempt_succeeded, claim_attempt, too_many_message
from crm.deployment import client_address, public_base_url
from crm.enums import AttemptKind
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.words import plural

bp = Blueprint("account", __name__)


def _page(status: int = 200, **forms: FlaskForm) -> ResponseReturnValue:
    """The Account page, with any form that failed kept as the user filled it."""
    forms.setdefault("profile", ProfileForm(obj=current_user, formdata=None))
    forms.setdefault("password", ChangePasswordForm(formdata=None))
    forms.setdefault("delete", DeleteAccountForm(formdata=None))
    zone = clock.zone_named(current_user.time_zone)
    sessions = [
        (entry, f"{entry.last_seen_at.astimezone(zone):%a %d %b %Y, %H:%M}")
        for entry in active_sessions(current_user)
    ]
    page = render_template("account/index.html", sessions=sessions, others=ConfirmForm(), **forms)
    return page, status


def _password_refused(field: Field, wrong: str) -> int | None:
    """Check the current password typed in `field`, counted and throttled like a login:
    None when it is right, else the status to answer (the field says why)."""
    minutes = claim_attempt(AttemptKind.LOGIN, current_user.email, client_address())
    if minutes:
        field.errors.append(too_many_message(minutes))
        return 429
    if not password_matches(current_user, field.data):
        field.errors.append(wrong)
        return 400
    attempt_succeeded(AttemptKind.LOGIN, current_user.email, client_address())
    return None


@bp.route("/account")
@login_required
def index() -> ResponseReturnValue:
    """Name, email, password, active sessions and deleting the account."""
    return _page()


@bp.route("/account/profile", methods=["POST"])
@login_required
def profile() -> ResponseReturnValue:
    """Save the name; change the email when the current password confirms it."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(400, profile=form)
    new_email = form.email.data.strip().lower()
    if new_email != current_user.email:
        if not form.current_password.data:
            form.current_password.errors.append("Type your current password to change your email.")
            return _page(400, profile=form)
        refused = _password_refused(form.current_password, "That is not your current password.")
        if refused:
            return _page(refused, profile=form)
        try:
            change_email(current_user, new_email)
        except AccountError as error:
            form.email.errors.append(str(error))
            db.session.rollback()
            return _page(400, profile=form)
    current_user.name = (form.name.data or "").strip()
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for("account.index"))


@bp.route("/account/password", methods=["POST"])
@login_required
def password() -> ResponseReturnValue:
    """Change the password; every other session of the account ends."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(400, password=form)
    refused = _password_refused(form.current_password, "That is not your current password.")
    if refused:
        return _page(refused, password=form)
    try:
        set_password(current_user, form.password.data)
    except AccountError as error:
        form.password.errors.append(str(error))
        return _page(400, password=form)
    ended = end_other_sessions(current_user)
    db.session.commit()
    others = f" {plural(ended, 'other session')} logged out." if ended else ""
    flash(f"Your password is changed.{others}", "success")
    return redirect(url_for("account.index"))


@bp.route("/account/sessions/others", methods=["POST"])
@login_required
def end_others() -> ResponseReturnValue:
    """Log out everywhere else: every session but this one ends."""
    if ConfirmForm().validate_on_submit():
        ended = end_other_sessions(current_user)
        db.session.commit()
        flash(f"Logged out everywhere else ({plural(ended, 'session')}).", "info")
    return redirect(url_for("account.index"))


@bp.route("/account/delete", methods=["POST"])
@login_required
def delete() -> ResponseReturnValue:
    """Delete the account and everything in it, after the password."""
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(400, delete=form)
    refused = _password_refused(form.password, "That is not your password. Nothing was deleted.")
    if refused:
        return _page(refused, delete=form)
    # Pending uploads are rows too: they go with the account, in the same transaction.
    delete_account(current_user)
    db.session.commit()
    logout_user()
    flash("Your account and everything in it are deleted.", "info")
    return redirect(url_for("auth.login"))


def _devices_page(
    status: int = 200, form: DeviceForm | None = None, **shown: str
) -> ResponseReturnValue:
    """Devices and apps: the device passwords, when each was last used, and a new one shown once."""
    zone = clock.zone_named(current_user.time_zone)
    devices = [
        (
            device,
            f"{device.last_used_at.astimezone(zone):%a %d %b %Y, %H:%M}"
            if device.last_used_at
            else "Not used yet",
        )
        for device in user_devices(current_user.id)
    ]
    page = render_template(
        "account/devices.html",
        devices=devices,
        form=form or DeviceForm(formdata=None),
        revoke=ConfirmForm(),
        dav_url=(public_base_url(current_app.config) or request.host_url.rstrip("/")) + "/dav/",
        **shown,
    )
    return page, status


@bp.route("/account/devices")
@login_required
def devices() -> ResponseReturnValue:
    """The passwords phones and desktop apps sync with."""
    return _devices_page()


@bp.route("/account/devices", methods=["POST"])
@login_required
def create_device_password() -> ResponseReturnValue:
    """A new device password, shown on this answer only (it is never stored)."""
    form = DeviceForm()
    if not form.validate_on_submit():
        return _devices_page(400, form)
    device, secret = create_device(current_user.id, form.data["name"])
    db.session.commit()
    return _devices_page(201, new_name=device.name, new_secret=secret)


@bp.route("/account/devices/<int:device_id>/revoke", methods=["POST"])
@login_required
def revoke_device_password(device_id: int) -> ResponseReturnValue:
    """Revoke a device password: that device's next sync is refused."""
    device = owned_or_404(DevicePassword, device_id)
    if ConfirmForm().validate_on_submit():
        name = device.name
        revoke_device(device)
        db.session.commit()
        flash(f"Revoked the password for {name}. That device can no longer sync.", "info")
    return redirect(url_for("account.devices"))
