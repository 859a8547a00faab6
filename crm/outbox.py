"""Mail sent after the response: a request queues it and a thread of the process sends it.

So a page answers in the same time whether or not it sent a message (resets and registering
must not tell which addresses have accounts). The thread starts with the first message in
each process (a forked server worker starts its own); a message still queued when the
process stops is lost, as a failed send would be, and a failure is logged, never shown.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crm.mail import MailError, send_mail


@dataclass(frozen=True)
class Letter:
    config: Mapping[str, Any]
    to: str
    subject: str
    text: str
    logger: logging.Logger


_letters: queue.Queue[Letter] = queue.Queue()
_started_in: int | None = None
_start_lock = threading.Lock()


def _deliver() -> None:
    while True:
        letter = _letters.get()
        try:
            send_mail(letter.config, letter.to, letter.subject, letter.text)
        except MailError as error:
            letter.logger.error("Could not send %r to %s: %s", letter.subject, letter.to, error)
        except Exception:  # the thread must live on to send the next one
            letter.logger.exception("Could not send %r to %s", letter.subject, letter.to)
        finally:
            _letters.task_done()


def _ensure_sender() -> None:
    """Start this process's sending thread, once (again in a forked child)."""
    global _letters, _started_in
    with _start_lock:
        if _started_in == os.getpid():
            return
        if _started_in is not None:
            _letters = queue.Queue()  # the parent's queue and thread did not survive the fork
        _started_in = os.getpid()
        threading.Thread(target=_deliver, name="crm-outbox", daemon=True).start()


def send_later(
    config: Mapping[str, Any], to: str, subject: str, text: str, logger: logging.Logger
) -> None:
    """Queue one plain-text message; it goes out through crm.mail once the page is answered."""
    _ensure_sender()
    _letters.put(Letter(dict(config), to, subject, text, logger))


def wait_until_sent() -> None:
    """Block until every queued message was sent or failed (for commands and tests)."""
    if _started_in == os.getpid():
        _letters.join()
