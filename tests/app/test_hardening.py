"""Probing every route as an attacker would: other users' ids, huge ids, NUL bytes, headers."""

from __future__ import annotations

import contextlib
import re
import threading
from datetime import date

import pytest
from sqlalchemy import event, select

from crm.account.models import DevicePassword
from crm.backup.models import RestoreJob
from crm.deployment import MAX_ID
from crm.extensions import db
from crm.models import Company, Contact, ImportBatch, Note, Outreach
from crm.plan.models import Obstacle, PersonToReach, TargetRole
from tests.app.test_calendar_downloads import add_contact, add_followup, add_interview, user_id
from tests.conftest import TEST_PASSWORD, csrf_token_from

# Tables a request by anyone may change without touching another user's data.
BOOKKEEPING = {"login_session", "login_attempt", "alembic_version"}
HUGE_IDS = [MAX_ID + 1, 2**63, 10**20]


def owner_rows(app) -> dict[str, int]:
    """Give jo@example.com one of everything; the ids by the URL argument that names them."""
    owner = user_id(app)
    contact = add_contact(app, owner, company="Acme", first_name="Jane", email="jane@example.org")
    interview = add_interview(app, contact)
    followup = add_followup(app, contact)
    with app.app_context():
        outreach = Outreach(
            user_id=owner, contact_id=contact, channel="email", sent_on=date(2031, 6, 1)
        )
        batch = ImportBatch(user_id=owner, filename="c.csv", format="linkedin", format_label="L")
        note = Note(user_id=owner, contact_id=contact, body="Private note")
        obstacle = Obstacle(user_id=owner, text="No degree", text_key="no degree")
        to_reach = PersonToReach(user_id=owner, contact_id=contact, added_on=date(2031, 6, 1))
        role = TargetRole(user_id=owner, title="Engineer", title_key="engineer")
        device = DevicePassword(user_id=owner, name="Phone", secret_hash="0" * 64)
        job = RestoreJob(user_id=owner, runner="host:1", status="done", summary="1 contact")
        db.session.add_all([outreach, batch, note, obstacle, to_reach, role, device, job])
        db.session.commit()
        company = db.session.scalar(select(Company.id).where(Company.user_id == owner))
        return {
            "obstacle_id": obstacle.id,
            "entry_id": to_reach.id,
            "role_id": role.id,
            "company_id": company,
            "contact_id": contact,
            "interview_id": interview,
            "followup_id": followup,
            "outreach_id": outreach.id,
            "batch_id": batch.id,
            "device_id": device.id,
            "job_id": job.id,
        }


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table but the login bookkeeping."""
    with app.app_context():
        return {
            table.name: sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
            for table in db.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


def id_rules(app):
    """Every rule with an <int:...> argument, with the methods it answers."""
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if conv.regex == r"\d+"]
        if ints:
            yield rule, ints


def plain_rules(app):
    """Every rule without arguments, except static files."""
    for rule in app.url_map.iter_rules():
        if not rule.arguments:
            yield rule


@pytest.fixture
def csrf_on(app):
    """Call it once the accounts exist: from then on every POST needs its CSRF token."""
    yield lambda: app.config.update(WTF_CSRF_ENABLED=True)
    app.config["WTF_CSRF_ENABLED"] = False


def test_every_route_with_an_id_answers_404_to_another_user(app, client, auth, csrf_on):
    auth.register()
    ids = owner_rows(app)
    auth.logout()
    auth.register(email="mallory@example.com")
    csrf_on()
    token = csrf_token_from(client.get("/settings").get_data(as_text=True))
    before = snapshot(app)
    probed = 0

    for rule, names in id_rules(app):
        missing = [name for name in names if name not in ids]
        assert not missing, f"{rule.rule}: give the sweep an owner's row for {missing}"
        url = rule.rule
        for name in names:
            url = re.sub(rf"<int:{name}>", str(ids[name]), url)
        for method in ("GET", "POST"):
            data = {"csrf_token": token, "next": "/dashboard", "status": "replied", "days": "1"}
            response = client.open(url, method=method, data=data if method == "POST" else None)
            assert response.status_code in (404, 405), (method, url, response.status_code)
            probed += 1

    assert probed >= 40
    assert snapshot(app) == before


def test_ids_too_big_for_the_database_answer_404(app, client, user, csrf_on):
    csrf_on()
    token = csrf_token_from(client.get("/settings").get_data(as_text=True))
    for rule, names in id_rules(app):
        for huge in HUGE_IDS:
            url = rule.rule
            for name in names:
                url = url.replace(f"<int:{name}>", str(huge))
            for method in ("GET", "POST"):
                data = {"csrf_token": token} if method == "POST" else None
                response = client.open(url, method=method, data=data)
                assert response.status_code in (404, 405), (method, url, response.status_code)


def test_huge_numbers_in_query_strings_do_no_harm(client, user):
    for url in [
        f"/contacts/?page={10**20}",
        f"/contacts/?page={MAX_ID + 1}",
        "/contacts/?page=-5",
        f"/follow-ups?page={10**20}",
        f"/dashboard?page={10**20}",
    ]:
        assert client.get(url).status_code in (200, 404), url


def test_ids_in_query_strings_and_forms_too_big_or_small_answer_404(client, user):
    made = client.post("/contacts/new", data={"first_name": "Ana", "network": "work"})
    contact = made.headers["Location"].rsplit("/", 1)[1]
    for bad in [*HUGE_IDS, -1]:
        assert client.get(f"/contacts/new?introduced_by={bad}").status_code == 404, bad
    for bad in [*HUGE_IDS, 0, -1]:
        assert client.get(f"/interviews?contact={bad}").status_code == 404, bad
        for step, field in (("role", "role_id"), ("proof", "obstacle_id")):
            response = client.post(f"/plan/contacts/{contact}/{step}", data={field: str(bad)})
            assert response.status_code == 404, (step, bad)


def test_nul_bytes_anywhere_answer_400_with_a_message(app, client, user, csrf_on):
    ids = owner_rows(app)
    csrf_on()
    token = csrf_token_from(client.get("/settings").get_data(as_text=True))
    before = snapshot(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        url = rule.rule
        for name, value in ids.items():
            url = url.replace(f"<int:{name}>", str(value))
        url = re.sub(r"<[^>]+>", "tok\x00en", url)
        for method in sorted(rule.methods & {"GET", "POST"}):
            if method == "GET":
                response = client.get(url, query_string={"q": "Ja\x00ne", "tag": "\x00"})
            else:
                fields = ("first_name", "last_name", "company", "notes", "name", "email", "reason")
                data = {field: "Jane\x00" for field in fields}
                data["csrf_token"] = token
                response = client.post(url, data=data)
            assert response.status_code == 400, (method, url, response.status_code)
            assert "NUL character" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_nul_in_the_path_is_refused_too(client, user):
    response = client.get("/contacts/%00")
    assert response.status_code in (400, 404)
    assert client.get("/feed/ab%00cd.ics").status_code in (400, 404)


def test_logging_in_with_nul_bytes_is_refused_not_a_crash(client, auth, user):
    auth.logout()
    response = client.post("/login", data={"email": "jo@example.com\x00", "password": "x\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)


# ---- Headers -------------------------------------------------------------------------------

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_safe_headers(response, url: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert "unsafe-inline" not in policy, url
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, (url, name)


def test_every_page_and_file_carries_the_safe_headers(app, client, user):
    ids = owner_rows(app)
    visited = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "calendar.feed"):
            continue
        if "<token>" in rule.rule:
            continue
        url = rule.rule
        for name, value in ids.items():
            url = url.replace(f"<int:{name}>", str(value))
        response = client.get(url)
        assert response.status_code < 500, url
        assert_safe_headers(response, url)
        response.close()  # some are files (the backup zip), streamed from disk
        visited += 1
    assert visited >= 20
    for url in ["/static/css/app.css", "/no/such/page", "/contacts/999999"]:
        response = client.get(url)
        assert_safe_headers(response, url)
        response.close()
    client.post("/logout")
    for url in ["/", "/login", "/register", "/dashboard"]:
        assert_safe_headers(client.get(url), url)


def test_no_template_has_inline_scripts_styles_or_handlers():
    from crm import TEMPLATES_DIR

    for path in TEMPLATES_DIR.rglob("*.html"):
        if path.stem.endswith("email"):
            continue  # an email's HTML, not a page: mail clients want their styles inline
        source = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), path
        assert not re.search(r"\son[a-z]+\s*=", source), path
        assert not re.search(r"\sstyle\s*=", source), path
        assert "<style" not in source, path


# ---- The public address and proxies --------------------------------------------------------


def test_the_feed_url_uses_the_base_url_and_other_hosts_are_refused(app, app_factory):
    app = app_factory(BASE_URL="https://crm.example.org")
    client = app.test_client()
    base = {"base_url": "https://crm.example.org"}
    client.post(
        "/register",
        data={"email": "jo@example.com", "password": TEST_PASSWORD, "confirm": TEST_PASSWORD},
        **base,
    )
    client.post("/calendar/link", **base)
    page = client.get("/calendar", **base).get_data(as_text=True)
    assert re.search(r"https://crm\.example\.org/feed/[\w-]+\.ics", page)
    evil = client.get("/calendar", base_url="http://evil.example")
    assert evil.status_code == 400
    assert "evil.example" not in evil.get_data(as_text=True)


def test_cookies_are_secure_under_an_https_base_url(app_factory):
    app = app_factory(BASE_URL="https://crm.example.org")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["TRUSTED_HOSTS"] == ["crm.example.org"]
    plain = app_factory()
    assert not plain.config.get("SESSION_COOKIE_SECURE")


def test_one_trusted_proxy_gives_the_client_address_and_scheme(app_factory):
    app = app_factory(PROXY_COUNT=1)
    seen = {}

    @app.get("/probe-address")
    def probe():
        from flask import request

        seen["address"], seen["scheme"] = request.remote_addr, request.scheme
        return "ok"

    app.test_client().get(
        "/probe-address",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
    )
    assert seen == {"address": "203.0.113.9", "scheme": "https"}
    untrusting = app_factory()

    @untrusting.get("/probe-address")
    def probe_plain():
        from flask import request

        seen["address"] = request.remote_addr
        return "ok"

    untrusting.test_client().get("/probe-address", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen["address"] == "127.0.0.1"


def test_a_bad_base_url_stops_the_app_with_a_reason(app_factory):
    with pytest.raises(RuntimeError, match="CRM_BASE_URL must look like"):
        app_factory(BASE_URL="crm.example.org")


# ---- The same new company twice at once ----------------------------------------------------


def test_the_same_new_company_created_twice_at_once_is_one_company(app, auth, user):
    """Both requests read "no such company" before either writes: both get the one company."""
    barrier = threading.Barrier(2, timeout=5)

    def meet(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO COMPANY"):
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", meet)
    clients = [app.test_client() for _ in range(2)]
    for browser in clients:
        browser.post("/login", data={"email": "jo@example.com", "password": TEST_PASSWORD})
    statuses: list[int] = []

    def create(browser, first_name: str) -> None:
        data = {"first_name": first_name, "company": "Brand New Co", "network": "work"}
        statuses.append(browser.post("/contacts/new", data=data).status_code)

    try:
        threads = [
            threading.Thread(target=create, args=(browser, name))
            for browser, name in zip(clients, ["Ann", "Bob"], strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        event.remove(engine, "before_cursor_execute", meet)

    assert statuses == [302, 302]
    with app.app_context():
        companies = db.session.execute(select(Company.id, Company.name)).all()
        assert [name for _, name in companies] == ["Brand New Co"]
        owners = db.session.scalars(select(Contact.company_id)).all()
        assert sorted(owners) == [companies[0][0]] * 2
