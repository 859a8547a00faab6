"""The Network page: a thin view over crm.network.services."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from crm.enums import NetworkStage
from crm.network.services import network_view

bp = Blueprint("network", __name__)

# What each stage means, beside its mark in the legend.
STAGE_WORDS = {
    NetworkStage.SUGGESTED: "introduced to you, no message yet",
    NetworkStage.REACHED: "you sent them a message",
    NetworkStage.REPLIED: "they answered",
    NetworkStage.INTERVIEWED: "you held an interview with them",
    NetworkStage.REFERRED_ON: "they introduced you to someone",
}


@bp.route("/network")
@login_required
def index() -> ResponseReturnValue:
    """The tree of introductions, its table and the figures above it."""
    view = network_view(current_user.id, request.args.get("page", 1, type=int))
    return render_template(
        "network/index.html", view=view, stages=list(NetworkStage), stage_words=STAGE_WORDS
    )
