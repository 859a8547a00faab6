"""Referrals: the names suggested in an interview become the next conversations.

The blueprint lives here because crm/pages/ adds the routes that compose several features
(the interview page's "Add" needs the contacts' twin rules and the interview's notes).
"""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("referrals", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    """Every referral page needs a logged-in user."""
