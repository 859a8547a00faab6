"""Radicale's storage, authentication and rights over the app's own tables.

Radicale speaks WebDAV, CardDAV and CalDAV; these plugins answer it from the database, which
stays the one source of truth: nothing is kept on disk or in memory between requests, so any
number of app servers can serve sync. Each user sees one tree:

    /                       root (the current-user principal is found from here)
    /<email>/               the principal: address-book and calendar home
    /<email>/contacts/      "Networking contacts": every contact that is not archived
    /<email>/networking/    "Networking": open follow-ups as tasks, interviews as events
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any

from flask import g
from radicale import auth, pathutils, rights, storage
from radicale import item as radicale_item

from crm.account.devices import DeviceLogin, sync_login
from crm.dav.addressbook import AddressBook
from crm.dav.calendar import NetworkingCalendar
from crm.dav.changes import ADDRESS_BOOK, CALENDAR
from crm.extensions import db

ChildContext = Callable[[str, str | None], AbstractContextManager[None]]


def current_login() -> DeviceLogin | None:
    """The device this request logged in with (set by Auth below)."""
    found: DeviceLogin | None = g.get("dav_login")
    return found


class Auth(auth.BaseAuth):
    """The account email and a device password, counted and throttled like logins."""

    def _login_ext(self, login: str, password: str, context: auth.AuthContext) -> str:
        found = sync_login(login, password, g.get("dav_address") or "unknown")
        g.dav_login = found
        return found.email if found else ""


class Rights(rights.BaseRights):
    """Each user reads their own tree and writes items in their two collections; nothing else."""

    def authorization(self, user: str, user_groups: set[str], path: str) -> str:
        if not user:
            return ""
        sane_path = pathutils.strip_path(path)
        if not sane_path:
            return "R"
        owner, _, rest = sane_path.partition("/")
        if owner != user:
            return ""
        if not rest:
            return "R"
        return "rw" if rest in (ADDRESS_BOOK, CALENDAR) else ""


class Folder(storage.BaseCollection):
    """The root and a user's principal: collections that hold only collections."""

    def __init__(self, path: str) -> None:
        self._path = path

    @property
    def path(self) -> str:
        return self._path

    @property
    def etag(self) -> str:
        return '"folder"'

    def get_meta(self, key: str | None = None) -> Any:
        return None if key is not None else {}

    def set_meta(self, props: Mapping[str, str]) -> None:
        raise ValueError("These folders are fixed.")

    def get_all(self) -> Iterable[radicale_item.Item]:
        return ()

    def get_multi(self, hrefs: Iterable[str]) -> Iterable[tuple[str, radicale_item.Item | None]]:
        return ((href, None) for href in hrefs)

    def upload(self, href: str, item: radicale_item.Item) -> Any:
        raise ValueError("Items go in the address book or the calendar.")

    def delete(self, href: str | None = None) -> None:
        raise ValueError("These folders are fixed.")

    @property
    def last_modified(self) -> str:
        return "Thu, 01 Jan 1970 00:00:00 GMT"


def _collection(owner: DeviceLogin, name: str) -> AddressBook | NetworkingCalendar | None:
    if name == ADDRESS_BOOK:
        return AddressBook(owner)
    if name == CALENDAR:
        return NetworkingCalendar(owner)
    return None


def _owned(owner: DeviceLogin, parts: list[str], depth: str) -> Iterator[Any]:
    """The user's principal, one of their collections, or one item, with children at depth 1."""
    if len(parts) == 1:
        yield Folder(parts[0])
        if depth != "0":
            yield AddressBook(owner)
            yield NetworkingCalendar(owner)
        return
    collection = _collection(owner, parts[1])
    if collection is None:
        return
    if len(parts) == 3:
        yield from (found for _, found in collection.get_multi([parts[2]]) if found)
        return
    yield collection
    if depth != "0":
        yield from collection.get_all()


class Storage(storage.BaseStorage):
    """The tree above, read from the database for the device that logged in."""

    # Paths name rows, not files: a card's UID may hold a colon (urn:uuid:...) or any letter.
    _supports_unicode = True
    _supports_problematic_chars = True

    def discover(
        self,
        path: str,
        depth: str = "0",
        child_context_manager: Callable[[str, str | None], AbstractContextManager[None]]
        | None = None,
        user_groups: set[str] | None = None,
    ) -> Iterator[Any]:
        sane_path = pathutils.strip_path(path)
        parts = sane_path.split("/") if sane_path else []
        owner = current_login()
        if not parts:
            yield Folder("")
        elif owner is not None and parts[0] == owner.email and len(parts) <= 3:
            yield from _owned(owner, parts, depth)

    def move(
        self, item: radicale_item.Item, to_collection: storage.BaseCollection, to_href: str
    ) -> None:
        raise ValueError("Cards and tasks stay where they are.")

    def create_collection(
        self,
        href: str,
        items: Iterable[radicale_item.Item] | None = None,
        props: Mapping[str, str] | None = None,
    ) -> Any:
        raise ValueError("This server has one address book and one calendar per user.")

    @contextlib.contextmanager
    def acquire_lock(self, mode: str, user: str = "", *args: Any, **kwargs: Any) -> Iterator[None]:
        """A transaction, not a lock: writes commit when Radicale is done with them, and the
        database orders writers from every server."""
        try:
            yield
        except BaseException:
            db.session.rollback()
            g.pop("dav_served_cards", None)  # cards of rows that were never written
            raise
        if mode == "w":
            db.session.commit()

    def verify(self) -> bool:
        return True
