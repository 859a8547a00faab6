"""The Network page's reads: four statements, whatever the size of the user's network.

Who introduced whom (ids and flags of everyone introduced; the first-degree contacts who
introduced someone follow from them), the interviews held per person, the user's totals of
people reached and of replies, and the names of the people the page shows: the rest of the
network stays ids in memory, where crm.network.tree and crm.network.figures work on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import JSON, Integer, and_, bindparam, cast, func, select

from crm.enums import InterviewStatus
from crm.extensions import db
from crm.models import Contact, Interview
from crm.network.drawing import Drawing, lay_out
from crm.network.figures import Figures, network_figures
from crm.network.tree import Forest, Node, People
from crm.prebuilt import Prebuilt, prebuilt
from crm.tallies.services import reached_and_replied

# People in the trees drawn on one page; more trees go to the next page.
PEOPLE_PER_PAGE = 100


@prebuilt
def _network_links_statement() -> Prebuilt[int, int | None, bool, bool]:
    """Everyone introduced, whom by, and whether reached and replied: ids and flags from
    ix_contact_user_introduced alone, a few bytes a person (names are read per page)."""
    reached = Contact.first_outreach_on.is_not(None)
    statement = select(
        Contact.id,
        Contact.introduced_by_id,
        reached.label("reached"),
        and_(reached, Contact.replied_on.is_not(None)).label("replied"),
    ).where(Contact.user_id == bindparam("user_id"), Contact.introduced_by_id.is_not(None))
    return Prebuilt(statement, "user_id")


@prebuilt
def _network_names_statement(dialect: str) -> Prebuilt[int, str, str, str | None]:
    """The names of the listed contacts, the ids bound as one JSON array: one statement and
    two parameters however many people a page shows (a list of ids would bind one each)."""
    ids = bindparam("ids", type_=JSON)
    if dialect == "postgresql":
        listed = select(
            cast(func.json_array_elements_text(ids).table_valued("value").c.value, Integer)
        )
    else:
        listed = select(func.json_each(ids).table_valued("value").c.value)
    statement = select(Contact.id, Contact.first_name, Contact.last_name, Contact.email).where(
        Contact.user_id == bindparam("user_id"), Contact.id.in_(listed)
    )
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


def network_people(user_id: int) -> tuple[People, int]:
    """The people of the user's tree of introductions, unnamed (Forest.name names those a
    page shows), and the interviews the user held."""
    held = {
        contact_id: n
        for contact_id, n in _interviews_held_statement().execute({"user_id": user_id})
    }
    rows = _network_links_statement().execute({"user_id": user_id})
    people = People.unnamed(rows, held)
    # The first-degree contacts who introduced someone are the introducers nobody introduced:
    # an introducer is always one of the user's own contacts (the contact form, a suggestion,
    # an import and a restore each pick it among them), so no statement looks them up.
    introducers = {row[1] for row in people.rows.values()}.difference(people.rows)
    for top_id in sorted(i for i in introducers if i is not None):
        people.add(top_id, None, False, False, top_id in held)
    return people, sum(held.values())


def names_of(user_id: int, ids: Iterable[int]) -> dict[int, tuple[str, str, str | None]]:
    """The first name, last name and email of each of the user's listed contacts."""
    statement = _network_names_statement(db.session.get_bind().dialect.name)
    rows = statement.execute({"user_id": user_id, "ids": sorted(set(ids))})
    return {person_id: (first, last, email) for person_id, first, last, email in rows}


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
    people, interviews_held = network_people(user_id)
    reached, replied = reached_and_replied(user_id)
    forest = Forest(people)
    trees, page, pages = forest.page(page, PEOPLE_PER_PAGE)
    # Only the people of the page's trees (their order depends on names) and the longest
    # chain are named: the rest of the network stays ids and flags.
    wanted = [*forest.members(trees), *(person.id for person in forest.longest_chain())]
    forest.name(names_of(user_id, wanted))
    shown = [forest.grow(tree) for tree in trees]
    return NetworkView(
        figures=network_figures(forest, interviews_held, reached, replied),
        trees=shown,
        drawing=lay_out(shown),
        page=page,
        pages=pages,
        first_degree=sum(1 for top_id, _ in forest.planted if top_id not in forest.parents),
    )
