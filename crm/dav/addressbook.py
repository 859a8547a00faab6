"""The address book "Networking contacts": every contact that is not archived, as a vCard."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from flask import g
from radicale import item as radicale_item
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from crm.dav.card_writes import archive_card, save_card
from crm.dav.cards import card_text
from crm.dav.changes import ADDRESS_BOOK
from crm.dav.collection import TableCollection
from crm.dav.served import card_etag, note_served, served_text
from crm.dav.vcard4 import to_vcard4
from crm.extensions import db
from crm.models import Contact


def sent_text(item: radicale_item.Item) -> str:
    """The card as the device sent it (its unknown lines untouched) when the request held this
    one card; Radicale's re-serialised copy otherwise."""
    try:
        body = bytes(g.get("dav_body") or b"").decode("utf-8")
    except UnicodeDecodeError:
        return item.serialize()
    if body.upper().count("BEGIN:VCARD") == 1 and item.uid and item.uid in body:
        return body
    return item.serialize()


class AddressBook(TableCollection):
    name = ADDRESS_BOOK
    extension = ".vcf"
    component = ""  # as Radicale names a card's: its time-range filters skip it
    meta = {
        "tag": "VADDRESSBOOK",
        "D:displayname": "Networking contacts",
        "CR:addressbook-description": "Your contacts from Networking CRM",
    }

    def _live(self) -> Any:
        return select(Contact).where(
            Contact.user_id == self.owner_login.user_id, Contact.archived_at.is_(None)
        )

    def _texts(self, uids: Sequence[str] | None) -> Iterator[tuple[str, str, datetime]]:
        statement = self._live().options(undefer(Contact.card_extra), selectinload(Contact.tags))
        if uids is not None:
            statement = statement.where(Contact.uid.in_(uids))
        for contact in db.session.scalars(statement.order_by(Contact.id)):
            text = card_text(contact)
            note_served(contact.id, text)
            yield contact.uid, text, contact.updated_at

    def served(self, text: str) -> str:
        # crm.dav asks for 4.0 when the client did (an Accept header or a REPORT's address-data).
        return to_vcard4(text) if g.get("dav_vcard_version") == "4.0" else text

    def _live_uids(self) -> Iterable[str]:
        return db.session.scalars(
            select(Contact.uid).where(
                Contact.user_id == self.owner_login.user_id, Contact.archived_at.is_(None)
            )
        )

    def _changed_uids(self, since: datetime) -> Iterable[str]:
        return db.session.scalars(
            select(Contact.uid).where(
                Contact.user_id == self.owner_login.user_id, Contact.updated_at > since
            )
        )

    def _summary(self) -> tuple[int, datetime | None]:
        count, latest = db.session.execute(
            select(func.count(Contact.id), func.max(Contact.updated_at)).where(
                Contact.user_id == self.owner_login.user_id
            )
        ).one()
        return count, latest

    def upload(
        self, href: str, item: radicale_item.Item
    ) -> tuple[radicale_item.Item, radicale_item.Item | None]:
        saved = save_card(
            self.owner_login.user_id,
            self.owner_login.device_name,
            self.uid_of(href) or "",
            sent_text(item),
            merge_from=g.get("dav_merge_from"),
        )
        # The stored card differs from the device's: crm.dav then answers without its ETag.
        g.dav_kept_app_values = saved.kept_app_values
        text = card_text(saved.contact)
        note_served(saved.contact.id, text)
        return self._item(item.uid, text, saved.contact.updated_at), None

    def delete(self, href: str | None = None) -> None:
        uid = self.uid_of(href or "")
        if not uid or not archive_card(self.owner_login.user_id, self.owner_login.device_name, uid):
            raise ValueError("The address book itself cannot be deleted.")


def edited_from(user_id: int, uid: str, etag: str) -> tuple[str, str] | None:
    """(the card a device was given under this ETag, the current card's ETag) when the ETag
    names an older card of one of the user's live contacts, still kept (crm.dav.served)."""
    contact = db.session.scalar(
        select(Contact)
        .where(Contact.user_id == user_id, Contact.uid == uid, Contact.archived_at.is_(None))
        .options(undefer(Contact.card_extra))
    )
    if contact is None:
        return None
    current = card_etag(card_text(contact))
    if etag in ("*", current):
        return None
    older = served_text(contact.id, etag)
    return (older, current) if older is not None else None
