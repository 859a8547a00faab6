"""The network's stamp: a value that changes whenever an introduction does (crm.network.stamp)."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from crm.extensions import Model


class NetworkStamp(Model):
    """A random value per user, drawn again by database triggers whenever one of the user's
    introductions is added, moved or removed; never written by the app itself."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    stamp: Mapped[int] = mapped_column(BigInteger)
