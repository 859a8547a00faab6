"""The rules a new password follows, the same for the web forms and the commands.

Common and breached passwords are checked offline against common_passwords.txt.gz, shipped
in the package (its source and licence: common_passwords.LICENSE.txt). The list keeps only
entries of MIN_LENGTH or more characters, lower-cased, since shorter ones are refused anyway.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200
# Fewer different characters than this ("aaaaaaaaaaaaa", "abababababab") is a pattern, not a secret.
MIN_DIFFERENT = 5
COMMON_LIST = Path(__file__).with_name("common_passwords.txt.gz")

COMMON_MESSAGE = (
    "That password is on a list of common passwords that attackers try first. "
    "Pick another: a few unrelated words make a strong one."
)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, read once per process (about 12,000 entries)."""
    with gzip.open(COMMON_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line.strip())


def password_problem(password: str) -> str | None:
    """Why a new password cannot be used, or None."""
    if len(password) < MIN_LENGTH or len(password) > MAX_LENGTH:
        return f"Use at least {MIN_LENGTH} characters (and at most {MAX_LENGTH})."
    if "\x00" in password:
        return "A password cannot contain a NUL character."
    if len(set(password)) < MIN_DIFFERENT:
        return "That password repeats a few characters over and over. Mix in more."
    if password.lower() in common_passwords():
        return COMMON_MESSAGE
    return None
