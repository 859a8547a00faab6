"""Migrations: a fresh database starts at the latest schema; an older one upgrades, rows kept."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from crm.contacts.fulltext import described_by_the_models
from crm.extensions import db
from tests.conftest import PG_URL, make_test_app


@pytest.fixture
def empty_database_url(tmp_path):
    """A database of its own, empty: a file for SQLite, a new database on PostgreSQL."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS crm_migration_test"))
        connection.execute(text("CREATE DATABASE crm_migration_test"))
    yield make_url(PG_URL).set(database="crm_migration_test").render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS crm_migration_test WITH (FORCE)"))
    admin.dispose()


OLD_USER = text(
    'INSERT INTO "user" (id, email, password_hash, time_zone, created_at) '
    "VALUES (1, 'old@example.com', 'x', 'UTC', '2024-01-01 00:00:00+00')"
)


def test_first_start_creates_the_latest_schema(empty_database_url):
    app = make_test_app(empty_database_url, AUTO_MIGRATE=True)  # disposed below
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"user", "company", "contact", "tag", "contact_tag", "alembic_version"} <= tables
        db.engine.dispose()


def test_the_migrations_build_what_the_models_describe(empty_database_url):
    """Every table, column and index the models declare (partial indexes too) is made by
    the migrations, so a server started from them runs the queries the code was tuned for."""
    app = make_test_app(empty_database_url, AUTO_MIGRATE=True)  # disposed below
    with app.app_context():
        with db.engine.connect() as connection:
            # The search index's FTS5 tables and trigram index are the migrations' own.
            context = MigrationContext.configure(
                connection, opts={"include_name": described_by_the_models}
            )
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_upgrade_from_the_first_migration_keeps_rows(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            connection.execute(
                text(
                    "INSERT INTO company (id, user_id, name, name_key, is_target, created_at) "
                    "VALUES (1, 1, 'Acme', 'acme', false, '2024-01-01 00:00:00+00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO contact (id, user_id, uid, first_name, last_name, company_id, "
                    "network, source, created_at, updated_at, notes) VALUES (1, 1, 'c-1', "
                    "'Grace', 'Hopper', 1, 'work', 'manual', '2024-01-01 00:00:00+00', "
                    "'2024-01-01 00:00:00+00', 'kept')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(
                text("SELECT first_name, last_name, notes, company_id FROM contact")
            ).one()
            assert tuple(row) == ("Grace", "Hopper", "kept", 1)
            # The search column is filled for contacts that existed before it.
            assert connection.execute(text("SELECT search_text FROM contact")).scalar() == (
                "grace hopper acme kept"
            )
            assert connection.execute(text("SELECT sort_name FROM contact")).scalar() == (
                "hopper grace"
            )
            # Columns added later got their defaults on the old rows.
            assert connection.execute(text("SELECT cadence FROM contact")).scalar() == "none"
            assert connection.execute(text('SELECT weekly_goal FROM "user"')).scalar() == 5
            assert connection.execute(text('SELECT email FROM "user"')).scalar() == (
                "old@example.com"
            )
        db.engine.dispose()


def test_reply_dates_are_backfilled_from_existing_outreach(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            connection.execute(
                text(
                    "INSERT INTO contact (id, user_id, uid, first_name, last_name, network, "
                    "source, cadence, created_at, updated_at) VALUES (1, 1, 'c-1', 'Ada', "
                    "'Lovelace', 'work', 'manual', 'none', '2024-01-01 00:00:00+00', "
                    "'2024-01-01 00:00:00+00')"
                )
            )
            for sent_on, status, reply_on in [
                ("2024-03-01", "no_response", None),
                ("2024-02-01", "replied", "2024-02-05"),
            ]:
                connection.execute(
                    text(
                        "INSERT INTO outreach (user_id, contact_id, channel, sent_on, status, "
                        "reply_on, created_at) VALUES (1, 1, 'email', :sent, :status, :reply, "
                        "'2024-01-01 00:00:00+00')"
                    ),
                    {"sent": sent_on, "status": status, "reply": reply_on},
                )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(
                text("SELECT first_outreach_on, replied_on FROM contact")
            ).one()
            assert [str(value) for value in row] == ["2024-02-01", "2024-02-05"]
        db.engine.dispose()


def test_users_who_checked_in_get_their_next_check_in_reminder(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            for day in ("2026-10-01", "2026-10-31"):  # the latest, a Saturday, counts
                connection.execute(
                    text(
                        "INSERT INTO rut_check_in (user_id, checked_on, signs, created_at) "
                        "VALUES (1, :day, 'underpaid', '2026-10-01 00:00:00+00')"
                    ),
                    {"day": day},
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT user_id, contact_id, kind, due_on, status, uid FROM follow_up")
            ).all()
        assert len(rows) == 1
        user_id, contact_id, kind, due_on, status, uid = rows[0]
        # Four weeks after Saturday 31 October is a Saturday: the reminder is on the Monday.
        assert (user_id, contact_id, kind, str(due_on), status) == (
            1,
            None,
            "check_in",
            "2026-11-30",
            "open",
        )
        assert uid.startswith("follow-up-") and uid.endswith("@networking-crm")
        db.engine.dispose()


def test_title_keys_are_backfilled_so_target_roles_find_existing_contacts(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0014")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            for id_, title in [(1, "Sr. Product Mgr"), (2, "Ingénieure"), (3, None), (4, "of")]:
                connection.execute(
                    text(
                        "INSERT INTO contact (id, user_id, uid, first_name, last_name, title, "
                        "network, source, cadence, created_at, updated_at) VALUES (:id, 1, "
                        ":uid, 'A', 'B', :title, 'work', 'manual', 'none', "
                        "'2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00')"
                    ),
                    {"id": id_, "uid": f"c-{id_}", "title": title},
                )
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT title_key FROM contact ORDER BY id")).scalars()
            assert list(keys) == [" manager product senior ", " ingenieure ", None, None]
        db.engine.dispose()


def test_company_sort_names_are_backfilled_so_the_list_sorts_them_by_folded_name(
    empty_database_url,
):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0016")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            for id_, name in [(1, "Étoile  Labs"), (2, "zeta corp"), (3, "“Quoted” Co")]:
                connection.execute(
                    text(
                        "INSERT INTO company (id, user_id, name, name_key, is_target, created_at) "
                        "VALUES (:id, 1, :name, :key, false, '2024-01-01 00:00:00+00')"
                    ),
                    {"id": id_, "name": name, "key": name.lower()},
                )
        upgrade()
        with db.engine.connect() as connection:
            names = connection.execute(text("SELECT sort_name FROM company ORDER BY id")).scalars()
            assert list(names) == ["etoile labs", "zeta corp", "quoted” co"]  # leading quote off
        db.engine.dispose()


def test_target_role_title_keys_take_the_contacts_format(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0017")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            connection.execute(
                text(
                    "INSERT INTO target_role (id, user_id, title, title_key, created_at) VALUES "
                    "(1, 1, 'Product Manager', 'manager product', '2024-01-01 00:00:00+00')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT title_key FROM target_role")).scalars()
            assert list(keys) == [" manager product "]
        db.engine.dispose()


def test_search_texts_get_their_tags_in_one_order_whichever_order_they_were_written_in(
    empty_database_url,
):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            connection.execute(
                text(
                    "INSERT INTO company (id, user_id, name, name_key, is_target, created_at, "
                    "sort_name) VALUES (1, 1, 'Acme', 'acme', false, "
                    "'2024-01-01 00:00:00+00', 'acme')"
                )
            )
            for id_, first, company, typed in [
                (1, "Ana", 1, "ana lima acme mentor café data"),
                (2, "Bo", None, "bo lima solo"),
            ]:
                connection.execute(
                    text(
                        "INSERT INTO contact (id, user_id, uid, first_name, last_name, company_id,"
                        " network, source, cadence, created_at, updated_at, search_text) VALUES "
                        "(:id, 1, :uid, :first, 'Lima', :company, 'work', 'manual', 'none', "
                        "'2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00', :typed)"
                    ),
                    {
                        "id": id_,
                        "uid": f"c-{id_}",
                        "first": first,
                        "company": company,
                        "typed": typed,
                    },
                )
            for id_, name in [(1, "Mentor"), (2, "Café"), (3, "data"), (4, "Solo")]:
                connection.execute(
                    text("INSERT INTO tag (id, user_id, name, name_key) VALUES (:id, 1, :n, :k)"),
                    {"id": id_, "n": name, "k": name.casefold()},
                )
            for contact_id, tag_id in [(1, 1), (1, 2), (1, 3), (2, 4)]:
                connection.execute(
                    text("INSERT INTO contact_tag (contact_id, tag_id) VALUES (:c, :t)"),
                    {"c": contact_id, "t": tag_id},
                )
        upgrade()
        with db.engine.connect() as connection:
            texts = connection.execute(text("SELECT search_text FROM contact ORDER BY id"))
            # Tags by their key, as crm.normalize.contact_derived now gives them; one tag: as was.
            assert list(texts.scalars()) == ["ana lima acme cafe data mentor", "bo lima solo"]
        db.engine.dispose()


def test_outreach_takes_its_contacts_company_where_they_were_reached(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="0023")
        with db.engine.begin() as connection:
            connection.execute(OLD_USER)
            connection.execute(
                text(
                    "INSERT INTO company (id, user_id, name, name_key, sort_name, is_target, "
                    "created_at) VALUES (7, 1, 'Globex', 'globex', 'globex', false, "
                    "'2024-01-01 00:00:00+00')"
                )
            )
            for contact_id, company_id in ((1, 7), (2, None)):
                connection.execute(
                    text(
                        "INSERT INTO contact (id, user_id, uid, first_name, last_name, network, "
                        "source, cadence, company_id, created_at, updated_at) VALUES (:id, 1, "
                        ":uid, 'Ada', 'Lovelace', 'work', 'manual', 'none', :company, "
                        "'2024-01-01 00:00:00+00', '2024-01-01 00:00:00+00')"
                    ),
                    {"id": contact_id, "uid": f"c-{contact_id}", "company": company_id},
                )
                connection.execute(
                    text(
                        "INSERT INTO outreach (user_id, contact_id, channel, sent_on, status, "
                        "created_at) VALUES (1, :id, 'email', '2024-03-01', 'awaiting', "
                        "'2024-01-01 00:00:00+00')"
                    ),
                    {"id": contact_id},
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT contact_id, company_id FROM outreach ORDER BY contact_id")
            ).all()
            history = connection.execute(text('SELECT history_days FROM "user"')).scalar()
        assert [tuple(row) for row in rows] == [(1, 7), (2, None)]
        assert history == 30
        db.engine.dispose()
