"""How the app meets the outside world: its public address, proxies, headers and bad input.

CRM_BASE_URL fixes the public address (absolute links use it; requests naming another host
are refused; cookies are Secure under https). CRM_PROXY_COUNT trusts that many reverse
proxies' X-Forwarded-* headers. Every response carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

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

    base_url = app.config.get("BASE_URL") or ""
    if base_url:
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

    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    app.before_request(_refuse_nul_bytes)
    app.after_request(_security_headers)


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full URL for links that leave the page (feeds, emails): under CRM_BASE_URL when set."""
    base_url = current_app.config.get("BASE_URL") or ""
    if base_url:
        return base_url + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


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
    return response
