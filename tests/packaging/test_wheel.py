"""The package installs as a real wheel that carries its templates, static files and migrations."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding only the built wheel; dependencies come from the test run's own."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(work.glob("crm-*.whl"))
    target = work / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The locked dependencies, already installed for this run, without their editable `crm`.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "locked_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return target


def test_installed_wheel_migrates_and_serves_pages_from_any_directory(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'crm.sqlite3'}",
        "CRM_SECRET_KEY": "wheel-test",
    }
    env.pop("PYTHONPATH", None)
    # `python -m flask` is the `flask` command; the dependencies' scripts live in the other venv.
    flask = [installed / "bin" / "python", "-m", "flask"]
    where = subprocess.run(
        [installed / "bin" / "python", "-c", "import crm; print(crm.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(installed) in where, "the wheel's copy of crm is the one imported"

    upgrade = subprocess.run(
        [*flask, "--app", "crm", "db", "upgrade"], cwd=elsewhere, env=env, capture_output=True
    )
    assert upgrade.returncode == 0, upgrade.stderr.decode()

    port = _free_port()
    server = subprocess.Popen(
        [*flask, "--app", "crm", "run", "--port", str(port)],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                status, page = _get(f"http://127.0.0.1:{port}/login")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the installed app never answered")
        assert status == 200
        assert "Log in" in page
        css_status, css = _get(f"http://127.0.0.1:{port}/static/css/app.css")
        assert css_status == 200 and css.strip()
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_installed_wheel_carries_the_common_password_list(installed, tmp_path):
    env = {
        **os.environ,
        "CRM_DATABASE_URL": f"sqlite:///{tmp_path / 'crm.sqlite3'}",
        "CRM_SECRET_KEY": "wheel-test",
    }
    env.pop("PYTHONPATH", None)
    flask = [installed / "bin" / "python", "-m", "flask", "--app", "crm"]
    subprocess.run(
        [*flask, "db", "upgrade"], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    refused = subprocess.run(
        [*flask, "create-user", "pat@example.com"],
        input="password1234\n",
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "on a list of common passwords that attackers try first" in refused.stderr
