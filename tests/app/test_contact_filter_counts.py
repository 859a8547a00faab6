"""The contact list filtered by tag or network at any size: a common tag is read by probing
each row along the list's order, a rare one as a list it sorts; both show the same people in
the same order, and a filter's count stops at its cap rather than walking on."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import crm.contacts.filters as filters
import crm.contacts.listing as listing
from crm.contacts.services import get_or_create_company, set_tags
from crm.extensions import db
from crm.models import Contact, User
from tests.app.test_contacts import names_on
from tests.conftest import counting_statements

NETWORKS = ("work", "alumni", "friend")


def _seed(app, email: str) -> set[str]:
    """30 people; every third a mentor, every other one at work. Returns the mentors' names."""
    mentors = set()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == email))
        for n in range(30):
            contact = Contact(
                user_id=owner.id,
                first_name=f"Person{n:02d}",
                last_name=f"Zed{(n * 7) % 30:02d}",
                network=NETWORKS[n % 3],
                email=f"p{n}@example.com",
                created_at=start + timedelta(hours=n % 11),  # equal times, parted by id
            )
            if n % 4:
                contact.company = get_or_create_company(owner.id, f"Firm {n % 5}")
            db.session.add(contact)
            set_tags(contact, "mentor, ai" if n % 3 == 0 else "ai")
            if n % 3 == 0:
                mentors.add(f"Person{n:02d} Zed{(n * 7) % 30:02d}")
        db.session.commit()
    return mentors


def _every_page(client, path: str) -> tuple[list[str], list[str]]:
    """The names on every page, following Next from the first, and each page's count line."""
    names, counts = [], []
    while path:
        page = client.get(path).get_data(as_text=True)
        names += names_on(page)
        counts += re.findall(r"[\d,]+\+? contacts? match(?:es)?", page)
        found = re.search(r'href="([^"]+)" rel="next"', page)
        path = html.unescape(found.group(1)) if found else ""
    return names, counts


@pytest.mark.parametrize("sort", ["name", "recent", "company"])
def test_a_common_tag_and_a_rare_one_list_the_same_people_in_the_same_order(
    client, user, app, monkeypatch, sort
):
    mentors = _seed(app, user)
    app.config["CONTACTS_PER_PAGE"] = 3
    path = f"/contacts/?tag=Mentor&sort={sort}"
    monkeypatch.setattr(filters, "FEW_TAGGED", 1_000)  # ten mentors: read as a list
    as_list, list_counts = _every_page(client, path)
    monkeypatch.setattr(filters, "FEW_TAGGED", 1)  # ten mentors: probed row by row
    probed, probe_counts = _every_page(client, path)
    assert as_list == probed and set(probed) == mentors and len(probed) == len(mentors)
    assert list_counts[0] == probe_counts[0] == "10 contacts match"


def test_a_tag_and_a_network_together_keep_both_conditions(client, user, app, monkeypatch):
    _seed(app, user)
    app.config["CONTACTS_PER_PAGE"] = 2
    monkeypatch.setattr(filters, "FEW_TAGGED", 1)
    names, counts = _every_page(client, "/contacts/?tag=mentor&network=work&sort=recent")
    # Mentors are n = 0, 3, ... 27 and the work network n = 0, 3, ... too: n % 3 == 0 both.
    assert len(names) == 10 and counts[0] == "10 contacts match"
    other, _ = _every_page(client, "/contacts/?tag=mentor&network=alumni")
    assert other == []


def test_an_unknown_tag_matches_nobody(client, user, app):
    _seed(app, user)
    page = client.get("/contacts/?tag=nosuchtag").get_data(as_text=True)
    assert "0 contacts match" in page and names_on(page) == []


def test_a_filter_counts_up_to_its_cap_and_the_pages_still_reach_everyone(
    client, user, app, monkeypatch
):
    _seed(app, user)
    app.config["CONTACTS_PER_PAGE"] = 4
    monkeypatch.setattr(listing, "FILTER_COUNT_CAP", 5)
    for few in (1_000, 1):
        monkeypatch.setattr(filters, "FEW_TAGGED", few)
        names, counts = _every_page(client, "/contacts/?tag=ai")
        assert counts[0] == "5+ contacts match"
        assert len(names) == 30 and len(set(names)) == 30  # none skipped, none repeated
    tagged = client.get("/contacts/?tag=ai&network=friend").get_data(as_text=True)
    assert "5+ contacts match" in tagged and "Page 1 of 2+" in tagged
    # A network alone, or no filter, is counted exactly (from the tallies).
    friends = client.get("/contacts/?network=friend").get_data(as_text=True)
    assert "10 contacts match" in friends and "Page 1 of 3" in friends
    everyone = client.get("/contacts/").get_data(as_text=True)
    assert "30 contacts" in everyone and "Page 1 of 8" in everyone


def test_the_forms_are_what_the_sizes_need(app):
    """A common tag probes each row (EXISTS, so the list's index leads); a rare one is a list."""
    with app.app_context():
        assert "EXISTS" in str(filters.TagFilter(7, few=False).condition())
        assert " IN " in str(filters.TagFilter(7, few=True).condition())
        assert str(filters.TagFilter(None, few=True).condition()) in ("false", "0 = 1")


@pytest.mark.parametrize("sort", ["name", "company"])
def test_a_deep_page_of_a_common_tag_asked_by_number_answers_its_own_count(
    client, user, app, monkeypatch, sort
):
    # Past the cap, the page read with one row more says "12+" itself: no count walks the rows
    # before it a second time; the last page says the exact number.
    _seed(app, user)
    app.config["CONTACTS_PER_PAGE"] = 4
    monkeypatch.setattr(listing, "FILTER_COUNT_CAP", 5)
    monkeypatch.setattr(filters, "FEW_TAGGED", 1)
    followed, _ = _every_page(client, f"/contacts/?tag=ai&sort={sort}")
    with counting_statements(app) as statements:
        third = client.get(f"/contacts/?tag=ai&sort={sort}&page=3").get_data(as_text=True)
    assert names_on(third) == followed[8:12]
    # At least the 12 people up to this page and one more.
    assert "12+ contacts match" in third and "Page 3 of 3+" in third and 'rel="next"' in third
    # The tag's own size is still probed (contact_tag alone); the people are not counted.
    assert not [s for s in statements if "count(*)" in s and "contact.id" in s]
    last = client.get(f"/contacts/?tag=ai&sort={sort}&page=8").get_data(as_text=True)
    assert names_on(last) == followed[28:] and "30 contacts match" in last
    assert 'rel="next"' not in last
    # Past the end, the count (stopped at its cap) knows of two pages: the second is shown.
    past = client.get(f"/contacts/?tag=ai&sort={sort}&page=40").get_data(as_text=True)
    assert names_on(past) == followed[4:8]
