"""The create-user command."""

from sqlalchemy import select
from werkzeug.security import check_password_hash

from crm.extensions import db
from crm.models import User


def test_create_user_reads_password_from_a_pipe(runner, app, client, auth):
    result = runner.invoke(
        args=["create-user", "Pat@Example.com"], input="a long password\na long password\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created pat@example.com" in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert check_password_hash(user.password_hash, "a long password")
    assert auth.login(email="pat@example.com", password="a long password").status_code == 302


def test_create_user_refuses_mismatch_short_password_and_duplicates(runner, app):
    result = runner.invoke(args=["create-user", "a@example.com"], input="password1\npassword2\n")
    assert result.exit_code == 1 and "differ" in result.output
    result = runner.invoke(args=["create-user", "a@example.com"], input="short\n")
    assert result.exit_code == 1 and "at least 12" in result.output
    result = runner.invoke(args=["create-user", "not-an-email"], input="a fine long password\n")
    assert result.exit_code == 1 and "not an email" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None
    assert (
        runner.invoke(
            args=["create-user", "a@example.com"], input="a fine long password\n"
        ).exit_code
        == 0
    )
    result = runner.invoke(args=["create-user", "A@example.com"], input="a fine long password\n")
    assert result.exit_code == 1 and "already exists" in result.output
