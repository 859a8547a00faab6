"""Calendar and address-book downloads, the Calendar and sync page, the subscribable feed and
the Apple profile that sets up sync."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm import clock
from crm.access import owned_or_404
from crm.calendar import services
from crm.calendar.forms import ReminderForm
from crm.calendar.sync import PROFILE_NAMES, PROFILE_TYPE, SyncServer, apple_profile, sync_server
from crm.deployment import NO_BASE_URL, NoPublicAddress, absolute_url, public_base_url
from crm.extensions import db
from crm.forms import ConfirmForm
from crm.models import Contact, FollowUp, Interview

bp = Blueprint("calendar", __name__)

ICS_TYPE = "text/calendar; charset=utf-8"
VCF_TYPE = "text/vcard; charset=utf-8"


def _download(body: bytes | Iterable[bytes], mimetype: str, names: tuple[str, str]) -> Response:
    """Return a file download named in ASCII, and in UTF-8 for browsers that read filename*."""
    response = Response(body, content_type=mimetype)
    ascii_name, utf8_name = names
    options = {"filename": ascii_name}
    if utf8_name != ascii_name:
        options["filename*"] = "UTF-8''" + quote(utf8_name, safe="!#$&+^`|~-._")
    response.headers.set("Content-Disposition", "attachment", **options)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/follow-ups/<int:followup_id>.ics")
@login_required
def followup_ics(followup_id: int) -> ResponseReturnValue:
    """Download one follow-up as a calendar event."""
    followup = owned_or_404(FollowUp, followup_id)
    body = services.followup_file(followup, current_user)
    return _download(body, ICS_TYPE, services.followup_file_names(followup))


@bp.route("/follow-ups.ics")
@login_required
def followups_ics() -> ResponseReturnValue:
    """Download every open follow-up as calendar events."""
    names = services.attachment_names("follow-ups", "ics", fallback="follow-ups")
    body = stream_with_context(services.iter_followups_file(current_user._get_current_object()))
    return _download(body, ICS_TYPE, names)


@bp.route("/interviews/<int:interview_id>.ics")
@login_required
def interview_ics(interview_id: int) -> ResponseReturnValue:
    """Download an informational interview for your own calendar."""
    interview = owned_or_404(Interview, interview_id)
    names = services.interview_file_names(interview, current_user, invite=False)
    return _download(services.interview_file(interview), ICS_TYPE, names)


@bp.route("/interviews/<int:interview_id>/invite.ics")
@login_required
def interview_invite(interview_id: int) -> ResponseReturnValue:
    """Download an invitation to send to the person you will interview."""
    interview = owned_or_404(Interview, interview_id)
    try:
        body = services.invite_file(interview, current_user)
    except services.NoEmailError:
        name = interview.contact.full_name
        flash(
            f"{name} has no email address yet, so there is no one to send the invitation to. "
            f"Add their email, then download the invitation again.",
            "warning",
        )
        return redirect(url_for("contacts.show", contact_id=interview.contact_id))
    names = services.interview_file_names(interview, current_user, invite=True)
    return _download(body, f"{ICS_TYPE}; method=REQUEST", names)


@bp.route("/contacts/<int:contact_id>.vcf")
@login_required
def contact_vcf(contact_id: int) -> ResponseReturnValue:
    """Download one contact as a vCard."""
    contact = owned_or_404(Contact, contact_id)
    names = services.attachment_names(contact.full_name, "vcf", fallback="contact")
    return _download(services.contact_file(contact), VCF_TYPE, names)


@bp.route("/contacts.vcf")
@login_required
def contacts_vcf() -> ResponseReturnValue:
    """Download the contact list, as searched and filtered, as vCards (streamed)."""
    cards = services.iter_listed_cards(current_user.id, request.args)
    names = services.attachment_names("contacts", "vcf", fallback="contacts")
    return _download(stream_with_context(cards), VCF_TYPE, names)


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def page() -> ResponseReturnValue:
    """The Calendar and sync page: sync settings, the feed link, downloads, the reminder time."""
    form = ReminderForm(obj=current_user if request.method == "GET" else None)
    if form.validate_on_submit():
        current_user.reminder_time = form.reminder_time.data
        db.session.commit()
        when = form.reminder_time.data
        flash(
            f"Saved. Reminders pop up at {when:%H:%M} on the day a follow-up is due."
            if when
            else "Saved. Your calendar files carry no reminders now.",
            "success",
        )
        return redirect(url_for("calendar.page"))
    token = services.current_feed_token(current_user, current_app.config["SECRET_KEY"])
    feed_url, address_missing = _feed_url(token) if token else (None, None)
    followup_count, interview_count = services.calendar_counts(current_user, clock.now())
    return render_template(
        "calendar/page.html",
        form=form,
        link_form=ConfirmForm(),
        has_link=bool(current_user.feed_token_hash),
        feed_url=feed_url,
        webcal_url=_webcal(feed_url) if feed_url and not address_missing else None,
        address_missing=address_missing,
        followup_count=followup_count,
        interview_count=interview_count,
        sync=_sync_server(),
        has_public_address=public_base_url(current_app.config) is not None,
        devices_url=_devices_url(),
    )


@bp.route("/calendar/sync.mobileconfig")
@login_required
def sync_profile() -> ResponseReturnValue:
    """Download the Apple profile that sets up contacts and calendar sync on an iPhone or Mac."""
    base_url = public_base_url(current_app.config)
    if base_url is None:
        flash(NO_BASE_URL, "warning")
        return redirect(url_for("calendar.page"))
    body = apple_profile(sync_server(base_url), current_user.email)
    return _download(body, PROFILE_TYPE, PROFILE_NAMES)


def _sync_server() -> SyncServer:
    """The DAV server under the public address, else under the address in use right now."""
    return sync_server(public_base_url(current_app.config) or request.url_root)


def _devices_url() -> str | None:
    """Where device passwords are made, once this server has that page."""
    if "account.devices" not in current_app.view_functions:
        return None
    return url_for("account.devices")


@bp.route("/calendar/link", methods=["POST"])
@login_required
def feed_link() -> ResponseReturnValue:
    """Make the secret feed link, or a new one in place of the old (which then stops working)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        had_link = bool(current_user.feed_token_hash)
        services.issue_feed_token(current_user, current_app.config["SECRET_KEY"])
        db.session.commit()
        flash(
            "Here is your new calendar link. The old one no longer works: "
            "subscribe again with this one in your calendar apps."
            if had_link
            else "Your calendar link is ready. Add it to your calendar app below.",
            "success",
        )
    return redirect(url_for("calendar.page"))


@bp.route("/feed/<token>.ics")
def feed(token: str) -> ResponseReturnValue:
    """The subscribable calendar feed; the secret token in the URL stands in for a login."""
    user = services.user_for_feed_token(token)
    if user is None:
        abort(404)
    now = clock.now()
    etag = services.feed_etag(user, now)
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        body = stream_with_context(services.iter_feed(user, now))
        response = Response(body, content_type=ICS_TYPE)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _feed_url(token: str) -> tuple[str, str | None]:
    """The feed's full address; without CRM_BASE_URL, its path and the reason there is no more."""
    try:
        return absolute_url("calendar.feed", token=token), None
    except NoPublicAddress:
        return url_for("calendar.feed", token=token), NO_BASE_URL


def _webcal(url: str) -> str:
    """Return the webcal:// form of an http(s) feed URL, which opens a calendar app."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", *parts[1:]))
