"""Informational interviews: scheduling, prep, notes and what follows."""

from flask import Blueprint

bp = Blueprint("interviews", __name__)

from crm.interviews import views  # noqa: E402,F401
