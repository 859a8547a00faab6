"""What the address book and the calendar share: paths, hrefs, items, ETags and sync tokens."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from hashlib import sha256
from typing import Any
from urllib.parse import quote, unquote

from radicale import item as radicale_item
from radicale import storage

from crm import clock
from crm.account.devices import DeviceLogin
from crm.dav.changes import deleted_since, new_token, token_moment, tombstone_count

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Rows fetched per IN (...) list: within every database's parameter limit.
CHUNK = 500


class TableCollection(storage.BaseCollection):
    """A collection whose items are rows; subclasses say which rows and how they read."""

    name = ""
    extension = ""
    component = ""
    meta: Mapping[str, str] = {}

    def __init__(self, owner: DeviceLogin) -> None:
        self.owner_login = owner

    @property
    def path(self) -> str:
        return f"{self.owner_login.email}/{self.name}"

    # ---- what a subclass provides ----------------------------------------------------------

    def _texts(self, uids: Sequence[str] | None) -> Iterator[tuple[str, str, datetime]]:
        """(uid, text, updated_at) of the live rows: all of them, or those with these UIDs."""
        raise NotImplementedError

    def _live_uids(self) -> Iterable[str]:
        raise NotImplementedError

    def _changed_uids(self, since: datetime) -> Iterable[str]:
        """UIDs of rows written since a moment, live or not (a row gone from view is deleted)."""
        raise NotImplementedError

    def _summary(self) -> tuple[int, datetime | None]:
        """How many rows have ever been written here and the latest write, for the ETag."""
        raise NotImplementedError

    def served(self, text: str) -> str:
        """The item as this request's client reads it (the ETag stays the stored text's)."""
        return text

    def component_of(self, text: str) -> str:
        """The item's main component (VTODO, VEVENT; "" for a card, as Radicale has it), so
        Radicale need not parse it."""
        return self.component

    # ---- Radicale's collection ---------------------------------------------------------------

    def href_of(self, uid: str) -> str:
        return quote(uid, safe="@-_.") + self.extension

    def uid_of(self, href: str) -> str | None:
        if not href.endswith(self.extension):
            return None
        return unquote(href.removesuffix(self.extension))

    def _item(self, uid: str, text: str, updated_at: datetime) -> radicale_item.Item:
        return radicale_item.Item(
            collection=self,
            href=self.href_of(uid),
            text=self.served(text),
            etag=radicale_item.get_etag(text),
            uid=uid,
            component_name=self.component_of(text),
            last_modified=format_datetime(updated_at.astimezone(UTC), usegmt=True),
        )

    def get_all(self) -> Iterator[radicale_item.Item]:
        return (self._item(*row) for row in self._texts(None))

    def get_multi(self, hrefs: Iterable[str]) -> Iterator[tuple[str, radicale_item.Item | None]]:
        wanted = {href: self.uid_of(href) for href in hrefs}
        uids = [uid for uid in wanted.values() if uid]
        found: dict[str, radicale_item.Item] = {}
        for start in range(0, len(uids), CHUNK):
            for row in self._texts(uids[start : start + CHUNK]):
                found[row[0]] = self._item(*row)
        for href, uid in wanted.items():
            yield href, found.get(uid) if uid else None

    def has_uid(self, uid: str) -> bool:
        return any(True for _ in self._texts([uid]))

    def sync(self, old_token: str = "") -> tuple[str, Iterable[str]]:
        now = clock.now()
        token = new_token(now)
        if not old_token:
            return token, [self.href_of(uid) for uid in self._live_uids()]
        since = token_moment(old_token, now)
        uids = {*self._changed_uids(since)}
        uids.update(deleted_since(self.owner_login.user_id, self.name, since))
        return token, [self.href_of(uid) for uid in sorted(uids)]

    @property
    def etag(self) -> str:
        count, latest = self._summary()
        tombstones = tombstone_count(self.owner_login.user_id, self.name)
        digest = sha256(f"{count}/{latest}/{tombstones}".encode()).hexdigest()
        return f'"{digest}"'

    @property
    def last_modified(self) -> str:
        _, latest = self._summary()
        return format_datetime((latest or EPOCH).astimezone(UTC), usegmt=True)

    def get_meta(self, key: str | None = None) -> Any:
        return self.meta.get(key) if key is not None else dict(self.meta)

    def set_meta(self, props: Mapping[str, str]) -> None:
        raise ValueError("The app names its address book and calendar.")
