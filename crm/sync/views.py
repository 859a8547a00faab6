"""Calendar and address-book pages."""

from flask import render_template
from flask_login import login_required

from crm.sync import bp


@bp.route("/calendar")
@login_required
def calendar():
    """Placeholder until calendar export lands."""
    return render_template("main/coming.html", title="Calendar")
