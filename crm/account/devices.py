"""Device passwords: created with a name and shown once, checked by sync clients, revoked.

Sync clients (CardDAV, CalDAV) send the account email and a device password over HTTP Basic,
never the account password, so a lost phone is one revocation and sync outlives a password
change. Wrong ones are counted and throttled like logins (crm.auth.throttle); right ones are
not counted, so a right password is never slowed by its own earlier requests.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from crm import clock
from crm.account.models import DevicePassword
from crm.auth.services import find_user
from crm.auth.throttle import claim_attempt, minutes_to_wait
from crm.enums import AttemptKind
from crm.extensions import db
from crm.models import User, column_length

NAME_LENGTH = column_length(DevicePassword.name)
# Last-used times are written at most this often, so a busy sync client does not write on
# every request.
LAST_USED_STEP = timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> str:
    """Four groups of six letters and digits: long enough to be unguessable, easy to copy."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    letters = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(letters[start : start + 6] for start in range(0, 24, 6))


def user_devices(user_id: int) -> list[DevicePassword]:
    """The user's device passwords, newest first."""
    return list(
        db.session.scalars(
            select(DevicePassword)
            .where(DevicePassword.user_id == user_id)
            .order_by(DevicePassword.created_at.desc(), DevicePassword.id.desc())
        )
    )


def create_device(user_id: int, name: str) -> tuple[DevicePassword, str]:
    """A new device password: the row and its secret (shown once, never stored)."""
    secret = _new_secret()
    device = DevicePassword(
        user_id=user_id, name=name.strip()[:NAME_LENGTH], secret_hash=_hash(secret)
    )
    db.session.add(device)
    db.session.flush()
    return device, secret


def revoke_device(device: DevicePassword) -> None:
    """The device's password stops working at once (its next request answers 401)."""
    db.session.delete(device)
    db.session.flush()


def device_for(user: User, secret: str) -> DevicePassword | None:
    """The user's device whose password this is, or None."""
    device = db.session.scalar(
        select(DevicePassword).where(
            DevicePassword.user_id == user.id, DevicePassword.secret_hash == _hash(secret)
        )
    )
    if device is None or not hmac.compare_digest(device.secret_hash, _hash(secret)):
        return None
    return device


@dataclass(frozen=True)
class DeviceLogin:
    """Who a sync request is from: the account and the device it named."""

    user_id: int
    email: str
    device_id: int
    device_name: str


def sync_login(email: str, secret: str, address: str) -> DeviceLogin | None:
    """Check an email and device password from a sync client; None when wrong or while a
    wait holds. A wrong one is counted like a failed login (its own short transaction); a
    right one writes nothing but, every few minutes, the device's last-used time, since sync
    clients send one on every request."""
    if minutes_to_wait(AttemptKind.DEVICE, email, address):
        return None
    user = find_user(email)
    device = device_for(user, secret) if user is not None else None
    if user is None or device is None:
        claim_attempt(AttemptKind.DEVICE, email, address)
        return None
    now = clock.now()
    if device.last_used_at is None or now - device.last_used_at >= LAST_USED_STEP:
        device.last_used_at = now
        db.session.commit()
    return DeviceLogin(user.id, user.email, device.id, device.name)
