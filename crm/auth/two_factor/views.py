"""Two-factor pages: the code at login, and turning it on and off from the Account page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm

from crm import clock
from crm.access import safe_next
from crm.auth.services import password_matches
from crm.auth.sessions import start_session
from crm.auth.throttle import attempt_succeeded, claim_attempt, too_many_message
from crm.auth.two_factor import services
from crm.auth.two_factor.forms import ConfirmTwoFactorForm, LoginCodeForm, TurnOffTwoFactorForm
from crm.auth.two_factor.pending import end_second_step, pending_login
from crm.deployment import client_address
from crm.enums import AttemptKind
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import User

bp = Blueprint("two_factor", __name__)

SECTION = "account.index"
ERRORS_KEY = "two_factor_refused"
STILL_ON = "That password or code is not right. Two-factor sign-in is still on."
WRONG_CODE = "That code is not right, or it was used already. Wait for the next one and try again."


def _back_to_section(form: FlaskForm | None = None) -> ResponseReturnValue:
    """Back to the Account page's section; a refused form's messages go along, to be shown
    beside its fields (the Account page is another feature's, so it is not rendered here)."""
    if form is not None:
        session[ERRORS_KEY] = {
            "form": form.__class__.__name__,
            "fields": {name: list(errors) for name, errors in form.errors.items() if name},
            "form_errors": list(form.form_errors),
        }
    return redirect(url_for(SECTION, _anchor="two-factor"))


def _with_errors(form: FlaskForm, refused: dict[str, Any] | None) -> FlaskForm:
    """The empty form, carrying the messages of its refused post if it was this one."""
    if refused and refused.get("form") == form.__class__.__name__:
        for name, messages in refused.get("fields", {}).items():
            if name in form:
                form[name].errors = list(messages)
        form.form_errors.extend(refused.get("form_errors", []))
    return form


@bp.app_template_global()
def two_factor_section() -> dict[str, Any]:
    """What the Account page's "Two-factor sign-in" section shows (templates include it)."""
    state = services.status(current_user)
    zone = clock.zone_named(current_user.time_zone)
    refused = session.pop(ERRORS_KEY, None)
    return {
        "status": state,
        "since": f"{state.since.astimezone(zone):%d %b %Y}" if state.since else "",
        "start": ConfirmForm(formdata=None),
        "confirm": _with_errors(ConfirmTwoFactorForm(formdata=None), refused),
        "off": _with_errors(TurnOffTwoFactorForm(formdata=None), refused),
    }


def _refused(user: User, form: FlaskForm) -> bool:
    """Count this code like a password attempt, or refuse it while too many from this
    account or address wait (the login throttle); if so the form says for how long."""
    minutes = claim_attempt(AttemptKind.LOGIN, user.email, client_address())
    if minutes:
        form.form_errors.append(too_many_message(minutes))
    return bool(minutes)


def _wrong_code() -> None:
    """Write nothing of a wrong code's request (its attempt was counted when claimed)."""
    db.session.rollback()


def _right_code(user: User) -> None:
    """The right code: forget this account-and-address's wrong attempts, as a login does."""
    attempt_succeeded(AttemptKind.LOGIN, user.email, client_address())


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> ResponseReturnValue:
    """The login's second step: a code from the authenticator app, or a recovery code."""
    pending = pending_login()
    user = db.session.get(User, pending.user_id) if pending else None
    if pending is None or user is None:
        end_second_step()
        flash("Please log in again.", "info")
        return redirect(url_for("auth.login"))
    form = LoginCodeForm()
    status = 200
    if form.validate_on_submit():
        if _refused(user, form):
            status = 429
        elif services.check_code(user, form.code.data):
            _right_code(user)
            end_second_step()
            start_session(user, remember=pending.remember, user_agent=request.user_agent.string)
            db.session.commit()
            login_user(user, remember=pending.remember)
            return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
        else:
            _wrong_code()
            form.code.errors.append(WRONG_CODE)
            status = 400
    return render_template("auth/login_code.html", form=form), status


@bp.route("/account/two-factor/start", methods=["POST"])
@login_required
def start() -> ResponseReturnValue:
    """Make a new secret for the user's app to scan; it guards nothing until confirmed."""
    if ConfirmForm().validate_on_submit():
        services.start_enrolment(current_user)
        db.session.commit()
    return _back_to_section()


@bp.route("/account/two-factor/cancel", methods=["POST"])
@login_required
def cancel() -> ResponseReturnValue:
    """Drop a secret that was never confirmed."""
    if ConfirmForm().validate_on_submit():
        services.cancel_enrolment(current_user)
        db.session.commit()
    return _back_to_section()


@bp.route("/account/two-factor/confirm", methods=["POST"])
@login_required
def confirm() -> ResponseReturnValue:
    """Turn two-factor on with the first code from the app; show the recovery codes once."""
    form = ConfirmTwoFactorForm()
    if not form.validate_on_submit():
        return _back_to_section(form)
    codes = services.confirm_enrolment(current_user, form.code.data)
    if codes is None:
        db.session.rollback()
        form.code.errors.append(f"{WRONG_CODE} Two-factor sign-in is not on yet.")
        return _back_to_section(form)
    db.session.commit()
    page = render_template("auth/recovery_codes.html", codes=codes)
    # The codes are shown this once: no copy of the page should stay in a cache.
    return page, 200, {"Cache-Control": "no-store"}


@bp.route("/account/two-factor/off", methods=["POST"])
@login_required
def turn_off() -> ResponseReturnValue:
    """Turn two-factor off, after the password and a code."""
    form = TurnOffTwoFactorForm()
    if not form.validate_on_submit() or _refused(current_user, form):
        return _back_to_section(form)
    right = password_matches(current_user, form.password.data) and services.check_code(
        current_user, form.code.data
    )
    if not right:
        _wrong_code()
        form.form_errors.append(
            "That password or code is not right. Two-factor sign-in is still on."
        )
        return _back_to_section(form)
    services.turn_off(current_user)
    db.session.commit()
    _right_code(current_user)
    flash("Two-factor sign-in is off. Logging in asks only for your password.", "info")
    return _back_to_section()
