"""Undo: the contacts an import created go, its updates are reverted, its job changes removed;
asked first when the user has logged something on those people since; twice is harmless."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from crm import clock
from crm.extensions import db
from crm.imports.models import PendingUpload
from crm.models import (
    Contact,
    FollowUp,
    ImportBatch,
    ImportUpdate,
    JobChange,
    Note,
    Outreach,
)
from tests.app.test_imports_reimport import OMAR, PRIYA, PRIYA_MOVED, add_contact
from tests.app.test_imports_support import (
    confirm,
    contact_named,
    contact_rows,
    count,
    fixture_bytes,
    import_bytes,
    linkedin_csv,
    token_from,
    upload,
    user_id,
)
from tests.conftest import TEST_PASSWORD, csrf_token_from

YES = {"confirmed": "yes"}


def batch_ids() -> list[int]:
    return list(db.session.scalars(select(ImportBatch.id).order_by(ImportBatch.id)))


def test_undo_removes_the_contacts_it_created_and_nothing_else(app, client, user):
    add_contact(client, first_name="Kim", last_name="Lee", company="Acme")
    import_bytes(client, fixture_bytes("linkedin_current.csv"))
    with app.app_context():
        [batch_id] = batch_ids()

    response = client.post(f"/import/history/{batch_id}/undo", data=YES, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "Import of Connections.csv undone: 7 contacts removed, 0 restored" in html
    assert "Undone " in html
    with app.app_context():
        assert [row.first_name for row in contact_rows()] == ["Kim"]
        batch = db.session.get(ImportBatch, batch_id)
        assert batch.undone_at is not None
    page = client.get(f"/import/history/{batch_id}").get_data(as_text=True)
    assert "This import was undone on" in page
    assert "Undo import</button>" not in page


def test_undo_reverts_updates_and_removes_its_job_changes(app, client, user):
    add_contact(
        client,
        first_name="Sofia",
        last_name="Marquez",
        linkedin_url="linkedin.com/in/sofia-marquez",
        company="Initech",
        title="Engineer",
    )
    import_bytes(client, linkedin_csv(PRIYA))
    import_bytes(client, fixture_bytes("google_current.csv"))
    import_bytes(client, linkedin_csv(PRIYA_MOVED, OMAR))
    with app.app_context():
        first, google, moved = batch_ids()
        assert count(JobChange) == 2
        sofia = contact_named("Sofia")
        assert (sofia.company_name, sofia.phone, sofia.tag_names) == (
            "Globex Corporation",
            "+1 555-0100",
            ["Alumni"],
        )

    client.post(f"/import/history/{moved}/undo", data=YES)
    client.post(f"/import/history/{google}/undo", data=YES)

    with app.app_context():
        priya = contact_named("Priya")
        assert (priya.company_name, priya.title) == ("Acme", "Engineer")
        assert priya.title_key == " engineer "  # what the Plan page's roles match
        sofia = contact_named("Sofia")
        assert (sofia.company_name, sofia.title) == ("Initech", "Engineer")
        assert (sofia.email, sofia.phone, sofia.notes, sofia.tag_names) == (None, None, None, [])
        assert [row.first_name for row in contact_rows()] == ["Sofia", "Priya"]
        assert count(JobChange) == 0
        assert db.session.scalars(select(ImportUpdate)).all() == []
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "changed jobs" not in dashboard


def test_undo_keeps_what_the_user_changed_after_the_import(app, client, user):
    import_bytes(client, linkedin_csv(PRIYA))
    import_bytes(client, linkedin_csv(PRIYA_MOVED))
    with app.app_context():
        priya = contact_named("Priya")
        priya.title = "Staff Engineer"  # edited by the user after the import
        db.session.commit()
        moved = batch_ids()[-1]

    client.post(f"/import/history/{moved}/undo", data=YES)

    with app.app_context():
        priya = contact_named("Priya")
        # Company and title go back together or not at all: an edited title keeps its company.
        assert (priya.company_name, priya.title) == ("Globex", "Staff Engineer")


def test_undo_asks_first_when_people_it_added_have_outreach_or_notes(app, client, user):
    import_bytes(client, fixture_bytes("linkedin_current_bom_crlf.csv"))
    with app.app_context():
        [batch_id] = batch_ids()
        ana = contact_named("Ana")
        liam = contact_named("Liam")
        ana_id = ana.id
        client.post(
            f"/contacts/{ana.id}/outreach",
            # Sent today: an outreach long past is history and plans nothing.
            data={
                "channel": "email",
                "sent_on": clock.now().date().isoformat(),
                "status": "awaiting",
            },
        )
        db.session.add(Note(user_id=liam.user_id, contact_id=liam.id, body="Coffee in May"))
        db.session.commit()
        assert count(Outreach) == 1 and count(FollowUp) > 0

    response = client.post(f"/import/history/{batch_id}/undo")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Undo the import of Connections.csv?" in html
    assert f'<a href="/contacts/{ana_id}">Ana Souza</a>' in html
    assert "Liam O&#39;Neil" in html
    assert "Zoë" not in html
    assert 'name="confirmed" type="hidden" value="yes"' in html
    with app.app_context():
        assert len(contact_rows()) == 3, "nothing is removed before the user confirms"
        assert db.session.get(ImportBatch, batch_id).undone_at is None

    response = client.post(
        f"/import/history/{batch_id}/undo", data={"confirmed": "yes"}, follow_redirects=True
    )

    assert "3 contacts removed" in response.get_data(as_text=True)
    with app.app_context():
        assert contact_rows() == []
        assert (count(Outreach), count(FollowUp), count(Note)) == (0, 0, 0)


def test_undo_twice_says_it_is_already_done(app, client, user):
    import_bytes(client, fixture_bytes("linkedin_2018.csv"))
    with app.app_context():
        [batch_id] = batch_ids()
    client.post(f"/import/history/{batch_id}/undo", data=YES)
    import_bytes(client, fixture_bytes("linkedin_2018.csv"))

    response = client.post(f"/import/history/{batch_id}/undo", data=YES, follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "This import was already undone on" in html
    with app.app_context():
        assert len(contact_rows()) == 3, "the second import's contacts stay"


def test_undo_needs_a_post_with_a_csrf_token(app_factory, user):
    csrf_app = app_factory(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    login = {"email": "jo@example.com", "password": TEST_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    with csrf_app.app_context():
        batch = ImportBatch(
            user_id=user_id(), filename="a.csv", format="linkedin", format_label="L"
        )
        db.session.add(batch)
        db.session.commit()
        batch_id = batch.id

    assert client.get(f"/import/history/{batch_id}/undo").status_code == 405
    assert client.post(f"/import/history/{batch_id}/undo").status_code == 400
    with csrf_app.app_context():
        assert db.session.get(ImportBatch, batch_id).undone_at is None
    page = client.get(f"/import/history/{batch_id}").get_data(as_text=True)
    response = client.post(
        f"/import/history/{batch_id}/undo",
        data={"csrf_token": csrf_token_from(page), "confirmed": "yes"},
    )
    assert response.status_code == 302
    with csrf_app.app_context():
        assert db.session.get(ImportBatch, batch_id).undone_at is not None


def test_other_users_imports_answer_404(app, client, auth):
    auth.register(email="other@example.com")
    import_bytes(client, fixture_bytes("linkedin_2018.csv"))
    with app.app_context():
        [batch_id] = batch_ids()
    auth.logout()
    auth.register()

    assert client.get(f"/import/history/{batch_id}").status_code == 404
    assert client.post(f"/import/history/{batch_id}/undo").status_code == 404
    assert "linkedin_2018" not in client.get("/import").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).undone_at is None
        assert len(contact_rows("other@example.com")) == 3


def test_other_users_upload_tokens_answer_404(app, client, auth):
    auth.register(email="other@example.com")
    token = token_from(upload(client, fixture_bytes("linkedin_2018.csv")).get_data(as_text=True))
    auth.logout()
    auth.register()

    response = client.post("/import/confirm", data={"token": token, "network": "work"})

    assert response.status_code == 404
    assert "This preview is no longer available" in response.get_data(as_text=True)
    for bad in ("../../secret_key", "", "x" * 32 + "/..", "not a token"):
        assert client.post("/import/confirm", data={"token": bad}).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Contact)).all() == []


def test_a_double_submitted_confirm_imports_once(app, client, user):
    token = token_from(upload(client, fixture_bytes("linkedin_current.csv")).get_data(as_text=True))
    first = confirm(client, token)
    second = confirm(client, token, follow=True)

    assert first.status_code == 302
    assert "This file is already imported" in second.get_data(as_text=True)
    with app.app_context():
        assert len(contact_rows()) == 7
        assert len(batch_ids()) == 1


def test_an_upload_left_for_over_a_day_is_cleaned_up(app, client, user):
    old_token = token_from(
        upload(client, fixture_bytes("linkedin_2018.csv")).get_data(as_text=True)
    )
    with app.app_context():
        db.session.execute(
            update(PendingUpload).values(created_at=clock.now() - timedelta(hours=25))
        )
        db.session.commit()

    upload(client, fixture_bytes("linkedin_current.csv"))

    assert client.post("/import/confirm", data={"token": old_token}).status_code == 404
    with app.app_context():
        # The fresh upload stays; the old one is gone.
        assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 1
        assert db.session.scalar(select(PendingUpload.token)) != old_token


def test_undo_always_asks_and_warns_about_later_updates(app, client, user):
    import_bytes(client, fixture_bytes("linkedin_current.csv"))
    moved = fixture_bytes("linkedin_current.csv").replace(b"Acme, Inc.", b"Initrode")
    import_bytes(client, moved, filename="Connections2.csv")
    with app.app_context():
        first, _second = batch_ids()

    response = client.post(f"/import/history/{first}/undo")

    html = response.get_data(as_text=True)
    assert "Undo the import of Connections.csv?" in html
    assert "This removes the 7 people it added" in html
    assert "updated by a later import" in html
    with app.app_context():
        assert db.session.get(ImportBatch, first).undone_at is None
        assert len(contact_rows()) == 7


def _undo_question(client, batch_id: int) -> str:
    return " ".join(client.post(f"/import/history/{batch_id}/undo").get_data(as_text=True).split())


def test_undo_words_fit_the_counts_never_the_0_people(app, client, user):
    one = linkedin_csv("Ana,Lima,https://www.linkedin.com/in/ana-lima,,Acme,Analyst,01 Jan 2024")
    import_bytes(client, one, filename="one.csv")
    import_bytes(client, one, filename="same-again.csv")  # adds nobody, changes nobody
    with app.app_context():
        assert len(batch_ids()) == 1, "an import that changes nothing leaves no history"
        # Such an entry, left by an earlier version of the app, still reads right.
        first_batch = db.session.get(ImportBatch, batch_ids()[0])
        db.session.add(
            ImportBatch(
                user_id=first_batch.user_id,
                filename="same-again.csv",
                format=first_batch.format,
                format_label=first_batch.format_label,
                network=first_batch.network,
                unchanged_count=1,
                created_at=first_batch.created_at,
            )
        )
        db.session.commit()
    moved = one.replace(b"Acme,Analyst", b"Globex,Lead Analyst")
    import_bytes(client, moved, filename="moved.csv")  # adds nobody, updates Ana
    import_bytes(client, fixture_bytes("linkedin_current.csv"))  # adds 7
    with app.app_context():
        first, same, updated, many = batch_ids()

    page = _undo_question(client, first)
    assert "This removes the person it added." in page
    assert "Undo and remove this person" in page

    page = _undo_question(client, same)
    assert "added nobody and changed nobody" in page and "the 0" not in page
    assert "Undo this import" in page

    page = _undo_question(client, updated)
    assert "This import added nobody." in page
    assert "puts back the earlier details of the contact it updated" in page
    assert "the 0" not in page and "0 people" not in page

    page = _undo_question(client, many)
    assert "This removes the 7 people it added." in page
    assert "Undo and remove them" in page
