"""row_url and query_url give the links url_for does, under a mount point too; row forms
post back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qs

import pytest
from flask import request, url_for
from markupsafe import escape

from crm.urls import query_url, row_url
from tests.app.networking import add, followups, log
from tests.conftest import csrf_token_from


@pytest.mark.parametrize("script_root", ["", "/crm"])
def test_row_links_match_url_for(app, script_root):
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        for endpoint, name in [
            ("contacts.show", "contact_id"),
            ("followups.done", "followup_id"),
            ("calendar.followup_ics", "followup_id"),
        ]:
            for value in (1, 42, 918273645, 2**31 - 1):
                assert row_url(endpoint, name, value) == url_for(endpoint, **{name: value})
        assert row_url("contacts.show", "contact_id", 7).startswith(f"{script_root}/contacts/")


@pytest.mark.parametrize("script_root", ["", "/crm"])
def test_a_company_link_leads_to_the_same_list_as_url_for(app, client, user, script_root):
    """query_url's link may spell a character differently from url_for's; the list it opens
    is the same, whatever the company is called."""
    names = ["Acme", "Globex & Sons", "Ünïcode Ltd", 'A "quoted" <b>co</b>', "50% off/#1?"]
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        links = {name: query_url("contacts.index", "company", name) for name in names}
        for name, link in links.items():
            path, _, query = link.partition("?")
            assert path == url_for("contacts.index")
            assert parse_qs(query) == {"company": [name]}
    for name in names:
        add(client, "Pat", company=name)
    page = client.get("/contacts/").get_data(as_text=True)
    for name in names:
        link = links[name].removeprefix(script_root)
        assert f'href="{escape(link)}"' in page
        listed = client.get(link).get_data(as_text=True)
        assert "1 contact match" in listed and str(escape(name)) in listed


def test_row_forms_carry_the_token_and_come_back_to_the_page(app, client, user, fixed_today, clock):
    """Every small form on the Follow-ups page posts the session's token and returns here."""
    jane = add(client, "Jane")
    clock.set(datetime(2026, 11, 13, 12, tzinfo=UTC))  # logged the day it was sent
    log(client, jane, sent_on=date(2026, 11, 13))
    clock.set(datetime(2026, 11, 25, 12, tzinfo=UTC))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        path = '/follow-ups?view=all&x="><script>'
        html = client.get(path).get_data(as_text=True)
        token = csrf_token_from(html)
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, flags=re.S)
        row_forms = [form for form in forms if "/follow-ups/" in form]
        assert len(row_forms) >= 4  # done and snooze-to, for each of Jane's two follow-ups
        escaped_path = escape(request_path(client, path))
        for form in row_forms:
            assert f'name="csrf_token" value="{token}"' in form
            assert f'name="next" value="{escaped_path}"' in form
        assert "<script>" not in html
        done = re.search(r'action="(/follow-ups/\d+/done)"', html)
        assert done
        response = client.post(done.group(1), data={"csrf_token": token, "next": path})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/follow-ups?")
        assert [f[3] for f in followups(app)].count("done") == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def request_path(client, path):
    """The full path Flask sees for `path` (its query string percent-encoded)."""
    with client.application.test_request_context(path):
        return request.full_path
