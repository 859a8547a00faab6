"""The Follow-ups page: every open follow-up by when it is due, with who else to reach at
the company and the message to send (the messages feature fills it)."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from crm import clock
from crm.enums import Due, FollowUpKind
from crm.followups import bp as followups_bp
from crm.followups.forms import SnoozeForm
from crm.followups.services import (
    GROUP_LIMIT,
    LIST_LIMIT,
    colleagues_for,
    losing_touch,
    open_followups,
)
from crm.forms import ConfirmForm
from crm.messages.services import followup_messages

# ?all=losing opens the Losing touch list, as ?all=overdue opens the overdue one.
LOSING = "losing"


@followups_bp.route("/follow-ups")
def index() -> ResponseReturnValue:
    """Open follow-ups grouped Overdue, Today, This week, Later, and who is losing touch: the
    first rows of each list, or all of the one list asked for (?all=overdue, say)."""
    today = clock.user_today(current_user)
    opened = request.args.get("all", "")
    if opened not in (*Due.values(), LOSING):
        opened = ""  # an unknown list: every list as usual
    limits = {name: LIST_LIMIT if name == opened else GROUP_LIMIT for name in Due.values()}
    groups = open_followups(current_user.id, today, limits)
    drifting, drifting_total = losing_touch(
        current_user.id, today, limit=LIST_LIMIT if opened == LOSING else GROUP_LIMIT
    )
    shown = [row for rows in groups.groups.values() for row in rows]
    return render_template(
        "followups/index.html",
        groups=groups,
        opened=opened,
        list_limit=LIST_LIMIT,
        labels=Due.labels(),
        kind_labels=FollowUpKind.labels(),
        colleagues=colleagues_for(current_user.id, shown),
        losing=drifting,
        losing_total=drifting_total,
        action_form=ConfirmForm(),
        snooze_form=SnoozeForm(formdata=None),
        today=today,
        messages=followup_messages(current_user, shown),
    )
