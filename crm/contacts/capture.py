"""What the bookmarklet and the phone's share sheet send, read as a person to add; pure, no Flask.

On a LinkedIn profile the page title gives the name, title and company ("(3) Jane Doe - Product
Manager - Acme | LinkedIn"), or the LinkedIn app's share text gives the name ("Check out Jane
Doe's profile on LinkedIn https://..."). Any other page gives the name from the selected text
and leaves the page's address in the notes. Nothing here is saved: it fills in a form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.normalize import linkedin_or_none, squash
from crm.parsers.base import split_full_name

# Longer than any title, address or name a page sends; more is cut, and the person is told.
INPUT_LIMIT = 2000
# A selection longer than this, or with more words, is a passage, not a person's name.
NAME_MAX = 80
NAME_WORDS_MAX = 6
# The LinkedIn app's share text is one sentence; only its start is searched for a name.
SHARE_TEXT_MAX = 300

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# "(3) " or "(99+) ": unread notifications LinkedIn puts before its page titles.
_NOTIFICATIONS = re.compile(r"^\(\d+\+?\)\s*")
# The separators LinkedIn puts between name, title and company, in every language it speaks.
_SEPARATOR = re.compile(r"\s+[-–—|·•‧]\s+|\s*｜\s*")
_SITE_NAMES = frozenset({"linkedin", "領英", "领英"})
# "Product Manager at Acme": a headline that says both the role and the employer.
_AT = re.compile(r"\s+(?:at|@|bei|chez|presso)\s+", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|(?<![\w.])(?:[\w-]+\.)*linkedin\.com/)[^\s<>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# The LinkedIn app's share text, in the languages it is most used in.
_SHARE_NAME = (
    re.compile(r"(?:check out|view|see)\s+(?P<name>.+?)['’]s?\s+profile", re.IGNORECASE),
    re.compile(
        r"\b(?:profile|profil|profiel|perfil|profilo)\s+(?:of|von|de|van|di|do|da|del)\s+"
        r"(?P<name>.+?)\s+(?:on|auf|sur|en|op|su|no|na)\s+LinkedIn",
        re.IGNORECASE,
    ),
)
# Pronouns people add after their name: "Jane Doe (she/her)".
_PRONOUNS = re.compile(r"\s*\([^()]*/[^()]*\)$")
_EDGE_PUNCTUATION = " \t\"'“”‘’«»,;:.!?*-–—|·•"


@dataclass(frozen=True)
class SentPage:
    """What arrived: the page's title and address, the selected text, a share's text."""

    title: str = ""
    url: str = ""
    selection: str = ""
    text: str = ""


@dataclass(frozen=True)
class ProfileTitle:
    """The parts of a LinkedIn profile's page title."""

    name: str = ""
    title: str = ""
    company: str = ""


@dataclass(frozen=True)
class CapturedPerson:
    """The add-contact form's values read from a page; `cut` when something sent was too long."""

    first_name: str = ""
    last_name: str = ""
    title: str = ""
    company: str = ""
    email: str = ""
    linkedin_url: str = ""
    notes: str = ""
    cut: bool = False

    @property
    def from_linkedin(self) -> bool:
        """Read from a LinkedIn profile (rather than any other page)."""
        return bool(self.linkedin_url)


def read_sent_page(sent: SentPage) -> CapturedPerson:
    """The person a page or a share names: from a LinkedIn profile, or from any page."""
    page, cut = _within_limit(sent)
    profile = _profile_url(page)
    email = _first_email(page.selection, page.text)
    person = _from_profile(page, profile) if profile else _from_page(page)
    first, last = split_name(person.name)
    return CapturedPerson(
        first_name=first,
        last_name=last,
        title=person.title,
        company=person.company,
        email=email,
        linkedin_url=profile or "",
        notes=person.notes,
        cut=cut,
    )


def parse_profile_title(title: str) -> ProfileTitle:
    """Name, title and company from "(3) Jane Doe - Product Manager - Acme | LinkedIn".

    LinkedIn writes "Name - Title - Company" or "Name - Company" before "| LinkedIn", with
    the separators of the reader's language; a headline "Title at Company" is split too.
    """
    parts = _title_parts(title)
    if not parts:
        return ProfileTitle()
    name, rest = parts[0], parts[1:]
    if len(rest) >= 2:
        return ProfileTitle(name, " - ".join(rest[:-1]), rest[-1])
    if rest and (at := _AT.search(rest[0])):
        return ProfileTitle(name, rest[0][: at.start()], rest[0][at.end() :])
    return ProfileTitle(name, company=rest[0] if rest else "")


def _title_parts(title: str) -> list[str]:
    """A page title's parts between separators, without notifications or the site's name."""
    text = _NOTIFICATIONS.sub("", _clean(title))
    parts = [part.strip(_EDGE_PUNCTUATION) for part in _SEPARATOR.split(text)]
    parts = [part for part in parts if part]
    if parts and parts[-1].casefold() in _SITE_NAMES:
        parts.pop()
    return parts


def name_from_share_text(text: str) -> str:
    """The name in the LinkedIn app's "Check out Jane Doe's profile on LinkedIn ...", or ''."""
    cleaned = _clean(_URL.sub(" ", text))[:SHARE_TEXT_MAX]
    for pattern in _SHARE_NAME:
        found = pattern.search(cleaned)
        if found:
            return found.group("name").strip(_EDGE_PUNCTUATION)
    return ""


def split_name(name: str) -> tuple[str, str]:
    """First and last name; "Jane Doe, MBA" keeps its letters with the last name."""
    name = _PRONOUNS.sub("", squash(name))
    base, comma, letters = name.partition(",")
    first, last = split_full_name(base)
    if comma and squash(letters):
        last = f"{last}, {squash(letters)}" if last else squash(letters)
    return first, last


@dataclass(frozen=True)
class _Reading:
    """What one kind of page gives, before the name is split."""

    name: str = ""
    title: str = ""
    company: str = ""
    notes: str = ""


def _within_limit(sent: SentPage) -> tuple[SentPage, bool]:
    """Each value cut to INPUT_LIMIT, and whether any was longer."""
    values = (sent.title, sent.url, sent.selection, sent.text)
    cut = any(len(value) > INPUT_LIMIT for value in values)
    title, url, selection, text = (value[:INPUT_LIMIT] for value in values)
    return SentPage(title, url, selection, text), cut


def _clean(text: str) -> str:
    """One line without the invisible direction marks some titles carry."""
    return squash(_INVISIBLE.sub("", text))


def _profile_url(page: SentPage) -> str | None:
    """The normalised LinkedIn profile the page is, or the share text points at."""
    candidates = [page.url, *_URL.findall(page.text), *_URL.findall(page.title)]
    for candidate in candidates:
        profile = linkedin_or_none(candidate)
        if profile:
            return profile
    return None


def _first_email(*texts: str) -> str:
    for text in texts:
        found = _EMAIL.search(text)
        if found:
            return found.group(0).lower()
    return ""


def _from_profile(page: SentPage, profile: str) -> _Reading:
    """A LinkedIn profile: the share text's name, else the title's, else the selection."""
    shared = name_from_share_text(page.text) or name_from_share_text(page.title)
    heading = ProfileTitle() if shared else parse_profile_title(page.title)
    name = shared or heading.name or _name_in(page.selection)
    return _Reading(name=name, title=heading.title, company=heading.company)


def _from_page(page: SentPage) -> _Reading:
    """Any other page: the name from the selected (or shared) text, the address in the notes."""
    url = page.url.strip() or next(iter(_URL.findall(page.text)), "")
    chosen = page.selection.strip() or _URL.sub(" ", page.text).strip()
    name = _name_in(chosen)
    found_on = _found_on(_clean(page.title), url)
    passage = "" if name else chosen
    return _Reading(name=name, notes="\n\n".join(part for part in (found_on, passage) if part))


def _name_in(text: str) -> str:
    """The first line of a selection when it reads like a name (short, a few words), or ''."""
    without_email = _EMAIL.sub(" ", _INVISIBLE.sub("", text))
    line = next((squash(line) for line in without_email.splitlines() if line.strip()), "")
    name = line.strip(_EDGE_PUNCTUATION + "<>")
    if not name or len(name) > NAME_MAX or len(name.split()) > NAME_WORDS_MAX:
        return ""
    return "" if _URL.search(name) else name


def _found_on(title: str, url: str) -> str:
    """Where the person was found, for the notes."""
    if title and url:
        return f"Found on “{title}”: {url}"
    return f"Found on {title or url}" if title or url else ""
