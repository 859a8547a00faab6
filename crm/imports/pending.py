"""Uploaded files waiting between the preview and the confirm, kept on disk, never in the database.

Each upload lives at <root>/<user id>/<token>, owner-only, with its file name beside it in
<token>.name. The confirm claims the file by renaming it (atomic, so a double submit imports
once), and leaves <token>.done holding the import's id. Anything older than a day is removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_CLAIMED = ".claimed"
_DONE = ".done"
_NAME = ".name"


def is_token(text: str | None) -> bool:
    """Whether the text has the shape of a token we hand out (never a path)."""
    return bool(text and _TOKEN.fullmatch(text))


@dataclass(frozen=True)
class PendingUpload:
    token: str
    data: bytes
    filename: str


class PendingUploads:
    """One user's uploads waiting for their confirm."""

    def __init__(self, root: Path, user_id: int) -> None:
        self.root = root
        self.folder = root / str(int(user_id))

    def _path(self, token: str, suffix: str = "") -> Path:
        if not is_token(token):
            raise ValueError("not an upload token")
        return self.folder / f"{token}{suffix}"

    def save(self, data: bytes, filename: str) -> str:
        """Keep the bytes for the confirm; return the token that names them."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for folder in (self.root, self.folder):
            os.chmod(folder, 0o700)
        token = secrets.token_urlsafe(24)
        _write_private(self._path(token, _NAME), filename.encode("utf-8"))
        _write_private(self._path(token), data)
        return token

    def read(self, token: str) -> PendingUpload | None:
        """The upload with this token, or None when it is gone (or was never this user's)."""
        return self._read(token, self._path(token))

    def _read(self, token: str, path: Path) -> PendingUpload | None:
        try:
            data = path.read_bytes()
            filename = self._path(token, _NAME).read_text("utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        return PendingUpload(token, data, filename)

    def claim(self, token: str) -> PendingUpload | None:
        """Take the upload for importing; None when it is gone or another request took it."""
        try:
            os.rename(self._path(token), self._path(token, _CLAIMED))
        except FileNotFoundError:
            return None
        upload = self._read(token, self._path(token, _CLAIMED))
        if upload is None:
            self.release(token)
        return upload

    def release(self, token: str) -> None:
        """Give a claimed upload back, after an import that failed and wrote nothing."""
        with contextlib.suppress(FileNotFoundError):
            os.rename(self._path(token, _CLAIMED), self._path(token))

    def finish(self, token: str, batch_id: int | None) -> None:
        """Forget the upload's bytes and remember which import it became."""
        _write_private(self._path(token, _DONE), str(batch_id or "").encode())
        for suffix in (_CLAIMED, _NAME):
            self._path(token, suffix).unlink(missing_ok=True)

    def is_being_imported(self, token: str) -> bool:
        return self._path(token, _CLAIMED).exists()

    def finished_batch(self, token: str) -> int | None:
        """The import this upload became, 0 when it imported nobody, None when not done."""
        try:
            text = self._path(token, _DONE).read_text()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() else 0

    def discard(self, token: str) -> None:
        """Remove an upload the user chose not to import."""
        for suffix in ("", _NAME):
            self._path(token, suffix).unlink(missing_ok=True)


def remove_stale(root: Path, now: float | None = None) -> int:
    """Delete every user's uploads and markers older than a day; return how many files went."""
    limit = (now if now is not None else time.time()) - MAX_AGE_SECONDS
    removed = 0
    try:
        folders = list(root.iterdir())
    except FileNotFoundError:
        return 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
