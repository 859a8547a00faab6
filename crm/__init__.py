"""A self-hosted networking CRM for informational interviews."""

from __future__ import annotations

import gc
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from werkzeug.exceptions import HTTPException, SecurityError

from crm import enums
from crm.auth.csrf_rotation import init_csrf_rotation
from crm.deployment import deployment_config, init_deployment
from crm.extensions import csrf, db, login_manager, migrate
from crm.formatting import day_label, web_address
from crm.transactions import end_reads_with_commit
from crm.urls import query_url, return_fields, row_url

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A tree a wheel carries inside the package, or the one beside it in a source checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES_DIR = _bundled("templates")
MIGRATIONS_DIR = _bundled("migrations")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages and commands."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES_DIR))
    app.jinja_env.add_extension("jinja2.ext.do")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _configure(app, test_config)
    init_deployment(app)
    db.init_app(app)
    end_reads_with_commit(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    login_manager.init_app(app)
    init_csrf_rotation(app)
    _tune_sqlite(app)

    _register_blueprints(app)
    from crm.cli import register_commands

    register_commands(app)
    _add_template_helpers(app)
    _register_error_pages(app)

    if app.config["AUTO_MIGRATE"]:
        from crm.schema import ensure_latest_schema

        with app.app_context():
            ensure_latest_schema()
    if not app.testing:
        # A server keeps what it built at start (modules, models, routes) for its whole life.
        # Frozen, it is left out of the garbage collector's scans: a full collection in a
        # warmed worker took 40-100 ms (155,000 objects) and a few ms after the freeze.
        gc.freeze()
    return app


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Settings from the environment (README's variables), then instance/config.py or the
    test's, and a secret key kept in the instance folder when none is given."""
    upload_mb = int(os.environ.get("CRM_IMPORT_MAX_MB", "10"))
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get("CRM_DATABASE_URL")
        or f"sqlite:///{Path(app.instance_path) / 'crm.sqlite3'}",
        REGISTRATION=os.environ.get("CRM_REGISTRATION", "open").strip().lower(),
        IMPORT_MAX_BYTES=upload_mb * 1024 * 1024,
        # Uploads waiting between preview and confirm, per user (crm.imports.pending).
        IMPORT_PENDING_QUOTA_BYTES=int(os.environ.get("CRM_IMPORT_PENDING_MB", "50")) * 2**20,
        # Leave room for the form fields around the file so the import view can say "too big".
        MAX_CONTENT_LENGTH=upload_mb * 1024 * 1024 + 256 * 1024,
        AUTO_MIGRATE=os.environ.get("CRM_AUTO_MIGRATE", "1") != "0",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        CONTACTS_PER_PAGE=50,
        # Remember-me lasts as long as an unused login session (crm/auth/sessions.py).
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        **deployment_config(),
        # Outgoing mail (crm/mail.py): unset means the app sends none.
        SMTP_URL=os.environ.get("CRM_SMTP_URL", "").strip(),
        MAIL_FROM=os.environ.get("CRM_MAIL_FROM", "").strip(),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("CRM_SECRET_KEY") or _instance_secret(app)


def _add_template_helpers(app: Flask) -> None:
    """The filters and functions every template may use."""
    app.jinja_env.filters["day"] = day_label
    app.jinja_env.filters["web_address"] = web_address
    app.jinja_env.globals["row_url"] = row_url
    app.jinja_env.globals["query_url"] = query_url
    app.jinja_env.globals["return_fields"] = return_fields
    # Templates compare stored words with the members, e.g. enums.OutreachStatus.AWAITING.
    app.jinja_env.globals["enums"] = enums


def _register_blueprints(app: Flask) -> None:
    """Attach every feature's pages (after init_deployment bounded the <int:...> converter)."""
    from crm import models  # noqa: F401  (registers the tables)
    from crm.account.views import bp as account_bp
    from crm.auth import models as auth_models  # noqa: F401
    from crm.auth.two_factor import models as two_factor_models  # noqa: F401
    from crm.auth.two_factor.views import bp as two_factor_bp
    from crm.auth.views import bp as auth_bp
    from crm.backup.views import bp as backup_bp
    from crm.calendar.views import bp as calendar_bp
    from crm.contacts.views import bp as contacts_bp
    from crm.followups.views import bp as followups_bp
    from crm.imports.views import bp as imports_bp
    from crm.interviews.views import bp as interviews_bp
    from crm.main.views import bp as main_bp
    from crm.messages import bp as messages_bp
    from crm.outreach.views import bp as outreach_bp
    from crm.plan.views import bp as plan_bp
    from crm.reminders.views import bp as reminders_bp
    from crm.settings.views import bp as settings_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(plan_bp)
    app.register_blueprint(contacts_bp)
    app.register_blueprint(followups_bp)
    app.register_blueprint(outreach_bp)
    app.register_blueprint(interviews_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(messages_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(backup_bp)
    app.register_blueprint(reminders_bp)


def _instance_secret(app: Flask) -> str:
    """Read the secret key from instance/, creating it owner-only on first start."""
    path = Path(app.instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_hex(32)
        handle.write(key)
    return key


def _register_error_pages(app: Flask) -> None:
    """Plain-language pages for the errors a user can meet."""

    @app.errorhandler(400)
    def bad_request(error: HTTPException) -> ResponseReturnValue:
        message = error.description
        if not isinstance(message, str) or message.startswith("The browser (or proxy)"):
            message = "That request did not make sense to us. Go back and try again."
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> ResponseReturnValue:
        # No page template: links cannot be built for a host this server does not serve.
        message = "This server answers only at its own address (CRM_BASE_URL).\n"
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(404)
    def not_found(error: Exception) -> ResponseReturnValue:
        return render_template("error.html", code=404, message="We could not find that page."), 404

    @app.errorhandler(405)
    def wrong_method(error: Exception) -> ResponseReturnValue:
        message = "That address only takes a form. Go back and use the buttons on the page."
        return render_template("error.html", code=405, message=message), 405

    @app.errorhandler(413)
    def too_large(error: Exception) -> ResponseReturnValue:
        limit = app.config["IMPORT_MAX_BYTES"] // (1024 * 1024)
        message = f"That file is too large. The limit is {limit} MB."
        return render_template("error.html", code=413, message=message), 413

    @app.errorhandler(CSRFError)
    def csrf_failed(error: Exception) -> ResponseReturnValue:
        message = "This form expired or came from another site. Reload the page and try again."
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(500)
    def server_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        message = "Something went wrong on our side. Nothing was saved; please try again."
        return render_template("error.html", code=500, message=message), 500


def _tune_sqlite(app: Flask) -> None:
    """Each new SQLite connection: foreign keys on; for a file, WAL and a busy timeout."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        event.listen(db.engine, "connect", _sqlite_foreign_keys)
        if db.engine.url.database not in (None, "", ":memory:"):
            event.listen(db.engine, "connect", _sqlite_wal)
            event.listen(db.engine, "connect", _sqlite_note_schema)
            event.listen(db.engine, "checkout", _sqlite_same_schema)


def _sqlite_foreign_keys(dbapi_connection: Any, connection_record: object) -> None:
    """SQLite ignores foreign keys (and ON DELETE) unless each connection asks for them."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# How long a SQLite writer waits for another one to finish before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_wal(dbapi_connection: Any, connection_record: object) -> None:
    """Readers never wait for a writer (WAL), and writers queue instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Safe with WAL (a power cut may lose the last commits, never corrupt the file).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _schema_version(dbapi_connection: Any) -> int:
    return int(dbapi_connection.execute("PRAGMA schema_version").fetchone()[0])


def _sqlite_note_schema(dbapi_connection: Any, connection_record: Any) -> None:
    connection_record.info["schema_version"] = _schema_version(dbapi_connection)


def _sqlite_same_schema(dbapi_connection: Any, connection_record: Any, proxy: object) -> None:
    """A pooled connection whose schema changed since it opened is opened afresh.

    SQLite reads the planner's statistics once, when a connection opens, and reloading
    them takes a write lock. crm.schema.refresh_statistics changes the schema as it
    writes new ones, so every connection, in every process, picks them up on its next
    checkout (a PRAGMA, about 6 us; the pool retries with a new connection).
    """
    if _schema_version(dbapi_connection) != connection_record.info.get("schema_version"):
        raise DisconnectionError("The schema changed: reopening for its new statistics.")
