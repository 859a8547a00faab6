"""The time-zone choice on Register and Settings: canonical zones by region, aliases kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from crm.extensions import db
from crm.models import User


def options(page: str) -> list[str]:
    select_html = page.split('id="time_zone"')[1].split("</select>")[0]
    return re.findall(r'<option[^>]*value="([^"]+)"', select_html)


def selected(page: str) -> str:
    select_html = page.split('id="time_zone"')[1].split("</select>")[0]
    match = re.search(r'<option[^>]*selected[^>]*value="([^"]+)"', select_html) or re.search(
        r'<option[^>]*value="([^"]+)"[^>]*selected', select_html
    )
    assert match, "no zone is selected"
    return match.group(1)


@pytest.mark.parametrize("path", ["/register", "/settings"])
def test_the_list_holds_canonical_zones_only_grouped_by_region(client, auth, path):
    if path == "/settings":
        auth.register()
    page = client.get(path).get_data(as_text=True)
    zones = options(page)
    for wanted in ("UTC", "Asia/Kolkata", "America/New_York", "Europe/Kyiv", "Europe/Paris"):
        assert wanted in zones
    for alias in ("US/Eastern", "Asia/Calcutta", "Europe/Kiev", "GMT", "Etc/UTC", "Japan"):
        assert alias not in zones
    assert len(zones) == len(set(zones)) > 300
    for region in ("Africa", "America", "Asia", "Europe", "Pacific"):
        assert f'<optgroup label="{region}">' in page
    assert "Kolkata (India)" in page


def test_registration_preselects_utc_and_marks_the_field_for_the_browser_zone(client):
    page = client.get("/register").get_data(as_text=True)
    assert selected(page) == "UTC"
    assert 'data-browser-zone="preselect"' in page
    assert "js/timezone.js" in page and "<script>" not in page


@pytest.mark.parametrize(
    ("posted", "stored"),
    [("Asia/Calcutta", "Asia/Kolkata"), ("US/Eastern", "America/New_York"), ("UTC", "UTC")],
)
def test_a_browser_alias_is_saved_as_its_canonical_zone(auth, app, posted, stored):
    assert auth.register(time_zone=posted).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.time_zone)) == stored


def _set_zone(app, zone: str) -> None:
    with app.app_context():
        db.session.execute(update(User).values(time_zone=zone))
        db.session.commit()


def test_an_existing_alias_shows_its_canonical_zone_and_saves_it(client, user, app):
    _set_zone(app, "US/Eastern")
    page = client.get("/settings").get_data(as_text=True)
    assert selected(page) == "America/New_York"
    assert "US/Eastern" not in options(page)
    # The pages keep working on the alias until the person saves.
    assert client.get("/follow-ups").status_code == 200
    data = {
        "time_zone": "US/Eastern",  # a tab opened before the change
        "weekly_goal": "5",
        "second_person_days": "3",
        "nudge_days": "7",
        "thank_you_days": "1",
        "update_days": "7",
        "referral_ask_weeks": "1",
        "history_days": "30",
        "after_interview_cadence": "1m",
    }
    assert client.post("/settings", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.time_zone)) == "America/New_York"


def test_a_zone_outside_the_list_stays_selected_as_the_current_setting(client, user, app):
    _set_zone(app, "Etc/GMT+5")
    page = client.get("/settings").get_data(as_text=True)
    assert selected(page) == "Etc/GMT+5"
    assert '<optgroup label="Your current setting">' in page
    # Another user's page does not offer it.
    client.post("/logout")
    client.post(
        "/register",
        data={
            "email": "b@example.com",
            "password": "a long password",
            "confirm": "a long password",
            "time_zone": "Etc/GMT+5",
        },
    )
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "b@example.com")) is None
