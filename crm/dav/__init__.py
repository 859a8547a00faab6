"""CardDAV and CalDAV at /dav/: Radicale, with storage, login and rights over the app's tables.

Radicale (crm.dav.storage's plugins) answers WebDAV; the app's database answers Radicale.
Each request runs inside the Flask app's context, so the plugins use the same session, models
and services as the pages, and a write commits once when Radicale is done with it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from flask import Flask, g, redirect
from flask.typing import ResponseReturnValue
from radicale import config as radicale_config
from radicale.app import Application
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from crm.dav import changes  # noqa: F401  (its listeners write the tombstones)
from crm.dav.storage import Auth, Rights, Storage

MOUNT = "/dav"
# A card with a photo is tens of kilobytes; a multiget of 100 hrefs a few. Radicale checks
# sizes only when it runs its own server, so the mount refuses larger bodies itself.
MAX_BODY_BYTES = 2 * 1024 * 1024


def _configuration() -> radicale_config.Configuration:
    configuration = radicale_config.load()
    configuration.update(
        {
            "auth": {"type": Auth, "delay": "0"},
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
            # Radicale builds its whole answer before returning: the session may close after.
            return list(self.dav(environ, start_response))


def mount_dav(app: Flask) -> None:
    """Serve sync at /dav/ and lead clients there from the well-known addresses."""
    dav = _InAppContext(app, Application(_configuration()))
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
