"""Follow-ups: the next steps that keep every networking thread alive."""

from flask import Blueprint

bp = Blueprint("followups", __name__)

from crm.followups import views  # noqa: E402,F401
