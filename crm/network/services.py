"""The Network page's reads: a handful of statements, whatever the size of the network.

The outline of the network (its trees, pages and longest chain, in ids) is kept in memory
under the network's stamp (crm.network.outline); each request reads the stamp, the
interviews held per person, the tallies of people reached and replied, and the people of the
page it shows, named and with how far each got.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import JSON, BindParameter, Integer, and_, bindparam, cast, func, select

from crm.enums import InterviewStatus
from crm.extensions import db
from crm.models import Contact, Interview
from crm.network.drawing import Drawing, lay_out
from crm.network.figures import Counts, Figures, network_figures
from crm.network.models import NetworkStamp
from crm.network.outline import Outline, Outlines, collector_paused, outline_of
from crm.network.tree import Forest, Node, People, Person, Tree
from crm.prebuilt import Prebuilt, prebuilt
from crm.tallies.counters import TallyKind
from crm.tallies.services import total

# People in the trees drawn on one page; more trees go to the next page.
PEOPLE_PER_PAGE = 100
# Where a process keeps its outlines (crm.network.outline.Outlines).
OUTLINES = "network_outlines"


@prebuilt
def _network_links_statement(dialect: str) -> Prebuilt[list[int] | None, list[int] | None]:
    """Everyone introduced and whom by, from ix_contact_user_introduced alone: two JSON arrays
    in one row (the ids, and their introducers' in the same order), which the driver hands
    over as two lists of ints rather than a row object per person."""
    gather = func.json_agg if dialect == "postgresql" else func.json_group_array
    statement = select(
        gather(Contact.id, type_=JSON), gather(Contact.introduced_by_id, type_=JSON)
    ).where(Contact.user_id == bindparam("user_id"), Contact.introduced_by_id.is_not(None))
    return Prebuilt(statement, "user_id")


@prebuilt
def _network_people_statement(
    dialect: str,
) -> Prebuilt[int, int | None, str, str, str | None, bool, bool]:
    """The listed contacts, named, with whether each was reached and replied; the ids bound
    as one JSON array: one statement and two parameters however many people a page shows (a
    list of ids would bind one each)."""
    ids = bindparam("ids", type_=JSON)
    if dialect == "postgresql":
        listed = select(
            cast(func.json_array_elements_text(ids).table_valued("value").c.value, Integer)
        )
    else:
        listed = select(func.json_each(ids).table_valued("value").c.value)
    reached = Contact.first_outreach_on.is_not(None)
    statement = select(
        Contact.id,
        Contact.introduced_by_id,
        Contact.first_name,
        Contact.last_name,
        Contact.email,
        reached.label("reached"),
        and_(reached, Contact.replied_on.is_not(None)).label("replied"),
    ).where(Contact.user_id == bindparam("user_id"), Contact.id.in_(listed))
    return Prebuilt(statement, "user_id", "ids")


@prebuilt
def _interviews_held_statement() -> Prebuilt[int, int]:
    """Interviews held per person (over ix_interview_user_status_done)."""
    statement = (
        select(Interview.contact_id, func.count())
        .where(Interview.user_id == bindparam("user_id"), Interview.status == InterviewStatus.DONE)
        .group_by(Interview.contact_id)
    )
    return Prebuilt(statement, "user_id")


# The tallies the figures read: everyone reached and replied, and the suggested ones.
_COUNTED = (
    TallyKind.REACHED,
    TallyKind.REACHED_REPLIED,
    TallyKind.SUGGESTED_REACHED,
    TallyKind.SUGGESTED_REPLIED,
)


@prebuilt
def _stamp_and_tallies_statement() -> Prebuilt[*tuple[int | None, ...]]:
    """The network's stamp (None before its first introduction) and the _COUNTED tallies,
    in one row."""
    user_id: BindParameter[int] = bindparam("user_id")
    stamp = select(NetworkStamp.stamp).where(NetworkStamp.user_id == user_id)
    statement = select(stamp.scalar_subquery(), *(total(user_id, kind) for kind in _COUNTED))
    return Prebuilt(statement, "user_id")


def _outlines() -> Outlines:
    """The app's kept outlines, made on the first visit (two threads making them at once
    lose no more than an outline each)."""
    outlines: Outlines | None = current_app.extensions.get(OUTLINES)
    if outlines is None:
        outlines = current_app.extensions[OUTLINES] = Outlines()
    return outlines


def network_outline(user_id: int, stamp: int | None, people_per_page: int) -> Outline:
    """The user's outline: kept, while their network's stamp stays the same, or planted.

    The stamp must have been read before the links are: should an introduction change
    between the two statements (PostgreSQL reads each at its own moment), the newer outline
    is kept under the older stamp, which the next request no longer finds; the other order
    could keep an older outline under the newer stamp."""
    outlines = _outlines()
    key = (stamp or 0, people_per_page)
    if stamp is not None and (kept := outlines.get(user_id, key)) is not None:
        return kept
    statement = _network_links_statement(db.session.get_bind().dialect.name)
    ids, introducers = statement.execute({"user_id": user_id}).one()
    with collector_paused():
        outline = outline_of(zip(ids or [], introducers or [], strict=True), people_per_page)
    # No stamp yet: nobody was introduced since the stamp began, nothing worth keeping.
    if stamp is not None:
        outlines.put(user_id, key, outline)
    return outline


def network_people(user_id: int, ids: Iterable[int], held: dict[int, int]) -> People:
    """The user's listed contacts, named, with how far each got. An id that is not the user's
    contact (an introducer of another account, in bad data) stays an unnamed person."""
    wanted = sorted(set(ids))
    statement = _network_people_statement(db.session.get_bind().dialect.name)
    people = People(
        Person(person_id, by, first, last, email, reached, replied, person_id in held)
        for person_id, by, first, last, email, reached, replied in statement.execute(
            {"user_id": user_id, "ids": wanted}
        )
    )
    for person_id in wanted:
        if person_id not in people:
            people.add(person_id, None, False, False, person_id in held)
    return people


@dataclass(frozen=True)
class NetworkView:
    figures: Figures
    trees: list[Node]
    drawing: Drawing
    page: int
    pages: int
    # First-degree contacts who introduced someone, on every page.
    first_degree: int

    @property
    def empty(self) -> bool:
        return not self.trees


def network_view(user_id: int, page: int = 1) -> NetworkView:
    """The figures, and one page of the tree of introductions laid out for drawing."""
    rows = _interviews_held_statement().execute({"user_id": user_id})
    held = {contact_id: n for contact_id, n in rows}
    stamp, *counted = _stamp_and_tallies_statement().execute({"user_id": user_id}).one()
    tallies = dict(zip(_COUNTED, (n or 0 for n in counted), strict=True))
    outline = network_outline(user_id, stamp, PEOPLE_PER_PAGE)
    page = min(max(page, 1), len(outline.pages))
    members = outline.members[page - 1]
    people = network_people(user_id, [*members, *outline.chain], held)
    # The page's trees are whole among its members, so a forest of them grows them as the
    # whole network's would.
    forest = Forest(People(people[person_id] for person_id in members))
    shown = [forest.grow(Tree(people[top_id], size)) for top_id, size in outline.pages[page - 1]]
    counts = Counts(
        interviews_held=sum(held.values()),
        suggested_by_interviewed=outline.suggested_by(held),
        suggested_reached=tallies[TallyKind.SUGGESTED_REACHED],
        suggested_replied=tallies[TallyKind.SUGGESTED_REPLIED],
        all_reached=tallies[TallyKind.REACHED],
        all_replied=tallies[TallyKind.REACHED_REPLIED],
    )
    chain = [people[person_id] for person_id in outline.chain]
    return NetworkView(
        figures=network_figures(outline, counts, chain),
        trees=shown,
        drawing=lay_out(shown),
        page=page,
        pages=len(outline.pages),
        first_degree=outline.first_degree,
    )
