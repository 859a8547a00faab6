"""The contact list's search and filters as conditions on a select over contacts: what every
read of the list (its pages, its count, each cursor's walk) starts from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, exists, false, func, select

from crm.contacts.fulltext import holding_words
from crm.enums import Network
from crm.extensions import db
from crm.models import Company, Contact, Tag, column_length, contact_tag
from crm.normalize import TAG_LENGTH, company_sort_name, fold, name_key
from crm.search import contains_folded


@dataclass
class ContactFilters:
    q: str = ""
    network: str = ""
    tag: str = ""
    company: str = ""
    sort: str = "name"
    # The search's conditions, worked out once per page: choosing them may read the index.
    searched: list[ColumnElement[bool]] | None = field(default=None, compare=False, repr=False)
    # The tag filter, worked out once per page (_read_tag reads the tag).
    tagged: TagFilter | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ContactFilters:
        """Read the search, filters and sort from a query string, trimmed to sane lengths."""
        return cls(
            q=args.get("q", "").strip()[:200],
            network=args.get("network", ""),
            tag=args.get("tag", "").strip()[:TAG_LENGTH],
            company=args.get("company", "").strip()[: column_length(Company.name)],
            sort=args.get("sort", "name"),
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.network or self.tag or self.company)

    @property
    def filtering(self) -> bool:
        """A filter or a sort other than by name is set, so the Filter panel shows open."""
        return bool(self.network or self.tag or self.company or self.sort != "name")


# A tag on at most this many contacts is read whole and its people sorted; a tag on more is
# checked row by row along the list's index, which then meets a page of them soon.
FEW_TAGGED = 2_000


@dataclass(frozen=True)
class TagFilter:
    """The tag the list is filtered by (None: the user has no such tag), and whether it is on
    few enough contacts (FEW_TAGGED, counted no further) to read them all."""

    tag_id: int | None
    few: bool

    def condition(self) -> ColumnElement[bool]:
        """Contacts carrying the tag, in the form that reads fewest rows for its size: a few
        people as a list the page sorts; many as a probe of each row the sort's index walks
        past (contact_tag's primary key answers it), which finds a page after about
        per_page / share rows instead of sorting every tagged person."""
        if self.tag_id is None:
            return false()
        carrying = select(contact_tag.c.contact_id).where(contact_tag.c.tag_id == self.tag_id)
        if self.few:
            return Contact.id.in_(carrying)
        return exists(carrying.where(contact_tag.c.contact_id == Contact.id))


def _read_tag(user_id: int, tag: str) -> TagFilter:
    tag_id = db.session.scalar(
        select(Tag.id).where(Tag.user_id == user_id, Tag.name_key == name_key(tag))
    )
    if tag_id is None:
        return TagFilter(None, True)
    carrying = select(contact_tag.c.contact_id).where(contact_tag.c.tag_id == tag_id)
    usage = db.session.scalar(
        select(func.count()).select_from(carrying.limit(FEW_TAGGED + 1).subquery())
    )
    return TagFilter(tag_id, (usage or 0) <= FEW_TAGGED)


def tag_filter(user_id: int, filters: ContactFilters) -> TagFilter | None:
    """The list's tag filter, read once per page; None when the list is not filtered by tag."""
    if filters.tag and filters.tagged is None:
        filters.tagged = _read_tag(user_id, filters.tag)
    return filters.tagged


def matching(
    user_id: int, filters: ContactFilters, with_tag: bool = True
) -> list[ColumnElement[bool]]:
    """The list's search and filters as conditions on a select over contacts (the company
    filter's names the Company: the select joins it). Every read of the list, its count and
    each page's cursor walk, starts from these conditions."""
    if filters.searched is None:
        filters.searched = holding_words([fold(word) for word in filters.q.split()[:10]])
    # Archived contacts (deleted on a synced device) leave the list, its search and exports.
    conditions = [Contact.user_id == user_id, Contact.archived_at.is_(None), *filters.searched]
    if filters.network in Network.values():
        conditions.append(Contact.network == filters.network)
    tagged = tag_filter(user_id, filters)
    if tagged is not None and with_tag:
        conditions.append(tagged.condition())
    if filters.company:
        # Folded as the sort name is: "etoile" finds Étoile Labs, the full name finds itself.
        conditions.append(contains_folded(Company.sort_name, company_sort_name(filters.company)))
    return conditions
