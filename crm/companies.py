"""Companies: found or created by name, and the people the user knows at each.

`people_at` lists who the user knows at some companies: the Plan's target employers read it,
and so does every "Reach a second person" follow-up (on the Follow-ups page, the dashboard
and the contact page). Writes flush; views commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BindParameter, Row, Select, and_, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import lazyload

from crm.extensions import db
from crm.models import Company, Contact, Tag
from crm.normalize import name_key, squash
from crm.prebuilt import Prebuilt, prebuilt


def get_or_create_company(user_id: int, name: str | None) -> Company | None:
    """The user's company with this name (case- and space-insensitive), created when new."""
    name = squash(name)
    if not name:
        return None
    key = name_key(name)
    find = select(Company).where(Company.user_id == user_id, Company.name_key == key)
    company = db.session.scalar(find)
    if company is None:
        # Two requests may create the same company at once: the second finds the first's.
        insert_unless_present(Company, {"user_id": user_id, "name": name, "name_key": key})
        company = db.session.scalars(find).one()
    return company


def insert_unless_present(model: type[Company] | type[Tag], values: dict[str, Any]) -> None:
    """INSERT ... ON CONFLICT (user_id, name_key) DO NOTHING: a concurrent twin is no error."""
    dialect = db.session.get_bind().dialect.name
    db.session.flush()
    conflict = ["user_id", "name_key"]
    if dialect == "postgresql":
        pg = (
            postgresql.insert(model)
            .values(**values)
            .on_conflict_do_nothing(index_elements=conflict)
        )
        db.session.execute(pg)
    elif dialect == "sqlite":
        lite = sqlite.insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict)
        db.session.execute(lite)
    else:  # pragma: no cover - the app supports SQLite and PostgreSQL
        db.session.add(model(**values))
        db.session.flush()


PEOPLE_SHOWN = 3


@dataclass
class CompanyPeople:
    """A company and the first people the user knows there, in name order."""

    company: Company
    people: list[Contact] = field(default_factory=list)
    total: int = 0

    @property
    def company_id(self) -> int:
        return self.company.id

    @property
    def company_name(self) -> str:
        return self.company.name

    def others(self, contact_id: int | None = None) -> list[Contact]:
        """The first few people there other than this contact (the one who has not replied)."""
        return [c for c in self.people if c.id != contact_id][:PEOPLE_SHOWN]

    def more(self, contact_id: int | None = None) -> int:
        """How many more people there are beyond those shown, not counting this contact (who
        works there: a follow-up's company is its contact's)."""
        here = 1 if contact_id is not None else 0
        return max(0, self.total - here - len(self.others(contact_id)))


def _people_statement(
    user_id: BindParameter[int], ids: Select[Any] | BindParameter[Any]
) -> Select[Company, Contact, int]:
    """Companies among ids with their first people and how many work there."""
    # One more than shown, so a follow-up's own contact can be left out and still fill the list.
    ranked = (
        select(
            Contact.id.label("contact_id"),
            Contact.company_id.label("company_id"),
            func.row_number()
            .over(partition_by=Contact.company_id, order_by=(Contact.sort_name, Contact.id))
            .label("rank"),
            func.count().over(partition_by=Contact.company_id).label("total"),
        )
        .where(Contact.user_id == user_id, Contact.company_id.in_(ids))
        .subquery()
    )
    return (
        select(Company, Contact, ranked.c.total)
        .outerjoin(
            ranked, and_(ranked.c.company_id == Company.id, ranked.c.rank <= PEOPLE_SHOWN + 1)
        )
        .outerjoin(Contact, Contact.id == ranked.c.contact_id)
        .where(Company.user_id == user_id, Company.id.in_(ids))
        .order_by(Company.sort_name, Company.id, ranked.c.rank)
        # Each person's company is the row's company, already loaded: no second join to it.
        .options(lazyload(Contact.company))
    )


@prebuilt
def _people_at_ids() -> Prebuilt[Company, Contact, int]:
    """_people_statement for a list of company ids, built once: every "Reach a second
    person" row on three pages sends it."""
    ids: BindParameter[list[int]] = bindparam("company_ids", expanding=True)
    return Prebuilt(_people_statement(bindparam("user_id"), ids), "user_id", "company_ids")


@prebuilt
def _people_at_starred() -> Prebuilt[Company, Contact, int]:
    """_people_statement for the starred companies, built once."""
    user_id: BindParameter[int] = bindparam("user_id")
    starred = select(Company.id).where(Company.user_id == user_id, Company.is_target.is_(True))
    return Prebuilt(_people_statement(user_id, starred), "user_id")


def people_at(user_id: int, company_ids: Collection[int]) -> dict[int, CompanyPeople]:
    """Each of the user's companies among company_ids, with how many contacts work there and
    the first few of them, in company name order: always one statement, however many
    companies and contacts."""
    params = {"user_id": user_id, "company_ids": list(company_ids)}
    return _grouped(_people_at_ids().execute(params).all())


def _grouped(rows: Sequence[Row[Company, Contact, int]]) -> dict[int, CompanyPeople]:
    """The rows of a _people_statement, one CompanyPeople per company."""
    result: dict[int, CompanyPeople] = {}
    for company, contact, total in rows:
        group = result.setdefault(company.id, CompanyPeople(company))
        if contact is not None:
            group.people.append(contact)
            group.total = total
    return result


def people_at_targets(user_id: int) -> dict[int, CompanyPeople]:
    """The starred companies, by name, with the people there (one statement)."""
    rows = _people_at_starred().execute({"user_id": user_id}).all()
    return _grouped(rows)
