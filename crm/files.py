"""Files holding someone's data (the database, backups) are created readable by the owner only."""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600


def owner_only_opener(path: str, flags: int) -> int:
    """An `opener` for open(): the file is (or becomes) -rw------- whatever the umask."""
    fd = os.open(path, flags, OWNER_ONLY)
    os.fchmod(fd, OWNER_ONLY)
    return fd


def create_owner_only(path: Path) -> bool:
    """Create an empty owner-only file; False when it already exists (left as it is).

    SQLite gives a database's -wal and -shm files the database file's permissions, so
    creating the database this way keeps all three private.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return False
    os.close(fd)
    return True
