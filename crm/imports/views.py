"""Import pages."""

from flask import render_template
from flask_login import login_required

from crm.imports import bp


@bp.route("/import")
@login_required
def index():
    """Placeholder until imports land."""
    return render_template("main/coming.html", title="Import")
