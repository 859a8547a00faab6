"""The Plan page through its forms: what the user sees, what the database keeps, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from crm.enums import OutreachStatus
from crm.extensions import db
from crm.models import Company, Contact, Outreach, User
from crm.normalize import title_key
from crm.plan.models import (
    Obstacle,
    ObstacleProof,
    PersonToReach,
    RoleContact,
    RutCheckIn,
    StrategicAnswer,
    TargetRole,
)
from crm.plan.roles import MAX_ROLES
from tests.app.test_imports_support import import_bytes

SCRIPT = "<script>alert(1)</script>"


def add_contact(client, first, last, title="", company=""):
    data = {"first_name": first, "last_name": last, "title": title, "company": company}
    response = client.post("/contacts/new", data={**data, "network": "work"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def page(client) -> str:
    response = client.get("/plan/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def other_users_rows(app, client, auth):
    """Another user's obstacle, role, company, contact and list entry; then log back in as Jo."""
    auth.register(email="other@example.com")
    contact_id = add_contact(client, "Olga", "Other", "Product Manager", "Othercorp")
    client.post("/plan/obstacles", data={"text": "Too shy"})
    client.post("/plan/roles", data={"title": "Product Manager"})
    client.post("/plan/people-to-reach", data={"name": "Olga Other"})
    client.post("/plan/employers", data={"company": "Othercorp"})
    with app.app_context():
        rows = {
            "obstacle": db.session.scalar(select(Obstacle.id)),
            "role": db.session.scalar(select(TargetRole.id)),
            "company": db.session.scalar(select(Company.id)),
            "reach": db.session.scalar(select(PersonToReach.id)),
            "contact": contact_id,
        }
    assert all(rows.values()), rows
    auth.logout()
    auth.register()
    return rows


def test_the_plan_page_shows_five_steps_each_saying_what_to_do_first(client, user):
    html = page(client)
    for heading in (
        "1. Am I in a rut?",
        "2. Obstacles",
        "3. Strategic questions",
        "4. Target roles",
        "5. Keep on track",
    ):
        assert heading in html
    assert "Start here: tick the signs" in html
    assert "No obstacles yet" in html
    assert "No target roles yet" in html
    assert ">Plan</a>" in client.get("/dashboard").get_data(as_text=True)


def test_a_check_in_shows_3_of_8_today_and_a_second_replaces_it(client, user, app):
    signs = ["underpaid", "no_room", "not_asking"]
    assert client.post("/plan/check-in", data={"signs": signs}).status_code == 302
    assert "3 of 8 today." in page(client)
    client.post("/plan/check-in", data={"signs": ["underpaid", "bogus", SCRIPT]})
    with app.app_context():
        rows = db.session.scalars(select(RutCheckIn)).all()
        assert [r.sign_keys for r in rows] == [["underpaid"]]
    assert "1 of 8 today." in page(client)


def test_an_empty_check_in_is_a_good_day_not_an_error(client, user):
    assert client.post("/plan/check-in", data={}).status_code == 302
    assert "0 of 8 today." in page(client)


def test_earlier_check_ins_are_listed_with_a_chart(client, user, app):
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
        db.session.add(
            RutCheckIn(user_id=user_id, checked_on=date(2026, 1, 5), signs="underpaid,no_room")
        )
        db.session.commit()
    html = page(client)
    assert "Earlier check-ins" in html
    assert "2 of 8" in html
    assert "A new check-in is due." in html
    assert '<svg class="chart"' in html


def test_an_obstacle_is_added_once_whatever_the_case(client, user, app):
    client.post("/plan/obstacles", data={"text": "I didn't go to the right school"})
    response = client.post("/plan/obstacles", data={"text": "  i DIDN'T go to the right   school"})
    assert response.status_code == 400
    assert "That obstacle is already on your list." in response.get_data(as_text=True)
    assert count(app, Obstacle) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write the obstacle"), ("   ", "Write the obstacle"), ("x" * 301, "under 300")],
)
def test_a_bad_obstacle_gets_a_message_and_nothing_is_written(client, user, app, text, message):
    response = client.post("/plan/obstacles", data={"text": text})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Obstacle) == 0


def test_script_in_an_obstacle_is_shown_as_text(client, user):
    client.post("/plan/obstacles", data={"text": SCRIPT})
    html = page(client)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_obstacle_with_nobody_says_so_kindly_and_points_to_the_target_roles(client, user):
    client.post("/plan/obstacles", data={"text": "I'm not good at networking"})
    html = page(client)
    assert "Nobody linked yet, and that is fine" in html
    assert "Add a target role" in html
    client.post("/plan/roles", data={"title": "Product Manager"})
    html = page(client)
    assert 'href="/contacts/?q=Product+Manager"' in html


def test_linking_proof_by_typed_name_ignores_case_and_accents(client, user, app):
    ana = add_contact(client, "Ana", "García", "Product Manager")
    client.post("/plan/obstacles", data={"text": "I didn't go to the right school"})
    with app.app_context():
        obstacle_id = db.session.scalar(select(Obstacle.id))
    response = client.post(f"/plan/obstacles/{obstacle_id}/proof", data={"name": " ANA  garcia "})
    assert response.status_code == 302
    html = page(client)
    assert f'href="/contacts/{ana}">Ana García</a>' in html
    assert "Nobody linked yet" not in html
    contact_page = client.get(f"/contacts/{ana}").get_data(as_text=True)
    assert "In your plan" in contact_page
    assert "“I didn&#39;t go to the right school”" in contact_page
    # Linking twice keeps one link.
    client.post(f"/plan/obstacles/{obstacle_id}/proof", data={"name": "Ana García"})
    assert count(app, ObstacleProof) == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Type the person&#39;s name"),
        ("Nobody Known", "No contact is named “Nobody Known”"),
        ("y" * 201, "longer than any name"),
        (SCRIPT, "No contact is named “&lt;script&gt;"),
    ],
)
def test_a_bad_proof_name_gets_a_message_and_nothing_is_linked(client, user, app, name, message):
    add_contact(client, "Ana", "García")
    client.post("/plan/obstacles", data={"text": "Too old"})
    with app.app_context():
        obstacle_id = db.session.scalar(select(Obstacle.id))
    response = client.post(f"/plan/obstacles/{obstacle_id}/proof", data={"name": name})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert SCRIPT not in html
    assert count(app, ObstacleProof) == 0


def test_two_contacts_with_one_name_are_not_guessed_between(client, user, app):
    add_contact(client, "Sam", "Lee", company="Acme")
    add_contact(client, "Sam", "Lee", company="Initech")
    client.post("/plan/obstacles", data={"text": "Too old"})
    with app.app_context():
        obstacle_id = db.session.scalar(select(Obstacle.id))
    response = client.post(f"/plan/obstacles/{obstacle_id}/proof", data={"name": "sam lee"})
    assert response.status_code == 400
    assert "Several contacts are named “sam lee”" in response.get_data(as_text=True)
    assert count(app, ObstacleProof) == 0


def test_names_told_apart_only_by_accents_pick_the_one_written_as_typed(client, user, app):
    jose = add_contact(client, "José", "Ramírez", company="Acme")
    plain = add_contact(client, "Jose", "Ramirez", company="Beta")
    for typed, picked in (("Jose Ramirez", plain), ("Ramírez José", jose)):
        client.post("/plan/people-to-reach", data={"name": typed})
        with app.app_context():
            newest = db.session.scalars(select(PersonToReach).order_by(PersonToReach.id)).all()
            assert newest[-1].contact_id == picked
    response = client.post("/plan/people-to-reach", data={"name": "jose ramirez"})
    assert response.status_code == 400  # written like neither: not guessed
    assert "Several contacts are named “jose ramirez”" in response.get_data(as_text=True)
    assert count(app, PersonToReach) == 2


def test_no_longer_holding_me_back_and_back_again(client, user, app):
    client.post("/plan/obstacles", data={"text": "Too old"})
    with app.app_context():
        obstacle_id = db.session.scalar(select(Obstacle.id))
    client.post(f"/plan/obstacles/{obstacle_id}/resolve")
    assert "No longer holding you back since" in page(client)
    with app.app_context():
        assert db.session.get(Obstacle, obstacle_id).resolved_on is not None
    client.post(f"/plan/obstacles/{obstacle_id}/resolve")
    with app.app_context():
        assert db.session.get(Obstacle, obstacle_id).resolved_on is None


def test_an_obstacle_that_no_longer_holds_you_back_takes_no_more_proof(client, user, app):
    ana = add_contact(client, "Ana", "García")
    client.post("/plan/obstacles", data={"text": "Too old"})
    with app.app_context():
        obstacle_id = db.session.scalar(select(Obstacle.id))
    client.post(f"/plan/obstacles/{obstacle_id}/resolve")
    from_plan = client.post(
        f"/plan/obstacles/{obstacle_id}/proof", data={"name": "Ana García"}, follow_redirects=True
    )
    from_contact = client.post(
        f"/plan/contacts/{ana}/proof", data={"obstacle_id": obstacle_id}, follow_redirects=True
    )
    for response in (from_plan, from_contact):
        assert "“Too old” no longer holds you back: bring it back" in response.text
    assert count(app, ObstacleProof) == 0


def test_someone_whose_title_names_the_role_is_not_tagged_again_by_hand(client, user, app):
    add_contact(client, "Ana", "García", "Senior Product Manager")
    client.post("/plan/roles", data={"title": "Product Manager"})
    with app.app_context():
        role_id = db.session.scalar(select(TargetRole.id))
    response = client.post(
        f"/plan/roles/{role_id}/people", data={"name": "Ana García"}, follow_redirects=True
    )
    assert "Ana García is already counted there." in response.text
    assert count(app, RoleContact) == 0
    assert "Untag" not in page(client).split(f'id="role-{role_id}"')[1]


def test_answers_are_kept_dated_with_earlier_versions_viewable(client, user, app):
    client.post("/plan/answers", data={"skills": "Research"})
    client.post("/plan/answers", data={"skills": "Research"})  # unchanged: no new version
    client.post("/plan/answers", data={"skills": "Research and writing", "who": SCRIPT})
    with app.app_context():
        assert count(app, StrategicAnswer) == 3
    html = page(client)
    assert "Research and writing</textarea>" in html
    assert "1 earlier version" in html
    history = client.get("/plan/answers/skills").get_data(as_text=True)
    assert history.index("Research and writing") < history.index("Research</p>")
    assert SCRIPT not in page(client)
    assert client.get("/plan/answers/nonsense").status_code == 404


def test_an_answer_too_long_is_refused_and_nothing_is_kept(client, user, app):
    response = client.post("/plan/answers", data={"skills": "x" * 10_001, "who": "Ana"})
    assert response.status_code == 400
    assert "Keep it under 10,000 characters." in response.get_data(as_text=True)
    assert count(app, StrategicAnswer) == 0


def test_people_to_reach_show_on_the_dashboard_with_log_outreach(client, user, app):
    ana = add_contact(client, "Ana", "García")
    assert client.post("/plan/people-to-reach", data={"name": "ana garcia"}).status_code == 302
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "People to reach" in dashboard
    assert f'href="/contacts/{ana}?log=1#log-outreach">Log outreach</a>' in dashboard
    contact_page = client.get(f"/contacts/{ana}?log=1").get_data(as_text=True)
    assert 'id="log-outreach" open' in contact_page
    response = client.post("/plan/people-to-reach", data={"name": "Nobody"})
    assert response.status_code == 400
    assert count(app, PersonToReach) == 1


def test_a_target_role_finds_contacts_by_title_in_any_order_and_case(client, user, app):
    ana = add_contact(client, "Ana", "García", "Senior Manager, Product")
    add_contact(client, "Ben", "Okafor", "Project Manager")
    eve = add_contact(client, "Eve", "Ng", "Data Analyst")
    client.post("/plan/roles", data={"title": "product manager"})
    html = page(client)
    assert f'href="/contacts/{ana}">Ana García</a>' in html
    assert "Ben Okafor" not in html.split('id="roles-h"')[1].split('id="employers"')[0]
    with app.app_context():
        role_id = db.session.scalar(select(TargetRole.id))
    # Eve is tagged by hand: her title says it differently.
    assert client.post(f"/plan/roles/{role_id}/people", data={"name": "Eve Ng"}).status_code == 302
    html = page(client)
    assert f'href="/contacts/{eve}">Eve Ng</a>' in html
    assert "<strong>2</strong>you know" in html
    eve_page = client.get(f"/contacts/{eve}").get_data(as_text=True)
    held = eve_page.split('class="held-roles"')[1].split("</ul>")[0]
    assert 'You counted them in <a href="/plan/#role-1">product manager</a>' in held
    # Ana's title names the role: the page says her title matches, not that she holds it.
    ana_page = client.get(f"/contacts/{ana}").get_data(as_text=True)
    held = ana_page.split('class="held-roles"')[1].split("</ul>")[0]
    role_link = '<a href="/plan/#role-1">product manager</a>'
    assert f"Their title matches your target role {role_link}" in held
    assert "Untag" not in held and "Holds" not in ana_page
    client.post(f"/plan/roles/{role_id}/people/{eve}/untag")
    assert count(app, RoleContact) == 0


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Write the role"), ("of the", "Write the role"), ("z" * 201, "under 200")],
)
def test_a_bad_role_gets_a_message_and_nothing_is_written(client, user, app, title, message):
    response = client.post("/plan/roles", data={"title": title})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, TargetRole) == 0


def test_the_same_role_in_another_word_order_is_refused(client, user, app):
    client.post("/plan/roles", data={"title": "Product Manager"})
    response = client.post("/plan/roles", data={"title": "manager, PRODUCT"})
    assert response.status_code == 400
    assert "already one of your target roles" in response.get_data(as_text=True)
    assert count(app, TargetRole) == 1


def test_a_role_keeps_its_title_key_in_the_contacts_format(client, user, app):
    client.post("/plan/roles", data={"title": "Sr. Product Mgr"})
    with app.app_context():
        key = db.session.scalar(select(TargetRole.title_key))
    assert key == title_key("Senior Product Manager") == " manager product senior "


def test_a_plan_holds_at_most_fifty_roles_and_says_so(client, user, app):
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
        db.session.add_all(
            TargetRole(user_id=user_id, title=f"Role {n}", title_key=f"{n} role")
            for n in range(MAX_ROLES)
        )
        db.session.commit()
        first = db.session.scalar(select(TargetRole.id).where(TargetRole.title == "Role 0"))
    response = client.post("/plan/roles", data={"title": "Product Manager"})
    assert response.status_code == 400
    assert "You have 50 target roles, the most a plan holds" in response.get_data(as_text=True)
    assert count(app, TargetRole) == MAX_ROLES
    client.post(f"/plan/roles/{first}/remove")
    client.post("/plan/roles", data={"title": "Product Manager"})
    assert "Product Manager" in page(client)
    assert count(app, TargetRole) == MAX_ROLES


def test_starring_a_company_written_without_its_accents_stars_the_one_there(client, user, app):
    add_contact(client, "Ana", "García", company="Étoile Labs")
    client.post("/plan/employers", data={"company": "etoile labs"})
    assert "1 contact there" in page(client)
    with app.app_context():
        assert db.session.scalars(select(Company.name).where(Company.is_target)).all() == [
            "Étoile Labs"
        ]
        assert count(app, Company) == 1


def test_target_employers_count_contacts_and_prompt_when_nobody_is_there(client, user, app):
    add_contact(client, "Ana", "García", company="Acme")
    client.post("/plan/employers", data={"company": "acme"})
    client.post("/plan/employers", data={"company": "Globex"})
    html = page(client)
    assert "1 contact there" in html
    assert "Globex</strong>:\n      nobody there yet" in html
    response = client.post("/plan/employers", data={"company": "ACME"})
    assert response.status_code == 400
    assert "already a target employer" in response.get_data(as_text=True)
    assert client.post("/plan/employers", data={"company": ""}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Company.is_target)) == 2


def test_other_users_rows_answer_404_and_are_left_alone(client, app, other_users_rows):
    rows = other_users_rows
    for url in (
        f"/plan/obstacles/{rows['obstacle']}/proof",
        f"/plan/obstacles/{rows['obstacle']}/resolve",
        f"/plan/roles/{rows['role']}/people",
        f"/plan/roles/{rows['role']}/remove",
        f"/plan/roles/{rows['role']}/people/{rows['contact']}/untag",
        f"/plan/employers/{rows['company']}/unstar",
        f"/plan/people-to-reach/{rows['reach']}/remove",
    ):
        assert client.post(url, data={"name": "Olga Other"}).status_code == 404, url
    # Another user's contact is no one to this user.
    client.post("/plan/obstacles", data={"text": "Too shy"})
    with app.app_context():
        mine = db.session.scalar(select(Obstacle.id).order_by(Obstacle.id.desc()))
    response = client.post(f"/plan/obstacles/{mine}/proof", data={"name": "Olga Other"})
    assert response.status_code == 400
    assert client.get("/plan/contact-names?q=olga").json == []
    html = page(client)
    assert "Olga" not in html and "Othercorp" not in html
    with app.app_context():
        assert db.session.get(Obstacle, rows["obstacle"]).resolved_on is None
        assert db.session.get(Company, rows["company"]).is_target
        assert count(app, PersonToReach) == 1 and count(app, TargetRole) == 1


def test_a_contact_joins_the_plan_from_their_own_page(client, app, other_users_rows):
    ana = add_contact(client, "Ana", "García", "Data Analyst")
    client.post("/plan/roles", data={"title": "Product Manager"})
    client.post("/plan/obstacles", data={"text": "Too old"})
    with app.app_context():
        role = db.session.scalar(
            select(TargetRole.id).where(TargetRole.id != other_users_rows["role"])
        )
        doubt = db.session.scalar(select(Obstacle.id).where(Obstacle.text == "Too old"))

    def in_plan() -> str:
        html = client.get(f"/contacts/{ana}").get_data(as_text=True)
        return html.split('id="in-plan-h"')[1].split("</section>")[0]

    offered = in_plan()
    assert "Add to people to reach</button>" in offered
    assert f'<option value="{role}">Product Manager</option>' in offered
    assert f'<option value="{doubt}">Too old</option>' in offered
    assert "Too shy" not in offered  # the other user's doubt is not offered

    response = client.post(f"/plan/contacts/{ana}/role", data={"role_id": role})
    assert response.headers["Location"] == f"/contacts/{ana}#in-plan"
    client.post(f"/plan/contacts/{ana}/proof", data={"obstacle_id": doubt})
    client.post(f"/plan/contacts/{ana}/reach")
    shown = in_plan()
    assert "You counted them in <a" in shown and "Product Manager</a>" in shown
    assert "Untag" in shown
    assert "“Too old”</a>" in shown.split("Got there despite what you feared")[1]
    assert "On your <a" in shown and "People to reach</a> list." in shown
    assert "<select" not in shown  # nothing left to add them to
    plan = page(client)
    assert "Ana García" in plan.split('id="role-')[1]
    assert "Ana García" in plan.split('id="reach"')[1]

    untag = f"/plan/roles/{role}/people/{ana}/untag"
    back = client.post(untag, data={"next": f"/contacts/{ana}"}, follow_redirects=True)
    assert back.request.path == f"/contacts/{ana}"
    assert "Ana García is no longer tagged by hand as a Product Manager." in back.text
    assert f'<option value="{role}">Product Manager</option>' in in_plan()

    # Another user's role, doubt or contact answers 404, and nothing is written.
    theirs = (
        (f"/plan/contacts/{ana}/role", {"role_id": other_users_rows["role"]}),
        (f"/plan/contacts/{ana}/role", {}),
        (f"/plan/contacts/{ana}/proof", {"obstacle_id": other_users_rows["obstacle"]}),
        (f"/plan/contacts/{other_users_rows['contact']}/reach", {}),
        (f"/plan/contacts/{other_users_rows['contact']}/role", {"role_id": role}),
    )
    for url, data in theirs:
        assert client.post(url, data=data).status_code == 404, (url, data)
    with app.app_context():
        assert count(app, RoleContact) == 0
        assert count(app, ObstacleProof) == 1 and count(app, PersonToReach) == 2


def test_names_are_suggested_as_the_user_types_whatever_the_case_and_accents(client, user):
    for first, last in (("Olga", "Núñez"), ("Ana", "Nunez"), ("Olaf", "Berg"), ("Bo", "100%")):
        add_contact(client, first, last)
    names = lambda typed: client.get("/plan/contact-names", query_string={"q": typed}).json  # noqa: E731
    assert names("NUN") == ["Ana Nunez", "Olga Núñez"]  # in the list's order, by last name
    assert names("ol  núñ") == ["Olga Núñez"]  # every word typed
    assert names("%") == ["Bo 100%"] and names("_") == []  # typed as text, not as a pattern
    assert names("") == ["Bo 100%", "Olaf Berg", "Ana Nunez", "Olga Núñez"]
    assert names("zzz") == []


def test_the_dashboard_card_walks_the_steps_in_order(client, user, app, clock):
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))

    def card() -> str:
        html = client.get("/dashboard").get_data(as_text=True)
        return html.split('id="next-step-h"')[1].split("</article>")[0]

    add_contact(client, "Ana", "García", "Designer")
    assert "Check in: are you in a rut?" in card()
    client.post("/plan/check-in", data={"signs": ["underpaid"]})
    assert "Name a role you want" in card()
    client.post("/plan/obstacles", data={"text": "Too old"})
    assert "Who got there despite “Too old”?" in card()
    with app.app_context():
        obstacle_id = db.session.scalar(select(Obstacle.id))
    client.post(f"/plan/obstacles/{obstacle_id}/proof", data={"name": "Ana García"})
    client.post("/plan/people-to-reach", data={"name": "Ana García"})
    assert "Reach out to Ana García" in card()
    client.post("/plan/people-to-reach/1/remove")
    client.post("/plan/roles", data={"title": "Product Manager"})
    assert "Find someone who is a Product Manager" in card()
    clock.set(datetime(2026, 12, 23, 9, 0, tzinfo=UTC))  # four weeks on
    assert "Time for your four-weekly check-in" in card()
    assert "Your last one was 28 days ago." in card()


def test_keep_on_track_shows_the_week_the_streak_and_the_wins(client, user, app, clock):
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    ana = add_contact(client, "Ana", "García")
    today = date(2026, 11, 25)
    for back in (0, 1):
        for n in range(5):
            client.post(
                f"/contacts/{ana}/outreach",
                data={
                    "channel": "email",
                    "sent_on": (today - timedelta(weeks=back)).isoformat(),
                    "status": "replied" if back == 1 and n == 0 else "awaiting",
                    "summary": f"Hello {back} {n}",
                },
            )
    with app.app_context():  # replies before the chart: one dated, one from before dates
        user_id = db.session.scalar(select(User.id))
        long_ago = today - timedelta(weeks=20)
        for reply_on in (long_ago, None):
            db.session.add(
                Outreach(
                    user_id=user_id,
                    contact_id=ana,
                    channel="email",
                    sent_on=long_ago,
                    status=OutreachStatus.REPLIED,
                    reply_on=reply_on,
                )
            )
        db.session.add(Contact(user_id=user_id, first_name="Bo", introduced_by_id=ana))
        db.session.commit()
    html = page(client)
    assert "5 of 5 outreach messages this week." in html
    assert "2 weeks in a row" in html
    assert 'class="week-chart"' in html and "<table" in html
    # The chart's reply and the two before it; one word for one, another for more.
    assert "<p>3 replies, 0 interviews held, 1 referral.</p>" in html
    assert f'<a href="/contacts/{ana}">Ana García</a> replied' in html
    assert "2 weeks in a row" in client.get("/dashboard").get_data(as_text=True)


def company_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Company.id).where(Company.name == name))


def test_a_company_is_starred_from_the_contact_page_and_unstarred_there(client, user, app):
    ana = add_contact(client, "Ana", "García", company="Acme")
    contact_page = client.get(f"/contacts/{ana}").get_data(as_text=True)
    assert "Star as a target employer</button>" in contact_page
    acme = company_id(app, "Acme")
    back = f"/contacts/{ana}"
    response = client.post(f"/plan/employers/{acme}/star", data={"next": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    with app.app_context():
        assert db.session.get(Company, acme).is_target
    contact_page = client.get(back).get_data(as_text=True)
    assert 'href="/plan/#employers">Target employer</a>' in contact_page
    assert "Unstar</button>" in contact_page
    # The Plan page names who works there.
    employers = page(client).split('id="employers"')[1]
    assert f'1 contact there</a>:\n        <a href="/contacts/{ana}">Ana García</a>.' in employers
    # Starred twice is said kindly; nothing changes.
    again = client.post(f"/plan/employers/{acme}/star", data={"next": back}, follow_redirects=True)
    assert "Acme is already a target employer." in again.get_data(as_text=True)
    response = client.post(f"/plan/employers/{acme}/unstar", data={"next": back})
    assert response.headers["Location"] == back
    with app.app_context():
        assert not db.session.get(Company, acme).is_target


def test_starring_never_sends_the_user_off_the_site(client, user, app):
    add_contact(client, "Ana", "García", company="Acme")
    acme = company_id(app, "Acme")
    for bad in ("//evil.example", "https://evil.example/", "/plan/?x=1"):
        response = client.post(f"/plan/employers/{acme}/star", data={"next": bad})
        assert response.headers["Location"] == "/plan/#employers", bad
        client.post(f"/plan/employers/{acme}/unstar")


def test_the_second_person_rows_everywhere_name_the_others_at_the_company(
    client, user, app, fixed_today
):
    from tests.app.networking import add, log

    jane = add(client, "Jane")
    abe = add(client, "Abe")
    olga = add(client, "Olga", company="Globex")
    log(client, jane)  # Friday: the 3B is due today, Wednesday
    log(client, olga)
    for url in (f"/contacts/{jane}", "/dashboard", "/follow-ups"):
        html = client.get(url).get_data(as_text=True)
        assert f'At Acme:\n    <a href="/contacts/{abe}">Abe Tester</a>' in html, url
        assert "Nobody else at Globex yet." in client.get(
            url.replace(str(jane), str(olga))
        ).get_data(as_text=True)
    # The target employers read the same list.
    client.post("/plan/employers", data={"company": "Acme"})
    employers = page(client).split('id="employers"')[1]
    assert f'<a href="/contacts/{abe}">Abe Tester</a>, <a href="/contacts/{jane}">' in employers


@pytest.mark.parametrize(
    ("company", "message"),
    [("", "Write the company"), ("   ", "Write the company"), ("z" * 201, "under 200")],
)
def test_a_bad_target_employer_gets_a_message_and_nothing_is_written(
    client, user, app, company, message
):
    response = client.post("/plan/employers", data={"company": company})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Company) == 0


def test_script_in_a_target_employer_is_shown_as_text(client, user):
    client.post("/plan/employers", data={"company": SCRIPT})
    html = page(client)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</strong>:" in html


def test_a_role_counts_everyone_once_and_shows_the_first_eight_by_name(client, user, app):
    titles = ["Software Engineer", "Sr. Eng", "ENGINEER", "Engineers' lead", "Civil engineer"]
    people = [
        add_contact(client, f"P{i:02d}", f"Person{i:02d}", titles[i % len(titles)])
        for i in range(10)
    ]
    add_contact(client, "Ben", "Okafor", "Project Manager")
    zed = add_contact(client, "Zed", "Zulu", "Software Engineer")
    client.post("/plan/roles", data={"title": "Engineer"})
    client.post("/plan/roles", data={"title": "Designer"})
    with app.app_context():
        engineer, designer = db.session.scalars(select(TargetRole.id).order_by(TargetRole.id))
    # Zed holds the role by title and is tagged in it too; he counts once. He is also tagged
    # as a designer, and is the only one there.
    client.post(f"/plan/roles/{engineer}/people", data={"name": "Zed Zulu"})
    client.post(f"/plan/roles/{designer}/people", data={"name": "Zed Zulu"})
    for who in (people[0], zed):
        client.post(
            f"/contacts/{who}/outreach",
            data={
                "channel": "email",
                "sent_on": "2026-11-20",
                "status": "awaiting",
                "summary": "Hi",
            },
        )
    # Zed is interviewed too: reached and interviewed count him once, in each of his roles.
    held = client.post(
        f"/contacts/{zed}/interviews/new",
        data={"day": "2026-11-25", "start": "09:30", "duration_minutes": "30"},
    )
    assert client.post(held.headers["Location"] + "/done").status_code == 302
    html = page(client)
    engineers = html.split(f'id="role-{engineer}"')[1].split("</article>")[0]
    designers = html.split(f'id="role-{designer}"')[1].split("</article>")[0]
    assert "<strong>11</strong>you know" in engineers
    assert "<strong>2</strong>reached" in engineers
    assert "<strong>1</strong>interviewed" in engineers
    assert "<strong>1</strong>reached" in designers
    assert "<strong>1</strong>interviewed" in designers
    shown = [f'href="/contacts/{cid}">P{i:02d} Person{i:02d}</a>' for i, cid in enumerate(people)]
    assert all(link in engineers for link in shown[:8])
    assert shown[8] not in engineers and "Zed Zulu" not in engineers
    assert engineers.index(shown[0]) < engineers.index(shown[7])
    assert "And 3 more. <a" in engineers and "Search your contacts for “Engineer”" in engineers
    assert "Okafor" not in engineers
    assert "<strong>1</strong>you know" in designers
    assert f'href="/contacts/{zed}">Zed Zulu</a>' in designers and "Untag" in designers
    assert "Search your contacts for" not in designers


def held_interview(client, contact_id: int, day: str, career_path: str) -> None:
    made = client.post(
        f"/contacts/{contact_id}/interviews/new",
        data={"day": day, "start": "09:30", "duration_minutes": "30"},
    )
    interview = made.headers["Location"]
    notes = {"career_path": career_path, "advice": "", "resources": "", "assignments": ""}
    client.post(f"{interview}/notes", data={**notes, "referrals": ""})
    assert client.post(f"{interview}/done").status_code == 302


def test_a_role_shows_the_career_paths_of_its_people_latest_first(client, user, app):
    ana = add_contact(client, "Ana", "Lima", "Data Engineer")
    bo = add_contact(client, "Bo", "Berg", "Pipeline builder")
    cy = add_contact(client, "Cy", "Cole", "Data Analyst")
    client.post("/plan/roles", data={"title": "Data Engineer"})
    with app.app_context():
        role = db.session.scalar(select(TargetRole.id))
    client.post(f"/plan/roles/{role}/people", data={"name": "Bo Berg"})  # by hand
    held_interview(client, ana, "2026-11-10", "Teacher, then a <b>bootcamp</b>")
    held_interview(client, bo, "2026-11-20", "Physics PhD, then pipelines")
    held_interview(client, cy, "2026-11-25", "Analyst all along")
    html = page(client)
    role_html = html.split(f'id="role-{role}"')[1].split("</article>")[0]
    assert "Their paths into the role" in role_html
    bo_path, ana_path = "Physics PhD, then pipelines", "Teacher, then a &lt;b&gt;bootcamp&lt;/b&gt;"
    assert bo_path in role_html and ana_path in role_html
    assert role_html.index(bo_path) < role_html.index(ana_path)  # the latest first
    assert "Analyst all along" not in role_html


LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def test_a_role_counts_people_however_their_title_was_written(client, user, app):
    # Titles come from the contact form, an import and an edit; the Plan page counts from the
    # title key each of them stores, so each path must keep it.
    client.post("/plan/roles", data={"title": "Data Engineer"})
    add_contact(client, "Ana", "Lima", "Ingénieur, Data")  # not the role: "ingenieur"
    add_contact(client, "Bo", "Chen", "Senior Data Engineers")
    rows = (
        "Jo,Kim,https://www.linkedin.com/in/jo-kim,,Acme,Sr. Data Eng,01 Jan 2024\n"
        "Cy,Dee,https://www.linkedin.com/in/cy-dee,,Acme,Data Analyst,01 Jan 2024\n"
    )
    import_bytes(client, (LINKEDIN_HEADER + rows).encode())
    roles = page(client).split('id="roles-h"')[1].split('id="employers"')[0]
    assert "<strong>2</strong>you know" in roles
    assert "Bo Chen" in roles and "Jo Kim" in roles and "Cy Dee" not in roles

    with app.app_context():
        cy = db.session.scalars(select(Contact).where(Contact.first_name == "Cy")).one()
        cy.title = "Lead Engineer, Data"
        jo = db.session.scalars(select(Contact).where(Contact.first_name == "Jo")).one()
        jo.title = None
        db.session.commit()
    roles = page(client).split('id="roles-h"')[1].split('id="employers"')[0]
    assert "<strong>2</strong>you know" in roles
    assert "Cy Dee" in roles and "Jo Kim" not in roles


@pytest.mark.parametrize(("weeks", "shown"), [(11, 11), (12, 12), (13, 13), (20, 20), (60, 53)])
def test_the_streak_reads_past_the_chart_when_it_is_as_long(client, user, app, clock, weeks, shown):
    # The chart's 12 weeks serve the streak; only a run as long as the chart reads further.
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    with app.app_context():
        db.session.execute(update(User).values(weekly_goal=1))
        db.session.commit()
    ana = add_contact(client, "Ana", "García")
    for back in range(weeks):
        sent_on = (date(2026, 11, 25) - timedelta(weeks=back)).isoformat()
        data = {"channel": "email", "sent_on": sent_on, "status": "awaiting", "summary": "Hi"}
        assert client.post(f"/contacts/{ana}/outreach", data=data).status_code == 302
    html = page(client)
    assert f"{shown} weeks in a row" in html
    assert "1 of 1 outreach this week." in html
