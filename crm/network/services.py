"""The Network page's reads: three statements, whatever the size of the user's network.

The people in the tree (everyone someone introduced, and the first-degree contacts who
introduced someone), the interviews held per person, and the user's totals of people reached
and of replies; crm.network.tree and crm.network.figures do the rest in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, func, select, union_all

from crm.enums import InterviewStatus
from crm.models import Contact, Interview
from crm.network.drawing import Drawing, lay_out
from crm.network.figures import Figures, network_figures
from crm.network.tree import Forest, Node, Person, pages_of
from crm.prebuilt import Prebuilt, prebuilt

# People in the trees drawn on one page; more trees go to the next page.
PEOPLE_PER_PAGE = 100


@prebuilt
def _network_people_statement() -> Prebuilt[*tuple[Any, ...]]:
    """Everyone introduced, and the first-degree contacts who introduced one of them: name,
    introducer, reached and replied (the introduced read from ix_contact_user_introduced
    alone)."""
    user_id: BindParameter[int] = bindparam("user_id")
    reached = Contact.first_outreach_on.is_not(None)
    # In Person's order; whether reached and replied, never the dates (no date to parse).
    columns = (
        Contact.id,
        Contact.introduced_by_id,
        Contact.first_name,
        Contact.last_name,
        Contact.email,
        reached.label("reached"),
        and_(reached, Contact.replied_on.is_not(None)).label("replied"),
    )
    introduced = (Contact.user_id == user_id, Contact.introduced_by_id.is_not(None))
    introducer_ids = select(Contact.introduced_by_id).where(*introduced)
    statement = union_all(
        select(*columns).where(*introduced),
        select(*columns).where(
            Contact.user_id == user_id,
            Contact.introduced_by_id.is_(None),
            Contact.id.in_(introducer_ids),
        ),
    )
    return Prebuilt(statement, "user_id")


@prebuilt
def _interviews_held_statement() -> Prebuilt[int, int]:
    """Interviews held per person (over ix_interview_user_status_done)."""
    statement = (
        select(Interview.contact_id, func.count())
        .where(Interview.user_id == bindparam("user_id"), Interview.status == InterviewStatus.DONE)
        .group_by(Interview.contact_id)
    )
    return Prebuilt(statement, "user_id")


@prebuilt
def _reached_and_replied_statement() -> Prebuilt[int, int]:
    """Everyone reached, and those who replied (over ix_contact_user_reached alone)."""
    statement = select(func.count(), func.count(Contact.replied_on)).where(
        Contact.user_id == bindparam("user_id"), Contact.first_outreach_on.is_not(None)
    )
    return Prebuilt(statement, "user_id")


def network_people(user_id: int) -> tuple[list[Person], int]:
    """The people of the user's tree of introductions, and the interviews the user held."""
    held = {
        contact_id: n
        for contact_id, n in _interviews_held_statement().execute({"user_id": user_id})
    }
    rows = _network_people_statement().execute({"user_id": user_id})
    people = [
        Person(person_id, introducer_id, first, last, email, reached, replied, person_id in held)
        for person_id, introducer_id, first, last, email, reached, replied in rows
    ]
    return people, sum(held.values())


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
    reached, replied = _reached_and_replied_statement().execute({"user_id": user_id}).one()
    forest = Forest(people)
    pages = pages_of(forest.trees, PEOPLE_PER_PAGE)
    page = min(max(page, 1), len(pages))
    shown = [forest.grow(tree) for tree in pages[page - 1]]
    return NetworkView(
        figures=network_figures(forest, interviews_held, reached, replied),
        trees=shown,
        drawing=lay_out(shown),
        page=page,
        pages=len(pages),
        first_degree=sum(1 for tree in forest.trees if tree.top.id not in forest.parents),
    )
