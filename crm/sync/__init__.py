"""Taking follow-ups, interviews and contacts into calendars and address books."""

from flask import Blueprint

bp = Blueprint("sync", __name__)

from crm.sync import views  # noqa: E402,F401
