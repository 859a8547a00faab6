"""What a device's writes do to the app's rows: cards become contacts (a twin is merged),
a deleted card archives its contact, a completed or moved task closes or snoozes its
follow-up through the follow-ups service. Flush only: the DAV storage commits.
"""

from __future__ import annotations

from sqlalchemy import select

from crm import clock
from crm.account.devices import DeviceLogin
from crm.companies import get_or_create_company
from crm.contacts.services import add_note, find_duplicate
from crm.dav.cards import DeviceCard, read_card
from crm.dav.changes import ADDRESS_BOOK
from crm.dav.models import SyncTombstone
from crm.dav.tasks import read_task
from crm.enums import FollowUpState, Source
from crm.extensions import db
from crm.followups import services as followups
from crm.models import Contact, FollowUp, Interview, User
from crm.normalize import InvalidLinkedInURL, email_key, normalize_linkedin_url, squash


def _contact_by_uid(user_id: int, uid: str) -> Contact | None:
    return db.session.scalar(select(Contact).where(Contact.user_id == user_id, Contact.uid == uid))


def _linkedin(card: DeviceCard) -> str | None:
    """The card's LinkedIn address as the app stores it; one it cannot read stays a URL line."""
    if not card.linkedin_url:
        return None
    try:
        return normalize_linkedin_url(card.linkedin_url)
    except InvalidLinkedInURL:
        card.extra.append(f"URL:{card.linkedin_url}")
        return None


def _card_values(card: DeviceCard, linkedin_url: str | None) -> dict[str, str | None]:
    return {
        "first_name": squash(card.first_name),
        "last_name": squash(card.last_name),
        "email": email_key(card.email) or None,
        "phone": squash(card.phone) or None,
        "title": squash(card.title) or None,
        "notes": (card.notes or "").strip() or None,
        "linkedin_url": linkedin_url,
        "company": squash(card.company) or None,
        "card_extra": card.extra_text,
    }


def _apply(contact: Contact, values: dict[str, str | None], fill_only: bool) -> bool:
    """Copy the card's values onto the contact (a twin: only where it has none); True when
    anything changed. A LinkedIn address another contact holds is left alone."""
    changed = False
    for name, value in values.items():
        current = contact.company_name if name == "company" else getattr(contact, name)
        if value == current or (fill_only and (current or not value)):
            continue
        if (
            name == "linkedin_url"
            and value
            and find_duplicate(contact.user_id, None, value, contact.id)
        ):
            continue
        if name == "company":
            contact.company = get_or_create_company(contact.user_id, value)
        else:
            setattr(contact, name, value)
        changed = True
    return changed


def save_card(device: DeviceLogin, href_uid: str, text: str) -> Contact:
    """A card from a device: its contact updated, a twin merged, or a new contact."""
    card = read_card(text)
    uid = card.uid or href_uid
    values = _card_values(card, _linkedin(card))
    contact = _contact_by_uid(device.user_id, uid)
    twin = None
    if contact is None:
        twin = find_duplicate(device.user_id, values["email"], values["linkedin_url"])
    if twin is not None:
        _apply(twin, values, fill_only=True)
        twin.archived_at = None
        # The device's own copy goes away on its next sync; the twin's card takes its place.
        db.session.add(
            SyncTombstone(
                user_id=device.user_id, collection=ADDRESS_BOOK, uid=uid, deleted_at=clock.now()
            )
        )
        db.session.flush()
        add_note(twin, f"Merged a card from {device.device_name}")
        return twin
    if contact is None:
        contact = Contact(user_id=device.user_id, uid=uid, source=Source.VCARD)
        db.session.add(contact)
        _apply(contact, values, fill_only=False)
        db.session.flush()
        add_note(contact, f"Added on {device.device_name}")
        return contact
    was_archived = contact.archived_at is not None
    contact.archived_at = None
    if _apply(contact, values, fill_only=False) or was_archived:
        db.session.flush()
        add_note(contact, f"Changed on {device.device_name}")
    return contact


def archive_card(device: DeviceLogin, uid: str) -> bool:
    """A card deleted on a device: its contact is archived (history kept, restorable)."""
    contact = _contact_by_uid(device.user_id, uid)
    if contact is None:
        return False
    if contact.archived_at is None:
        contact.archived_at = clock.now()
        db.session.flush()
        add_note(contact, f"Archived: deleted on {device.device_name}")
    return True


def _followup_by_uid(user_id: int, uid: str) -> FollowUp | None:
    return db.session.scalar(
        select(FollowUp).where(FollowUp.user_id == user_id, FollowUp.uid == uid)
    )


def _interview_by_uid(user_id: int, uid: str) -> Interview | None:
    return db.session.scalar(
        select(Interview).where(Interview.user_id == user_id, Interview.uid == uid)
    )


def save_task(device: DeviceLogin, href_uid: str, text: str) -> FollowUp | Interview:
    """A task or event from a device: a completed task is Done, a moved due date snoozes
    (to a business day); interviews are changed in the app only."""
    change = read_task(text)
    uid = change.uid or href_uid
    followup = _followup_by_uid(device.user_id, uid)
    if followup is None:
        interview = _interview_by_uid(device.user_id, uid)
        if interview is None:
            raise ValueError("New tasks are added in the app, on a contact's page.")
        return interview
    if followup.status != FollowUpState.OPEN:
        return followup
    if change.completed:
        followups.complete(followup, note=f"Done on {device.device_name}")
    elif change.due_on is not None and change.due_on != followup.due_on:
        user = db.session.get(User, device.user_id)
        followups.snooze(
            followup, clock.user_today(user) if user else change.due_on, to=change.due_on
        )
    db.session.flush()
    return followup


def dismiss_task(device: DeviceLogin, uid: str) -> bool:
    """A task deleted on a device is dismissed; interviews stay (cancel them in the app)."""
    followup = _followup_by_uid(device.user_id, uid)
    if followup is None:
        return False
    if followup.status == FollowUpState.OPEN:
        followups.dismiss(followup)
        db.session.flush()
    return True
