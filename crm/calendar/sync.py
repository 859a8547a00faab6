"""Sync with phones and computers: where the CardDAV/CalDAV server answers, and an Apple
configuration profile that sets up both accounts in one tap; pure, no Flask."""

from __future__ import annotations

import plistlib
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

# Where the app serves CardDAV and CalDAV, under its public address.
DAV_PATH = "/dav/"
PROFILE_TYPE = "application/x-apple-aspen-config"
PROFILE_NAMES = ("networking-crm.mobileconfig", "networking-crm.mobileconfig")


@dataclass(frozen=True)
class SyncServer:
    """The DAV server's full address and the parts a sync account asks for."""

    url: str
    host: str
    port: int
    ssl: bool
    path: str


def sync_server(base_url: str) -> SyncServer:
    """The DAV server under a base address such as https://crm.example.org."""
    url = base_url.rstrip("/") + DAV_PATH
    parts = urlsplit(url)
    ssl = parts.scheme == "https"
    return SyncServer(
        url=url,
        host=parts.hostname or "",
        port=parts.port or (443 if ssl else 80),
        ssl=ssl,
        path=parts.path,
    )


def apple_profile(server: SyncServer, username: str) -> bytes:
    """A .mobileconfig with a CardDAV and a CalDAV account; the device asks for the password.

    Its identifiers are derived from the server and the user, so downloading it again
    replaces the installed profile instead of adding a second one.
    """
    seed = f"{server.url}#{username}"
    identifier = ".".join([*reversed(server.host.split(".")), "networking-crm", _uuid(seed).hex])
    accounts = [
        _account("carddav", "CardDAV", "Networking CRM contacts", server, username, identifier),
        _account("caldav", "CalDAV", "Networking CRM follow-ups", server, username, identifier),
    ]
    profile = {
        "PayloadContent": accounts,
        "PayloadDisplayName": f"Networking CRM ({server.host})",
        "PayloadDescription": (
            "Your contacts in Contacts, and your follow-ups and interviews in Reminders and"
            " Calendar, kept in sync both ways. Enter a device password when asked."
        ),
        "PayloadIdentifier": identifier,
        "PayloadOrganization": "Networking CRM",
        "PayloadRemovalDisallowed": False,
        "PayloadType": "Configuration",
        "PayloadUUID": str(_uuid(seed)).upper(),
        "PayloadVersion": 1,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=True)


def _account(
    kind: str, prefix: str, description: str, server: SyncServer, username: str, parent: str
) -> dict[str, object]:
    """One account payload: com.apple.carddav.account or com.apple.caldav.account."""
    return {
        f"{prefix}AccountDescription": description,
        f"{prefix}HostName": server.host,
        f"{prefix}Port": server.port,
        f"{prefix}UseSSL": server.ssl,
        f"{prefix}PrincipalURL": server.path,
        f"{prefix}Username": username,
        "PayloadDisplayName": description,
        "PayloadIdentifier": f"{parent}.{kind}",
        "PayloadType": f"com.apple.{kind}.account",
        "PayloadUUID": str(_uuid(f"{server.url}#{username}#{kind}")).upper(),
        "PayloadVersion": 1,
    }


def _uuid(seed: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, seed)
