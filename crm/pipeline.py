"""The pipeline, one home for its numbers: each person counted at the furthest stage they
reached, so every stage is at most the one before it. The dashboard, the Plan page and the
morning email all show this.

Contacts, people reached and people who replied are read from their tallies
(crm.tallies), kept as contacts change; the interviewed parts count the few interviews held.

The stages build on each other: an interview held implies a reply and an outreach (a meeting
arranged in person still counts as reached and replied), and "referred you on" counts the
people you interviewed who then introduced you to someone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import BindParameter, ColumnElement, ScalarSelect, bindparam, func, select
from sqlalchemy.orm import aliased

from crm.enums import InterviewStatus
from crm.models import Contact, Interview
from crm.prebuilt import Prebuilt, prebuilt
from crm.tallies.counters import TallyKind
from crm.tallies.services import total
from crm.words import plural


@dataclass(frozen=True)
class Pipeline:
    contacts: int
    reached: int
    replied: int
    interviewed: int
    referred: int

    @property
    def stages(self) -> list[tuple[str, int]]:
        """Each stage's label and count, widest first."""
        return [
            ("Contacts", self.contacts),
            ("Reached out", self.reached),
            ("Replied", self.replied),
            ("Interviewed", self.interviewed),
            ("Referred you on", self.referred),
        ]

    @property
    def in_words(self) -> str:
        """ "12 contacts, 5 reached out, 2 replied, 1 interviewed, 0 referred you on"."""
        return ", ".join(
            [plural(self.contacts, "contact")]
            + [f"{count} {label[0].lower()}{label[1:]}" for label, count in self.stages[1:]]
        )


def _count(*where: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count(Contact.id)).where(*where).scalar_subquery()


def stage_counts(user_id: BindParameter[int]) -> list[ScalarSelect[int]]:
    """The counts a Pipeline is made of, in from_counts' order, as columns a statement can
    select (the Plan page reads them with its wins): reached and replied each in two parts,
    those with an outreach or a reply logged (their tallies) and those interviewed without
    one."""
    interviewed = select(Interview.contact_id).where(
        Interview.user_id == user_id, Interview.status == InterviewStatus.DONE
    )
    introduced = aliased(Contact)
    # Asked of each person interviewed (over ix_contact_user_introduced), never a list of
    # every introducer, which grows with the introductions.
    introduced_someone = (
        select(introduced.id)
        .where(introduced.user_id == user_id, introduced.introduced_by_id == Contact.id)
        .exists()
    )
    mine = Contact.user_id == user_id
    held = Contact.id.in_(interviewed)
    return [
        total(user_id, TallyKind.CONTACTS),
        total(user_id, TallyKind.REACHED),
        _count(mine, Contact.first_outreach_on.is_(None), held),
        total(user_id, TallyKind.REPLIED),
        _count(mine, Contact.replied_on.is_(None), held),
        _count(mine, held),
        _count(mine, held, introduced_someone),
    ]


def from_counts(counts: Sequence[int | None]) -> Pipeline:
    """The Pipeline from stage_counts' values."""
    contacts, outreach, met, replies, met_unreplied, interviewed, referred = (
        n or 0 for n in counts
    )
    return Pipeline(
        contacts=contacts,
        reached=outreach + met,
        replied=replies + met_unreplied,
        interviewed=interviewed,
        referred=referred,
    )


@prebuilt
def _pipeline_statement() -> Prebuilt[*tuple[int, ...]]:
    """The stages' counts: built once."""
    return Prebuilt(select(*stage_counts(bindparam("user_id"))), "user_id")


def pipeline(user_id: int) -> Pipeline:
    """The user's pipeline in one statement."""
    return from_counts(_pipeline_statement().execute({"user_id": user_id}).one())
