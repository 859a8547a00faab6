"""Who to try next at the company a "Reach a second person" follow-up is about.

The company is the one where the person was reached (stored with the outreach), so a job
change does not move the follow-up. The people offered are those there who were never
reached there and are in no open thread; those already tried are named too. One statement
for a whole page, however many rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import BindParameter, and_, bindparam, exists, func, literal, select, union_all
from sqlalchemy.orm import lazyload

from crm.enums import FollowUpKind, OutreachStatus
from crm.models import Company, Contact, FollowUp, Outreach
from crm.prebuilt import Prebuilt, prebuilt

PEOPLE_SHOWN = 3
TO_TRY = "to_try"
TRIED = "tried"


@dataclass
class SecondPerson:
    """A company, the first few people there to try, and the first few already tried."""

    company: Company
    to_try: list[Contact] = field(default_factory=list)
    to_try_total: int = 0
    tried: list[Contact] = field(default_factory=list)
    tried_total: int = 0

    @property
    def company_name(self) -> str:
        return self.company.name

    @property
    def more(self) -> int:
        """How many more people to try beyond those shown."""
        return max(0, self.to_try_total - len(self.to_try))

    @property
    def tried_more(self) -> int:
        return max(0, self.tried_total - len(self.tried))

    def tried_others(self, contact_id: int | None) -> bool:
        """Whether anyone besides this contact was reached there."""
        return any(person.id != contact_id for person in self.tried) or self.tried_total > len(
            self.tried
        )


@prebuilt
def _second_people_statement() -> Prebuilt[int, Company, Contact | None, str | None, int | None]:
    """For each outreach: the company it reached its person at, and that company's first
    people to try and first people tried, with how many of each (one row per person)."""
    user_id: BindParameter[int] = bindparam("user_id")
    outreach_ids: BindParameter[list[int]] = bindparam("outreach_ids", expanding=True)
    reached = (
        select(Outreach.id.label("outreach_id"), Outreach.company_id.label("company_id"))
        .where(Outreach.user_id == user_id, Outreach.id.in_(outreach_ids))
        .cte("reached")
    )
    company_ids = select(reached.c.company_id)
    reached_here = exists().where(
        Outreach.contact_id == Contact.id, Outreach.company_id == Contact.company_id
    )
    in_thread = exists().where(
        Outreach.contact_id == Contact.id, Outreach.status == OutreachStatus.AWAITING
    )
    to_try = select(
        Contact.id.label("contact_id"),
        Contact.company_id.label("company_id"),
        literal(TO_TRY).label("list"),
        func.row_number()
        .over(partition_by=Contact.company_id, order_by=(Contact.sort_name, Contact.id))
        .label("rank"),
        func.count().over(partition_by=Contact.company_id).label("total"),
    ).where(
        Contact.user_id == user_id, Contact.company_id.in_(company_ids), ~reached_here, ~in_thread
    )
    pairs = (
        select(Outreach.company_id, Outreach.contact_id, func.max(Outreach.sent_on).label("last"))
        .where(Outreach.user_id == user_id, Outreach.company_id.in_(company_ids))
        .group_by(Outreach.company_id, Outreach.contact_id)
        .subquery()
    )
    tried = select(
        pairs.c.contact_id,
        pairs.c.company_id,
        literal(TRIED).label("list"),
        func.row_number()
        .over(partition_by=pairs.c.company_id, order_by=(pairs.c.last.desc(), pairs.c.contact_id))
        .label("rank"),
        func.count().over(partition_by=pairs.c.company_id).label("total"),
    )
    lists = union_all(to_try, tried).subquery()
    statement = (
        select(reached.c.outreach_id, Company, Contact, lists.c.list, lists.c.total)
        .select_from(reached)
        .join(Company, Company.id == reached.c.company_id)
        .outerjoin(lists, and_(lists.c.company_id == Company.id, lists.c.rank <= PEOPLE_SHOWN))
        .outerjoin(Contact, Contact.id == lists.c.contact_id)
        .order_by(reached.c.outreach_id, lists.c.list, lists.c.rank)
        # Each person's company is the row's company: no second join to it.
        .options(lazyload(Contact.company))
    )
    return Prebuilt(statement, "user_id", "outreach_ids")


def second_people(user_id: int, followups: Iterable[FollowUp]) -> dict[int, SecondPerson]:
    """For each "Reach a second person" follow-up, by its id: who to try and who was tried."""
    outreach_of = {
        f.id: f.outreach_id
        for f in followups
        if f.kind == FollowUpKind.SECOND_PERSON and f.outreach_id is not None
    }
    params = {"user_id": user_id, "outreach_ids": sorted(set(outreach_of.values()))}
    by_outreach: dict[int, SecondPerson] = {}
    for outreach_id, company, contact, which, total in _second_people_statement().execute(params):
        group = by_outreach.setdefault(outreach_id, SecondPerson(company))
        if contact is None or total is None:
            continue
        if which == TO_TRY:
            group.to_try.append(contact)
            group.to_try_total = total
        else:
            group.tried.append(contact)
            group.tried_total = total
    return {
        followup_id: by_outreach[outreach_id]
        for followup_id, outreach_id in outreach_of.items()
        if outreach_id in by_outreach
    }
