"""Message templates: the user's own wording for each kind of message, filled per contact."""

from flask import Blueprint

bp = Blueprint("messages", __name__)

from crm.messages import views  # noqa: E402,F401
