"""A contact's page: the contact, their timeline, and each feature's part of it.

The page is built here, above the features it shows (contacts, follow-ups, outreach, messages
and the plan), so no feature imports another's views. The small forms posted from the page
that show it again with their errors live here too, under their features' endpoint names
(contacts.cadence, followups.create); logging an outreach is in contact_outreach.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from crm import clock
from crm.access import get_contact_or_404
from crm.contacts import bp as contacts_bp
from crm.contacts.forms import CadenceForm, NoteForm
from crm.contacts.services import add_note, set_cadence
from crm.contacts.timeline import TimelineEntry, contact_timeline
from crm.enums import Channel, FollowUpKind, FollowUpState, OutreachStatus
from crm.extensions import db
from crm.followups import bp as followups_bp
from crm.followups import rules
from crm.followups.forms import FollowUpForm, followup_form
from crm.followups.services import add_manual, colleagues_for
from crm.formatting import day_label
from crm.messages.services import followup_messages
from crm.models import Contact, FollowUp, Outreach
from crm.outreach.forms import outreach_form
from crm.plan.models import Obstacle, TargetRole
from crm.plan.obstacles import obstacles_for_contact
from crm.plan.reach import on_reach_list
from crm.plan.roles import roles_of_contact
from crm.referrals.chain import introduction_chain
from crm.referrals.services import suggested_by
from crm.workdays import next_business_day


@dataclass
class ContactInPlan:
    """What a contact's page shows of the plan, and offers to add them to: the doubts they
    disprove and the open ones they could, the roles they hold (by title or tagged by hand)
    and those they could be counted in, and whether they are on the People to reach list."""

    disproves: list[Obstacle]
    could_disprove: list[Obstacle]
    roles: list[tuple[TargetRole, bool]]
    could_hold: list[TargetRole]
    to_reach: bool


def contact_in_plan(user_id: int, contact: Contact) -> ContactInPlan:
    """What the contact page shows of the plan: one statement for each step it reads."""
    obstacles = obstacles_for_contact(user_id, contact.id)
    held, could_hold = roles_of_contact(user_id, contact)
    return ContactInPlan(
        disproves=[o for o, linked in obstacles if linked],
        could_disprove=[o for o, linked in obstacles if not linked and o.resolved_on is None],
        roles=held,
        could_hold=could_hold,
        to_reach=on_reach_list(user_id, contact),
    )


def _is_open_followup(entry: TimelineEntry) -> bool:
    """Open follow-ups show under Next steps; the timeline is what has happened."""
    return isinstance(entry.item, FollowUp) and entry.item.status == FollowUpState.OPEN


def closed_in_open_threads(timeline: list[TimelineEntry]) -> list[FollowUp]:
    """Thread follow-ups an event closed while the person's own message still awaits a reply:
    the page says what closed them, with a way to bring them back."""
    awaiting = {
        e.item.id
        for e in timeline
        if isinstance(e.item, Outreach) and e.item.status == OutreachStatus.AWAITING
    }
    return [
        e.item
        for e in timeline
        if isinstance(e.item, FollowUp)
        and e.item.status == FollowUpState.CLOSED
        and e.item.outreach_id in awaiting
    ]


def _page_forms(
    contact: Contact, today: date, failed: dict[str, FlaskForm]
) -> dict[str, FlaskForm]:
    """The page's forms: the one that failed validation as posted, the others empty."""
    forms: dict[str, FlaskForm] = {
        "outreach_form": outreach_form(today),
        "followup_form": followup_form(),
        "cadence_form": CadenceForm(formdata=None, cadence=contact.cadence),
        "note_form": NoteForm(formdata=None),
    }
    forms.update(failed)
    return forms


def render_contact_page(
    contact: Contact,
    status: int = 200,
    message: dict[str, object] | None = None,
    **failed: FlaskForm,
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
        introduced=suggested_by(contact),
        chain=introduction_chain(contact) if contact.introduced_by_id else [],
        timeline=[e for e in timeline if not _is_open_followup(e)],
        open_followups=open_followups,
        closed_in_thread=closed_in_open_threads(timeline),
        colleagues=colleagues_for(current_user.id, open_followups),
        messages=followup_messages(current_user, open_followups),
        today=today,
        message=message or {},
        kind_labels=FollowUpKind.labels(),
        channel_labels=Channel.labels(),
        status_labels=OutreachStatus.labels(),
        in_plan=contact_in_plan(current_user.id, contact),
        **_page_forms(contact, today, failed),
    )
    return page, status


@contacts_bp.route("/<int:contact_id>")
def show(contact_id: int) -> ResponseReturnValue:
    """One contact's page: details, next steps and the timeline."""
    return render_contact_page(get_contact_or_404(contact_id))


Posted = TypeVar("Posted", bound=FlaskForm)


def _post_on_contact_page(
    contact_id: int, form_type: type[Posted], name: str, save: Callable[[Contact, Posted], str]
) -> ResponseReturnValue:
    """A small form on the contact's page: saved, it says what changed and goes back there;
    invalid, the page shows again with the form (as `name`) and its errors."""
    contact = get_contact_or_404(contact_id)
    if request.method == "GET":
        return redirect(url_for("contacts.show", contact_id=contact.id))
    form = form_type()
    if not form.validate_on_submit():
        return render_contact_page(contact, status=400, message=None, **{name: form})
    said = save(contact, form)
    db.session.commit()
    flash(said, "success")
    return redirect(url_for("contacts.show", contact_id=contact.id))


@contacts_bp.route("/<int:contact_id>/cadence", methods=["GET", "POST"])
def cadence(contact_id: int) -> ResponseReturnValue:
    """Set how often to keep in touch with a contact."""

    def save(contact: Contact, form: CadenceForm) -> str:
        set_cadence(contact, form.cadence.data)
        due = contact.keep_in_touch_due
        return f"Keep in touch: next by {due:%a %d %b %Y}." if due else "No keep-in-touch reminder."

    return _post_on_contact_page(contact_id, CadenceForm, "cadence_form", save)


@contacts_bp.route("/<int:contact_id>/notes", methods=["GET", "POST"])
def note(contact_id: int) -> ResponseReturnValue:
    """Add a dated note to the contact's timeline."""

    def save(contact: Contact, form: NoteForm) -> str:
        add_note(contact, form.body.data)
        return "Note added."

    return _post_on_contact_page(contact_id, NoteForm, "note_form", save)


@followups_bp.route(
    "/contacts/<int:contact_id>/follow-ups", methods=["GET", "POST"], endpoint="create"
)
def add_followup(contact_id: int) -> ResponseReturnValue:
    """Add a follow-up by hand."""
    contact = get_contact_or_404(contact_id)
    if request.method == "GET":
        return redirect(url_for("contacts.show", contact_id=contact.id))
    form = FollowUpForm()
    today = clock.user_today(current_user)
    if form.validate_on_submit():
        asked = form.due_on.data
        if asked < today:
            form.due_on.errors.append("Pick today or a later date.")
        else:
            # A weekend moves to the Monday as a snooze does, unless the person keeps it.
            due_on = asked if form.keep_weekend.data else next_business_day(asked)
            add_manual(contact, due_on, form.reason.data.strip())
            db.session.commit()
            due = day_label(due_on, today)
            if due_on != asked:
                flash(
                    f"{rules.not_a_working_day(asked)}, so the follow-up is for {due}.", "success"
                )
            else:
                flash(f"Follow-up added for {due}.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_contact_page(contact, status=400, followup_form=form)
