"""The figures above the tree, pure: is "who else should I talk to?" growing the network?"""

from __future__ import annotations

from dataclasses import dataclass

from crm.network.outline import Outline
from crm.network.tree import Person


@dataclass(frozen=True)
class Share:
    """Part of a whole, as a person reads it: "3 of 4 (75%)"."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        """The share in whole percent, or None when there is no whole to share."""
        return round(100 * self.part / self.whole) if self.whole else None


@dataclass(frozen=True)
class Counts:
    """What the figures count beyond the outline: interviews held, and people reached and
    replied (of the suggested people, and of everyone, suggested or not)."""

    interviews_held: int
    # People introduced by someone the user interviewed.
    suggested_by_interviewed: int
    suggested_reached: int
    suggested_replied: int
    all_reached: int
    all_replied: int


@dataclass(frozen=True)
class Figures:
    interviews_held: int
    # People introduced by someone, and those whose introducer the user interviewed.
    suggested: int
    suggested_by_interviewed: int
    # Suggested people reached, of all suggested; replies of those reached.
    reached: Share
    replied: Share
    # Replies of the people reached whom nobody introduced.
    cold_replied: Share
    # The longest line of introductions, first-degree contact first.
    chain: list[Person]

    @property
    def names_per_interview(self) -> float | None:
        """Names suggested by people interviewed, per interview held (one decimal)."""
        if not self.interviews_held:
            return None
        return round(self.suggested_by_interviewed / self.interviews_held, 1)


def network_figures(outline: Outline, counts: Counts, chain: list[Person]) -> Figures:
    """The figures from the network's outline, the counts, and the longest chain's people."""
    reached, replied = counts.suggested_reached, counts.suggested_replied
    return Figures(
        interviews_held=counts.interviews_held,
        suggested=outline.suggested,
        suggested_by_interviewed=counts.suggested_by_interviewed,
        reached=Share(reached, outline.suggested),
        replied=Share(replied, reached),
        cold_replied=Share(
            max(0, counts.all_replied - replied), max(0, counts.all_reached - reached)
        ),
        chain=chain,
    )
