"""Several servers, one database: a preview's upload waits in the database, within a quota,
and on SQLite other people keep working while someone imports a large file."""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from crm.extensions import db
from crm.imports.models import PendingUpload
from crm.models import Contact
from tests.app.test_imports_support import (
    confirm,
    fixture_bytes,
    linkedin_csv,
    token_from,
    upload,
    user_id,
)
from tests.conftest import AuthActions


def test_a_preview_shown_by_one_server_is_confirmed_by_another(app, app_factory, tmp_path):
    first, second = app_factory(), app_factory()
    # Each server has its own disk: nothing may travel through instance/.
    first.instance_path, second.instance_path = str(tmp_path / "a"), str(tmp_path / "b")
    one, two = first.test_client(), second.test_client()
    AuthActions(one).register()
    AuthActions(two).login()

    preview = upload(one, fixture_bytes("linkedin_current.csv"))
    response = confirm(two, token_from(preview.get_data(as_text=True)), follow=True)

    assert "Import done: 7 contacts added" in response.get_data(as_text=True)
    with second.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 7
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").rglob("*"))


def test_a_user_over_the_pending_quota_is_told_and_nothing_is_kept(app, app_factory):
    data = fixture_bytes("linkedin_current.csv")
    limited = app_factory(IMPORT_PENDING_QUOTA_BYTES=len(data) * 2 + 10)
    client = limited.test_client()
    AuthActions(client).register()
    tokens = [token_from(upload(client, data).get_data(as_text=True)) for _ in range(2)]

    refused = upload(client, data)

    html = refused.get_data(as_text=True)
    assert "the most we keep at once" in html and 'name="token"' not in html
    with limited.app_context():
        assert db.session.scalar(select(func.count(PendingUpload.id))) == 2
    # Importing one of the waiting files makes room again.
    confirm(client, tokens[0])
    assert 'name="token"' in upload(client, data).get_data(as_text=True)


def test_pending_uploads_are_scoped_to_their_owner(app, client, auth):
    auth.register()
    token = token_from(upload(client, fixture_bytes("linkedin_current.csv")).get_data(as_text=True))
    auth.logout()
    auth.register(email="eve@example.com")

    response = confirm(client, token)

    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Contact.id))) == 0


def test_other_people_keep_working_while_someone_imports_30000_rows(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite's locking is what this checks")
    rows = [
        f"Person{i},Surname{i},https://www.linkedin.com/in/p{i},,Company {i % 500},Role {i % 40},"
        "30 May 2024"
        for i in range(30_000)
    ]
    big = linkedin_csv(*rows)
    importer = app.test_client()
    AuthActions(importer).register(email="big@example.com")
    # Encoded here: the test client spools a large body to a temporary file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(big), "Connections.csv")})
    preview = importer.post(
        "/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    token = token_from(preview.get_data(as_text=True))
    others = []
    for n in range(3):
        client = app.test_client()
        AuthActions(client).register(email=f"other{n}@example.com")
        others.append(client)
    statuses: list[int] = []
    created: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def run_import() -> None:
        try:
            statuses.append(confirm(importer, token).status_code)
        except BaseException as error:  # noqa: BLE001 (reported by the assertion below)
            failures.append(error)
        finally:
            done.set()

    def keep_working(client, n: int) -> None:
        try:
            count = 0
            while not done.is_set() or count < 5:
                response = client.post(
                    "/contacts/new", data={"first_name": f"Friend {n}-{count}", "network": "work"}
                )
                created.append(response.status_code)
                statuses.append(client.get("/dashboard").status_code)
                statuses.append(client.get("/contacts/?q=friend").status_code)
                count += 1
        except BaseException as error:  # noqa: BLE001
            failures.append(error)

    threads = [threading.Thread(target=run_import)] + [
        threading.Thread(target=keep_working, args=(client, n)) for n, client in enumerate(others)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert not failures
    assert statuses and all(status in (200, 302) for status in statuses), sorted(set(statuses))
    assert created and set(created) == {302}
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Contact.id)).where(Contact.user_id == user_id("big@example.com"))
            )
            == 30_000
        )
        written = db.session.scalar(
            select(func.count(Contact.id)).where(Contact.first_name.like("Friend %"))
        )
    assert written == len(created)
