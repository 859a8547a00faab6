"""Bad files on the Import page: a clear message each, nothing half written, never a 500."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from crm.imports import writing
from tests.app.test_imports_support import (
    cells,
    confirm,
    contact_rows,
    fixture_bytes,
    import_bytes,
    linkedin_csv,
    table_counts,
    token_from,
    upload,
)
from tests.conftest import TEST_PASSWORD, AuthActions, csrf_token_from

NOTHING = {"Contact": 0, "Company": 0, "Tag": 0, "ImportBatch": 0, "JobChange": 0}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "This file is empty."),
        ("image.csv", "This looks like an image (PNG), not a contacts file."),
        ("archive.csv", "This is a zip archive; unzip it and upload Connections.csv."),
        ("page.csv", "This looks like a web page saved as .csv, not a contacts export."),
    ],
)
def test_unreadable_files_get_a_message_beside_the_field(app, client, user, name, message):
    response = upload(client, fixture_bytes(name), name)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<small id="file-error" class="field-error">{message}</small>' in html
    assert 'aria-invalid="true"' in html
    assert 'name="token"' not in html
    with app.app_context():
        assert table_counts() == NOTHING


def test_a_csv_that_is_no_contacts_export_is_refused(app, client, user):
    html = upload(client, b"date,amount\n2024-01-01,12.50\n", "bank.csv").get_data(as_text=True)

    assert "We could not recognise this file" in html


def test_no_file_chosen(client, user):
    response = client.post("/import", data={}, content_type="multipart/form-data")

    assert "Choose a file to import." in response.get_data(as_text=True)


def test_a_file_cut_off_mid_row_imports_the_rows_before_and_says_so(app, client, user):
    preview = upload(client, fixture_bytes("truncated.csv")).get_data(as_text=True)

    assert "<strong>2</strong> new" in preview
    assert "<tr><td>4</td><td>The file ends in the middle of this row</td></tr>" in cells(preview)
    confirm(client, token_from(preview))
    with app.app_context():
        assert [row.first_name for row in contact_rows()] == ["Omar", "Lena"]


def test_a_row_with_more_cells_than_the_header_is_skipped_with_its_line(client, user):
    preview = upload(client, fixture_bytes("extra_cells.csv")).get_data(as_text=True)

    assert "<tr><td>3</td><td>Row has more cells than the header</td></tr>" in cells(preview)


@pytest.fixture
def small_limit(app, app_factory):
    """An app taking files of at most 2 KB, with a logged-in user (`app` empties the tables)."""
    app = app_factory(IMPORT_MAX_BYTES=2048, MAX_CONTENT_LENGTH=4096)
    client = app.test_client()
    AuthActions(client).register()
    return app, client


def test_a_file_over_the_request_limit_gets_the_import_page_with_a_message(small_limit):
    app, client = small_limit
    big = linkedin_csv(*[f"Jane,Doe {n},,,Acme,CTO," for n in range(400)])
    assert len(big) > 4096

    response = upload(client, big)

    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<h1>Import contacts</h1>" in html
    assert "This file is larger than 2 KB, the most we import at once." in html
    with app.app_context():
        assert contact_rows() == []


def test_a_file_just_over_the_import_limit_gets_the_same_message(small_limit):
    app, client = small_limit
    data = linkedin_csv(*[f"Jane,Doe {n},,,Acme,CTO," for n in range(120)])
    assert 2048 < len(data) < 4096

    response = upload(client, data)

    assert response.status_code == 200
    assert "This file is larger than 2 KB" in response.get_data(as_text=True)
    with app.app_context():
        assert contact_rows() == []


def test_over_the_limit_with_csrf_on_still_gets_the_import_page(app, app_factory):
    # The CSRF check reads the form before the view runs; the limit trips there.
    csrf_app = app_factory(IMPORT_MAX_BYTES=2048, MAX_CONTENT_LENGTH=4096, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/register").get_data(as_text=True))
    register = {
        "email": "jo@example.com",
        "password": TEST_PASSWORD,
        "confirm": TEST_PASSWORD,
        "time_zone": "UTC",
        "csrf_token": token,
    }
    assert client.post("/register", data=register).status_code == 302
    token = csrf_token_from(client.get("/import").get_data(as_text=True))
    big = linkedin_csv(*[f"Jane,Doe {n},,,Acme,CTO," for n in range(400)])

    response = client.post(
        "/import",
        data={"file": (io.BytesIO(big), "big.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )

    assert response.status_code == 413
    assert "This file is larger than 2 KB" in response.get_data(as_text=True)


def test_the_default_limit_is_10_mb(app):
    assert app.config["IMPORT_MAX_BYTES"] == 10 * 1024 * 1024


def test_a_failing_write_leaves_nothing_half_written_and_the_file_ready_again(
    app, client, user, monkeypatch
):
    html = upload(client, fixture_bytes("linkedin_current.csv")).get_data(as_text=True)
    token = token_from(html)

    def fail(*args, **kwargs):
        raise OperationalError("UPDATE contact", {}, Exception("database is locked"))

    with monkeypatch.context() as patch:
        patch.setattr(writing, "_update_contacts", fail)
        response = confirm(client, token, follow=True)

    assert response.status_code == 200
    assert "Nothing was imported" in response.get_data(as_text=True)
    with app.app_context():
        assert table_counts() == NOTHING
    # The upload was given back: confirming again works.
    confirm(client, token)
    with app.app_context():
        assert len(contact_rows()) == 7


def test_cells_with_nul_in_utf16_files_are_stored_without_it(app, client, user):
    # PostgreSQL cannot store NUL characters; a UTF-16 file can hold them.
    text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    text += "Ja\x00ne,Doe,,,Ac\x00me,CTO,\n"
    preview = upload(client, text.encode("utf-16")).get_data(as_text=True)

    confirm(client, token_from(preview))

    with app.app_context():
        assert [(r.first_name, r.company) for r in contact_rows()] == [("Jane", "Acme")]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_random_bytes_never_break_the_page(app, client, user, data):
    response = client.post(
        "/import", data={"file": (io.BytesIO(data), "x.csv")}, content_type="multipart/form-data"
    )

    assert response.status_code == 200


def test_random_csv_rows_preview_and_import_without_error(app, client, user):
    rows = [
        '"=cmd|\' /C calc\'!A0",<b>bold</b>,,not-an-email,"a,b",  ,99 Foo 2024',
        '"multi\nline",x,https://www.linkedin.com/in/ok,,,,',
        ",,,,,,",
        "ü,ß,http://linkedin.com/in/ÜBER?trk=1,,,,",
    ]
    page = import_bytes(client, linkedin_csv(*rows))

    assert page.status_code == 200
    with app.app_context():
        assert len(contact_rows()) == 3
