"""The user's settings: time zone, weekly goal and follow-up rule numbers."""

from flask import Blueprint

bp = Blueprint("settings", __name__)

from crm.settings import views  # noqa: E402,F401
