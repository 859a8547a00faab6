"""Outreach: logging attempts to reach a contact, and their replies."""

from flask import Blueprint

bp = Blueprint("outreach", __name__)

from crm.outreach import views  # noqa: E402,F401
