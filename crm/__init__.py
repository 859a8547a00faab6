"""A self-hosted networking CRM for informational interviews."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, render_template
from flask.cli import load_dotenv
from flask.helpers import get_load_dotenv
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from crm import enums, sqlite, submissions
from crm.auth.csrf_rotation import init_csrf_rotation
from crm.dav import mount_dav
from crm.deployment import deployment_config, init_deployment
from crm.extensions import csrf, db, login_manager, migrate
from crm.formatting import day_label, web_address
from crm.transactions import end_reads_with_commit
from crm.urls import query_url, return_fields, row_url
from crm.words import noun_for, plural

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A tree a wheel carries inside the package, or the one beside it in a source checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES_DIR = _bundled("templates")
MIGRATIONS_DIR = _bundled("migrations")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages and commands."""
    if test_config is None and get_load_dotenv():
        # The same .env `flask` commands read, so gunicorn and cron share one set of settings.
        load_dotenv()
    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES_DIR))
    app.jinja_env.add_extension("jinja2.ext.do")
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)

    _configure(app, test_config)
    # Before init_deployment, so its proxy handling reaches sync requests too.
    mount_dav(app)
    init_deployment(app)
    db.init_app(app)
    end_reads_with_commit(app)
    submissions.install(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    login_manager.init_app(app)
    init_csrf_rotation(app)
    sqlite.tune(app)

    _register_blueprints(app)
    from crm.cli import register_commands

    register_commands(app)
    _add_template_helpers(app)
    _register_error_pages(app)

    if app.config["AUTO_MIGRATE"]:
        from crm.schema import ensure_latest_schema

        with app.app_context():
            ensure_latest_schema()
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
        SMTP_PLAIN=os.environ.get("CRM_SMTP_PLAIN", "0").strip().lower() in ("1", "true", "yes"),
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
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.filters["noun_for"] = noun_for
    app.jinja_env.globals["row_url"] = row_url
    app.jinja_env.globals["query_url"] = query_url
    app.jinja_env.globals["return_fields"] = return_fields
    # Templates compare stored words with the members, e.g. enums.OutreachStatus.AWAITING.
    app.jinja_env.globals["enums"] = enums


def _register_blueprints(app: Flask) -> None:
    """Attach every feature's pages (after init_deployment bounded the <int:...> converter)."""
    from crm import models  # noqa: F401  (registers the tables)
    from crm.account import models as account_models  # noqa: F401
    from crm.account.views import bp as account_bp
    from crm.auth import models as auth_models  # noqa: F401
    from crm.auth.two_factor import models as two_factor_models  # noqa: F401
    from crm.auth.two_factor.views import bp as two_factor_bp
    from crm.auth.views import bp as auth_bp
    from crm.backup import models as backup_models  # noqa: F401
    from crm.backup.views import bp as backup_bp
    from crm.calendar.views import bp as calendar_bp
    from crm.contacts import archive_views  # noqa: F401  (the Archived list, on contacts_bp)
    from crm.contacts import bp as contacts_bp
    from crm.contacts import views as contact_views  # noqa: F401  (adds its routes to contacts_bp)
    from crm.dav import models as dav_models  # noqa: F401
    from crm.followups import bp as followups_bp
    from crm.followups import views as followup_views  # noqa: F401
    from crm.imports.views import bp as imports_bp
    from crm.interviews.views import bp as interviews_bp
    from crm.messages.views import bp as messages_bp
    from crm.network import models as network_models  # noqa: F401
    from crm.network.views import bp as network_bp
    from crm.outreach import bp as outreach_bp
    from crm.outreach import views as outreach_views  # noqa: F401
    from crm.pages import contact_outreach, followups, suggestions  # noqa: F401  (routes on the features' blueprints)
    from crm.pages.dashboard import bp as main_bp
    from crm.plan.views import bp as plan_bp
    from crm.referrals import bp as referrals_bp
    from crm.referrals import models as referral_models  # noqa: F401
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
    app.register_blueprint(network_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(backup_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(referrals_bp)


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
