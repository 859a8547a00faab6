"""The contact page, assembled: the contact, their timeline, and each feature's part of it.

The contacts feature owns the page. Outreach and follow-ups hand over their forms through
plain functions (`crm.outreach.forms.outreach_form`, `crm.followups.forms.followup_form`),
so no view imports another feature's view; the plan says which doubts the person disproves
and which target roles they hold (`crm.plan.services.contact_in_plan`). A view whose form
failed passes it back in to show its errors.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from crm import clock
from crm.contacts.forms import CadenceForm, NoteForm
from crm.contacts.services import introduced_people
from crm.contacts.timeline import TimelineEntry, contact_timeline
from crm.enums import Channel, FollowUpKind, FollowUpState, OutreachStatus
from crm.followups.forms import followup_form
from crm.followups.services import colleagues_for
from crm.messages.services import followup_messages
from crm.models import Contact, FollowUp
from crm.outreach.forms import outreach_form
from crm.plan.services import contact_in_plan


def _is_open_followup(entry: TimelineEntry) -> bool:
    """Open follow-ups show under Next steps; the timeline is what has happened."""
    return isinstance(entry.item, FollowUp) and entry.item.status == FollowUpState.OPEN


def render_contact_page(
    contact: Contact,
    status: int = 200,
    message: dict[str, object] | None = None,
    **forms: FlaskForm,
) -> ResponseReturnValue:
    """The contact page, with any form that failed validation passed in to show its errors."""
    today = clock.user_today(current_user)
    timeline = contact_timeline(contact, clock.user_zone(current_user))
    open_followups = sorted(
        (e.item for e in timeline if isinstance(e.item, FollowUp) and _is_open_followup(e)),
        key=lambda f: (f.due_on, f.id),
    )
    page = render_template(
        "contacts/show.html",
        contact=contact,
        introduced=introduced_people(contact),
        timeline=[e for e in timeline if not _is_open_followup(e)],
        open_followups=open_followups,
        colleagues=colleagues_for(current_user.id, open_followups),
        messages=followup_messages(current_user, open_followups),
        today=today,
        outreach_form=forms.get("outreach_form") or outreach_form(today),
        message=message or {},
        followup_form=forms.get("followup_form") or followup_form(),
        cadence_form=forms.get("cadence_form")
        or CadenceForm(formdata=None, cadence=contact.cadence),
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        kind_labels=FollowUpKind.labels(),
        channel_labels=Channel.labels(),
        status_labels=OutreachStatus.labels(),
        in_plan=contact_in_plan(current_user.id, contact),
    )
    return page, status
