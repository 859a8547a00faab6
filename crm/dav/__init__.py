"""CardDAV and CalDAV at /dav/: Radicale, with storage, login and rights over the app's tables.

Radicale (crm.dav.storage's plugins) answers WebDAV; the app's database answers Radicale.
Each request runs inside the Flask app's context, so the plugins use the same session, models
and services as the pages, and a write commits once when Radicale is done with it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree

from flask import Flask, g, redirect
from flask.typing import ResponseReturnValue
from radicale import config as radicale_config
from radicale import pathutils, types
from radicale import utils as radicale_utils
from radicale.app import Application
from werkzeug.http import parse_accept_header, parse_options_header
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from crm.dav import changes  # noqa: F401  (its listeners write the tombstones)
from crm.dav.addressbook import AddressBook, edited_from
from crm.dav.changes import ADDRESS_BOOK
from crm.dav.served import remember_served
from crm.dav.storage import Auth, Rights, Storage, current_login
from crm.extensions import db

MOUNT = "/dav"
# A card with a photo is tens of kilobytes; a multiget of 100 hrefs a few. Radicale checks
# sizes only when it runs its own server, so the mount refuses larger bodies itself.
MAX_BODY_BYTES = 2 * 1024 * 1024
ADDRESS_DATA = "{urn:ietf:params:xml:ns:carddav}address-data"


def _configuration() -> radicale_config.Configuration:
    configuration = radicale_config.load()
    configuration.update(
        {
            "auth": {"type": Auth, "delay": "0"},
            # Only control characters are refused in paths: crm.dav.storage stores no files.
            "server": {"validate_path_value": "none"},
            "rights": {"type": Rights},
            "storage": {"type": Storage},
            "web": {"type": "none"},
            "hook": {"type": "none"},
            "sharing": {"type": "none"},
            "logging": {"level": "warning"},
        },
        "crm",
        privileged=True,
    )
    return configuration


def _asked_version(environ: dict[str, Any], body: bytes) -> str:
    """The vCard version the client asked for: "4.0" through an Accept header or a REPORT's
    <address-data version="4.0"/>, "3.0" otherwise."""
    for accepted, quality in parse_accept_header(environ.get("HTTP_ACCEPT")):
        media_type, options = parse_options_header(accepted)
        if media_type == "text/vcard" and quality > 0:
            return "4.0" if options.get("version") == "4.0" else "3.0"
    if environ.get("REQUEST_METHOD") != "REPORT" or not body:
        return "3.0"
    try:
        report = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return "3.0"  # Radicale answers 400 for it
    for element in report.iter(ADDRESS_DATA):
        return "4.0" if element.get("version") == "4.0" else "3.0"
    return "3.0"


class _Server(Application):
    """Radicale, with one change to PUT: a card edited from an older copy than the app's is
    merged field by field (crm.dav.card_writes) instead of refused with 412."""

    def do_PUT(
        self,
        environ: types.WSGIEnviron,
        base_prefix: str,
        path: str,
        user: str,
        user_groups: set[str],
        request_info: dict[str, Any],
    ) -> types.WSGIResponse:
        """Radicale's PUT; If-Match naming an older card still kept becomes a merge with it."""
        older = _older_card(path, environ.get("HTTP_IF_MATCH", ""))
        if older is not None:
            g.dav_merge_from, current_etag = older
            # The card now stands as the base: Radicale's own check still guards the write.
            environ = {**environ, "HTTP_IF_MATCH": current_etag}
        status, headers, body, xml = super().do_PUT(
            environ, base_prefix, path, user, user_groups, request_info
        )
        if g.get("dav_kept_app_values"):
            # The stored card is not the one sent (RFC 7231 4.3.4): no ETag, so the client
            # reads the merged card on its next sync.
            headers = {name: value for name, value in dict(headers).items() if name != "ETag"}
        return status, headers, body, xml


def _older_card(path: str, if_match: str) -> tuple[str, str] | None:
    """(the card the device edited, the current card's ETag) when a PUT to one of the logged-in
    user's cards names an older card that is still kept; None otherwise (a base too old to be
    kept leaves Radicale to answer 412, so nothing is overwritten unseen)."""
    login = current_login()
    parts = pathutils.strip_path(path).split("/")
    if login is None or not if_match or len(parts) != 3 or parts[:2] != [login.email, ADDRESS_BOOK]:
        return None
    uid = AddressBook(login).uid_of(parts[2])
    return edited_from(login.user_id, uid, if_match) if uid else None


class _InAppContext:
    """Radicale's WSGI app, run inside the Flask app's context (its database session)."""

    def __init__(self, app: Flask, dav: Application) -> None:
        self.app = app
        self.dav = dav

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if int(environ.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
            start_response("413 Request Entity Too Large", [("Content-Type", "text/plain")])
            return [b"Too large.\n"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        with self.app.app_context():
            g.dav_address = (environ.get("REMOTE_ADDR") or "unknown")[:64]
            # The card as the device sent it: Radicale re-serialises items through vobject,
            # which escapes the semicolons of properties it does not know.
            g.dav_body = body
            g.dav_vcard_version = _asked_version(environ, body)
            # Radicale builds its whole answer before returning: the session may close after.
            answer = list(self.dav(environ, start_response))
            if remember_served():
                db.session.commit()
            return answer


def mount_dav(app: Flask) -> None:
    """Serve sync at /dav/ and lead clients there from the well-known addresses."""
    # Radicale advertises vCard 4.0 only with a vobject that writes it; the app writes its own
    # (crm.dav.vcard4), so the address book offers both versions.
    radicale_utils.vobject_supports_vcard4 = lambda: True
    dav = _InAppContext(app, _Server(_configuration()))
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {MOUNT: dav})  # type: ignore[method-assign]

    def well_known() -> ResponseReturnValue:
        """Lead a sync client to the DAV server (RFC 6764)."""
        return redirect(f"{MOUNT}/", code=301)

    # Some clients (the caldav library over http) start at the server's root.
    app.add_url_rule("/", "dav_root", well_known, methods=["PROPFIND"])
    for kind in ("carddav", "caldav"):
        app.add_url_rule(
            f"/.well-known/{kind}",
            f"well_known_{kind}",
            well_known,
            methods=["GET", "PROPFIND", "OPTIONS", "HEAD"],
        )
