"""The Network page: the figures, the tree as SVG and as a table, the empty state, scoping."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select, update

from crm.extensions import db
from crm.models import Contact, User
from crm.network.tree import MAX_DEPTH, Forest, Person
from tests.app.networking import add, log
from tests.seed import seed, seed_introductions


def page(client, query: str = "") -> str:
    response = client.get(f"/network{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def svg(html: str) -> str:
    match = re.search(r'<svg class="network-svg".*?</svg>', html, re.S)
    assert match, "the page draws no tree"
    return match.group(0)


def table(html: str) -> str:
    match = re.search(r'<table class="network-table.*?</table>', html, re.S)
    assert match, "the page has no table of the tree"
    return match.group(0)


def rows(html: str) -> list[str]:
    """The table's rows as text, one string a row, cells joined by " | "."""
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table(html), re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        found.append(" | ".join(re.sub(r"<[^>]+>", "", cell).strip() for cell in cells))
    return found


def held_interview(client, contact_id: int, day: str = "2026-11-20") -> None:
    location = client.post(
        f"/contacts/{contact_id}/interviews/new",
        data={"day": day, "start": "10:00", "duration_minutes": "30"},
    ).headers["Location"]
    assert client.post(f"{location}/done").status_code == 302


def test_a_new_user_sees_how_to_start_and_no_made_up_figures(client, user):
    html = page(client)
    assert "Nobody has introduced you to anyone yet" in html
    assert "Who else should I talk to?" in html
    assert "<strong>0</strong>interviews held" in html
    assert "nobody suggested yet" in html and "suggested · none reached" in html
    assert "%" not in re.sub(r"<[^>]+>", "", html.split('id="figures-h"')[1].split("</section>")[0])
    assert 'class="network-svg"' not in html


def test_the_page_needs_a_login(client):
    response = client.get("/network")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_two_branches_are_drawn_with_their_stages_and_the_same_facts_in_the_table(
    client, user, app, fixed_today
):
    ana = add(client, "Ana")
    tom = add(client, "Tom", introduced_by="Ana Tester")
    lea = add(client, "Lea", introduced_by="Tom Tester")
    sam = add(client, "Sam", introduced_by="Ana Tester")
    kim = add(client, "Kim", introduced_by="Tom Tester")
    log(client, sam, sent_on=date(2026, 11, 23), status="replied")
    log(client, lea, sent_on=date(2026, 11, 24))
    held_interview(client, ana)
    held_interview(client, kim)
    html = page(client)
    picture = svg(html)
    for name, stage in [
        ("Ana Tester", "referred on"),
        ("Tom Tester", "referred on"),
        ("Lea Tester", "reached"),
        ("Sam Tester", "replied"),
        ("Kim Tester", "interviewed"),
    ]:
        assert re.search(rf">{name}<tspan class=\"stage-word\"> · {stage}</tspan>", picture)
    assert picture.count('class="mark mark-referred_on"') == 2
    assert picture.count('class="mark mark-interviewed"') == 1
    assert f'href="/contacts/{lea}"' in picture and 'tabindex="-1"' in picture
    assert rows(html) == [
        "Ana Tester | you knew them already | Referred on | 2 people",
        "Tom Tester | Ana Tester | Referred on | 2 people",
        "Kim Tester | Tom Tester | Interviewed | nobody yet",
        "Lea Tester | Tom Tester | Reached | nobody yet",
        "Sam Tester | Ana Tester | Replied | nobody yet",
    ]
    assert f'href="/contacts/{tom}"' in table(html)
    # The legend names every stage in words, not colour alone.
    for words in ("Suggested", "Reached", "Replied", "Interviewed", "Referred on"):
        assert f"<strong>{words}</strong>:" in html


def test_figures_compare_suggested_names_with_cold_outreach(client, user, app, fixed_today):
    ana = add(client, "Ana")
    cold = [add(client, f"Cold{n}") for n in range(4)]
    suggested = [add(client, f"Name{n}", introduced_by="Ana Tester") for n in range(3)]
    held_interview(client, ana)
    log(client, cold[0], status="replied")
    for contact_id in cold[1:]:
        log(client, contact_id)
    log(client, suggested[0], status="replied")
    log(client, suggested[1])
    html = page(client)
    figures = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="figures-h"')[1]))
    assert "1 interviews held" in figures
    # Three names from Ana, interviewed once.
    assert "3.0 names suggested per interview" in figures
    assert "3 people introduced by someone you interviewed, for 1 interview held" in figures
    assert "67% 2 of 3 of suggested people reached" in figures
    assert "50% suggested · 1 of 2 25% cold · 1 of 4 replied" in figures
    assert "2 people longest chain" in figures and "Ana Tester → Name0 Tester" in figures


def test_the_longest_chain_links_each_person(client, user):
    ids = [add(client, "P0")]
    for n in range(1, 4):
        ids.append(add(client, f"P{n}", introduced_by=f"P{n - 1} Tester"))
    html = page(client)
    assert "4 people" in html
    chain = " → ".join(f'<a href="/contacts/{i}">P{n} Tester</a>' for n, i in enumerate(ids))
    assert chain in html


def test_leaves_past_five_fold_into_a_link_to_the_introducers_people(client, user):
    ana = add(client, "Ana")
    for n in range(8):
        add(client, f"Kid{n}", introduced_by="Ana Tester")
    html = page(client)
    assert svg(html).count("mark-suggested") == 5
    assert f'<a href="/contacts/{ana}#introduced" tabindex="-1">' in svg(html)
    assert ">and 3 more</text>" in svg(html)
    assert rows(html)[-1] == "and 3 more introduced by Ana Tester"
    # The link lands on the list of everyone Ana introduced, on her page.
    contact_page = client.get(f"/contacts/{ana}").get_data(as_text=True)
    assert 'id="introduced"' in contact_page and "Kid7 Tester" in contact_page


def test_another_users_network_is_never_shown(client, auth, app):
    auth.register(email="other@example.com")
    add(client, "Olga")
    add(client, "Oscar", introduced_by="Olga Tester")
    auth.logout()
    auth.register(email="jo@example.com")
    mine = add(client, "Jo")
    add(client, "Jim", introduced_by="Jo Tester")
    with app.app_context():
        # Bad data: Jim's introducer set to the other user's contact must not bring Olga in.
        olga = db.session.scalar(select(Contact.id).where(Contact.first_name == "Olga"))
        db.session.execute(update(Contact).where(Contact.id == mine).values(introduced_by_id=olga))
        db.session.commit()
    html = page(client).split('id="figures-h"')[1]  # past the flashed messages
    assert "Olga" not in html and "Oscar" not in html
    assert "Jo Tester" in svg(html) and "Jim Tester" in svg(html)


def test_a_circle_of_introducers_in_bad_data_still_draws_once(client, user, app):
    ana = add(client, "Ana")
    add(client, "Tom", introduced_by="Ana Tester")
    with app.app_context():
        tom = db.session.scalar(select(Contact.id).where(Contact.first_name == "Tom"))
        db.session.execute(update(Contact).where(Contact.id == ana).values(introduced_by_id=tom))
        db.session.commit()
    html = page(client)
    assert len(rows(html)) == 2
    assert svg(html).count("Ana Tester<tspan") == 1 and svg(html).count("Tom Tester<tspan") == 1


def test_many_trees_are_paged_and_a_page_past_the_end_shows_the_last(client, user, app):
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
        seed(user_id, 400, interviews_and_notes=False)
        introduced = seed_introductions(user_id, 300)
    first = page(client)
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))
    assert pages > 1 and 'href="/network?page=2">Next</a>' in first
    last = page(client, f"?page={pages}")
    assert f"Page {pages} of {pages}" in last and "Next</a>" not in last
    assert f"Page {pages} of {pages}" in page(client, "?page=999")
    assert "Page 1 of" in page(client, "?page=-3")
    # Every introduced person is on one page or folded into an "and N more" there.
    shown = 0
    for number in range(1, pages + 1):
        for row in rows(page(client, f"?page={number}")):
            folded = re.match(r"and (\d+) more", row)
            shown += (
                int(folded.group(1)) if folded else row.split(" | ")[1] != "you knew them already"
            )
    with app.app_context():
        parents = dict(
            db.session.execute(
                select(Contact.id, Contact.introduced_by_id).where(
                    Contact.introduced_by_id.is_not(None)
                )
            ).all()
        )
    assert len(parents) == introduced + 400 // 50  # and those seed introduced, one in fifty
    # Those below the depth cap are reached through the "and N more" of the last level drawn.
    tops = [Person(top, None) for top in set(parents.values()) - set(parents)]
    depths = Forest([*tops, *(Person(child, top) for child, top in parents.items())]).levels
    assert shown == sum(1 for person_id in parents if depths[person_id] <= MAX_DEPTH + 1)
    assert max(depths.values()) > MAX_DEPTH + 1 or shown == len(parents)


def test_the_dashboard_and_the_plan_link_to_the_network_page(client, user, fixed_today):
    add(client, "Ana")
    assert 'href="/network"' in client.get("/dashboard").get_data(as_text=True)
    assert 'href="/network"' in client.get("/plan/").get_data(as_text=True)
