"""The tally table: one count per user, kind and key (a network, a title key, a day)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.extensions import Model


class Tally(Model):
    """How many rows of one kind a user has under one key; kept by database triggers
    (crm.tallies.counters), never written by the app itself."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    # A network, a title key, an ISO day ("2026-12-07"), or "" for a plain total.
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
