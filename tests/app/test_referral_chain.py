"""The chain of introductions (crm/referrals/chain.py): read from the first-degree contact
down, loops refused however long, and a cap on how deep a chain may grow."""

from __future__ import annotations

from sqlalchemy import select

from crm.extensions import db
from crm.models import Contact, User
from crm.referrals.chain import MAX_DEPTH, find_loop, introduction_chain, introduction_problem


def chain_of(app, length: int, user_email: str = "chain@example.com") -> list[int]:
    """`length` people, each introduced by the one before: their ids, first-degree first."""
    with app.app_context():
        user = User(email=user_email, password_hash="x")
        db.session.add(user)
        db.session.flush()
        ids: list[int] = []
        for n in range(length):
            contact = Contact(
                user_id=user.id,
                first_name=f"P{n}",
                last_name="Link",
                introduced_by_id=ids[-1] if ids else None,
            )
            db.session.add(contact)
            db.session.flush()
            ids.append(contact.id)
        db.session.commit()
        return ids


def user_id(app, email: str = "chain@example.com") -> int:
    with app.app_context():
        return db.session.scalars(select(User.id).where(User.email == email)).one()


def test_a_chain_reads_from_the_first_degree_contact_down(app):
    ids = chain_of(app, 4)
    with app.app_context():
        chain = introduction_chain(db.session.get(Contact, ids[-1]))
    assert [link.id for link in chain] == ids
    assert [link.name for link in chain] == ["P0 Link", "P1 Link", "P2 Link", "P3 Link"]


def test_nobody_is_their_own_introducer_directly(app):
    ids = chain_of(app, 1)
    with app.app_context():
        problem = introduction_problem(user_id(app), ids[0], ids[0])
    assert problem == "P0 Link cannot be their own introducer."


def test_nobody_is_their_own_introducer_through_others(app):
    ids = chain_of(app, 3)  # P0 → P1 → P2
    with app.app_context():
        problem = introduction_problem(user_id(app), ids[0], ids[2])
    assert problem == (
        "P0 Link cannot be introduced by P2 Link: you reached P2 Link through P0 Link "
        "(P0 Link → P1 Link → P2 Link). Nobody is their own introducer."
    )


def test_an_introduction_that_makes_no_loop_is_fine(app):
    ids = chain_of(app, 3)
    with app.app_context():
        assert introduction_problem(user_id(app), ids[2], ids[1]) is None
        assert introduction_problem(user_id(app), None, ids[2]) is None


def test_a_long_chain_is_capped_at_its_depth(app):
    ids = chain_of(app, MAX_DEPTH + 5)
    with app.app_context():
        chain = introduction_chain(db.session.get(Contact, ids[-1]))
        # The chain shows the last MAX_DEPTH + 1 people, ending with the contact.
        assert len(chain) == MAX_DEPTH + 1
        assert chain[-1].id == ids[-1]
        problem = introduction_problem(user_id(app), None, ids[-1])
    assert problem is not None and f"already {MAX_DEPTH} introductions away" in problem


def test_a_loop_already_in_the_data_still_ends(app):
    ids = chain_of(app, 3)
    with app.app_context():
        db.session.get(Contact, ids[0]).introduced_by_id = ids[2]
        db.session.commit()
        chain = introduction_chain(db.session.get(Contact, ids[2]))
    assert len(chain) == MAX_DEPTH + 1


def test_another_users_contacts_are_never_on_the_chain(app):
    ids = chain_of(app, 2)
    other = chain_of(app, 1, "other@example.com")
    with app.app_context():
        db.session.get(Contact, ids[0]).introduced_by_id = other[0]
        db.session.commit()
        chain = introduction_chain(db.session.get(Contact, ids[1]))
    assert [link.id for link in chain] == ids


def test_find_loop_finds_a_circle_and_nothing_in_a_tree():
    assert find_loop({2: 1, 3: 2, 4: 2}) is None
    assert sorted(find_loop({2: 1, 3: 2, 1: 3, 5: 3}) or []) == [1, 2, 3]
    assert find_loop({7: 7}) == [7]
