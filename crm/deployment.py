"""How the app meets the outside world: its public address, proxies, headers and bad input.

CRM_BASE_URL fixes the public address: every absolute link (feed, emails, check-in) is built
under it and never from the request's Host header; requests naming another host are refused.
CRM_PROXY_COUNT trusts that many reverse proxies' X-Forwarded-* headers. Every response
carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, abort, current_app, request
from flask import Response as FlaskResponse
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from crm.mail import mail_configured

# The largest id PostgreSQL's integer column holds; larger ones cannot name a row.
MAX_ID = 2**31 - 1

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
NO_BASE_URL = (
    "This server has no public address set (CRM_BASE_URL), so it cannot put links in emails"
    " or give calendar apps a full address. Whoever runs it sets CRM_BASE_URL,"
    " e.g. https://crm.example.org, in the .env file."
)
# Two years, as browsers' preload lists ask; only ever sent over https.
STRICT_TRANSPORT_SECURITY = "max-age=63072000"
NUL_MESSAGE = (
    "The form or address held a NUL character, which no text can contain. Nothing was saved."
)


class IdConverter(IntegerConverter):
    """`<int:...>` that matches only ids the database can hold, so larger ones answer 404."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def deployment_config() -> dict[str, Any]:
    """Settings read from the environment: CRM_BASE_URL and CRM_PROXY_COUNT."""
    return {
        "BASE_URL": os.environ.get("CRM_BASE_URL", "").strip().rstrip("/"),
        "PROXY_COUNT": int(os.environ.get("CRM_PROXY_COUNT", "0") or 0),
    }


def init_deployment(app: Flask) -> None:
    """Apply the public address, proxies, converters, headers and the NUL guard to the app."""
    # Before any blueprint adds rules, so every <int:...> id in the app is bounded.
    app.url_map.converters["int"] = IdConverter

    _apply_base_url(app)

    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    app.session_interface = SecureOverHttps()
    app.before_request(_refuse_nul_bytes)
    app.after_request(_security_headers)
    problem = mail_problem(app.config)
    if problem and mail_configured(app.config):
        app.logger.warning("Mail is turned off: %s", problem)


def _apply_base_url(app: Flask) -> None:
    """CRM_BASE_URL: checked, its host the only one served, cookies Secure under https."""
    base_url = app.config.get("BASE_URL") or ""
    if not base_url:
        return
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuntimeError(
            f"CRM_BASE_URL must look like https://crm.example.org, not {base_url!r}."
        )
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    if not app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [host]
    app.config["PREFERRED_URL_SCHEME"] = parts.scheme
    if parts.scheme == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


class NoPublicAddress(RuntimeError):
    """No CRM_BASE_URL: a link that leaves the app cannot be built (the message says so)."""


def public_base_url(config: Mapping[str, Any]) -> str | None:
    """CRM_BASE_URL without its trailing slash, or None when it is not set."""
    return str(config.get("BASE_URL") or "").strip().rstrip("/") or None


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full URL under CRM_BASE_URL, inside a request or outside one (a command).

    Built like url_for (URL defaults, `_anchor`) but bound to the configured address, so a
    forged Host header never reaches an email or a feed. Raises NoPublicAddress when unset.
    """
    base_url = public_base_url(current_app.config)
    if base_url is None:
        raise NoPublicAddress(NO_BASE_URL)
    parts = urlsplit(base_url)
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(str(anchor), safe='')}" if anchor is not None else url


def client_address() -> str:
    """The client's address (the proxy's forwarded one when CRM_PROXY_COUNT trusts it)."""
    return (request.remote_addr or "unknown")[:64]


def _has_nul(values: MultiDict[str, str]) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _refuse_nul_bytes() -> Response | None:
    """A NUL byte anywhere in the address or a form answers 400 (PostgreSQL cannot store one)."""
    if "\x00" in request.path or _has_nul(request.args):
        abort(400, NUL_MESSAGE)
    form_post = request.method == "POST" and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    )
    if form_post and (
        _has_nul(request.form) or any("\x00" in (f.filename or "") for f in request.files.values())
    ):
        abort(400, NUL_MESSAGE)
    return None


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if current_user.is_authenticated:
        # A shared or lost machine's cache must not keep someone's network or downloads.
        response.headers["Cache-Control"] = "no-store"
    return response


class SecureOverHttps(SecureCookieSessionInterface):
    """Flask's signed session cookie; every cookie is Secure when the request came over https
    (directly, or through a proxy CRM_PROXY_COUNT trusts), whatever CRM_BASE_URL says."""

    def save_session(self, app: Flask, session: SessionMixin, response: FlaskResponse) -> None:
        super().save_session(app, session, response)
        if request.is_secure:
            _mark_cookies_secure(response)


def _mark_cookies_secure(response: Response) -> None:
    cookies = response.headers.getlist("Set-Cookie")
    if all("; secure" in cookie.lower() for cookie in cookies):
        return
    del response.headers["Set-Cookie"]
    for cookie in cookies:
        response.headers.add(
            "Set-Cookie", cookie if "; secure" in cookie.lower() else f"{cookie}; Secure"
        )


def mail_problem(config: Mapping[str, Any]) -> str | None:
    """Why the app sends no mail right now, in words the owner can act on; None when it can."""
    if not mail_configured(config):
        return "This server has no mail server set up (CRM_SMTP_URL), so it sends no email."
    if public_base_url(config) is None:
        return NO_BASE_URL
    return None
