"""Step 4: target roles matched against contacts' titles (or tagged by hand), the career
paths their interviews recorded, and target employers. Writes flush; views commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, or_, select

from crm.enums import InterviewStatus
from crm.extensions import db
from crm.models import Company, Contact, Interview, column_length
from crm.normalize import squash
from crm.plan import method
from crm.plan.models import RoleContact, TargetRole
from crm.plan.services import PlanError
from crm.search import contains_folded

PATHS_SHOWN = 6


def add_role(user_id: int, title: str) -> TargetRole:
    """Add a target role; the same words in another order or case are the same role."""
    title = squash(title)
    words = method.title_words(title)
    if not words:
        raise PlanError("Write the role's title, like Product Manager.")
    key = " ".join(sorted(words))[: column_length(TargetRole.title_key)]
    exists = db.session.scalar(
        select(TargetRole.id).where(TargetRole.user_id == user_id, TargetRole.title_key == key)
    )
    if exists:
        raise PlanError(f"“{title}” is already one of your target roles.")
    role = TargetRole(user_id=user_id, title=title, title_key=key)
    db.session.add(role)
    db.session.flush()
    return role


def tag_in_role(role: TargetRole, contact: Contact) -> bool:
    """Mark a contact by hand as holding a role; False when already tagged."""
    exists = db.session.scalar(
        select(RoleContact.id).where(
            RoleContact.role_id == role.id, RoleContact.contact_id == contact.id
        )
    )
    if exists:
        return False
    db.session.add(RoleContact(user_id=role.user_id, role_id=role.id, contact_id=contact.id))
    db.session.flush()
    return True


@dataclass
class RolePerson:
    id: int
    name: str
    title: str | None
    reached: bool
    interviewed: bool
    by_hand: bool


@dataclass
class CareerPath:
    contact_id: int
    name: str
    title: str | None
    text: str


@dataclass
class RoleView:
    role: TargetRole
    people: list[RolePerson] = field(default_factory=list)
    paths: list[CareerPath] = field(default_factory=list)

    @property
    def known(self) -> int:
        return len(self.people)

    @property
    def reached(self) -> int:
        return sum(p.reached for p in self.people)

    @property
    def interviewed(self) -> int:
        return sum(p.interviewed for p in self.people)


def _role_condition(roles: list[TargetRole]) -> ColumnElement[bool] | None:
    """A pre-filter for contacts whose folded text holds every word of some role."""
    alternatives = []
    for role in roles:
        words = [
            or_(*(contains_folded(Contact.search_text, stem) for stem in stems))
            for stems in method.search_stems(role.title)
        ]
        if words:
            alternatives.append(and_(*words))
    return or_(*alternatives) if alternatives else None


def target_roles(user_id: int) -> list[TargetRole]:
    stmt = (
        select(TargetRole)
        .where(TargetRole.user_id == user_id)
        .order_by(TargetRole.created_at, TargetRole.id)
    )
    return list(db.session.scalars(stmt))


def role_views(user_id: int, roles: list[TargetRole]) -> list[RoleView]:
    """Each role with the people in it (by title or by hand) and the career paths their
    interviews recorded: three statements whatever the number of roles or contacts."""
    if not roles:
        return []
    tagged = db.session.execute(
        select(RoleContact.role_id, RoleContact.contact_id).where(RoleContact.user_id == user_id)
    ).all()
    tagged_ids = {contact_id for _, contact_id in tagged}
    done = select(Interview.contact_id).where(
        Interview.user_id == user_id, Interview.status == InterviewStatus.DONE
    )
    condition = _role_condition(roles)
    matches: list[ColumnElement[bool]] = [Contact.id.in_(tagged_ids)] if tagged_ids else []
    if condition is not None:
        matches.append(and_(Contact.title.is_not(None), condition))
    if not matches:
        return [RoleView(role) for role in roles]
    rows = db.session.execute(
        select(
            Contact.id,
            Contact.first_name,
            Contact.last_name,
            Contact.email,
            Contact.title,
            Contact.first_outreach_on,
            Contact.id.in_(done),
        )
        .where(Contact.user_id == user_id, or_(*matches))
        .order_by(Contact.sort_name, Contact.id)
    ).all()
    by_hand: dict[int, set[int]] = {}
    for role_id, contact_id in tagged:
        by_hand.setdefault(role_id, set()).add(contact_id)
    views = []
    member_ids: set[int] = set()
    for role in roles:
        view = RoleView(role)
        hand = by_hand.get(role.id, set())
        for cid, first, last, email, title, reached_on, interviewed in rows:
            if cid in hand or method.title_matches(role.title, title):
                name = f"{first} {last}".strip() or email or "(no name)"
                person = RolePerson(
                    cid, name, title, reached_on is not None, bool(interviewed), cid in hand
                )
                view.people.append(person)
                member_ids.add(cid)
        views.append(view)
    if member_ids:
        paths = db.session.execute(
            select(
                Interview.contact_id,
                Interview.career_path,
                Contact.first_name,
                Contact.last_name,
                Contact.title,
            )
            .join(Contact, Contact.id == Interview.contact_id)
            .where(
                Interview.user_id == user_id,
                Interview.status == InterviewStatus.DONE,
                Interview.career_path.is_not(None),
                Interview.career_path != "",
                Interview.contact_id.in_(
                    select(Contact.id).where(Contact.user_id == user_id, or_(*matches))
                ),
            )
            .order_by(Interview.done_on.desc(), Interview.id.desc())
        ).all()
        for view in views:
            ids = {p.id for p in view.people}
            for cid, text, first, last, title in paths:
                if cid in ids and len(view.paths) < PATHS_SHOWN:
                    view.paths.append(CareerPath(cid, f"{first} {last}".strip(), title, text or ""))
    return views


def star_employer(user_id: int, name: str) -> Company:
    """Star a company as a target employer, adding it when the user has no such company."""
    from crm.contacts.services import get_or_create_company

    name = squash(name)
    if not name:
        raise PlanError("Write the company's name.")
    company = get_or_create_company(user_id, name)
    assert company is not None
    if company.is_target:
        raise PlanError(f"{company.name} is already a target employer.")
    company.is_target = True
    db.session.flush()
    return company


def role_for_title(roles: Sequence[TargetRole], title: str | None) -> str:
    """The role a message to someone with this title is about: the target role their title
    names, else the first target role; blank while there is none."""
    for role in roles:
        if method.title_matches(role.title, title):
            return role.title
    return roles[0].title if roles else ""


def message_role(user_id: int, title: str | None) -> str:
    """{role} in a message to someone with this title (one statement)."""
    return role_for_title(target_roles(user_id), title)


def roles_of_contact(user_id: int, contact: Contact) -> list[TargetRole]:
    """The target roles a contact holds, by title or tagged by hand (for the contact page)."""
    roles = target_roles(user_id)
    if not roles:
        return []
    tagged = set(
        db.session.scalars(
            select(RoleContact.role_id).where(
                RoleContact.user_id == user_id, RoleContact.contact_id == contact.id
            )
        )
    )
    return [r for r in roles if r.id in tagged or method.title_matches(r.title, contact.title)]
