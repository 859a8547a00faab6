"""Normalisation shared by forms, parsers and exporters; pure, no Flask.

A change to a rule whose values are stored (contact_derived, company_sort_name, name_key,
tag_key) needs a migration that backfills the stored rows (tests/app/test_derived_columns.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypedDict
from urllib.parse import unquote, urlsplit

_LINKEDIN_HOST = re.compile(r"^([a-z0-9-]+\.)*linkedin\.com$")
_SLUG = re.compile(r"^[^/?#\s]{1,200}$")
_NOT_A_PROFILE = "Use a LinkedIn profile address, like linkedin.com/in/jane-doe."


class InvalidLinkedInURL(ValueError):
    """The text is not a linkedin.com/in/ profile address."""


def squash(text: str | None) -> str:
    """Trim and collapse inner whitespace; None becomes ''."""
    return " ".join((text or "").split())


def name_key(text: str | None) -> str:
    """A case- and space-insensitive key for matching names and companies."""
    return squash(text).casefold()


def email_key(text: str | None) -> str:
    """Emails compare case-insensitively."""
    return squash(text).lower()


def normalize_linkedin_url(text: str | None) -> str:
    """Return https://www.linkedin.com/in/<slug>, or raise InvalidLinkedInURL.

    Accepts the forms people paste: no scheme, http, country subdomains,
    mobile links, query strings, trailing slashes and extra path parts.
    """
    raw = squash(text)
    if not raw:
        raise InvalidLinkedInURL("LinkedIn URL is empty.")
    path = _linkedin_path(raw if "://" in raw else "https://" + raw)
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() != "in":
        raise InvalidLinkedInURL(_NOT_A_PROFILE)
    slug = unquote(segments[1]).strip().lower()
    if not _SLUG.match(slug):
        raise InvalidLinkedInURL("That LinkedIn profile address has no valid name part.")
    return f"https://www.linkedin.com/in/{slug}"


def _linkedin_path(url: str) -> str:
    """The path of an http(s) address on linkedin.com, or InvalidLinkedInURL."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError as exc:
        raise InvalidLinkedInURL("That is not a web address.") from exc
    if parts.scheme.lower() not in ("http", "https") or not _LINKEDIN_HOST.match(host):
        raise InvalidLinkedInURL(_NOT_A_PROFILE)
    return parts.path


def linkedin_or_none(text: str | None) -> str | None:
    """Normalise a LinkedIn URL, or None when it is empty or not a profile."""
    try:
        return normalize_linkedin_url(text)
    except InvalidLinkedInURL:
        return None


# The longest tag name (Tag.name in crm/models.py is sized from this).
TAG_LENGTH = 50


def tag_key(name: str) -> str:
    """Tag.name_key: one tag whatever its case ("Fintech" and "fintech")."""
    return name.casefold()


def unique_tags(
    names: Iterable[str],
    clean: Callable[[str], str] = squash,
    length: int | None = TAG_LENGTH,
) -> list[str]:
    """Tags cleaned, cut to fit, blanks dropped and case-insensitive repeats left out, in order."""
    seen: set[str] = set()
    tags: list[str] = []
    for name in names:
        tag = clean(name)[:length]
        if tag and tag_key(tag) not in seen:
            seen.add(tag_key(tag))
            tags.append(tag)
    return tags


def split_tags(text: str | None) -> list[str]:
    """Comma-separated tags, trimmed, de-duplicated case-insensitively, in order."""
    return unique_tags((text or "").split(","))


# Letters with no accent to strip in Unicode, and the apostrophes phones type.
# The combining accents of Latin, Greek and Cyrillic letters (other scripts keep their marks).
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_UNDECOMPOSED = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
    }
)


def fold(text: str | None) -> str:
    """Lower-case without accents, so "garcia" finds "García" and "MÜLLER" finds "Müller"."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return _ACCENTS.sub("", decomposed).casefold()


_fold_cached = lru_cache(maxsize=65_536)(fold)
_NOT_LETTERS = " \t\"'“”‘’«»()[]{}<>.,;:-_!?*#@&/\\"


def search_text(*parts: str | None) -> str:
    """What the contact search looks in: the given fields, folded, one space apart."""
    # Folding is per letter, so folding each part is the same as folding the whole; names,
    # companies and titles repeat across an import, so each part is folded once.
    return " ".join(_fold_cached(part) for part in parts if part)


# The longest sort name (Contact.sort_name in crm/models.py is sized from this): folding can
# lengthen a name ("ß" becomes "ss"), so it is cut here, where it is made, not by the database.
SORT_NAME_LENGTH = 220


def sort_name(last_name: str | None, first_name: str | None) -> str:
    """The list's name order: last then first name, folded, leading quotes and brackets off,
    so "Álvarez" sorts with the A's and "(Rajner) Argus" with the R's, not before them."""
    last = _fold_cached(last_name or "").lstrip(_NOT_LETTERS)
    first = _fold_cached(first_name or "").lstrip(_NOT_LETTERS)
    return f"{last} {first}".strip()[:SORT_NAME_LENGTH]


COMPANY_SORT_LENGTH = 200


def company_sort_name(name: str | None) -> str:
    """The list's company order: the name folded, leading quotes and brackets off, so
    "Étoile Labs" sorts with the E's and "zeta corp" with the Z's (Company.sort_name)."""
    return _fold_cached(squash(name)).lstrip(_NOT_LETTERS)[:COMPANY_SORT_LENGTH]


# --- Title words (the Plan page matches target roles against contacts' titles by these) --

_WORD = re.compile(r"[^\W_]+")
# Words a title adds without changing the role ("Manager of Product", "Head, R&D").
_FILLER = frozenset({"of", "the", "and", "for", "at", "in", "a", "an", "de", "du", "la", "le"})
# The abbreviations people write in titles, read as the word they stand for.
_ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "dir": "director",
    "mktg": "marketing",
    "assoc": "associate",
    "asst": "assistant",
}


def _word_key(word: str) -> str:
    """One word, folded, abbreviation spelled out, a plural s dropped."""
    word = _ABBREVIATIONS.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


@lru_cache(maxsize=16384)
def title_words(text: str | None) -> frozenset[str]:
    """The words of a title that matter, ignoring case, accents, punctuation and order.

    Cached: the Plan page matches every contact's title against each role, and titles
    repeat ("Software Engineer" a thousand times over).
    """
    words = (_word_key(w) for w in _WORD.findall(fold(text)))
    return frozenset(w for w in words if w not in _FILLER)


@lru_cache(maxsize=16384)
def title_key(title: str | None) -> str | None:
    """A title's words (title_words) sorted, one space apart and one space at each end, so
    "Senior Mgr, Product" is " manager product senior ". Contact.title_key keeps it: the
    database finds a role's people with LIKE '% manager %' on a short, indexed column.
    None for a title with no words that matter."""
    words = title_words(title)
    return f" {' '.join(sorted(words))} " if words else None


def key_words(key: str) -> frozenset[str]:
    """The words a title key holds: title_words of the title it was made from."""
    return frozenset(key.split())


class ContactDerived(TypedDict):
    """The contact columns derived from its own fields, which contact_derived computes."""

    search_text: str
    sort_name: str
    title_key: str | None


CONTACT_DERIVED = tuple(ContactDerived.__annotations__)


def contact_derived(
    *,
    first_name: str | None,
    last_name: str | None,
    email: str | None,
    title: str | None,
    company: str | None,
    tags: Iterable[str],
    notes: str | None,
) -> ContactDerived:
    """The values of CONTACT_DERIVED for a contact's fields: the one place that says what
    each is made of (the ORM, imports, undo and restore all fill them from here). The
    search text is the one list of a contact's searchable fields, its tags in one order
    whichever way they were given (the form's, the file's or the database's)."""
    tag_words = " ".join(sorted(tags, key=tag_key))
    return ContactDerived(
        search_text=search_text(first_name, last_name, email, title, company, tag_words, notes),
        sort_name=sort_name(last_name, first_name),
        title_key=title_key(title),
    )
