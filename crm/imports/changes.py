"""What an import would do: every person in the file matched and compared, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from crm.imports.matching import Change, ContactRow, Entry, ExistingContacts, FileIndex, fit, merge
from crm.models import ImportBatch
from crm.normalize import name_key
from crm.parsers import ImportedPerson, ParseResult, SkippedRow

Progress = Callable[[int], None]
PROGRESS_STEP = 1_000

# Fields an import fills only while they are empty: what the user typed always stays.
FILLED_WHEN_EMPTY = ("first_name", "last_name", "email", "phone", "linkedin_url", "notes")


def same_person_reason(line: int) -> str:
    """Why a row is skipped when an earlier row (or the same contact) already holds the person."""
    return f"the same person as on line {line}"


@dataclass(frozen=True)
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def people(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportPlan:
    """What an import would do, worked out without writing anything."""

    format: str
    format_label: str
    encoding: str
    new: list[Entry]
    updated: list[Entry]
    unchanged: list[Entry]
    skipped: list[SkippedRow]
    # The user's companies by name key, as loaded for matching.
    companies: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> ImportCounts:
        return ImportCounts(
            len(self.new), len(self.updated), len(self.unchanged), len(self.skipped)
        )

    @property
    def job_changes(self) -> int:
        return sum(1 for entry in self.updated if entry.job_changed)


@dataclass
class ImportOutcome:
    plan: ImportPlan
    batch: ImportBatch | None

    @property
    def counts(self) -> ImportCounts:
        return self.plan.counts


def summary_line(counts: ImportCounts) -> str:
    """The line the import command ends with."""
    return (
        f"created: {counts.created}, updated: {counts.updated}, "
        f"unchanged: {counts.unchanged}, skipped: {counts.skipped}"
    )


def plan_import(user_id: int, parsed: ParseResult, progress: Progress | None = None) -> ImportPlan:
    """Match every person in the file to the user's contacts; write nothing."""
    people = parsed.people
    existing = ExistingContacts(user_id, need_tags=any(person.tags for person in people))
    skipped = list(parsed.skipped)
    entries = _match_people(parsed, existing, skipped, progress)
    new, updated, unchanged = _compare(entries, existing)
    skipped.sort(key=lambda row: row.line)
    return ImportPlan(
        parsed.format,
        parsed.format_label,
        parsed.encoding,
        new,
        updated,
        unchanged,
        skipped,
        existing.companies,
    )


def _match_people(
    parsed: ParseResult,
    existing: ExistingContacts,
    skipped: list[SkippedRow],
    progress: Progress | None,
) -> list[Entry]:
    """One entry per person: a later row about someone already seen (in the file, or as the
    same contact) is merged into the first and skipped."""
    people = parsed.people
    strip_nul = parsed.encoding.startswith("utf-16")
    index = FileIndex()
    claimed: dict[int, Entry] = {}
    for count, person in enumerate(people, 1):
        fit(person, strip_nul)
        entry = index.find(person)
        contact = None
        if entry is None:
            contact = existing.find(person)
            if contact is not None:
                entry = claimed.get(contact.id)
        if entry is not None:
            merge(entry.person, person)
            skipped.append(SkippedRow(person.line, same_person_reason(entry.person.line)))
            index.add(entry, new=False)
        else:
            entry = Entry(person, contact)
            if contact is not None:
                claimed[contact.id] = entry
            index.add(entry, new=True)
        if progress is not None and count % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
    if progress is not None and len(people) % PROGRESS_STEP:
        progress(len(people) % PROGRESS_STEP)
    return index.entries


def _compare(
    entries: list[Entry], existing: ExistingContacts
) -> tuple[list[Entry], list[Entry], list[Entry]]:
    """The entries that are new contacts, that change a contact, and that change nothing."""
    new: list[Entry] = []
    updated: list[Entry] = []
    unchanged: list[Entry] = []
    for entry in entries:
        if entry.contact is None:
            new.append(entry)
            continue
        entry.company = existing.company_name(entry.contact)
        entry.changes = _changes(entry.person, entry.contact, entry.company, existing.with_tags)
        (updated if entry.changes else unchanged).append(entry)
    return new, updated, unchanged


def _changes(
    person: ImportedPerson, contact: ContactRow, old_company: str | None, with_tags: set[int]
) -> list[Change]:
    """What the file changes on a contact: company and title, and the fields left empty."""
    changes = _job_changes(person, contact.title, old_company)
    for name in FILLED_WHEN_EMPTY:
        new = getattr(person, name)
        if new and not (contact.has_notes if name == "notes" else getattr(contact, name)):
            changes.append(Change(name, None, new))
    if person.connected_on and contact.connected_on is None:
        changes.append(Change("connected_on", None, person.connected_on))
    if person.tags and contact.id not in with_tags:
        changes.append(Change("tags", [], list(person.tags)))
    return changes


def _job_changes(
    person: ImportedPerson, old_title: str | None, old_company: str | None
) -> list[Change]:
    """A new company or title in the file; a change of case or spacing is no change."""
    changes = []
    company = person.company
    if company and company != old_company and name_key(company) != name_key(old_company):
        changes.append(Change("company", old_company, company))
    title = person.title
    if title and title != old_title and name_key(title) != name_key(old_title):
        changes.append(Change("title", old_title, title))
    return changes
