"""Sync fixtures: the app served on a free port, a user with a device password, real clients."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from crm.account.devices import create_device
from crm.extensions import db
from crm.models import User
from tests.conftest import whole_responses

BIN = Path(sys.executable).parent


@pytest.fixture
def served(app):
    """The test app served from a thread on 127.0.0.1 and a free port."""
    server = make_server("127.0.0.1", 0, whole_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@dataclass(frozen=True)
class Device:
    email: str
    password: str
    user_id: int


def make_device(app, email: str, name: str = "Laptop") -> Device:
    """A device password for the registered user with this email."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        _, secret = create_device(user.id, name)
        db.session.commit()
        return Device(email, secret, user.id)


@pytest.fixture
def device(app, user):
    """jo@example.com's device password, named "Laptop"."""
    return make_device(app, user)


def run(*command: str, stdin: str = "", home: Path | None = None) -> str:
    """Run a client's command line; its output, or a failure showing what it said."""
    env = (
        {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home), "TZ": "UTC"} if home else None
    )
    done = subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout
