"""Step 4: target roles matched against contacts' titles (or tagged by hand), the career
paths their interviews recorded, and the role a message is about. Writes flush; views commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Row,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute

from crm.enums import InterviewStatus
from crm.extensions import db
from crm.models import Contact, Interview, column_length
from crm.names import display_name
from crm.normalize import key_words, squash, title_key, title_words
from crm.plan.errors import PlanError
from crm.plan.models import RoleContact, TargetRole
from crm.plan.role_titles import names_role, role_for_title, title_matches
from crm.prebuilt import Prebuilt, prebuilt
from crm.search import LIKE_ESCAPE, like_pattern
from crm.tallies.counters import TallyKind
from crm.tallies.models import Tally

PATHS_SHOWN = 6
# The most target roles one plan holds: a handful is the point, and the page reads all of
# them in a few statements (SQLite takes at most 500 parts in one).
MAX_ROLES = 50


def add_role(user_id: int, title: str) -> TargetRole:
    """Add a target role; the same words in another order or case are the same role."""
    title = squash(title)
    key = title_key(title)
    if key is None:
        raise PlanError("Write the role's title, like Product Manager.")
    key = key[: column_length(TargetRole.title_key)]
    exists = db.session.scalar(
        select(TargetRole.id).where(TargetRole.user_id == user_id, TargetRole.title_key == key)
    )
    if exists:
        raise PlanError(f"“{title}” is already one of your target roles.")
    held = db.session.scalar(select(func.count(TargetRole.id)).where(TargetRole.user_id == user_id))
    if (held or 0) >= MAX_ROLES:
        raise PlanError(
            f"You have {MAX_ROLES} target roles, the most a plan holds: remove one to add another."
        )
    role = TargetRole(user_id=user_id, title=title, title_key=key)
    db.session.add(role)
    db.session.flush()
    return role


def tag_in_role(role: TargetRole, contact: Contact) -> bool:
    """Mark a contact by hand as holding a role; False when already tagged, or when their
    title names the role (they are counted already)."""
    if title_matches(role.title, contact.title):
        return False
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


PEOPLE_SHOWN = 8


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
    """A role with how many people hold it, how many were reached and interviewed, the
    first PEOPLE_SHOWN of them by name, and the career paths their interviews recorded."""

    role: TargetRole
    known: int = 0
    reached: int = 0
    interviewed: int = 0
    people: list[RolePerson] = field(default_factory=list)
    paths: list[CareerPath] = field(default_factory=list)


def _role_condition(
    shape: tuple[int, ...], key: ColumnElement[str | None] | QueryableAttribute[str | None]
) -> ColumnElement[bool]:
    """The title keys holding every word of some role, each as a whole word (bound by
    _word_names; `shape` is each role's number of words)."""
    return or_(
        *(
            and_(*(key.like(bindparam(_word_name(i, j)), escape=LIKE_ESCAPE) for j in range(words)))
            for i, words in enumerate(shape)
            if words
        )
    )


def _word_name(role: int, word: int) -> str:
    """The name the LIKE pattern of one role's word is bound by."""
    return f"role{role}_word{word}"


def _word_names(shape: tuple[int, ...]) -> list[str]:
    """Every name _role_condition binds for this shape."""
    return [_word_name(i, j) for i, words in enumerate(shape) for j in range(words)]


def _role_patterns(roles: list[TargetRole]) -> tuple[tuple[int, ...], dict[str, str]]:
    """The shape of the roles' words for _role_condition, and the patterns to bind."""
    words = [sorted(title_words(role.title)) for role in roles]
    patterns = {
        _word_name(i, j): like_pattern(f" {word} ")
        for i, role_words in enumerate(words)
        for j, word in enumerate(role_words)
    }
    return tuple(len(role_words) for role_words in words), patterns


def _interviewed() -> ColumnElement[bool]:
    """The contact was interviewed (binds user_id)."""
    return Contact.id.in_(
        select(Interview.contact_id).where(
            Interview.user_id == bindparam("user_id"), Interview.status == InterviewStatus.DONE
        )
    )


@prebuilt
def _roles_statement() -> Prebuilt[TargetRole]:
    """The user's target roles, oldest first: built once."""
    statement = (
        select(TargetRole)
        .where(TargetRole.user_id == bindparam("user_id"))
        .order_by(TargetRole.created_at, TargetRole.id)
    )
    return Prebuilt(statement, "user_id")


def target_roles(user_id: int) -> list[TargetRole]:
    return list(_roles_statement().scalars({"user_id": user_id}))


@dataclass
class _Members:
    """Who holds one role: the title keys that name it, and the contacts counted one by one
    (tagged by hand, or tagged in another role and holding this one by title)."""

    keys: set[str] = field(default_factory=set)
    ids: set[int] = field(default_factory=set)


def role_views(user_id: int, roles: list[TargetRole]) -> list[RoleView]:
    """Each role with its counts, first people and career paths: four statements whatever
    the number of roles or contacts, each built once for each number of roles.

    Titles repeat (a thousand "Software Engineer"s), so the people in a role are counted per
    title key (crm.normalize.title_key) in the database and matched in Python once per key;
    only the people shown are read one by one. Contacts tagged by hand are read apart so none
    counts twice.
    """
    if not roles:
        return []
    views = {role.id: RoleView(role) for role in roles}
    members = {role.id: _Members() for role in roles}
    tagged = _tagged_statement().execute({"user_id": user_id}).all()
    by_hand = {(role_id, cid) for role_id, cid, *_ in tagged}
    _count_tagged(roles, tagged, by_hand, views, members)
    counts = _untagged_counts(_counts_by_key(user_id, roles), tagged)
    _count_by_title(roles, counts, views, members)
    holding = {role_id: m for role_id, m in members.items() if m.keys or m.ids}
    if holding:
        _add_people(user_id, views, holding, by_hand)
        _add_paths(user_id, views, holding)
    return list(views.values())


_Tagged = Row[int, int, str | None, date | None, bool, str | None]


def _count_tagged(
    roles: list[TargetRole],
    tagged: Sequence[_Tagged],
    by_hand: set[tuple[int, int]],
    views: dict[int, RoleView],
    members: dict[int, _Members],
) -> None:
    """Count the contacts tagged by hand one by one, in every role they hold (by hand or by
    title), each once per role."""
    for _, cid, title, reached, was_interviewed, _ in tagged:  # once per role tagged in
        for role in roles:
            ids = members[role.id].ids
            holds = (role.id, cid) in by_hand or title_matches(role.title, title)
            if holds and cid not in ids:
                _count(views[role.id], 1, int(reached is not None), int(bool(was_interviewed)))
                ids.add(cid)


def _untagged_counts(
    counts: dict[str, tuple[int, int, int]], tagged: Sequence[_Tagged]
) -> dict[str, tuple[int, int, int]]:
    """The counts per title key less the tagged contacts, already counted one by one."""
    people = {cid: (key, reached, bool(held)) for _, cid, _, reached, held, key in tagged}
    for key, reached, held in people.values():
        if key in counts:
            known_n, reached_n, interviewed_n = counts[key]
            counts[key] = (known_n - 1, reached_n - (reached is not None), interviewed_n - held)
    return counts


def _count_by_title(
    roles: list[TargetRole],
    counts: dict[str, tuple[int, int, int]],
    views: dict[int, RoleView],
    members: dict[int, _Members],
) -> None:
    """Add each title key's counts to every role the title names."""
    for key, (known, reached_n, interviewed_n) in counts.items():
        if not known:
            continue
        words = key_words(key)
        for role in roles:
            if names_role(role.title, words):
                _count(views[role.id], known, reached_n, interviewed_n)
                members[role.id].keys.add(key)


@prebuilt
def _tagged_statement() -> Prebuilt[int, int, str | None, date | None, bool, str | None]:
    """Each contact tagged in a role by hand, once per role: built once."""
    statement = (
        select(
            RoleContact.role_id,
            Contact.id,
            Contact.title,
            Contact.first_outreach_on,
            _interviewed(),
            Contact.title_key,
        )
        .join(Contact, Contact.id == RoleContact.contact_id)
        .where(RoleContact.user_id == bindparam("user_id"))
    )
    return Prebuilt(statement, "user_id")


@prebuilt
def _counts_statement(shape: tuple[int, ...]) -> Prebuilt[str, int, int, int]:
    """_counts_by_key's statement for roles of these numbers of words: built once for each
    shape.

    The people and the reached per title key come from their tallies (crm.tallies), a row
    per key however many people share it; the roles' words are matched once per key, on the
    grouped keys: the OFFSET 0 keeps the databases from moving the match into the grouping.
    The interviewed are counted apart, from the few people interviewed, not by a lookup for
    every contact."""
    user: BindParameter[int] = bindparam("user_id")
    no_one = literal(0)
    known, reached = TallyKind.TITLE, TallyKind.TITLE_REACHED
    grouped = (
        select(
            Tally.key.label("key"),
            func.sum(case((Tally.kind == known, Tally.n), else_=0)).label("known"),
            func.sum(case((Tally.kind == reached, Tally.n), else_=0)).label("reached"),
            no_one.label("held"),
        )
        .where(Tally.user_id == user, Tally.kind.in_((known, reached)), Tally.n != 0)
        .group_by(Tally.key)
        .offset(0)
        .subquery()
    )
    statement = union_all(
        select(grouped).where(_role_condition(shape, grouped.c.key)),
        select(Contact.title_key, no_one, no_one, func.count())
        .where(Contact.user_id == user, _interviewed(), _role_condition(shape, Contact.title_key))
        .group_by(Contact.title_key),
    )
    return Prebuilt(statement, "user_id", *_word_names(shape))


def _counts_by_key(user_id: int, roles: list[TargetRole]) -> dict[str, tuple[int, int, int]]:
    """The people, reached and interviewed per title key naming some role (one statement,
    over the title tallies and the people interviewed)."""
    shape, patterns = _role_patterns(roles)
    if not any(shape):
        return {}
    counts: dict[str, tuple[int, int, int]] = {}
    rows = _counts_statement(shape).execute({"user_id": user_id, **patterns})
    for key, n, reached, held in rows:
        was = counts.get(key, (0, 0, 0))
        counts[key] = (was[0] + n, was[1] + reached, was[2] + held)
    return counts


def _count(view: RoleView, known: int, reached: int, interviewed: int) -> None:
    view.known += known
    view.reached += reached
    view.interviewed += interviewed


def _holders(prefix: str, has: tuple[bool, bool]) -> ColumnElement[bool]:
    """The contact has one of the title keys or ids bound by _holder_names (expanding),
    naming only those `has` says there are: an empty IN would keep the databases from
    reading the title keys' index."""
    keys, ids = _holder_names(prefix, has)
    alternatives = []
    if keys:
        alternatives.append(Contact.title_key.in_(bindparam(keys, expanding=True)))
    if ids:
        alternatives.append(Contact.id.in_(bindparam(ids, expanding=True)))
    return or_(*alternatives)


def _holder_names(prefix: str, has: tuple[bool, bool]) -> tuple[str, str]:
    """The names _holders binds its title keys and its ids by ("" for one it has not)."""
    return (f"{prefix}title_keys" if has[0] else "", f"{prefix}contact_ids" if has[1] else "")


def _holder_values(prefix: str, role_members: _Members) -> dict[str, object]:
    """The values _holders(prefix, _has(role_members)) binds, by name."""
    names = _holder_names(prefix, _has(role_members))
    values = zip(names, (role_members.keys, role_members.ids), strict=True)
    return {name: value for name, value in values if name}


def _has(role_members: _Members) -> tuple[bool, bool]:
    """Whether the role has title keys, and contacts counted one by one (the shape that
    _holders takes)."""
    return bool(role_members.keys), bool(role_members.ids)


@prebuilt
def _people_statement(roles: tuple[tuple[bool, bool], ...]) -> Prebuilt[*tuple[Any, ...]]:
    """The first PEOPLE_SHOWN people by name of each role (role{n}_id, and the title keys
    and ids of _holders("role{n}_"); `roles` says which each has): built once for each."""
    firsts = [
        select(
            bindparam(f"role{n}_id", type_=Integer).label("role_id"),
            Contact.id,
            Contact.first_name,
            Contact.last_name,
            Contact.email,
            Contact.title,
            Contact.first_outreach_on,
            _interviewed().label("interviewed"),
            Contact.sort_name,
        )
        .where(Contact.user_id == bindparam("user_id"), _holders(f"role{n}_", has))
        .order_by(Contact.sort_name, Contact.id)
        .limit(PEOPLE_SHOWN)
        .subquery()
        for n, has in enumerate(roles)
    ]
    names = ["user_id"]
    for n, has in enumerate(roles):
        names += [f"role{n}_id", *filter(None, _holder_names(f"role{n}_", has))]
    return Prebuilt(union_all(*(select(*first.c) for first in firsts)), *names)


def _add_people(
    user_id: int,
    views: dict[int, RoleView],
    members: dict[int, _Members],
    by_hand: set[tuple[int, int]],
) -> None:
    """The first PEOPLE_SHOWN people of each role by name (one statement for all roles)."""
    params: dict[str, object] = {"user_id": user_id}
    for n, (role_id, role_members) in enumerate(members.items()):
        params[f"role{n}_id"] = role_id
        params.update(_holder_values(f"role{n}_", role_members))
    rows = sorted(
        _people_statement(tuple(map(_has, members.values()))).execute(params),
        key=lambda row: (row.sort_name or "", row.id),
    )
    for role_id, cid, first, last, email, title, reached_on, was_interviewed, _ in rows:
        name = display_name(first, last, email)
        views[role_id].people.append(
            RolePerson(
                cid,
                name,
                title,
                reached_on is not None,
                bool(was_interviewed),
                (role_id, cid) in by_hand,
            )
        )


@prebuilt
def _paths_statement(
    has: tuple[bool, bool],
) -> Prebuilt[int, str | None, str, str, str | None, str | None]:
    """The career paths recorded with people holding one of the title keys or ids of
    _holders(""), latest first (`has` says which there are): built once for each."""
    statement = (
        select(
            Interview.contact_id,
            Interview.career_path,
            Contact.first_name,
            Contact.last_name,
            Contact.title,
            Contact.title_key,
        )
        .join(Contact, Contact.id == Interview.contact_id)
        .where(
            Interview.user_id == bindparam("user_id"),
            Interview.status == InterviewStatus.DONE,
            Interview.career_path.is_not(None),
            Interview.career_path != "",
            _holders("", has),
        )
        .order_by(Interview.done_on.desc(), Interview.id.desc())
    )
    return Prebuilt(statement, "user_id", *filter(None, _holder_names("", has)))


def _add_paths(user_id: int, views: dict[int, RoleView], members: dict[int, _Members]) -> None:
    """The latest career paths recorded with people in each role (one statement)."""
    everyone = _Members(
        keys=set().union(*(m.keys for m in members.values())),
        ids=set().union(*(m.ids for m in members.values())),
    )
    statement = _paths_statement(_has(everyone))
    paths = statement.execute({"user_id": user_id, **_holder_values("", everyone)}).all()
    for role_id, role_members in members.items():
        view = views[role_id]
        for cid, text, first, last, title, key in paths:
            if len(view.paths) >= PATHS_SHOWN:
                break
            if cid in role_members.ids or key in role_members.keys:
                view.paths.append(CareerPath(cid, display_name(first, last), title, text or ""))


def message_role(user_id: int, title: str | None) -> str:
    """{role} in a message to someone with this title (one statement)."""
    return role_for_title(target_roles(user_id), title)


def roles_of_contact(
    user_id: int, contact: Contact
) -> tuple[list[tuple[TargetRole, bool]], list[TargetRole]]:
    """The target roles a contact holds, each with whether it was tagged by hand (else the
    title names it), and the roles they do not hold (one statement, for the contact page)."""
    tagged = (
        select(RoleContact.id)
        .where(RoleContact.role_id == TargetRole.id, RoleContact.contact_id == contact.id)
        .exists()
    )
    rows = db.session.execute(
        select(TargetRole, tagged)
        .where(TargetRole.user_id == user_id)
        .order_by(TargetRole.created_at, TargetRole.id)
    )
    held: list[tuple[TargetRole, bool]] = []
    others: list[TargetRole] = []
    for role, by_hand in rows:
        if by_hand:
            held.append((role, True))
        elif title_matches(role.title, contact.title):
            held.append((role, False))
        else:
            others.append(role)
    return held, others
