"""Contacts: the people a user networks with."""

from flask import Blueprint

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

from crm.contacts import views  # noqa: E402,F401
