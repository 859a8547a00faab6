"""Which target role a title names: every word of the role in the title, any case, accent or
order ("Product Manager" in "Senior Manager, Product"). Pure: no database."""

from __future__ import annotations

from collections.abc import Sequence

from crm.normalize import title_words
from crm.plan.models import TargetRole


def title_matches(role: str | None, title: str | None) -> bool:
    """Whether a contact's title names the role: every word of the role is in the title,
    so "Product Manager" matches "Senior Manager, Product" and "product-manager"."""
    return names_role(role, title_words(title))


def names_role(role: str | None, words: frozenset[str]) -> bool:
    """Whether a title of these words (title_words, or the words of a stored title key)
    names the role."""
    wanted = title_words(role)
    return bool(wanted) and wanted <= words


def role_for_title(roles: Sequence[TargetRole], title: str | None) -> str:
    """The role a message to someone with this title is about: the target role their title
    names, else the first target role; blank while there is none."""
    for role in roles:
        if title_matches(role.title, title):
            return role.title
    return roles[0].title if roles else ""
