"""What a device's cards do to the app's contacts: a new card becomes a contact (a twin is
merged), an edited one updates it, a deleted one archives it. Flush only: the DAV storage
commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from crm import clock
from crm.card_notes import read_note
from crm.companies import get_or_create_company
from crm.contacts.forms import NOTES_MAX
from crm.contacts.services import add_note, find_duplicate
from crm.dav.cards import DeviceCard, card_text, read_card
from crm.dav.changes import ADDRESS_BOOK
from crm.dav.models import SyncTombstone
from crm.enums import Source
from crm.extensions import db
from crm.models import Company, Contact, column_length
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
    """The card's fields as the contact keeps them (squashed, normalised)."""
    # The NOTE the app serves starts with how we met and who introduced them: not notes.
    note = read_note(card.notes or "")
    return {
        "first_name": squash(card.first_name),
        "last_name": squash(card.last_name),
        "email": email_key(card.email) or None,
        "phone": squash(card.phone) or None,
        "title": squash(card.title) or None,
        "notes": note.notes.strip() or None,
        "how_we_met": squash(note.how_we_met) or None,
        "linkedin_url": linkedin_url,
        "company": squash(card.company) or None,
        "card_extra": card.extra_text,
    }


# The longest value each field takes, as the contact form allows; card_extra is bounded by the
# request's size (crm.dav.MAX_BODY_BYTES).
LIMITS = {
    **{
        name: column_length(getattr(Contact, name))
        for name in ("first_name", "last_name", "email", "phone", "title", "how_we_met")
    },
    "linkedin_url": column_length(Contact.linkedin_url),
    "company": column_length(Company.name),
    "notes": NOTES_MAX,
}


def _check_lengths(uid: str, values: dict[str, str | None]) -> None:
    """Refuse a card with a value too long to keep whole (Radicale answers 400): cutting it
    would shorten the device's own copy on its next sync."""
    if len(uid) > column_length(Contact.uid):
        raise ValueError(f"The card's UID is longer than {column_length(Contact.uid)} characters.")
    for name, limit in LIMITS.items():
        if len(values[name] or "") > limit:
            raise ValueError(f"The card's {FIELD_WORDS[name]} is longer than {limit} characters.")


def _keeps_current(contact: Contact, name: str, value: str | None, fill_only: bool) -> bool:
    """Whether the contact keeps its value: the same, a twin's own, or a LinkedIn address
    another contact holds."""
    current = contact.company_name if name == "company" else getattr(contact, name)
    if value == current or (fill_only and (current or not value)):
        return True
    return (
        name == "linkedin_url"
        and bool(value)
        and bool(find_duplicate(contact.user_id, None, value, contact.id))
    )


# The timeline's words for the fields a device may change.
FIELD_WORDS = {
    "first_name": "name",
    "last_name": "name",
    "email": "email",
    "phone": "phone",
    "company": "company",
    "title": "title",
    "linkedin_url": "LinkedIn URL",
    "notes": "notes",
    "how_we_met": "how we met",
    "card_extra": "other details",
}


def _words(names: Iterable[str]) -> str:
    """The fields in the timeline's words, each once, in the card's order."""
    return ", ".join(dict.fromkeys(FIELD_WORDS[name] for name in FIELD_WORDS if name in names))


def _apply(contact: Contact, values: dict[str, str | None], fill_only: bool) -> list[str]:
    """Copy the card's values onto the contact (a twin: only where it has none); the fields
    that changed."""
    changed: list[str] = []
    for name, value in values.items():
        if _keeps_current(contact, name, value, fill_only):
            continue
        if name == "company":
            contact.company = get_or_create_company(contact.user_id, value)
        else:
            setattr(contact, name, value)
        changed.append(name)
    return changed


def card_values(text: str) -> dict[str, str | None]:
    """A card's fields as the app reads them from a device."""
    card = read_card(text)
    return _card_values(card, _linkedin(card))


@dataclass(frozen=True)
class Merge:
    """A device's edit of an older card than the app's: what each side changed since it."""

    device: dict[str, str | None]
    app: set[str]

    @classmethod
    def of(cls, values: dict[str, str | None], base_text: str, current_text: str) -> Merge:
        base = card_values(base_text)
        current = card_values(current_text)
        return cls(
            device={name: value for name, value in values.items() if value != base[name]},
            app={name for name in values if current[name] != base[name]},
        )

    @property
    def kept(self) -> set[str]:
        """The fields only the app changed: they keep the app's values."""
        return self.app - set(self.device)

    def timeline(self, changed: list[str]) -> str:
        """What became of the app's own changes, for the timeline ("" when it made none)."""
        kept = _words(self.kept)
        replaced = _words(self.app & set(changed))
        return "".join(
            f"; {verb} the app's {words}"
            for verb, words in (("kept", kept), ("replaced", replaced))
            if words
        )


@dataclass(frozen=True)
class SavedCard:
    """The contact a card was saved to, and whether the app kept values the card lacks."""

    contact: Contact
    # The app's values the card did not change: the device's copy is then out of date.
    kept_app_values: bool = False


def _new_or_twin(
    user_id: int, device_name: str, uid: str, values: dict[str, str | None]
) -> Contact:
    """A card with a UID the user has no contact for: merged into a twin, or a new contact."""
    twin = find_duplicate(user_id, values["email"], values["linkedin_url"])
    if twin is not None:
        _apply(twin, values, fill_only=True)
        twin.archived_at = None
        # The device's own copy goes away on its next sync; the twin's card takes its place.
        db.session.add(
            SyncTombstone(user_id=user_id, collection=ADDRESS_BOOK, uid=uid, deleted_at=clock.now())
        )
        db.session.flush()
        add_note(twin, f"Merged a card from {device_name}")
        return twin
    contact = Contact(user_id=user_id, uid=uid, source=Source.VCARD)
    db.session.add(contact)
    _apply(contact, values, fill_only=False)
    db.session.flush()
    add_note(contact, f"Added on {device_name}")
    return contact


def save_card(
    user_id: int, device_name: str, href_uid: str, text: str, merge_from: str | None = None
) -> SavedCard:
    """A card from a device: its contact updated, a twin merged, or a new contact.

    merge_from is the older card the device edited (crm.dav.served) when the app changed the
    contact since: then only the fields the device changed are applied.
    """
    card = read_card(text)
    uid = card.uid or href_uid
    values = _card_values(card, _linkedin(card))
    _check_lengths(uid, values)
    contact = _contact_by_uid(user_id, uid)
    if contact is None:
        return SavedCard(_new_or_twin(user_id, device_name, uid, values))
    merge = Merge.of(values, merge_from, card_text(contact)) if merge_from else None
    was_archived = contact.archived_at is not None
    contact.archived_at = None
    changed = _apply(contact, merge.device if merge else values, fill_only=False)
    if changed or was_archived:
        db.session.flush()
        words = f": {_words(changed)}" if changed else ""
        settled = merge.timeline(changed) if merge else ""
        add_note(contact, f"Changed on {device_name}{words}{settled}")
    return SavedCard(contact, kept_app_values=bool(merge and merge.kept))


def archive_card(user_id: int, device_name: str, uid: str) -> bool:
    """A card deleted on a device: its contact is archived (history kept, restorable)."""
    contact = _contact_by_uid(user_id, uid)
    if contact is None:
        return False
    if contact.archived_at is None:
        contact.archived_at = clock.now()
        db.session.flush()
        add_note(contact, f"Archived: deleted on {device_name}")
    return True
