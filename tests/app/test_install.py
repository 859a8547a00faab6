"""The app installs on a phone's home screen: a manifest with icons, and a share target that
opens the add-contact form filled in from what the LinkedIn app shares."""

from __future__ import annotations

import json
import struct
from urllib.parse import urlencode, urljoin, urlsplit

from tests.app.test_capture import field_values

MANIFEST = "/static/manifest.webmanifest"
ORIGIN = "http://localhost"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def fetch(client, path: str) -> tuple[int, str, bytes]:
    """Status, type and body of a static file (its response closed, as a browser would)."""
    with client.get(path) as response:
        return response.status_code, response.mimetype, response.get_data()


def manifest(client) -> dict:
    status, mimetype, body = fetch(client, MANIFEST)
    assert status == 200
    assert mimetype == "application/manifest+json"
    return json.loads(body)


def path_of(relative: str) -> str:
    """Where a manifest's address leads, resolved as a browser does (against the manifest)."""
    return urlsplit(urljoin(ORIGIN + MANIFEST, relative)).path


def test_every_page_links_the_manifest_and_a_home_screen_icon(client):
    page = client.get("/login").get_data(as_text=True)
    assert f'<link rel="manifest" href="{MANIFEST}">' in page
    assert '<link rel="apple-touch-icon" href="/static/icons/icon-192.png">' in page


def test_the_manifest_names_the_app_and_opens_it_standalone(client):
    app_manifest = manifest(client)
    assert app_manifest["name"] == "Networking CRM"
    assert app_manifest["display"] == "standalone"
    assert path_of(app_manifest["start_url"]) == "/"
    assert path_of(app_manifest["scope"]) == "/"


def test_the_manifests_icons_exist_at_their_sizes(client):
    icons = manifest(client)["icons"]
    assert sorted(icon["sizes"] for icon in icons) == ["192x192", "512x512"]
    for icon in icons:
        status, mimetype, body = fetch(client, path_of(icon["src"]))
        assert status == 200, icon["src"]
        assert mimetype == icon["type"] == "image/png"
        size = int(icon["sizes"].split("x")[0])
        assert png_size(body) == (size, size)


def test_sharing_from_the_linkedin_app_opens_the_filled_in_form(client, user):
    target = manifest(client)["share_target"]
    assert target["method"] == "GET"
    assert path_of(target["action"]) == "/contacts/capture"
    names = target["params"]
    shared = {
        names["title"]: "",
        names["text"]: "Check out Jane Doe's profile on LinkedIn "
        "https://www.linkedin.com/in/janedoe?utm_source=share",
        names["url"]: "",
    }
    page = client.get(path_of(target["action"]) + "?" + urlencode(shared)).get_data(as_text=True)
    values = field_values(page)
    assert (values["first_name"], values["last_name"]) == ("Jane", "Doe")
    assert values["linkedin_url"] == "https://www.linkedin.com/in/janedoe"
