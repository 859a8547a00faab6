"""The contact list: its search, filters, sort and pages, read as few rows as the page needs.

The default order (by name) walks ix_contact_user_sort_name. The order by company walks the
companies by folded name (ix_company_user_sort_name) and each one's people by theirs from
ix_contact_user_company_sort, then the people at no company: a page of a search that
matches everyone reads its 50 people, not a sort of 30,000. A later page continues from its
link's cursor (crm/contacts/keyset.py) along the same indexes, not past every earlier row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, func, literal, select, tuple_
from sqlalchemy.orm import QueryableAttribute, contains_eager, selectinload

from crm.contacts.filters import ContactFilters, matching, tag_filter
from crm.contacts.keyset import KeyValue, decode, encode
from crm.enums import Network
from crm.extensions import db
from crm.models import Company, Contact, contact_tag
from crm.tallies.services import listed

# The order by company: companies by folded name (id parting namesakes), then each one's
# people by sort name; the people at no company by the last two.
_BY_COMPANY = (Company.sort_name, Company.id, Contact.sort_name, Contact.id)


# The one column a statement selects (contacts, their ids or a count) passes through unchanged.
_T = TypeVar("_T")


def _filtered(columns: Select[_T], user_id: int, filters: ContactFilters) -> Select[_T]:
    """Apply the list's search, filters and sort to a select over contacts."""
    stmt = columns.where(*matching(user_id, filters))
    if _joins_company(filters):
        stmt = stmt.outerjoin(Company, Contact.company_id == Company.id)
    order: tuple[ColumnElement[Any] | QueryableAttribute[Any], ...]
    if filters.sort == "company":
        order = (Company.sort_name.is_(None), *_BY_COMPANY)
    elif filters.sort == "recent":
        order = (Contact.created_at.desc(), Contact.id.desc())
    else:
        order = (Contact.sort_name, Contact.id)
    return stmt.order_by(*order)


def _joins_company(filters: ContactFilters) -> bool:
    """Whether the list's statement joins the company, to filter or sort by it."""
    return bool(filters.company) or filters.sort == "company"


def contact_query(user_id: int, filters: ContactFilters) -> Select[Contact]:
    """The user's contacts, searched, filtered and sorted as the list page asks."""
    stmt = _filtered(select(Contact), user_id, filters).options(selectinload(Contact.tags))
    if _joins_company(filters):
        # The company joined to filter or sort by also fills contact.company: one join,
        # not a second for the eager load (a fifth faster at 30,000 contacts).
        stmt = stmt.options(contains_eager(Contact.company))
    return stmt


# A search that matches more than this says "10,000+" rather than scanning on to count them all
# (the search index finds them fast); a filter by tag or company, which walks rows, stops at
# FILTER_COUNT_CAP ("1,000+"), so its count costs the same at any account size. The list of
# everyone, or of one network, is counted exactly from the tallies.
SEARCH_COUNT_CAP = 10_000
FILTER_COUNT_CAP = 1_000
# Past the end shows the last page; this cap keeps the OFFSET within what databases take.
LAST_PAGE_ASKED = 1_000_000


@dataclass(frozen=True)
class PageAsked:
    """Which page the list's links ask for: its number, and the cursor (crm.contacts.keyset)
    of the row it starts after (Next) or ends before (Previous), when the link has one."""

    number: int = 1
    after: str = ""
    before: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> PageAsked:
        try:
            number = int(args.get("page", 1))
        except ValueError:
            number = 1
        return cls(number, args.get("after", ""), args.get("before", ""))


@dataclass
class ContactPage:
    """A page of the list: Flask-SQLAlchemy's pagination (its total set here), whether that
    total stopped at SEARCH_COUNT_CAP, whether a row follows it (Next), and the cursors its
    Next and Previous links carry."""

    listing: Pagination
    capped: bool
    more: bool
    next_after: str = ""
    previous_before: str = ""


def contact_page(
    user_id: int, filters: ContactFilters, asked: PageAsked, per_page: int
) -> ContactPage:
    """A page of the list. Scans as little as the answer needs: the first page is read before
    anything is counted (no count when it is not full); a later page is counted first, for
    "Page N of M", then read from its link's cursor through the sort's index, the last page
    from the end, and only a page asked by number alone (a bookmark) by OFFSET."""
    page = min(max(asked.number, 1), LAST_PAGE_ASKED)
    if page == 1:
        return _first_page(user_id, filters, per_page)
    read_first = _read_before_counting(user_id, filters, asked, page, per_page)
    if read_first is not None:
        return read_first
    total, capped = _count(user_id, filters)
    last = max(1, _last_page(total, per_page))
    if not capped:  # past the end: show the last page rather than nothing
        page = min(page, last)
    from_cursor = _from_cursor(user_id, filters, asked, page, per_page)
    if from_cursor is not None:
        from_cursor.listing.total, from_cursor.capped = total, capped
        return from_cursor
    if page == last and not capped:
        on_last = total - (last - 1) * per_page
        listing = _paged(page, per_page, _keyset(user_id, filters, None, False, on_last))
    else:
        listing = _listing(user_id, filters, page, per_page)
        if not listing.items and total:  # past the end of a count that stopped at the cap
            listing = _listing(user_id, filters, last, per_page)
    listing.total = total
    return _with_cursors(listing, capped, filters)


def _first_page(user_id: int, filters: ContactFilters, per_page: int) -> ContactPage:
    """The first page, read before anything is counted: no count when it is not full."""
    listing = _listing(user_id, filters, 1, per_page)
    if len(listing.items) < per_page:
        listing.total = len(listing.items)
        return _with_cursors(listing, False, filters)
    total, capped = _count(user_id, filters)
    listing.total = total
    return _with_cursors(listing, capped, filters)


def _read_before_counting(
    user_id: int, filters: ContactFilters, asked: PageAsked, page: int, per_page: int
) -> ContactPage | None:
    """A page asked by number, of a common tag's list, that ends at or past the count's cap:
    read first, with one row more, it answers the count too ("1,000+" when that row is there,
    the exact number when the page is the last), so the rows before it are walked once
    rather than once for the count and again for the page. None when the page does not
    qualify or is past the end (then the count finds the last page)."""
    if asked.after or asked.before:  # a link's cursor leads there instead
        return None
    tagged = tag_filter(user_id, filters)
    cap, offset = _count_cap(filters), (page - 1) * per_page
    if tagged is None or tagged.few or cap is None or offset + per_page < cap:
        return None
    people = _rows(user_id, filters, offset, per_page + 1)
    if not people:
        return None
    capped = len(people) > per_page
    listing = _paged(page, per_page, people[:per_page])
    listing.total = max(cap, offset + per_page) if capped else offset + len(people)
    return _with_cursors(listing, capped, filters)


def _from_cursor(
    user_id: int, filters: ContactFilters, asked: PageAsked, page: int, per_page: int
) -> ContactPage | None:
    """The page its link's cursor leads to, or None when the link has no cursor or the rows
    around it are gone. Next reads one row more, to know whether another page follows; a
    Previous that finds fewer than a page has reached the start, and shows the first page."""
    after, before = decode(asked.after, filters.sort), decode(asked.before, filters.sort)
    if after is not None:
        people = _keyset(user_id, filters, after, True, per_page + 1)
        if not people:
            return None
        more = len(people) > per_page
        return _with_cursors(_paged(page, per_page, people[:per_page]), False, filters, more)
    if before is not None:
        people = _keyset(user_id, filters, before, False, per_page)
        if len(people) < per_page:
            page, people = 1, _listing(user_id, filters, 1, per_page).items
        return _with_cursors(_paged(page, per_page, people), False, filters, True)
    return None


def _with_cursors(
    listing: Pagination, capped: bool, filters: ContactFilters, more: bool | None = None
) -> ContactPage:
    """The page, with the cursors of its last row (for Next) and, past the second page, of its
    first (for Previous; page 1 needs none). A row follows, unless `more` knows better, when
    the count says so or stopped at its cap."""
    items: list[Contact] = listing.items
    more = (listing.has_next or capped) if more is None else more
    if not items:
        return ContactPage(listing, capped, more)
    return ContactPage(
        listing,
        capped,
        more,
        encode(_sort_key(items[-1], filters.sort)),
        encode(_sort_key(items[0], filters.sort)) if listing.page > 2 else "",
    )


def _sort_key(contact: Contact, sort: str) -> tuple[KeyValue, ...]:
    """The contact's place in the list's order: the values of the sort's key (KEY_SHAPES)."""
    if sort == "company":
        company = contact.company
        if company is None:
            return (None, None, contact.sort_name, contact.id)
        return (company.sort_name, company.id, contact.sort_name, contact.id)
    if sort == "recent":
        return (contact.created_at, contact.id)
    return (contact.sort_name, contact.id)


def _last_page(total: int, per_page: int) -> int:
    """The number of the page that holds the last of `total` contacts."""
    return -(-total // per_page)


def _listing(user_id: int, filters: ContactFilters, page: int, per_page: int) -> Pagination:
    """A page read by its number: OFFSET past the pages before it."""
    read = partial(_rows, user_id, filters)
    return _ReadPagination(
        page=page, per_page=per_page, max_per_page=None, error_out=False, count=False, read=read
    )


def _rows(user_id: int, filters: ContactFilters, offset: int, limit: int) -> list[Contact]:
    """At most `limit` people of the list in its order, past the first `offset`."""
    if filters.sort == "company":
        return _by_company(user_id, filters, offset, limit)
    query = contact_query(user_id, filters).offset(offset).limit(limit)
    return list(db.session.scalars(query).unique())


def _paged(page: int, per_page: int, people: list[Contact]) -> Pagination:
    """Page `page` of the list, holding the people read from a cursor."""
    return _ReadPagination(
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        count=False,
        read=lambda offset, limit: people,
    )


class _ReadPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a page read by `read(offset, limit)` (its documented
    way in: a subclass gives the items). contact_page sets the total."""

    def _query_items(self) -> list[Any]:
        read: Callable[[int, int], list[Contact]] = self._query_args["read"]
        return read(self._query_offset, self.per_page)


def _at_companies(columns: Select[_T], user_id: int, conditions: list[Any]) -> Select[_T]:
    """The select over the people at a company, the company joined (the order by company's
    first part)."""
    return (
        columns.select_from(Company)
        .join(Contact, Contact.company_id == Company.id)
        .where(Company.user_id == user_id, *conditions)
    )


def _by_company(user_id: int, filters: ContactFilters, offset: int, limit: int) -> list[Contact]:
    """A page of the list sorted by company: the people at a company, companies by folded
    name and each one's people by sort name, then the people at no company, by sort name.
    Two walks of ix_contact_user_company_sort that stop at the page's end, not a sort of
    every match."""
    conditions = matching(user_id, filters)
    people = list(
        db.session.scalars(
            _at_companies(select(Contact), user_id, conditions)
            .order_by(*_BY_COMPANY)
            .options(contains_eager(Contact.company), selectinload(Contact.tags))
            .limit(limit)
            .offset(offset)
        )
    )
    if len(people) == limit or filters.company:  # a page full, or only people at a company
        return people
    if people or not offset:  # this page holds the last of the people at a company
        before = offset + len(people)
    else:  # a page past them: count them, to know where the people at no company start
        counted = _at_companies(select(func.count(Contact.id)), user_id, conditions)
        before = db.session.scalar(counted) or 0
    people += db.session.scalars(
        _at_no_company(conditions)
        .order_by(*_BY_COMPANY[2:])
        .limit(limit - len(people))
        .offset(max(0, offset - before))
    )
    return people


def _at_no_company(conditions: list[Any]) -> Select[Contact]:
    """The select over the people at no company (the order by company's last part)."""
    return (
        select(Contact)
        .where(Contact.company_id.is_(None), *conditions)
        .options(selectinload(Contact.tags))
    )


def _keyset(
    user_id: int,
    filters: ContactFilters,
    cursor: tuple[KeyValue, ...] | None,
    forward: bool,
    limit: int,
) -> list[Contact]:
    """Up to `limit` contacts right after the cursor in the list's order (forward), or right
    before it (from the end when there is no cursor), in the list's order. Each read walks the
    sort's index from the cursor: (sort name, id), (created, id), or the company's order."""
    if filters.sort == "company":
        walk = _company_order_forward if forward else _company_order_backward
        people = walk(user_id, filters, cursor, limit)
        return people if forward else people[::-1]
    descending = filters.sort == "recent"
    key: tuple[QueryableAttribute[Any], ...] = (
        (Contact.created_at, Contact.id) if descending else (Contact.sort_name, Contact.id)
    )
    stmt = contact_query(user_id, filters).order_by(None)
    people = _walk(stmt, key, cursor, forward != descending, limit)
    return people if forward else people[::-1]


def _walk(
    stmt: Select[Contact],
    key: tuple[QueryableAttribute[Any], ...],
    cursor: tuple[KeyValue, ...] | None,
    upward: bool,
    limit: int,
) -> list[Contact]:
    """Up to `limit` rows of the select in the key's order, up (or down) from the cursor, or
    from the start (or the end) when there is none."""
    if cursor is not None:
        pairs = zip(key, cursor, strict=True)
        values = tuple_(*(literal(value, column.type) for column, value in pairs))
        # A row-value comparison: both databases answer it from an index on the key's columns.
        stmt = stmt.where(tuple_(*key) > values if upward else tuple_(*key) < values)
    order = (column if upward else column.desc() for column in key)
    return list(db.session.scalars(stmt.order_by(*order).limit(limit)))


def _company_order_parts(
    user_id: int, filters: ContactFilters
) -> tuple[Select[Contact], Select[Contact]]:
    """The order by company's two selects: the people at a company, the people at none."""
    conditions = matching(user_id, filters)
    at_companies = _at_companies(select(Contact), user_id, conditions).options(
        contains_eager(Contact.company), selectinload(Contact.tags)
    )
    return at_companies, _at_no_company(conditions)


def _from_company(
    at_companies: Select[Contact], cursor: tuple[KeyValue, ...], upward: bool
) -> Select[Contact]:
    """The walk starts at the cursor's company: a range of ix_company_user_sort_name (the full
    key's comparison spans two tables, which no index holds)."""
    company = tuple_(Company.sort_name, Company.id)
    values = tuple_(literal(cursor[0], Company.sort_name.type), literal(cursor[1], Company.id.type))
    return at_companies.where(company >= values if upward else company <= values)


def _company_order_forward(
    user_id: int, filters: ContactFilters, cursor: tuple[KeyValue, ...] | None, limit: int
) -> list[Contact]:
    """_keyset forward in the order by company: from a cursor at a company (its key is the
    company's folded name and id, then the person's) on through the people at no company;
    from a cursor at no company (no company in its key) through them alone."""
    at_companies, at_no_company = _company_order_parts(user_id, filters)
    among_companies = cursor is None or cursor[0] is not None
    if cursor is not None and among_companies:
        at_companies = _from_company(at_companies, cursor, True)
    people = _walk(at_companies, _BY_COMPANY, cursor, True, limit) if among_companies else []
    if len(people) < limit and not filters.company:  # else only people at a company match
        person = None if among_companies or cursor is None else cursor[2:]
        people += _walk(at_no_company, _BY_COMPANY[2:], person, True, limit - len(people))
    return people


def _company_order_backward(
    user_id: int, filters: ContactFilters, cursor: tuple[KeyValue, ...] | None, limit: int
) -> list[Contact]:
    """_keyset backward in the order by company (last row first): the people at no company
    before the cursor (all of them from the end), then the people at a company."""
    at_companies, at_no_company = _company_order_parts(user_id, filters)
    among_companies = cursor is not None and cursor[0] is not None
    people: list[Contact] = []
    if not among_companies and not filters.company:
        person = None if cursor is None else cursor[2:]
        people = _walk(at_no_company, _BY_COMPANY[2:], person, False, limit)
    if len(people) < limit:
        company = cursor if among_companies else None
        if company is not None:
            at_companies = _from_company(at_companies, company, False)
        people += _walk(at_companies, _BY_COMPANY, company, False, limit - len(people))
    return people


def _count(user_id: int, filters: ContactFilters) -> tuple[int, bool]:
    """How many contacts the list matches, and whether the count stopped at its cap."""
    if not (filters.q or filters.tag or filters.company):
        # Everyone, or one network: kept as the data changes (crm.tallies), read in one row.
        network = filters.network if filters.network in Network.values() else None
        return listed(user_id, network), False
    cap = _count_cap(filters)
    counted = _counted(user_id, filters)
    if cap is not None:
        counted = counted.limit(cap + 1)
    total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    if cap is not None and total > cap:
        return cap, True
    return total, False


def _counted(user_id: int, filters: ContactFilters) -> Select[int]:
    """The ids a count walks. A tag on many contacts is counted from its own index
    (contact_tag's), up to the cap: the probe the pages use would scan the contacts for it."""
    tagged = tag_filter(user_id, filters)
    if tagged is None or tagged.tag_id is None or tagged.few:
        return _filtered(select(Contact.id), user_id, filters).order_by(None)
    counted = select(Contact.id).join(
        contact_tag,
        and_(contact_tag.c.contact_id == Contact.id, contact_tag.c.tag_id == tagged.tag_id),
    )
    if _joins_company(filters):
        counted = counted.outerjoin(Company, Contact.company_id == Company.id)
    return counted.where(*matching(user_id, filters, with_tag=False))


def _count_cap(filters: ContactFilters) -> int | None:
    """Where the list's count stops: a filter's cap, else a search's, else none (every
    contact is counted)."""
    if filters.tag or filters.company:
        return FILTER_COUNT_CAP
    return SEARCH_COUNT_CAP if filters.q else None
