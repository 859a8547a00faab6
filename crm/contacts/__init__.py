"""Contacts: the people a user networks with.

The blueprint lives here, not in views.py, because two modules add routes to it: this
feature's views, and crm/pages/, which builds the pages that show several features.
"""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("contacts", __name__, url_prefix="/contacts")


@bp.before_request
@login_required
def require_login() -> None:
    """Every contact page needs a logged-in user."""
