"""Registration, log in and out, and setting a forgotten password by email."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from crm.access import safe_next
from crm.auth.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from crm.auth.services import (
    AccountError,
    authenticate,
    create_user,
    find_user,
    register_or_find,
    reset_token,
    set_password,
    user_for_reset_token,
)
from crm.auth.sessions import end_all_sessions, end_session, start_session, user_for_token
from crm.auth.throttle import (
    attempt_succeeded,
    claim_attempt,
    too_many_message,
)
from crm.auth.two_factor import services as two_factor
from crm.auth.two_factor.pending import start_second_step
from crm.deployment import absolute_url, client_address, mail_problem
from crm.enums import AttemptKind
from crm.extensions import db, login_manager
from crm.forms import ConfirmForm
from crm.mail import mail_configured
from crm.models import User
from crm.outbox import send_later

bp = Blueprint("auth", __name__)

RESET_SENT = (
    "If an account exists for that address, we have sent it a link to set a new password. "
    "The link works once, within an hour. No email? Check the spam folder, or try again."
)
REGISTER_SENT = (
    "Check your email: we have sent a message to that address that tells you how to log in. "
    "No email? Check the spam folder."
)


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Flask-Login's hook: the user whose live login session the cookie names."""
    return user_for_token(session_token)


def registration_open() -> bool:
    """CRM_REGISTRATION=closed leaves only `flask create-user`."""
    setting: str = current_app.config["REGISTRATION"]
    return setting != "closed"


def _log_in(user: User, remember: bool) -> None:
    """Start a login session of its own for this browser, and commit it."""
    start_session(user, remember=remember, user_agent=request.user_agent.string)
    db.session.commit()
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    """Create an account and log in; with mail set up, the email says how to log in."""
    if not registration_open():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        if mail_problem(current_app.config) is None:
            # The same answer whether or not the address has an account.
            _register_by_email(form)
            flash(REGISTER_SENT, "info")
            return redirect(url_for("auth.login"))
        # Without mail (or a public address for its links) nobody can be told by email, so a
        # taken address is said on the page.
        try:
            user = create_user(
                form.email.data, form.password.data, form.time_zone.data, form.name.data or ""
            )
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            _log_in(user, remember=False)
            flash("Welcome! Your account is ready.", "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register.html", form=form)


def _register_by_email(form: RegisterForm) -> None:
    """Create the account and say so by email; for an address that has one, tell its owner
    instead. Same page, same time: the email goes out after the response."""
    user, new = register_or_find(
        form.email.data, form.password.data, form.time_zone.data, form.name.data or ""
    )
    db.session.commit()
    template = "auth/registered_email.txt" if new else "auth/register_taken_email.txt"
    subject = "Your account is ready" if new else "Someone tried to register with your address"
    text = render_template(
        template,
        user=user,
        login=absolute_url("auth.login"),
        forgot=absolute_url("auth.forgot_password"),
    )
    send_later(current_app.config, user.email, subject, text, current_app.logger)


def _refused(form: LoginForm | ForgotPasswordForm, kind: AttemptKind) -> bool:
    """Count this attempt, or refuse it while too many from this account or address wait;
    if so the form says for how long."""
    minutes = claim_attempt(kind, form.email.data, client_address())
    if minutes:
        form.form_errors.append(too_many_message(minutes))
    return bool(minutes)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in with email and password; many wrong passwords in a row are refused for a while."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        if _refused(form, AttemptKind.LOGIN):
            status = 429
        else:
            user = authenticate(form.email.data, form.password.data)
            if user is None:
                form.form_errors.append("That email and password do not match an account.")
            elif two_factor.is_on(user):
                # Not logged in yet: the second step asks for the code.
                start_second_step(user, remember=form.remember.data)
                return redirect(url_for("two_factor.login_code", next=request.args.get("next")))
            else:
                attempt_succeeded(AttemptKind.LOGIN, form.email.data, client_address())
                _log_in(user, remember=form.remember.data)
                return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
    page = render_template(
        "auth/login.html",
        form=form,
        registration_open=registration_open(),
        can_reset=mail_configured(current_app.config),
    )
    return page, status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    """Log out: the session ends on the server too, so copies of its cookies stop working."""
    form = ConfirmForm()
    if form.validate_on_submit():
        end_session(current_user.session_token)
        db.session.commit()
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


def _send_reset_link(user: User) -> None:
    """Email the user a link to set a new password, after the response (crm.outbox)."""
    link = absolute_url(
        "auth.reset_password", token=reset_token(user, current_app.config["SECRET_KEY"])
    )
    text = render_template("auth/reset_email.txt", user=user, link=link)
    send_later(current_app.config, user.email, "Set a new password", text, current_app.logger)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a link to set a new password (only when the server can send mail)."""
    if not mail_configured(current_app.config):
        abort(404)
    # Mail set up but no CRM_BASE_URL: no link is sent, and the page says why.
    problem = mail_problem(current_app.config)
    form = ForgotPasswordForm()
    status = 200
    if problem is None and form.validate_on_submit():
        if _refused(form, AttemptKind.RESET):
            status = 429
        else:
            user = find_user(form.email.data)
            db.session.commit()
            if user is not None:
                _send_reset_link(user)
            # The same answer whether or not the address has an account.
            flash(RESET_SENT, "info")
            return redirect(url_for("auth.forgot_password"))
    return render_template("auth/forgot.html", form=form, problem=problem), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Set a new password from an emailed link: once, within the hour."""
    user = user_for_reset_token(token, current_app.config["SECRET_KEY"])
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data)
        except AccountError as error:
            form.password.errors.append(str(error))
        else:
            end_all_sessions(user)
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            flash("Your new password is set. Log in with it.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, email=user.email)
