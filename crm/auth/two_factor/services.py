"""Two-factor sign-in: enrolling an authenticator app, checking its codes once each, and the
recovery codes. Flushes, never commits.

A code is spent by moving the user's last accepted time step forward in one conditional
UPDATE, and a recovery code by marking it used the same way, so two requests racing with the
same code cannot both win, whichever worker serves them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from sqlalchemy import or_

from crm import clock
from crm.auth.two_factor.models import RecoveryCode, TwoFactor
from crm.extensions import db
from crm.models import User

ISSUER = "Networking CRM"
RECOVERY_CODE_COUNT = 10
# Codes of the step before and after count too: phones' clocks drift and people type slowly.
DRIFT_STEPS = 1
# 16 characters of 31 that cannot be confused (i, l, o, 0, 1 left out): about 79 bits, too
# many to guess from a plain SHA-256, so no slow hash is needed.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_GROUPS = 4
_SEPARATORS = re.compile(r"[\s-]+")


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def enrolment(user: User) -> TwoFactor | None:
    """The user's two-factor row, confirmed or waiting for its first code, or None."""
    return db.session.get(TwoFactor, user.id)


def is_on(user: User) -> bool:
    """Whether logging in as this user asks for a code after the password."""
    row = enrolment(user)
    return row is not None and row.confirmed_at is not None


def start_enrolment(user: User) -> TwoFactor:
    """A fresh secret waiting for its first code (replacing one that never got it)."""
    row = enrolment(user)
    if row is not None and row.confirmed_at is not None:
        return row
    if row is None:
        row = TwoFactor(user_id=user.id)
        db.session.add(row)
    row.secret = pyotp.random_base32()
    row.created_at = clock.now()
    row.last_step = None
    db.session.flush()
    return row


def cancel_enrolment(user: User) -> None:
    """Forget a secret that was never confirmed."""
    db.session.execute(
        db.delete(TwoFactor).where(TwoFactor.user_id == user.id, TwoFactor.confirmed_at.is_(None))
    )


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_code_svg(user: User, secret: str) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here (no outside service)."""
    address = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    code = segno.make(address, error="m")
    return code.svg_inline(scale=4, border=4, dark="#000", light="#fff", omitsize=False)


def _normalized(code: str) -> str:
    return _SEPARATORS.sub("", code or "").lower()


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The newest time step, within the drift allowed, whose code this is."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current + DRIFT_STEPS, current - DRIFT_STEPS - 1, -1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _spend_step(user_id: int, step: int) -> bool:
    """Record the step as used unless it (or a later one) already was: once per code."""
    result = db.session.execute(
        db.update(TwoFactor)
        .where(TwoFactor.user_id == user_id)
        .where(or_(TwoFactor.last_step.is_(None), TwoFactor.last_step < step))
        .values(last_step=step)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def _check_app_code(row: TwoFactor, code: str) -> bool:
    step = _matching_step(row.secret, code, clock.now())
    if step is None or not _spend_step(row.user_id, step):
        return False
    row.last_step = step
    return True


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_normalized(code).encode()).hexdigest()


def _spend_recovery_code(user: User, code: str) -> bool:
    """Mark one unused recovery code of this user as used; False when none matches."""
    result = db.session.execute(
        db.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .where(RecoveryCode.code_hash == _hash_recovery_code(code))
        .where(RecoveryCode.used_at.is_(None))
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) == 1


def check_code(user: User, code: str, *, recovery: bool = True) -> bool:
    """Whether the code (from the app, or a recovery code when allowed) is right and unused;
    a right code is spent, so the same one never works twice."""
    row = enrolment(user)
    typed = _normalized(code)
    if row is None or not typed or len(typed) > 40:
        return False
    if typed.isdigit():
        return len(typed) == 6 and _check_app_code(row, typed)
    return recovery and row.confirmed_at is not None and _spend_recovery_code(user, typed)


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4 * _RECOVERY_GROUPS))
    return "-".join(letters[start : start + 4] for start in range(0, len(letters), 4))


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes, replacing any earlier ones; shown once, kept only hashed."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code)) for code in codes
    )
    db.session.flush()
    return codes


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Turn two-factor on when the first code from the app is right: the new recovery codes,
    or None when the code is wrong (nothing changes)."""
    row = enrolment(user)
    if row is None or row.confirmed_at is not None or not check_code(user, code, recovery=False):
        return None
    row.confirmed_at = clock.now()
    return new_recovery_codes(user)


def turn_off(user: User) -> None:
    """Forget the secret and the recovery codes (the caller checked password and code)."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(db.delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.flush()


def recovery_codes_left(user: User) -> int:
    return int(
        db.session.scalar(
            db.select(db.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class Status:
    """What the Account page's section shows."""

    on: bool
    waiting: bool
    secret: str = ""
    qr_svg: str = ""
    since: datetime | None = None
    codes_left: int = 0


def status(user: User) -> Status:
    """Off, waiting for the first code (with the secret and its QR code), or on."""
    row = enrolment(user)
    if row is None:
        return Status(on=False, waiting=False)
    if row.confirmed_at is None:
        return Status(
            on=False,
            waiting=True,
            secret=grouped_secret(row.secret),
            qr_svg=qr_code_svg(user, row.secret),
        )
    return Status(
        on=True, waiting=False, since=row.confirmed_at, codes_left=recovery_codes_left(user)
    )
