"""The Plan's target employers: the companies the user stars, with the people there."""

from __future__ import annotations

from sqlalchemy import select

from crm.companies import CompanyPeople, get_or_create_company, people_at_targets
from crm.extensions import db
from crm.models import Company
from crm.normalize import company_sort_name, squash
from crm.plan.errors import PlanError


def target_employers(user_id: int) -> list[CompanyPeople]:
    """The starred companies, by name, with the people there (one statement)."""
    return list(people_at_targets(user_id).values())


def set_target(company: Company, starred: bool) -> bool:
    """Star a company as a target employer, or unstar it; False when it already was so."""
    if company.is_target == starred:
        return False
    company.is_target = starred
    db.session.flush()
    return True


def star_employer(user_id: int, name: str) -> Company:
    """Star a company as a target employer, adding it when the user has no such company."""
    name = squash(name)
    if not name:
        raise PlanError("Write the company's name.")
    # "etoile labs" stars the Étoile Labs the user has, when there is just the one.
    alike = db.session.scalars(
        select(Company)
        .where(Company.user_id == user_id, Company.sort_name == company_sort_name(name))
        .limit(2)
    ).all()
    company = alike[0] if len(alike) == 1 else get_or_create_company(user_id, name)
    assert company is not None
    if company.is_target:
        raise PlanError(f"{company.name} is already a target employer.")
    company.is_target = True
    db.session.flush()
    return company
