"""Finding a contact by a typed name: one rule set for the Plan's name fields and "Introduced
by", matching as the Contacts search does (case, accents, spacing, word order)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.companies import get_or_create_company
from crm.contacts.lookup import (
    FULL_NAME_MAX,
    find_contact_by_name,
    name_suggestions,
    namesakes,
    same_name,
    suggestion_words,
)
from crm.extensions import db
from crm.models import Contact, User


def _add(user_id: int, first: str, last: str, company: str | None = None, **extra: str) -> Contact:
    contact = Contact(user_id=user_id, first_name=first, last_name=last, **extra)
    contact.company = get_or_create_company(user_id, company)
    db.session.add(contact)
    db.session.flush()  # the flush fills the search text and sort name
    return contact


@pytest.fixture
def owner(app, user):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == user))
        yield user_id
        db.session.rollback()


@pytest.mark.parametrize(
    "typed", ["José García", "jose garcia", "JOSÉ GARCÍA", "  José   garcia ", "García José"]
)
def test_a_typed_name_matches_whatever_its_case_accents_spacing_or_order(owner, typed):
    jose = _add(owner, "José", "García")
    assert same_name(jose, typed)
    assert find_contact_by_name(owner, typed).contact is jose
    assert namesakes(owner, typed) == [jose]


def test_part_of_a_name_or_another_name_is_no_match(owner):
    _add(owner, "José", "García")
    _add(owner, "Ana", "Lopez", notes="met José García at a fair")
    assert find_contact_by_name(owner, "José").error.startswith("No contact is named “José”")
    # Ana's notes hold the words, but her name is not José García.
    assert [c.first_name for c in namesakes(owner, "José García")] == ["José"]
    assert find_contact_by_name(owner, "   ").error == (
        "Type the person's name, as it is in your contacts."
    )


def test_namesakes_are_told_apart_by_the_name_written_exactly_as_typed(owner):
    plain = _add(owner, "Jose", "Ramirez")
    accented = _add(owner, "José", "Ramírez")
    assert find_contact_by_name(owner, "José Ramírez").contact is accented
    assert find_contact_by_name(owner, "Jose Ramirez").contact is plain
    assert "Several contacts" in (find_contact_by_name(owner, "jose ramirez").error or "")
    assert namesakes(owner, "jose ramirez", exclude_id=plain.id) == [accented]


def test_another_users_contact_is_never_found(app, owner):
    with app.app_context():
        other = User(email="other@example.com", password_hash="x")
        db.session.add(other)
        db.session.flush()
        _add(other.id, "Olga", "Other")
        assert find_contact_by_name(owner, "Olga Other").contact is None
        assert name_suggestions(owner, "olga", limit=10) == []


def test_suggestions_hold_every_typed_word_in_name_order_with_what_tells_them_apart(owner):
    _add(owner, "Olga", "Núñez", title="Analyst", company="Acme")
    _add(owner, "Ana", "Nunez")
    _add(owner, "Olaf", "Berg", notes="Nunez")
    _add(owner, "Bo", "100%")
    found = name_suggestions(owner, "NUN", limit=10)
    assert [(s.name, s.detail) for s in found] == [
        ("Ana Nunez", ""),
        ("Olga Núñez", "Analyst at Acme"),
    ]
    assert [s.name for s in name_suggestions(owner, "núñ  ol", limit=10)] == ["Olga Núñez"]
    assert [s.name for s in name_suggestions(owner, "%", limit=10)] == ["Bo 100%"]
    assert name_suggestions(owner, "_", limit=10) == []
    assert len(name_suggestions(owner, "", limit=3)) == 3
    assert suggestion_words("  Ol  NÚÑ ") == ["ol", "nun"]
    assert suggestion_words("x" * 5000) == ["x" * FULL_NAME_MAX]  # typed as much as a name holds
