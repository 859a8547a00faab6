"""Browser fixtures: the app served on a free port, Debian's Chromium, axe-core checks."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import dispose, make_test_app, whole_responses

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".cache" / "screenshots"
PASSWORD = "a long password"
AXE_PATH = Path(os.environ.get("CRM_AXE_PATH", ROOT / ".cache/node_modules/axe-core/axe.min.js"))
CHROMIUM = os.environ.get("CRM_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    """Fail in seconds, not half a minute, when an element never shows."""
    page.set_default_timeout(10_000)


@pytest.fixture(autouse=True)
def _no_csp_violations(page):
    """Anything the Content-Security-Policy blocks (inline script or style) fails the test."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert not blocked, "the page broke its Content-Security-Policy:\n" + "\n".join(blocked)


@pytest.fixture(scope="session")
def live_server(database_url):
    """The app with CSRF on, served from a thread on 127.0.0.1 and a free port."""
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, whole_responses(app), threaded=True)
    # Its public address (CRM_BASE_URL) is known once the port is: full links use it.
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["BASE_URL"]
    server.shutdown()
    thread.join(timeout=5)
    dispose(app)


@pytest.fixture(scope="session")
def base_url(live_server):
    """Our own server, replacing pytest-base-url's fixture (deprecated in pytest 9.2)."""
    return live_server


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE_PATH.exists(), (
        f"axe-core is missing at {AXE_PATH}; scripts/test.sh installs it (npm install axe-core)"
    )
    return AXE_PATH.read_text()


@pytest.fixture
def check_a11y(axe_source):
    """Run axe-core on the page; fail on any serious or critical violation."""

    def check(page) -> None:
        # Evaluated rather than added as a <script>: the page's CSP rightly refuses inline scripts.
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document)")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"accessibility violations on {page.url}:\n" + "\n".join(bad)

    return check


@pytest.fixture
def visit(page, live_server, check_a11y):
    """Go to a path on the live server and check its accessibility."""

    def go(path: str):
        page.goto(live_server + path)
        check_a11y(page)
        return page

    return go


def register(page, live_server, check_a11y, email: str) -> None:
    """Register through the page and land on the dashboard, checking both pages."""
    page.goto(live_server + "/register")
    check_a11y(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    check_a11y(page)
